package io.venomqa.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.venomqa.examples.shop.ShopProcess;
import io.venomqa.journey.Journey;
import io.venomqa.report.ConsoleReporter;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
 * The checkout journey against the shop running as a separate process (its own JVM and
 * connection pool, committing every request) on PostgreSQL, with {@code checkpoint_strategy:
 * journal}: every path still starts from the same rows and gets order number 1, and
 * {@code disconnect()} leaves the schema as it was. The local PostgreSQL (127.0.0.1:5432, user
 * postgres, database test) in a random schema; fails, never skips, when it is not reachable.
 */
class CheckoutJournalSeparateProcessTest {

    private static final String HOST = "127.0.0.1";
    private final String schema = "vqshopj_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private ShopProcess shop;
    private String baseUrl;

    @TempDir
    java.nio.file.Path dir;

    private Connection plain() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":5432/test", p);
    }

    @BeforeEach
    void startShop() throws Exception {
        try (Connection c = plain(); Statement st = c.createStatement()) {
            st.execute("create schema " + schema);
            st.execute("set search_path to " + schema);
            io.venomqa.examples.shop.ShopApp.createSchema(c);
        } catch (SQLException e) {
            throw new AssertionError("This test needs PostgreSQL at " + HOST + ":5432 (user postgres, database test): "
                    + e.getMessage(), e);
        }
        shop = ShopProcess.start("jdbc:postgresql://" + HOST + ":5432/test?currentSchema=" + schema, "postgres");
        baseUrl = shop.baseUrl();
    }

    @AfterEach
    void stopShop() throws Exception {
        shop.close();
        try (Connection c = plain(); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + schema + " cascade");
        }
    }

    @Test
    void everyPathStartsFromTheSameRowsWithTheShopInAnotherProcess() throws Exception {
        StateConfig config = StateConfig.builder().backend("postgresql").url("postgresql://postgres@" + HOST + ":5432/test")
                .option("schema", schema).option("checkpoint_strategy", "journal").build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Journey journey = CheckoutJourney.build();
        JourneyResult result;
        boolean isolated;
        try (JdbcStateManager state = (JdbcStateManager) StateManagers.create(config)) {
            state.connect();
            JourneyRunner runner = JourneyRunner.builder(CheckoutJourney.client(baseUrl)).stateManager(state)
                    .reportDir(dir).listener(new ConsoleReporter(out, false)).build();
            result = runner.run(journey);
            isolated = CheckoutDemo.reportIsolation(journey, result, out);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);

        assertThat(result.passed()).as(printed).isTrue();
        assertThat(isolated).as(printed).isTrue();
        assertThat(printed).contains("every path started from the same database state"
                + " {\"users\":1,\"orders\":0,\"payments\":0,\"cart_items\":2} (card, paypal, declined_card)");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("checkout.json").toFile());
        // Each path's order is order 1: the journal put the identity counter back with the rows.
        assertThat(json.toString()).contains("/orders/1/payments").doesNotContain("/orders/2/");
        try (Connection c = plain(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select (select count(*) from " + schema + ".users) + (select count(*) from "
                     + schema + ".orders) + (select count(*) from " + schema + ".sessions), (select count(*) from "
                     + schema + ".products)")) {
            rs.next();
            assertThat(rs.getInt(1)).as("rows left by the run").isZero();
            assertThat(rs.getInt(2)).isEqualTo(3);
        }
    }
}
