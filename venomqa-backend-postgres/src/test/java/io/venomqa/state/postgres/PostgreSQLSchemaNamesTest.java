package io.venomqa.state.postgres;

import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.spi.TableInfo;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schema's name is matched exactly when its tables are read (JDBC's metadata takes LIKE patterns):
 * a {@code _} in it does not also match a character of another schema's name, and a backslash does not
 * hide the schema's tables.
 */
class PostgreSQLSchemaNamesTest {

    private static final String URL = "postgresql://postgres@127.0.0.1:5432/test";

    private static String quoted(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    @Test
    @DisplayName("schema a_b tracks its own tables, not those of a schema aXb; a backslash in the name is read as itself")
    void schemaNamesAreNotPatterns() throws SQLException {
        String r = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String mine = "vqn_" + r + "_a";
        String other = "vqn_" + r + "Xa";
        String slashed = "vqn_" + r + " back\\slash";
        try (Connection c = PgAdmin.open(URL); Statement st = c.createStatement()) {
            try {
                st.execute("create schema " + quoted(mine) + "; create schema " + quoted(other) + "; create schema "
                        + quoted(slashed));
                st.execute("create table " + quoted(mine) + ".orders (id int primary key, total int)");
                // Same table name, another shape and a key to a table the first schema does not have.
                st.execute("create table " + quoted(other) + ".customers (id int primary key)");
                st.execute("create table " + quoted(other) + ".orders (ref text primary key, customer int references "
                        + quoted(other) + ".customers)");
                st.execute("create table " + quoted(slashed) + ".t (id int primary key)");

                assertThat(tracked(mine)).singleElement().satisfies(t -> {
                    assertThat(t.name()).isEqualTo("orders");
                    assertThat(t.primaryKey()).containsExactly("id");
                    assertThat(t.foreignKeys()).isEmpty();
                });
                assertThat(tracked(other)).extracting(TableInfo::name).containsExactlyInAnyOrder("customers", "orders");
                assertThat(tracked(slashed)).extracting(TableInfo::name).containsExactly("t");
            } finally {
                st.execute("drop schema if exists " + quoted(mine) + " cascade; drop schema if exists " + quoted(other)
                        + " cascade; drop schema if exists " + quoted(slashed) + " cascade");
            }
        }
    }

    private static java.util.List<TableInfo> tracked(String schema) {
        PostgreSQLStateManager m = new PostgreSQLStateManager(StateConfig.builder().backend("postgresql").url(URL)
                .option("schema", schema).build());
        m.connect();
        try {
            return m.trackedTables();
        } finally {
            m.disconnect();
        }
    }
}
