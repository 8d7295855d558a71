package io.venomqa.state.postgres;

import io.venomqa.state.StateConfig;
import io.venomqa.state.StateConnectionException;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import io.venomqa.core.VenomQAException;
import io.venomqa.state.jdbc.spi.ConnectionSpec;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PostgreSQL specifics: lost connections, URL forms, connection errors, schema option, sequences. */
class PostgreSQLStateManagerTest {

    private static PostgresTestDatabase db;
    private final List<StateManager> managers = new ArrayList<>();

    @BeforeAll
    static void createSchema() {
        db = new PostgresTestDatabase();
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void createTable() throws SQLException {
        admin("drop table if exists items", "create table items (id serial primary key, name text not null)");
    }

    @Test
    @DisplayName("check queries and multi-table reads go in one round trip, undo what they wrote, and a failing one leaves the run's transaction usable")
    void readsInOneRoundTrip() throws SQLException {
        admin("insert into items (name) values ('a'), ('b')");
        PostgreSQLStateManager m = manager(db.config());
        m.connect();
        m.checkpoint("start");
        var reader = m.sqlReader().orElseThrow();
        assertThat(reader.query("select name from items where id = ? -- a trailing comment", List.of(2)))
                .extracting(r -> r.get("name")).containsExactly("b");
        assertThat(m.queryRowsEach(List.of("select count(*) as n from items;", "select max(id) as m from items")))
                .extracting(rows -> rows.get(0).values().iterator().next()).containsExactly(2L, 2);
        assertThatThrownBy(() -> reader.query("select * from no_such_table", List.of()))
                .hasMessageContaining("no_such_table");
        assertThatThrownBy(() -> m.queryRowsEach(List.of("select 1", "select * from no_such_table")))
                .hasMessageContaining("no_such_table");
        assertThatThrownBy(() -> reader.query("update items set name = 'changed by a check'", List.of()))
                .hasMessageContaining("No results were returned");
        assertThatThrownBy(() -> reader.query("select 1; select 2", List.of()))
                .hasMessageContaining("Multiple ResultSets");
        // The transaction survived every failure, and nothing a check wrote is left.
        assertThat(m.queryRows("select name from items order by id")).extracting(r -> r.get("name"))
                .containsExactly("a", "b");
        shared(m, "insert into items (name) values ('c')");
        m.rollback("start");
        assertThat(m.queryRows("select count(*) as n from items")).extracting(r -> r.get("n")).containsExactly(2L);
    }

    private static void shared(PostgreSQLStateManager m, String sql) throws SQLException {
        try (Connection c = m.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @AfterEach
    void disconnect() {
        managers.forEach(StateManager::disconnect);
    }

    private PostgreSQLStateManager manager(StateConfig.Builder config) {
        PostgreSQLStateManager m = new PostgreSQLStateManager(config.build());
        managers.add(m);
        return m;
    }

    private static void admin(String... sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private static List<String> committedNames() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select name from items order by id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** The items sequence's position, as {@code last_value:is_called}. */
    private static String counter() throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select last_value || ':' || is_called from " + db.schema + ".items_id_seq")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void insert(JdbcStateManager m, String name) throws SQLException {
        try (Connection c = m.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("insert into items (name) values ('" + name + "')");
        }
    }

    @Test
    @DisplayName("a connection killed server-side: the next call says the checkpoints are lost; disconnect still works")
    void killedConnection() throws Exception {
        admin("insert into items (name) values ('committed')");
        String counterAtConnect = counter();
        PostgreSQLStateManager m = manager(db.config());
        m.connect();
        insert(m, "uncommitted");
        m.checkpoint("before-kill");
        Object pid = m.queryRows("select pg_backend_pid() as pid").get(0).get("pid");
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("select pg_terminate_backend(" + pid + ")");
        }

        assertThatThrownBy(() -> m.rollback("before-kill"))
                .isInstanceOf(StateConnectionException.class)
                .hasMessageContaining("was lost")
                .hasMessageContaining("[before-kill]")
                .hasMessageContaining("disconnect()")
                .hasMessageContaining("connect() again");
        assertThat(m.activeCheckpoints()).isEmpty();
        assertThatThrownBy(() -> m.checkpoint("again")).isInstanceOf(StateConnectionException.class)
                .hasMessageContaining("was lost");
        assertThatThrownBy(() -> m.sharedDataSource().getConnection()).isInstanceOf(SQLException.class)
                .hasMessageContaining("was lost");

        m.disconnect();
        assertThat(m.isConnected()).isFalse();
        assertThat(committedNames()).containsExactly("committed");
        // The server rolled the row back; the sequence it moved was put back on a new connection.
        assertThat(counter()).isEqualTo(counterAtConnect);

        m.connect(); // a new session works
        m.checkpoint("before-kill");
        assertThat(m.countRows("items")).isEqualTo(1);
    }

    @Test
    @DisplayName("connection refused: masked URL and the checklist, never the password")
    void connectionRefused() {
        PostgreSQLStateManager m = manager(StateConfig.builder()
                .url("postgresql://qa:s3cr%40t-pw@127.0.0.1:1/qa_test?pool_size=10").option("connection_timeout", "5s"));
        assertThatThrownBy(m::connect)
                .isInstanceOf(StateConnectionException.class)
                .hasMessageContaining("postgresql://qa:***@127.0.0.1:1/qa_test")
                .hasMessageContaining("server is running")
                .hasMessageContaining("host and port")
                .hasMessageContaining("password")
                .satisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain("s3cr");
                    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain("s3cr");
                    }
                });
        assertThat(m.isConnected()).isFalse();
        assertThat(m.toString()).doesNotContain("s3cr");
    }

    @Test
    @DisplayName("URL forms: postgres://, jdbc:postgresql: and unknown parameters such as pool_size")
    void urlForms() throws SQLException {
        String base = db.url.replaceFirst("^postgresql://", "postgres://");
        PostgreSQLStateManager m = manager(db.config().url(base + (base.contains("?") ? "&" : "?")
                + "pool_size=10&sslmode=disable"));
        m.connect();
        insert(m, "via-postgres-scheme");
        assertThat(m.countRows("items")).isEqualTo(1);
        m.disconnect();

        ConnectionSpec spec = new PostgreSQLDialect().connectionSpec(db.config().build(), Duration.ofSeconds(3));
        String jdbc = spec.jdbcUrl();
        PostgreSQLStateManager viaJdbc = manager(db.config().url(jdbc)
                .option("user", spec.properties().getProperty("user")));
        viaJdbc.connect();
        assertThat(viaJdbc.schemaName()).isEqualTo(db.schema);
        assertThat(viaJdbc.countRows("items")).isZero();
    }

    @Test
    @DisplayName("the connection checklist's psql hint is a URL psql reads, without the password, whatever form db_url has")
    void psqlHint() {
        for (String url : List.of("jdbc:postgresql://127.0.0.1:5432/nq?user=bob&password=s3cret",
                "postgresql://bob:s3cret@127.0.0.1:5432/nq", "postgres://bob:s3cret@127.0.0.1/nq")) {
            String checklist = new PostgreSQLDialect().connectionChecklist(new PostgreSQLDialect().connectionSpec(
                    StateConfig.builder().url(url).build(), Duration.ofSeconds(1)));
            assertThat(checklist).as(url).contains("(try: psql \"postgresql://bob@127.0.0.1:5432/nq\").")
                    .doesNotContain("s3cret").doesNotContain("***");
        }
    }

    @Test
    @DisplayName("percent-encoded passwords are decoded, and options user/password win over the URL")
    void credentials() {
        ConnectionSpec spec = new PostgreSQLDialect().connectionSpec(StateConfig.builder()
                .url("postgresql://qa:p%40ss%2Fw%3Ard+x@db.example:6543/qa%20test?pool_size=10&sslmode=require")
                .build(), Duration.ofSeconds(7));
        assertThat(spec.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/qa%20test?sslmode=require");
        assertThat(spec.properties().getProperty("user")).isEqualTo("qa");
        assertThat(spec.properties().getProperty("password")).isEqualTo("p@ss/w:rd+x");
        assertThat(spec.properties().getProperty("connectTimeout")).isEqualTo("7");
        assertThat(spec.displayUrl()).isEqualTo("postgresql://qa:***@db.example:6543/qa%20test?pool_size=10&sslmode=require");
        assertThat(spec.toString()).doesNotContain("p%40ss").doesNotContain("p@ss");

        ConnectionSpec fromOptions = new PostgreSQLDialect().connectionSpec(StateConfig.builder()
                .url("postgresql://localhost/qa").option("user", "app").option("password", "pw").build(), Duration.ofSeconds(1));
        assertThat(fromOptions.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/qa");
        assertThat(fromOptions.properties().getProperty("user")).isEqualTo("app");
        assertThat(fromOptions.properties().getProperty("password")).isEqualTo("pw");

        assertThatThrownBy(() -> new PostgreSQLStateManager("mysql://root@localhost/db"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a PostgreSQL URL");
    }

    @Test
    @DisplayName("db_backend: postgress with this backend on the class path suggests 'postgresql'")
    void backendNameTypo() {
        assertThatThrownBy(() -> StateManagers.create(StateConfig.builder().backend("postgress").url(db.url).build()))
                .isInstanceOf(io.venomqa.state.BackendNotFoundException.class)
                .hasMessageStartingWith("Unknown db_backend 'postgress'. Available: ")
                .hasMessageContaining("postgresql (venomqa-backend-postgres)")
                .hasMessageEndingWith(" Did you mean 'postgresql'?");
    }

    @Test
    @DisplayName("a schema that does not exist is named, with the schemas that do")
    void missingSchema() {
        PostgreSQLStateManager m = manager(db.config().option("schema", "no_such_schema_here"));
        assertThatThrownBy(m::connect).isInstanceOf(StateConnectionException.class)
                .hasMessageContaining("'no_such_schema_here' does not exist")
                .hasMessageContaining(db.schema);
    }

    @Test
    @DisplayName("disconnect puts sequences back as connect found them")
    void disconnectRestoresSequences() throws SQLException {
        PostgreSQLStateManager m = manager(db.config());
        m.connect();
        insert(m, "a");
        insert(m, "b");
        m.disconnect();
        admin("insert into items (name) values ('first-committed')");
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select id from items")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("reset skips empty tables cheaply but still restarts the sequence of an empty table")
    void resetOfEmptyTableWithAdvancedSequence() throws SQLException {
        admin("create table if not exists plain (code text primary key)",
                "insert into items (name) values ('a'), ('b')", "delete from items");
        PostgreSQLStateManager m = manager(db.config());
        m.connect();
        assertThat(m.schema().table("items").orElseThrow().identityColumns()).containsExactly("id");
        m.reset();
        insert(m, "after-reset");
        assertThat(m.queryRows("select id from items").get(0).get("id")).isEqualTo(1);
        m.disconnect();
        admin("drop table plain");
    }

    @Test
    @DisplayName("reset() empties a table whose rows row-level security hides from VenomQA's role (forced on the owner) instead of skipping it as empty")
    void resetUnderRowLevelSecurity() throws SQLException {
        String role = "vqrls_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String schema = db.schema + "_rls";
        admin("create role " + role + " login nosuperuser", "create schema " + schema + " authorization " + role,
                "create table " + schema + ".secret (id int primary key, tenant text not null)",
                "insert into " + schema + ".secret values (1, 'a'), (2, 'b')",
                "alter table " + schema + ".secret owner to " + role,
                "alter table " + schema + ".secret enable row level security",
                "alter table " + schema + ".secret force row level security",
                "create policy nobody on " + schema + ".secret using (tenant = 'nobody')");
        try {
            assertThat(db.url).startsWith("postgresql://postgres@"); // the role below replaces the superuser
            PostgreSQLStateManager m = manager(db.config().url(db.url.replace("://postgres@", "://" + role + "@"))
                    .option("schema", schema));
            m.connect();
            m.reset();
            m.disconnect();
            try (Connection c = db.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select count(*) from " + schema + ".secret")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        } finally {
            admin("drop schema if exists " + schema + " cascade", "drop role " + role);
        }
    }

    @Test
    @DisplayName("check_other_writers: a column named like the digest's row alias (venomqa_digest_row) does not stand in for the whole row; another connection's change to another column fails disconnect()")
    void columnNamedLikeTheDigestAlias() throws SQLException {
        admin("create table digested (id int primary key, venomqa_digest_row int, v text)",
                "insert into digested values (1, 0, 'a')");
        try {
            PostgreSQLStateManager m = manager(db.config());
            m.connect();
            admin("update digested set v = 'changed by another process'"); // committed, not through the manager
            assertThatThrownBy(m::disconnect).isInstanceOf(io.venomqa.state.RollbackException.class)
                    .hasMessageContaining("table digested (1 ").hasMessageContaining("1 now) differs");
        } finally {
            admin("drop table digested");
        }
    }

    @Test
    @DisplayName("reset(): rows an application's trigger ON TRUNCATE writes into a table the reset emptied are part of what the reset left, not another writer's at disconnect()")
    void resetWithTruncateTrigger() throws SQLException {
        String log = db.schema + ".truncations";
        admin("create table " + log + " (id serial primary key, what text not null)",
                "insert into " + log + " (what) values ('before the reset')",
                "insert into items (name) values ('a')",
                "create function " + db.schema + ".note_truncate() returns trigger language plpgsql as $$ begin "
                        + "insert into " + log + " (what) values (tg_table_name); return null; end $$",
                // fires after the TRUNCATE of items and truncations both: its row is in a table the reset emptied
                "create trigger items_truncated after truncate on items for each statement execute function "
                        + db.schema + ".note_truncate()");
        try {
            PostgreSQLStateManager m = manager(db.config());
            m.connect();
            m.reset();
            assertThat(m.queryRows("select what from " + log)).extracting(r -> r.get("what")).containsExactly("items");
            m.disconnect(); // quiet: the trigger's row was there when the reset committed
            try (Connection c = db.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select what from " + log)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("items");
                assertThat(rs.next()).isFalse();
            }
            assertThat(committedNames()).isEmpty();
        } finally {
            admin("drop table if exists items", "drop table " + log, "drop function " + db.schema + ".note_truncate()");
        }
    }

    @Test
    @DisplayName("reset(): an inheritance child exclude_tables keeps is not emptied with its parent; a partitioned table with a partition left out is refused, nothing emptied")
    void resetKeepsExcludedChildren() throws SQLException {
        String s = db.schema;
        admin("create table " + s + ".city (id int, name text)",
                "create table " + s + ".capital (state text) inherits (" + s + ".city)",
                "insert into " + s + ".city values (1, 'a')", "insert into " + s + ".capital values (2, 'b', 's')",
                "create table " + s + ".ev (id int, region text) partition by list (region)",
                "create table " + s + ".ev_eu partition of " + s + ".ev for values in ('eu')",
                "create table " + s + ".ev_archive partition of " + s + ".ev default",
                "insert into " + s + ".ev values (1, 'eu'), (2, 'old')");
        try {
            PostgreSQLStateManager kept = manager(db.config().excludeTables(List.of("capital")));
            kept.connect();
            kept.reset();
            assertThat(kept.queryRows("select id, name from only " + s + ".city")).isEmpty();
            assertThat(kept.queryRows("select id, state from " + s + ".capital")).extracting(r -> r.get("state")).containsExactly("s");
            assertThat(kept.queryRows("select id from " + s + ".ev")).isEmpty(); // the whole tree is in the plan
            kept.disconnect(); // quiet: the parent's rows read through its child are the child's, kept

            admin("insert into " + s + ".ev values (1, 'eu'), (2, 'old')", "insert into " + s + ".city values (1, 'a')");
            PostgreSQLStateManager refused = manager(db.config().excludeTables(List.of("ev_archive")));
            refused.connect();
            assertThatThrownBy(refused::reset).hasMessageContaining("partitioned table(s) ev")
                    .hasMessageContaining("ev_archive").hasMessageContaining("nothing was emptied");
            assertThat(refused.queryRows("select id from " + s + ".ev order by id")).extracting(r -> r.get("id"))
                    .containsExactly(1, 2);
            assertThat(refused.queryRows("select id from " + s + ".city order by id")).extracting(r -> r.get("id"))
                    .containsExactly(1, 2);
            refused.disconnect();
        } finally {
            for (StateManager m : managers) { // a failed assertion leaves a transaction open, which the drops would wait for
                try {
                    m.disconnect();
                } catch (RuntimeException e) {
                    // the assertion's failure is the one to report
                }
            }
            managers.clear();
            admin("drop table if exists " + s + ".capital", "drop table if exists " + s + ".city", "drop table if exists " + s + ".ev");
        }
    }

    @Test
    @DisplayName("db_url's currentSchema is the schema tracked when the option 'schema' is not set (both URL forms); one that names another schema than the option is refused")
    void currentSchemaOfTheUrl() throws SQLException {
        admin("insert into items (name) values ('committed')");
        String uri = db.url + (db.url.contains("?") ? "&" : "?") + "currentSchema=" + db.schema + ",public";
        for (String url : List.of(uri, db.jdbcUrl("currentSchema=" + db.schema))) {
            PostgreSQLStateManager m = manager(StateConfig.builder().backend("postgresql").url(url).option("allow_remote", true));
            m.connect();
            m.checkpoint("start");
            insert(m, "written in the run");
            assertThat(m.countRows("items")).isEqualTo(2);
            m.rollback("start");
            assertThat(m.resetPlan().toString()).contains("items");
            m.disconnect();
            assertThat(committedNames()).containsExactly("committed");
        }
        PostgreSQLStateManager other = manager(StateConfig.builder().backend("postgresql").url(uri).option("schema", "public")
                .option("allow_remote", true));
        assertThatThrownBy(other::connect).hasMessageContaining("currentSchema=" + db.schema)
                .hasMessageContaining("option 'schema' is 'public'");
        PostgreSQLStateManager missing = manager(StateConfig.builder().backend("postgresql")
                .url(db.url + (db.url.contains("?") ? "&" : "?") + "currentSchema=no_such_schema_here").option("allow_remote", true));
        assertThatThrownBy(missing::connect).hasMessageContaining("currentSchema=no_such_schema_here")
                .hasMessageContaining("no schema of it exists");
    }

    @Test
    @DisplayName("a failing query of the manager does not abort its transaction")
    void failingQueryKeepsTransaction() throws SQLException {
        PostgreSQLStateManager m = manager(db.config());
        m.connect();
        insert(m, "kept");
        m.checkpoint("cp");
        assertThatThrownBy(() -> m.queryRows("select 1/0")).isInstanceOf(VenomQAException.class)
                .hasMessageContaining("division by zero");
        insert(m, "more");
        m.rollback("cp");
        assertThat(m.countRows("items")).isEqualTo(1);
    }

    @Test
    @DisplayName("queryRowsEach: each query's rows in the order given, uncommitted rows seen; a failing query fails the call and keeps the transaction")
    void queryRowsEach() throws SQLException {
        PostgreSQLStateManager m = manager(db.config());
        m.connect();
        insert(m, "first");
        m.checkpoint("cp");
        insert(m, "second");
        List<List<Map<String, Object>>> all = m.queryRowsEach(List.of("select name from items order by id",
                "select count(*) as n from items", "select name from items where false"));
        assertThat(all).hasSize(3);
        assertThat(all.get(0)).extracting(r -> r.get("name")).containsExactly("first", "second");
        assertThat(all.get(1).get(0).get("n")).isEqualTo(2L);
        assertThat(all.get(2)).isEmpty();
        assertThatThrownBy(() -> m.queryRowsEach(List.of("select name from items", "select 1/0")))
                .isInstanceOf(VenomQAException.class).hasMessageContaining("division by zero");
        insert(m, "third");
        assertThat(m.countRows("items")).isEqualTo(3);
        m.rollback("cp");
        assertThat(m.countRows("items")).isEqualTo(1);
        m.disconnect();
    }

    @Test
    @DisplayName("shared connection, manual commit: a failed statement left unhandled makes commit() roll the unit back, the run goes on")
    void sharedConnectionAbortedUnit() throws SQLException {
        PostgreSQLStateManager m = manager(db.config());
        m.connect();
        insert(m, "before");
        m.checkpoint("cp");
        try (Connection c = m.sharedDataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("insert into items (name) values ('in-failed-unit')");
                assertThatThrownBy(() -> st.executeUpdate("insert into items (name) values (null)"))
                        .isInstanceOf(SQLException.class);
            }
            assertThatThrownBy(c::commit).isInstanceOf(SQLException.class)
                    .hasMessageContaining("could not be committed and was rolled back");
            try (Statement st = c.createStatement()) {
                st.executeUpdate("insert into items (name) values ('next-unit')");
            }
            c.commit();
        }
        assertThat(m.queryRows("select name from items order by id")).extracting(r -> r.get("name"))
                .containsExactly("before", "next-unit");
        m.rollback("cp");
        assertThat(m.queryRows("select name from items order by id")).extracting(r -> r.get("name"))
                .containsExactly("before");
        assertThat(committedNames()).isEmpty();
    }

    @Test
    @DisplayName("found by db_backend, its alias and the URL scheme")
    void discovery() {
        assertThat(StateManagers.fromUrl("postgres://u@localhost/x")).isInstanceOf(PostgreSQLStateManager.class);
        assertThat(StateManagers.fromUrl("jdbc:postgresql://localhost/x")).isInstanceOf(PostgreSQLStateManager.class);
        assertThat(StateManagers.create(StateConfig.builder().backend("postgres").url("postgresql://u@h/x").build()))
                .isInstanceOf(PostgreSQLStateManager.class);
        assertThat(StateManagers.available()).anySatisfy(b -> {
            assertThat(b.name()).isEqualTo("postgresql");
            assertThat(b.artifact()).isEqualTo("io.venomqa:venomqa-backend-postgres");
        });
    }
}
