package io.venomqa.state.mysql;

import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManagers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 12 item 4 on MySQL: options are checked when the manager is made, nothing is silently ignored. */
class MySQLOptionsTest {

    private static StateConfig.Builder config() {
        return StateConfig.builder().url("mysql://root@127.0.0.1:3306/test");
    }

    @Test
    void aSchemaOtherThanTheUrlsDatabaseIsAnErrorNotSilentlyIgnored() {
        assertThatThrownBy(() -> new MySQLStateManager(config().option("schema", "other_db").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Option schema 'other_db' does not name the database of db_url")
                .hasMessageContaining("('test')")
                .hasMessageContaining("mysql://user@host:3306/other_db");
        assertThatCode(() -> new MySQLStateManager(config().option("schema", "test").build())).doesNotThrowAnyException();
        assertThat(MySQLDialect.databaseOf("jdbc:mysql://h1:3306,h2:3307/shop%20db?useSSL=false")).isEqualTo("shop db");
    }

    @Test
    void anUnknownOptionIsAnErrorWithTheNearestDeclaredOne() {
        assertThatThrownBy(() -> StateManagers.create(config().option("reset_lock_timout", "5s").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Unknown option 'reset_lock_timout' for db_backend 'mysql': did you mean 'reset_lock_timeout'?");
        // Constructed directly, the manager checks too, naming its strategy.
        assertThatThrownBy(() -> new MySQLStateManager(config().option("checkpoint_stratgy", "journal").build()))
                .hasMessageStartingWith("Unknown option 'checkpoint_stratgy' for the MySQL/MariaDB backend with"
                        + " checkpoint_strategy 'savepoint': did you mean 'checkpoint_strategy'?");
    }
}
