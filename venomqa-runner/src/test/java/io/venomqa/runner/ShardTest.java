package io.venomqa.runner;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shards cover every journey exactly once, whatever the order, and read i/n strictly. */
class ShardTest {

    /** Computed once when the rule was written; a change here moves journeys between CI machines. */
    private static final int KNOWN_CHECKOUT_4 = 2;
    private static final int KNOWN_SIGNUP_4 = 4;
    private static final int KNOWN_REFUND_3 = 2;

    @Test
    void everyJourneyIsInExactlyOneShardWhateverTheOrder() {
        List<String> names = IntStream.range(0, 300).mapToObj(i -> "journey-" + i).toList();
        for (int n = 1; n <= 7; n++) {
            List<String> shuffled = new ArrayList<>(names);
            Collections.shuffle(shuffled, new Random(n));
            List<String> covered = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                Shard shard = new Shard(i, n);
                List<String> inOrder = names.stream().filter(shard::includes).toList();
                List<String> inShuffled = shuffled.stream().filter(shard::includes).toList();
                assertThat(inShuffled).containsExactlyInAnyOrderElementsOf(inOrder);
                if (n > 1) {
                    assertThat(inOrder).as("shard %d/%d of 300 journeys", i, n).isNotEmpty();
                }
                covered.addAll(inOrder);
            }
            assertThat(covered).containsExactlyInAnyOrderElementsOf(names);
        }
        // fixed by the name alone (SHA-256): known answers keep it stable across releases and machines
        assertThat(List.of(Shard.of("checkout", 4), Shard.of("signup", 4), Shard.of("refund", 3)))
                .containsExactly(KNOWN_CHECKOUT_4, KNOWN_SIGNUP_4, KNOWN_REFUND_3);
        assertThat(IntStream.rangeClosed(1, 4).filter(i -> new Shard(i, 4).includes("checkout")).count()).isEqualTo(1);
    }

    @Test
    void readsIOverNAndRefusesTheRest() {
        assertThat(Shard.parse(" 2 / 4 ")).isEqualTo(new Shard(2, 4));
        assertThat(Shard.parse("1/1").toString()).isEqualTo("1/1");
        assertThatThrownBy(() -> Shard.parse("0/4")).hasMessageContaining("1 <= i <= n");
        assertThatThrownBy(() -> Shard.parse("5/4")).hasMessageContaining("Shard 5/4 does not exist");
        assertThatThrownBy(() -> Shard.parse("2of4")).hasMessageContaining("not of the form i/n");
    }
}
