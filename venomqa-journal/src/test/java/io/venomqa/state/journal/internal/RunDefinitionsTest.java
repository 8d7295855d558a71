package io.venomqa.state.journal.internal;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The run record's definitions: written as version 3, versions 1 and 2 read with their objects marked as not comparable. */
class RunDefinitionsTest {

    private static RunDefinitions sample() {
        DefinitionWatch.Marks marks = new DefinitionWatch.Marks(Map.of("t", "1 2:3:f:100"), Map.of(), Map.of(), Map.of(),
                Map.of(), Map.of(DefinitionWatch.objectKey("t", "index", "t_a"), "1|a|1"));
        return new RunDefinitions(marks, Map.of("t", "id int, a text"), Map.of(), Set.of("t"));
    }

    @Test
    @DisplayName("what this version writes it reads back whole, its objects comparable")
    void roundTrip() {
        String text = sample().serialize();
        assertThat(text).startsWith("venomqa-definitions 3\n");
        RunDefinitions back = RunDefinitions.parse(text);
        assertThat(back).isEqualTo(sample());
        assertThat(back.objectsComparable()).isTrue();
    }

    @Test
    @DisplayName("a record of version 1 or 2 (until 2026-12-07) is read, its objects not comparable (read otherwise then); another head is refused")
    void earlierVersions() {
        for (String head : new String[] {"venomqa-definitions 1", "venomqa-definitions 2"}) {
            RunDefinitions back = RunDefinitions.parse(sample().serialize().replaceFirst("venomqa-definitions 3", head));
            assertThat(back.objectsComparable()).as(head).isFalse();
            assertThat(back.marks()).as(head).isEqualTo(sample().marks());
        }
        assertThatThrownBy(() -> RunDefinitions.parse("venomqa-definitions 9\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("written by another VenomQA version");
        assertThat(RunDefinitions.parse("")).isNull();
    }
}
