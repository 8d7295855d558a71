package io.venomqa.reliability;

import io.venomqa.config.ConfigException;
import io.venomqa.config.VenomQAConfig;
import io.venomqa.state.StateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.SQLException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad {@code venomqa.yaml} files on their way to a real database (PostgreSQL): invalid YAML, wrong
 * types of our keys and of backend options, unknown keys, missing environment variables. Each is
 * an error naming the key (and line where the parser knows it) before any table is touched: the
 * canary row survives every case. Parsing details are unit-tested in {@code VenomQAConfigTest}
 * (venomqa-runner) and {@code StateConfigTest} (venomqa-api).
 */
class YamlConfigTest {

    private TestDb db;

    @BeforeEach
    void open() throws SQLException {
        db = TestDb.postgres();
        db.exec("create table items (id int primary key)", "insert into items values (1)");
    }

    @AfterEach
    void drop() throws SQLException {
        assertThat(db.rows("select count(*) as n from items")).as("nothing was reset").containsExactly("n=1");
        db.close();
    }

    /** Loads the file and, when that works, builds the manager, connects and resets. */
    private void loadAndReset(String extra) {
        String yaml = "db_url: postgresql://postgres@127.0.0.1:5432/test\nschema: " + db.name + "\n" + extra;
        VenomQAConfig config = VenomQAConfig.loader().environment(Map.of("SET", "x")).parse(yaml);
        try (StateManager m = config.createStateManager()) {
            m.connect();
            m.reset();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '#', value = {
            // invalid YAML
            "\\tdb_backend: postgresql|is not valid YAML|line 3, column 1",
            "tables_to_reset: [items|is not valid YAML|",
            "base_url: 'unclosed|is not valid YAML|",
            "- a list|is not valid YAML|",
            // wrong types
            "tables_to_reset: {items: 1}|tables_to_reset must be a list of table names|",
            "exclude_tables: [a, [b]]|every entry of exclude_tables must be a table name|",
            "checkpoint_strategy: [savepoint]|checkpoint_strategy must be a single value|",
            "timeout: soon|timeout must be a duration such as 30|",
            "db_options: 5|db_options must be a mapping|",
            "allow_remote: maybe|venomqa.yaml:3: allow_remote must be true or false (also yes/no, on/off, 1/0), got 'maybe'|",
            "allowed_hosts: {a: 1}|venomqa.yaml:3: allowed_hosts must be a list, or comma-separated text, got '{a=1}'|",
            "connection_timeout: soon|venomqa.yaml:3: connection_timeout must be a duration such as 30 (seconds)|got 'soon'",
            "db_options:\\n  schema: [x]|venomqa.yaml:4: db_options: schema must be a single text value, got '[x]'|",
            "checkpoint_strategy: jornal|Unknown checkpoint_strategy 'jornal'|Did you mean 'journal'?",
            // unknown keys
            "db_ulr: x|venomqa.yaml:3: unknown key 'db_ulr', did you mean 'db_url'?|Known keys: base_url",
            "tables_to_rest: [items]|unknown key 'tables_to_rest', did you mean 'tables_to_reset'?|",
            // missing environment variables
            "tables_to_reset: ${MISSING}|tables_to_reset uses ${MISSING}, but the environment variable MISSING is not set|${MISSING:-value}",
            "db_options:\\n  allowed_hosts: ${SET}-${ALSO_MISSING}|ALSO_MISSING is not set|"})
    @DisplayName("invalid YAML, wrong types, unknown keys, missing variables: a clear error, nothing reset")
    void badFile(String extra, String expected, String alsoExpected) {
        String yaml = extra.replace("\\t", "\t").replace("\\n", "\n");
        assertThatThrownBy(() -> loadAndReset(yaml + "\n"))
                .isInstanceOfAny(ConfigException.class, IllegalArgumentException.class, io.venomqa.core.VenomQAException.class)
                .hasMessageContaining(expected)
                .satisfies(e -> {
                    if (alsoExpected != null) {
                        assertThat(e).hasMessageContaining(alsoExpected.replace("\\t", "\t"));
                    }
                });
    }
}
