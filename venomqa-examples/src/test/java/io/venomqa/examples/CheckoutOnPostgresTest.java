package io.venomqa.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.venomqa.examples.shop.ShopApp;
import io.venomqa.report.ConsoleReporter;
import io.venomqa.core.CredentialMasker;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checkout journey against PostgreSQL: the shop runs in this JVM and writes through the
 * PostgreSQL state manager's shared DataSource, and every path still starts from the same rows.
 * Uses {@code VENOMQA_TEST_POSTGRES_URL} when set, else the local server (127.0.0.1:5432, user
 * postgres, database test); a schema of its own with a random name, dropped afterwards. Fails,
 * never skips, when no server is reachable.
 */
class CheckoutOnPostgresTest {

    private static final String URL = System.getenv().getOrDefault("VENOMQA_TEST_POSTGRES_URL",
            "postgresql://postgres@127.0.0.1:5432/test");
    private static final String SCHEMA = "vqshop_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @TempDir
    java.nio.file.Path dir;

    private static Connection plainConnection() throws SQLException {
        // postgresql://user[:password]@host:port/db → the JDBC form, for setting up the schema.
        java.net.URI u = java.net.URI.create(URL);
        String[] userInfo = u.getUserInfo() == null ? new String[]{"postgres"} : u.getUserInfo().split(":", 2);
        Properties p = new Properties();
        p.setProperty("user", userInfo[0]);
        if (userInfo.length > 1) {
            p.setProperty("password", userInfo[1]);
        }
        return DriverManager.getConnection("jdbc:postgresql://" + u.getHost() + ":" + (u.getPort() < 0 ? 5432 : u.getPort())
                + u.getPath(), p);
    }

    @BeforeAll
    static void createSchema() {
        try (Connection c = plainConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + SCHEMA);
            st.execute("SET search_path TO " + SCHEMA);
            ShopApp.createSchema(c);
        } catch (SQLException e) {
            throw new AssertionError("This test needs a PostgreSQL server and none is reachable at "
                    + CredentialMasker.maskUrl(URL) + " (" + e.getMessage() + "). Start PostgreSQL on 127.0.0.1:5432"
                    + " (user postgres, trust auth, database test) or set VENOMQA_TEST_POSTGRES_URL.", e);
        }
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        try (Connection c = plainConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @Test
    void everyPathStartsFromTheSameRowsOnPostgres() throws Exception {
        StateConfig config = StateConfig.builder().backend("postgresql").url(URL)
                .option("schema", SCHEMA).option("allow_remote", true).build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code;
        try (JdbcStateManager state = (JdbcStateManager) StateManagers.create(config)) {
            state.connect();
            code = CheckoutDemo.runAgainst(state, dir, new ConsoleReporter(out, false), out, CheckoutJourney.build());
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);

        assertThat(code).as(printed).isZero();
        assertThat(printed).contains("Isolation: every path started from the same database state"
                + " {\"users\":1,\"orders\":0,\"payments\":0,\"cart_items\":2} (card, paypal, declined_card)");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("checkout.json").toFile());
        assertThat(json.get("status").asText()).isEqualTo("PASSED");
        // Each path's order is order 1: the identity sequence was put back with the rows.
        assertThat(json.toString()).contains("/orders/1/payments").doesNotContain("/orders/2/");
        // Disconnecting undid the run: the schema holds the catalogue and nothing else.
        try (Connection c = plainConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT COUNT(*) FROM " + SCHEMA + ".users) + (SELECT COUNT(*) FROM "
                     + SCHEMA + ".orders), (SELECT COUNT(*) FROM " + SCHEMA + ".products)")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
            assertThat(rs.getInt(2)).isEqualTo(3);
        }
    }
}
