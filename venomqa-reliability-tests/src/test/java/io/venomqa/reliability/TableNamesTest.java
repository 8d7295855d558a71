package io.venomqa.reliability;

import io.venomqa.state.ResetException;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad table names in {@code tables_to_reset} and {@code exclude_tables}, on PostgreSQL and MariaDB:
 * quotes, SQL, dots, wildcards, a table of another schema, names that do not exist. Each is a
 * {@link ResetException} before anything is touched: every table keeps its rows, the other schema
 * too, and the checkpoints survive. Unit-level rules: {@code TableRulesTest} (venomqa-backend-jdbc).
 */
class TableNamesTest {

    private TestDb db;
    private TestDb other;

    @AfterEach
    void drop() throws SQLException {
        if (db != null) {
            db.close();
        }
        if (other != null) {
            other.close();
        }
    }

    private void open(String backend) throws SQLException {
        boolean pg = backend.equals("postgresql");
        db = pg ? TestDb.postgres() : TestDb.mysql();
        other = pg ? TestDb.postgres() : TestDb.mysql();
        db.exec("create table items (id int primary key)", "insert into items values (1)",
                "create table orders (id int primary key)", "insert into orders values (1)");
        other.exec("create table secret (id int primary key)", "insert into secret values (1)");
    }

    private void assertUntouched() throws SQLException {
        assertThat(db.rows("select count(*) as n from items")).containsExactly("n=1");
        assertThat(db.rows("select count(*) as n from orders")).containsExactly("n=1");
        assertThat(other.rows("select count(*) as n from secret")).containsExactly("n=1");
    }

    @ParameterizedTest(name = "{0}: tables_to_reset [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '#', value = {
            "postgresql|items\"; drop table orders; --", "mysql|items`; drop table orders; --",
            "postgresql|\"items\"", "mysql|`items`", "postgresql|'items'",
            "postgresql|OTHER.secret", "mysql|OTHER.secret", "postgresql|public.items",
            "postgresql|item*", "mysql|%", "postgresql|nope", "mysql|nope"})
    @DisplayName("tables_to_reset with quotes, SQL, dots, wildcards, another schema's table, unknown names: refused, nothing touched")
    void badTablesToReset(String backend, String name) throws SQLException {
        open(backend);
        String table = name.replace("OTHER", other.name);
        try (StateManager m = StateManagers.create(db.config().tablesToReset(List.of(table)).build())) {
            m.connect();
            m.checkpoint("kept");
            assertThatThrownBy(m::reset).isInstanceOf(ResetException.class)
                    .hasMessageContaining("tables_to_reset names '" + table + "', which does not exist")
                    .hasMessageContaining("Tables there: items, orders")
                    .satisfies(e -> {
                        if (name.contains("*") || name.contains("%")) {
                            assertThat(e).hasMessageContaining("wildcards");
                        }
                    });
            assertThat(m.activeCheckpoints()).containsExactly("kept");
        }
        assertUntouched();
    }

    @ParameterizedTest(name = "{0}: exclude_tables [item*]")
    @ValueSource(strings = {"postgresql", "mysql"})
    @DisplayName("an exclude_tables pattern matching no table is refused rather than leaving the table it meant to protect unprotected")
    void wildcardInExcludeTables(String backend) throws SQLException {
        open(backend);
        try (StateManager m = StateManagers.create(db.config().excludeTables(List.of("item*")).build())) {
            m.connect();
            assertThatThrownBy(m::reset).isInstanceOf(ResetException.class)
                    .hasMessageContaining("exclude_tables names 'item*'").hasMessageContaining("wildcards");
        }
        assertUntouched();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgresql", "mysql"})
    @DisplayName("exclude_tables naming an unknown table or another schema's table excludes nothing else; that schema is never touched")
    void unknownAndForeignExcludes(String backend) throws SQLException {
        open(backend);
        try (StateManager m = StateManagers.create(db.config()
                .excludeTables(List.of("nope", other.name + ".secret", "\"orders\"", "ORDERS")).build())) {
            m.connect();
            m.reset();
        }
        assertThat(db.rows("select count(*) as n from items")).as("reset").containsExactly("n=0");
        assertThat(db.rows("select count(*) as n from orders")).as("excluded, case-insensitively").containsExactly("n=1");
        assertThat(other.rows("select count(*) as n from secret")).as("another schema is never reset").containsExactly("n=1");
    }
}
