package io.venomqa.state;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateConfigTest {

    @Test
    void readsTheSnakeCaseKeysOfVenomqaYaml() {
        Map<String, Object> yaml = new LinkedHashMap<>();
        yaml.put("db_backend", "postgresql");
        yaml.put("db_url", "postgresql://qa:secret@localhost:5432/qa_test");
        yaml.put("tables_to_reset", List.of("users", "orders"));
        yaml.put("exclude_tables", "migrations, audit");
        yaml.put("checkpoint_strategy", "journal");
        yaml.put("connection_timeout", "5s");
        StateConfig c = StateConfig.fromMap(yaml);
        assertThat(c.backend()).isEqualTo("postgresql");
        assertThat(c.url()).isEqualTo("postgresql://qa:secret@localhost:5432/qa_test");
        assertThat(c.tablesToReset()).containsExactly("users", "orders");
        assertThat(c.excludeTables()).containsExactly("migrations", "audit");
        assertThat(c.optionString("checkpoint_strategy", "savepoint")).isEqualTo("journal");
        assertThat(c.optionDuration("connection_timeout", Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.optionDuration("missing", Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.toString()).contains("qa:***@").doesNotContain("secret");
        assertThat(c).isEqualTo(StateConfig.fromMap(yaml)).isEqualTo(c.toBuilder().build());
    }

    @Test
    void wrongTypesNameTheKey() {
        assertThatThrownBy(() -> StateConfig.fromMap(Map.of("tables_to_reset", 42)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Configuration key 'tables_to_reset' must be a list of table names, got Integer '42'");
        assertThatThrownBy(() -> StateConfig.fromMap(Map.of("db_url", List.of("a"))))
                .hasMessageStartingWith("Configuration key 'db_url' must be a text value");
        assertThatThrownBy(() -> StateConfig.fromMap(Map.of("exclude_tables", List.of("a", 3))))
                .hasMessageStartingWith("Configuration key 'exclude_tables' must be a list of table names");
        StateConfig c = StateConfig.fromMap(Map.of("connection_timeout", "soon", "pool", "x", "password", List.of("pw")));
        assertThatThrownBy(() -> c.optionDuration("connection_timeout", Duration.ZERO))
                .hasMessageStartingWith("Configuration key 'connection_timeout' must be a duration");
        assertThatThrownBy(() -> c.optionInt("pool", 1))
                .hasMessage("Configuration key 'pool' must be a whole number, got String 'x'");
        assertThatThrownBy(() -> c.optionString("password", null))
                .hasMessageContaining("***").hasMessageNotContaining("pw");
    }

    @Test
    void isImmutable() {
        StateConfig c = StateConfig.builder().tablesToReset(List.of("a")).option("k", "v").build();
        assertThatThrownBy(() -> c.tablesToReset().add("b")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> c.options().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }
}
