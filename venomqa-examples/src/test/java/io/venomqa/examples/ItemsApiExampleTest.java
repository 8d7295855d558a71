package io.venomqa.examples;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs the README's "Testing your own API" example ({@link ItemsApiTest}, left out of Surefire's own
 * run in the pom) the way a user's build would, against the local PostgreSQL: its schema is made
 * here (the user's migrations), with a random name given as {@code -Dvenomqa.db_options.schema}, and
 * dropped afterwards. Also checks that the README shows the class and its venomqa.yaml verbatim.
 */
class ItemsApiExampleTest {

    private static final String SCHEMA = "vqitems_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    @BeforeAll
    static void createSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(JDBC_URL, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("create schema " + SCHEMA);
            st.execute("create table " + SCHEMA + ".items (id serial primary key, name text not null)");
        }
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        System.clearProperty("venomqa.db_options.schema");
        try (Connection c = DriverManager.getConnection(JDBC_URL, "postgres", ""); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + SCHEMA + " cascade");
        }
    }

    @Test
    void theExamplePassesAndLeavesTheDatabaseAsItWas() throws SQLException {
        System.setProperty("venomqa.db_options.schema", SCHEMA);

        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(ItemsApiTest.class)).execute()
                .testEvents();

        assertThat(tests.succeeded().stream().map(e -> e.getTestDescriptor().getDisplayName()))
                .containsExactlyInAnyOrder("main line", "add_another", "remove_it", "startsEmpty(Client)");
        assertThat(tests.failed().count()).isZero();
        try (Connection c = DriverManager.getConnection(JDBC_URL, "postgres", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*), (select last_value || ' ' || is_called from " + SCHEMA
                     + ".items_id_seq) from " + SCHEMA + ".items")) {
            rs.next();
            assertThat(rs.getInt(1)).as("rows left in items").isZero();
            assertThat(rs.getString(2)).as("the id sequence, untouched").isEqualTo("1 false");
        }
    }

    @Test
    void theReadmeShowsTheExampleVerbatim() throws IOException {
        java.nio.file.Path root = java.nio.file.Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("README.md"))) {
            root = root.getParent();
        }
        assertThat(root).as("README.md above the module").isNotNull();
        String readme = Files.readString(root.resolve("README.md"));
        java.nio.file.Path module = root.resolve("venomqa-examples/src/test");
        assertThat(readme).as("README.md shows ItemsApiTest verbatim")
                .contains(tagged(Files.readString(module.resolve("java/io/venomqa/examples/ItemsApiTest.java")), "items-api"));
        assertThat(readme).as("README.md shows items-api.yaml verbatim")
                .contains(tagged(Files.readString(module.resolve("resources/items-api.yaml")), "items-yaml"));
    }

    private static String tagged(String source, String tag) {
        Matcher m = Pattern.compile("(?://|#) tag::" + tag + "\\[]\\n(.*?)\\n\\s*(?://|#) end::" + tag + "\\[]", Pattern.DOTALL)
                .matcher(source);
        assertThat(m.find()).as("tag " + tag).isTrue();
        return m.group(1).stripIndent().strip();
    }
}
