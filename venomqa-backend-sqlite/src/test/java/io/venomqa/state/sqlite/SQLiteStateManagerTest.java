package io.venomqa.state.sqlite;

import io.venomqa.state.StateConfig;
import io.venomqa.state.StateConnectionException;
import io.venomqa.state.StateManagers;
import io.venomqa.testsupport.Stderr;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SQLite specifics: URL forms, in-memory databases, options, discovery. */
class SQLiteStateManagerTest {

    private final SQLiteDialect dialect = new SQLiteDialect();

    private String jdbc(String url) {
        return dialect.toJdbcUrl(url);
    }

    @Test
    @DisplayName("SQLAlchemy-style URLs: three slashes relative, four absolute, :memory:, jdbc: kept")
    void urlForms() {
        assertThat(jdbc("sqlite:///qa.db")).isEqualTo("jdbc:sqlite:qa.db");
        assertThat(jdbc("sqlite:///data/qa.db")).isEqualTo("jdbc:sqlite:" + Path.of("data/qa.db"));
        assertThat(jdbc("sqlite:////tmp/qa.db")).isEqualTo("jdbc:sqlite:/tmp/qa.db");
        assertThat(jdbc("sqlite:qa.db")).isEqualTo("jdbc:sqlite:qa.db");
        assertThat(jdbc("sqlite::memory:")).isEqualTo("jdbc:sqlite::memory:");
        assertThat(jdbc("sqlite:///:memory:")).isEqualTo("jdbc:sqlite::memory:");
        assertThat(jdbc("sqlite://:memory:")).isEqualTo("jdbc:sqlite::memory:");
        assertThat(jdbc("sqlite://")).isEqualTo("jdbc:sqlite::memory:");
        assertThat(jdbc("jdbc:sqlite:/x/y.db")).isEqualTo("jdbc:sqlite:/x/y.db");
        assertThat(jdbc("sqlite:///my%20qa.db")).isEqualTo("jdbc:sqlite:my qa.db");
        assertThat(jdbc("sqlite:///qa.db?pool_size=10&journal_mode=WAL")).isEqualTo("jdbc:sqlite:qa.db?journal_mode=WAL");
        assertThatThrownBy(() -> jdbc("sqlite://somehost/qa.db")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no host");
        assertThatThrownBy(() -> new SQLiteStateManager("postgresql://u@h/db")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a SQLite URL");
    }

    @Test
    @DisplayName("timeout is the busy timeout; foreign_keys sets the pragma")
    void options() {
        var spec = dialect.connectionSpec(StateConfig.builder().url("sqlite::memory:").option("timeout", "250ms")
                .option("foreign_keys", "on").build(), Duration.ofSeconds(30));
        assertThat(spec.properties().getProperty("busy_timeout")).isEqualTo("250");
        assertThat(spec.properties().getProperty("foreign_keys")).isEqualTo("true");
        assertThat(dialect.connectionSpec(StateConfig.builder().url("sqlite::memory:").build(), Duration.ofSeconds(1))
                .properties().getProperty("busy_timeout")).isEqualTo("5000");
    }

    @Test
    @DisplayName("an application table named with VenomQA's prefix is left out as before, and a warning says so once, naming it; VenomQA's own names are not warned about")
    void lookalikeTableIsNamed(@org.junit.jupiter.api.io.TempDir Path dir) throws SQLException {
        String url = "sqlite:///" + dir.resolve("app.db");
        try (Connection c = java.sql.DriverManager.getConnection(dialect.toJdbcUrl(url)); Statement st = c.createStatement()) {
            st.execute("create table VenomQA_Orders (id integer primary key)");
            st.execute("create table venomqa_run (x integer)");
            st.execute("create table notes (id integer primary key)");
            st.execute("insert into VenomQA_Orders values (1)");
            st.execute("insert into notes values (1)");
        }
        String log = Stderr.during(() -> {
            try (SQLiteStateManager m = new SQLiteStateManager(url)) {
                m.connect();
                m.reset();
                m.reset();
                assertThat(m.countRows("VenomQA_Orders")).as("left out of the reset, as the warning says").isEqualTo(1);
                assertThat(m.countRows("notes")).isZero();
            }
        });
        assertThat(log).contains("WARN").contains("Table 'VenomQA_Orders'").contains("never reset, and the journal strategy never rolls it back")
                .contains("Rename the table").doesNotContain("Table 'venomqa_run'");
        assertThat(log.split("Table 'VenomQA_Orders'", -1)).as("said once").hasSize(2);
    }

    @Test
    @DisplayName("a view whose table is gone (SQLite keeps it; reading it fails) is left out of the introspection: connect() and reset() work on the tables")
    void invalidViewDoesNotKeepConnectFromWorking(@org.junit.jupiter.api.io.TempDir Path dir) throws SQLException {
        String url = "sqlite:///" + dir.resolve("app.db");
        try (Connection c = java.sql.DriverManager.getConnection(dialect.toJdbcUrl(url)); Statement st = c.createStatement()) {
            st.execute("create table gone (id integer primary key)");
            st.execute("create view broken_view as select id from gone");
            st.execute("drop table gone");
            st.execute("create table notes (id integer primary key)");
            st.execute("insert into notes values (1)");
        }
        try (SQLiteStateManager m = new SQLiteStateManager(url)) {
            m.connect();
            assertThat(m.trackedTables().stream().map(io.venomqa.state.jdbc.spi.TableInfo::name)).containsExactly("notes");
            m.reset();
            assertThat(m.countRows("notes")).isZero();
        }
    }

    @Test
    @DisplayName("reset() does not fire the application's DELETE triggers: an audit table written on delete stays empty, and the triggers are the same afterwards")
    void resetLeavesApplicationTriggersSilent(@org.junit.jupiter.api.io.TempDir Path dir) throws SQLException {
        String url = "sqlite:///" + dir.resolve("app.db");
        try (Connection c = java.sql.DriverManager.getConnection(dialect.toJdbcUrl(url)); Statement st = c.createStatement()) {
            st.execute("create table notes (id integer primary key, body text)");
            st.execute("create table audit (n integer primary key, what text)");
            st.execute("create trigger app_delete after delete on notes begin insert into audit(what) values ('deleted ' || old.id); end");
            st.execute("insert into notes values (1, 'one'), (2, 'two')");
        }
        try (SQLiteStateManager m = new SQLiteStateManager(url)) {
            m.connect();
            java.util.List<java.util.Map<String, Object>> triggers = m.queryRows("select name, sql from sqlite_master where type = 'trigger'");
            m.reset();
            assertThat(m.countRows("notes")).isZero();
            assertThat(m.countRows("audit")).as("the trigger did not write during the reset").isZero();
            assertThat(m.queryRows("select name, sql from sqlite_master where type = 'trigger'")).isEqualTo(triggers);
            try (Connection c = m.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("insert into notes values (3, 'three')");
                st.executeUpdate("delete from notes where id = 3");
            }
            assertThat(m.countRows("audit")).as("and still fires for the application").isEqualTo(1);
        }
    }

    @Test
    @DisplayName("an in-memory database works through the manager's connection and its shared DataSource")
    void inMemory() throws SQLException {
        try (SQLiteStateManager m = new SQLiteStateManager("sqlite::memory:")) {
            m.connect();
            try (Connection c = m.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("create table t (id integer primary key autoincrement, v text)");
            }
            m.refreshSchema();
            m.reset();
            try (Connection c = m.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("insert into t (v) values ('a')");
            }
            m.checkpoint("one");
            try (Connection c = m.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("insert into t (v) values ('b')");
            }
            assertThat(m.countRows("t")).isEqualTo(2);
            m.rollback("one");
            assertThat(m.queryRows("select id, v from t")).singleElement()
                    .satisfies(r -> assertThat(r).containsEntry("v", "a").containsEntry("id", 1));
        }
    }

    @Test
    @DisplayName("resets one after another (the emptiness query kept prepared) empty every table and restart counters, also after the schema changed")
    void repeatedResetsStayExact() throws SQLException {
        try (SQLiteStateManager m = new SQLiteStateManager("sqlite::memory:")) {
            m.connect();
            app(m, "create table u (code text primary key)");
            m.refreshSchema();
            app(m, "insert into u values ('a')");
            m.reset(); // prepared while there was no AUTOINCREMENT table, so no sqlite_sequence
            assertThat(m.countRows("u")).isZero();
            app(m, "insert into u values ('b')");
            m.reset(); // the same prepared query, new rows
            assertThat(m.countRows("u")).isZero();

            app(m, "create table t (id integer primary key autoincrement, v text)", "insert into t (v) values ('x'), ('y')",
                    "insert into u values ('c')");
            m.refreshSchema(); // closes the old query; the new one reads sqlite_sequence
            m.reset();
            assertThat(m.countRows("t")).isZero();
            assertThat(m.countRows("u")).isZero();
            app(m, "insert into t (v) values ('z')");
            assertThat(m.queryRows("select id from t")).singleElement().satisfies(r -> assertThat(r).containsEntry("id", 1));

            app(m, "delete from t"); // empty, but its counter moved
            m.reset();
            app(m, "insert into t (v) values ('again')");
            assertThat(m.queryRows("select id from t")).singleElement().satisfies(r -> assertThat(r).containsEntry("id", 1));
        }
    }

    private static void app(SQLiteStateManager m, String... sql) throws SQLException {
        try (Connection c = m.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    @Test
    @DisplayName("a database file in a missing directory: the path and what to check")
    void unopenableFile() {
        SQLiteStateManager m = new SQLiteStateManager("sqlite:////no/such/dir/qa.db");
        assertThatThrownBy(m::connect).isInstanceOf(StateConnectionException.class)
                .hasMessageContaining("sqlite:////no/such/dir/qa.db")
                .hasMessageContaining("directory of the database file exists");
    }

    @Test
    @DisplayName("found by db_backend and by URL")
    void discovery() {
        assertThat(StateManagers.fromUrl("sqlite:///x.db")).isInstanceOf(SQLiteStateManager.class);
        assertThat(StateManagers.fromUrl("jdbc:sqlite:x.db")).isInstanceOf(SQLiteStateManager.class);
        assertThat(StateManagers.create(StateConfig.builder().backend("sqlite3").url("sqlite::memory:").build()))
                .isInstanceOf(SQLiteStateManager.class);
    }

    @Test
    @DisplayName("pool settings in db_url (native or jdbc:) are warned about once, at WARN, saying what to do instead")
    void poolSettingsAreWarnedAboutOnce(@org.junit.jupiter.api.io.TempDir Path dir) {
        String log = Stderr.during(() -> {
            String nativeUrl = "sqlite:///" + dir.resolve("pool.db") + "?pool_size=10";
            new SQLiteStateManager(nativeUrl);
            new SQLiteStateManager(nativeUrl); // once per JVM, not per manager
            new SQLiteStateManager("jdbc:sqlite:" + dir.resolve("pool.db") + "?maximumPoolSize=5");
        });
        assertThat(log.split("db_url parameter 'pool_size' is ignored", -1)).as(log).hasSize(2);
        assertThat(log).contains("WARN").contains("db_url parameter 'maximumPoolSize' is ignored")
                .contains("Remove it from db_url; size the API's own pool in the API's configuration");
    }
}
