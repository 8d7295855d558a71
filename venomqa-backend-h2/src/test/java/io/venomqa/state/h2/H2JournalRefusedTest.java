package io.venomqa.state.h2;

import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.spi.CheckpointStrategyProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 20 item 10: the journal is on the class path here, so the error must not say it is missing. */
class H2JournalRefusedTest {

    @Test
    @DisplayName("checkpoint_strategy: journal on H2 says the journal does not support H2, not that it is missing")
    void journalOnH2() {
        assertThat(ServiceLoader.load(CheckpointStrategyProvider.class).stream().map(p -> p.get().name()))
                .as("venomqa-journal is on this test's class path").contains("journal");
        StateConfig config = StateConfig.builder().backend("h2").url("jdbc:h2:mem:journal_refused")
                .option("checkpoint_strategy", "journal").build();
        assertThatThrownBy(() -> new H2StateManager(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkpoint_strategy 'journal' does not support the H2 backend")
                .hasMessageContaining("PostgreSQL, MySQL/MariaDB and SQLite")
                .hasMessageContaining("checkpoint_strategy: savepoint")
                .hasMessageNotContaining("no implementation is on the class path");
    }
}
