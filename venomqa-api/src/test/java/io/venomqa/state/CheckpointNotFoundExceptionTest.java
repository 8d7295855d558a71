package io.venomqa.state;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CheckpointNotFoundExceptionTest {

    @Test
    @DisplayName("a typo of an active checkpoint's name is answered with that name")
    void suggestsTheActiveNameATypoMeant() {
        assertThat(new CheckpointNotFoundException("reall_one", List.of("setup", "real_one")))
                .hasMessage("Checkpoint 'reall_one' not found. Active checkpoints: [setup, real_one]. Did you mean 'real_one'?");
    }

    @Test
    @DisplayName("a name like none of the active ones, or none active: the list only")
    void noSuggestionWithoutACloseName() {
        assertThat(new CheckpointNotFoundException("payment_declined", List.of("cart_ready", "logged_in")))
                .hasMessage("Checkpoint 'payment_declined' not found. Active checkpoints: [cart_ready, logged_in]");
        assertThat(new CheckpointNotFoundException("c", List.of("a", "b")))
                .hasMessage("Checkpoint 'c' not found. Active checkpoints: [a, b]");
        assertThat(new CheckpointNotFoundException("cart_ready", List.of()))
                .hasMessage("Checkpoint 'cart_ready' not found. Active checkpoints: (none)");
    }
}
