package io.venomqa.examples;

import io.venomqa.config.VenomQAConfig;
import io.venomqa.examples.shop.ShopApp;
import io.venomqa.examples.shop.ShopProcess;
import io.venomqa.explore.ExplorationResult;
import io.venomqa.explore.Violation;
import io.venomqa.explore.ViolationExport;
import io.venomqa.journey.Journey;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shop's exploration finds the planted bug with a four-call path: with the shop in this JVM on
 * SQLite (savepoints), and with the shop as a separate process on PostgreSQL (journal). The database
 * is as found after each run. The demo's exit code and output, and the exported reproduction compiled
 * with javac and run against a fresh shop, where it breaks the invariant again.
 */
class ShopExplorationTest {

    private static final List<String> BUG = List.of("create_order", "pay_declined", "pay_card", "refund");

    @TempDir
    Path dir;

    @Test
    void demoFindsThePlantedBugInTheEmbeddedShopPrintsThePathAndWritesTheReports() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = ExploreDemo.run(dir, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);

        assertThat(code).as(printed).isZero();
        assertThat(printed).contains("Minimal path (4 calls", "create_order → pay_declined → pay_card → refund",
                "2. pay_declined: POST /orders/1/payments {\"method\":\"card\",\"card_number\":\"4000000000000002\"} → 402",
                "4. refund: POST /orders/1/refund → 200");
        assertThat(dir.resolve("reports/explore-shop.html")).isNotEmptyFile();
        assertThat(dir.resolve("reports/explore-shop.json")).isNotEmptyFile();
        assertThat(dir.resolve("reports/TEST-venomqa-explore-shop.xml")).content().contains("<failure");
        // The run put the SQLite file back as it found it: schema and catalogue only.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("shop.db"))) {
            assertThat(count(c, "select count(*) from users") + count(c, "select count(*) from orders")
                    + count(c, "select count(*) from payments") + count(c, "select count(*) from sessions")).isZero();
            assertThat(count(c, "select count(*) from products")).isEqualTo(3);
        }
    }

    @Test
    void separateProcessOnPostgresWithTheJournalFindsTheBugAndLeavesTheSchemaAsFound() throws Exception {
        String schema = "vqshopx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection c = postgres(); Statement st = c.createStatement()) {
            st.execute("create schema " + schema);
            st.execute("set search_path to " + schema);
            ShopApp.createSchema(c);
        }
        try (ShopProcess shop = ShopProcess.start("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema, "postgres");
             JdbcStateManager state = (JdbcStateManager) StateManagers.create(StateConfig.builder().backend("postgresql")
                     .url("postgresql://postgres@127.0.0.1:5432/test").option("schema", schema)
                     .option("checkpoint_strategy", "journal").build())) {
            ExplorationResult r = ShopExploration.builder().client(CheckoutJourney.client(shop.baseUrl())).stateManager(state)
                    .build().run();

            List<Violation> bug = r.violationsOf(ShopExploration.REFUNDS_WITHIN_TOTAL.name());
            assertThat(bug).as(r.summary()).hasSize(1);
            assertThat(bug.get(0).moves()).isEqualTo(BUG);
            assertThat(bug.get(0).reproduced()).isTrue();
            try (Connection c = postgres(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select (select count(*) from " + schema + ".users) + (select count(*) from "
                         + schema + ".orders) + (select count(*) from " + schema + ".payments) + (select count(*) from "
                         + schema + ".sessions)")) {
                rs.next();
                assertThat(rs.getInt(1)).as("rows left by the exploration").isZero();
            }
        } finally {
            try (Connection c = postgres(); Statement st = c.createStatement()) {
                st.execute("drop schema if exists " + schema + " cascade");
            }
        }
    }

    @Test
    void exportedReproductionCompilesAndBreaksTheInvariantAgainstAFreshShop() throws Exception {
        Path db = CheckoutDemo.freshDatabase(dir, "shop.db");
        VenomQAConfig config = VenomQAConfig.builder().dbUrl("jdbc:sqlite:" + db).build();
        Violation bug;
        try (JdbcStateManager state = (JdbcStateManager) config.createStateManager()) {
            state.connect();
            try (ShopApp shop = ShopApp.start(state.sharedDataSource(), 0)) {
                ExplorationResult r = ShopExploration.builder().client(CheckoutJourney.client(shop.baseUrl()))
                        .stateManager(state).build().run();
                bug = r.violationsOf(ShopExploration.REFUNDS_WITHIN_TOTAL.name()).get(0);
            }
        }
        ViolationExport export = ViolationExport.of(bug).className("repro.RefundBeyondTotal")
                .startFrom("io.venomqa.examples.CheckoutJourney.build()", ShopExploration.START)
                .invariants(List.of(ShopExploration.REFUNDS_WITHIN_TOTAL));
        List<Path> files = export.writeTo(dir.resolve("src"));
        assertThat(export.junitTestSource()).contains("@VenomQATest", "JdbcStateManager database", "INVARIANT_SQL = ");

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        Path classes = dir.resolve("classes");
        int code = javac.run(null, null, errors, "-d", classes.toString(), "-classpath", System.getProperty("java.class.path"),
                files.get(0).toString(), files.get(1).toString());
        assertThat(code).as(errors.toString()).isZero();

        // Run the generated journey against a fresh shop: its calls answer as found, and the invariant breaks.
        Path db2 = CheckoutDemo.freshDatabase(dir.resolve("replay"), "shop.db");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
             JdbcStateManager state = (JdbcStateManager) VenomQAConfig.builder().dbUrl("jdbc:sqlite:" + db2).build()
                     .createStateManager()) {
            Journey journey = (Journey) loader.loadClass("repro.RefundBeyondTotal").getMethod("build").invoke(null);
            state.connect();
            try (ShopApp shop = ShopApp.start(state.sharedDataSource(), 0)) {
                JourneyResult result = JourneyRunner.builder(CheckoutJourney.client(shop.baseUrl())).stateManager(state).build()
                        .run(journey);
                assertThat(result.passed()).as(String.valueOf(result.failures())).isTrue();
                Object holds = state.queryRows(ShopExploration.REFUNDS_WITHIN_TOTAL.sqlQuery()).get(0).values().iterator().next();
                assertThat(((Number) holds).intValue()).as("the invariant after the exported journey").isZero();
            }
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection postgres() {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        try {
            return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", p);
        } catch (SQLException e) {
            throw new AssertionError("This test needs PostgreSQL at 127.0.0.1:5432 (user postgres, database test): "
                    + e.getMessage(), e);
        }
    }
}
