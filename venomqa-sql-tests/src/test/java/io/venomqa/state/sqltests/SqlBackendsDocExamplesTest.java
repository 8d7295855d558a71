package io.venomqa.state.sqltests;

import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.spi.ConnectionSpec;
import io.venomqa.state.postgres.PostgreSQLDialect;
import io.venomqa.state.postgres.PostgreSQLStateManager;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the Java blocks of {@code docs/sql-backends.md} and checks the document still contains them
 * verbatim, so the documentation cannot drift from code that works.
 */
class SqlBackendsDocExamplesTest {

    private static final Path DOC = Path.of("..", "docs", "sql-backends.md");

    private static String doc() throws IOException {
        return Files.readString(DOC);
    }

    @Test
    void seedConfigurationBlock() throws IOException {
        // ---- block 1, verbatim ----
        StateConfig config = StateConfig.builder()
                .backend("postgresql")
                .url("postgresql://qa:secret@localhost:5432/qa_test")
                .tablesToReset(List.of("users", "orders"))
                .excludeTables(List.of("migrations"))
                .build();
        PostgreSQLStateManager state = new PostgreSQLStateManager(config);   // or StateManagers.create(config)
        // ---- end ----
        assertThat(state.isConnected()).isFalse();
        assertThat(state.toString()).contains("qa:***@").doesNotContain("secret");
        String block1 = """
                StateConfig config = StateConfig.builder()
                        .backend("postgresql")
                        .url("postgresql://qa:secret@localhost:5432/qa_test")
                        .tablesToReset(List.of("users", "orders"))
                        .excludeTables(List.of("migrations"))
                        .build();
                PostgreSQLStateManager state = new PostgreSQLStateManager(config);   // or StateManagers.create(config)
                """;
        assertThat(doc()).contains(block1);
        assertThat(Files.readString(Path.of("..", "README.md"))).as("README.md shows block 1 too").contains(block1);
    }

    @Test
    void journeyBlock() throws Exception {
        String url = System.getenv().getOrDefault("VENOMQA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test");
        String schema = "vqdoc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        ConnectionSpec spec = new PostgreSQLDialect().connectionSpec(StateConfig.builder().url(url).build(), Duration.ofSeconds(10));
        try (Connection admin = DriverManager.getConnection(spec.jdbcUrl(), spec.properties()); Statement st = admin.createStatement()) {
            st.execute("create schema " + schema);
            st.execute("create table " + schema + ".users (id serial primary key, name text)");
            st.execute("create table " + schema + ".orders (id serial primary key, user_id int references " + schema
                    + ".users(id), total int)");
            st.execute("create table " + schema + ".migrations (id int primary key)");
        } catch (SQLException e) {
            throw new AssertionError("This test needs PostgreSQL at " + spec.displayUrl()
                    + " (or VENOMQA_TEST_POSTGRES_URL): " + e.getMessage(), e);
        }
        try {
            PostgreSQLStateManager state = new PostgreSQLStateManager(StateConfig.builder().url(url)
                    .tablesToReset(List.of("users", "orders")).excludeTables(List.of("migrations"))
                    .option("schema", schema).option("allow_remote", true).build());
            // ---- block 2, verbatim ----
            state.connect();
            state.reset();                                  // empty users and orders, ids back to 1, committed
            try (Connection app = state.sharedDataSource().getConnection(); Statement st = app.createStatement()) {
                st.executeUpdate("insert into users (name) values ('alice')");
            }
            state.checkpoint("user_created");

            try (Connection app = state.sharedDataSource().getConnection(); Statement st = app.createStatement()) {
                st.executeUpdate("insert into orders (user_id, total) values (1, 42)");
            }
            state.rollback("user_created");                 // the order is gone, alice stays
            assert state.countRows("orders") == 0 && state.countRows("users") == 1;

            state.disconnect();                             // the database is as connect() found it, reset aside
            // ---- end ----
        } finally {
            try (Connection admin = DriverManager.getConnection(spec.jdbcUrl(), spec.properties()); Statement st = admin.createStatement()) {
                st.execute("drop schema " + schema + " cascade");
            }
        }
        String block = Files.readString(Path.of("src", "test", "java", "io", "venomqa", "state", "sqltests",
                "SqlBackendsDocExamplesTest.java"));
        String code = block.substring(block.indexOf("// ---- block 2, verbatim ----\n") + "// ---- block 2, verbatim ----\n".length(),
                block.indexOf("            // ---- end ----", block.indexOf("block 2")));
        String unindented = code.lines().map(l -> l.length() >= 12 ? l.substring(12) : l.strip())
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        assertThat(doc()).contains(unindented);
    }
}
