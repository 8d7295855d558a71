package io.venomqa.explore;

import io.venomqa.context.ExecutionContext;
import io.venomqa.explore.internal.TableContents;
import io.venomqa.http.Client;
import io.venomqa.http.HttpExchange;
import io.venomqa.http.Response;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table-contents projection reads a large table again only when the database's fingerprint of
 * it changed (two large tables, so that each fingerprint must be its own table's), and is always
 * exactly what a full read gives (a new {@link TableContents}, which has
 * seen nothing, is the full read): after writes to another table, to the large table, a rollback,
 * and a row deleted and inserted again (same contents, another physical order). On MariaDB, which
 * has no fingerprint, every table is read, with the same result.
 */
class TableContentsProjectionTest {

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql", "mariadb"})
    void largeTablesAreReadAgainOnlyWhenTheirFingerprintChangesAndTheResultIsAFullRead(String backend) throws Exception {
        try (TestDb db = switch (backend) {
            case "sqlite" -> TestDb.sqlite();
            case "postgresql" -> TestDb.postgres();
            default -> TestDb.mariadb();
        }) {
            db.exec("create table big (id integer primary key, v varchar(20) not null)",
                    "create table also_big (id integer primary key, v varchar(20) not null)",
                    "create table small (id integer primary key, v varchar(20))",
                    "insert into small values (1, 'a'), (2, null)");
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                for (String table : List.of("big", "also_big")) {
                    StringBuilder sql = new StringBuilder("insert into " + table + " values ");
                    for (int i = 1; i <= 1200; i++) {
                        sql.append(i == 1 ? "" : ", ").append("(").append(i).append(", '").append(table).append(i).append("')");
                    }
                    st.execute(sql.toString());
                }
            }
            JdbcStateManager m = (JdbcStateManager) StateManagers.create(db.config().build());
            m.connect();
            try {
                Observation o = observing(m);
                TableContents p = new TableContents();
                Map<String, Object> start = p.capture(o);
                assertThat(start).isEqualTo(new TableContents().capture(o));
                assertThat((List<?>) start.get("big")).hasSize(1200);
                p.capture(o); // the first fingerprints of the two large tables: read once more, then cached
                long reads = p.largeReads();
                boolean fingerprints = !backend.equals("mariadb");
                assertThat(reads).isEqualTo(fingerprints ? 2 : 0);

                assertThat(p.capture(o)).isEqualTo(start);
                write(m, "update small set v = 'b' where id = 1");
                Map<String, Object> smallChanged = p.capture(o);
                assertThat(smallChanged).isEqualTo(new TableContents().capture(o)).isNotEqualTo(start);
                assertThat(p.largeReads()).as("big unchanged: taken from the cache").isEqualTo(reads);

                m.checkpoint("before_big");
                write(m, "update big set v = 'changed' where id = 600");
                Map<String, Object> bigChanged = p.capture(o);
                assertThat(bigChanged).isEqualTo(new TableContents().capture(o)).isNotEqualTo(smallChanged);
                assertThat(p.largeReads()).isEqualTo(fingerprints ? reads + 1 : 0);

                m.rollback("before_big");
                assertThat(p.capture(o)).isEqualTo(smallChanged).isEqualTo(new TableContents().capture(o));

                write(m, "delete from big where id = 5");
                write(m, "insert into big values (5, 'big5')");
                assertThat(p.capture(o)).as("same rows, another order on disk").isEqualTo(smallChanged)
                        .isEqualTo(new TableContents().capture(o));
            } finally {
                m.disconnect();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql", "mariadb"})
    void singlePrecisionValuesThatDifferBeyondSixDigitsAreTwoStates(String backend) throws Exception {
        try (TestDb db = switch (backend) {
            case "sqlite" -> TestDb.sqlite();
            case "postgresql" -> TestDb.postgres();
            default -> TestDb.mariadb();
        }) {
            db.exec("create table prices (id integer primary key, amount " + (backend.equals("postgresql") ? "real" : "float") + ")",
                    "insert into prices values (1, 12345.67)");
            JdbcStateManager m = (JdbcStateManager) StateManagers.create(db.config().build());
            m.connect();
            try {
                Observation o = observing(m);
                TableContents p = new TableContents();
                Map<String, Object> before = p.capture(o);
                write(m, "update prices set amount = 12345.68 where id = 1"); // MariaDB prints both as 12345.7
                Map<String, Object> after = p.capture(o);
                assertThat(after).isNotEqualTo(before).isEqualTo(new TableContents().capture(o));
                write(m, "update prices set amount = 12345.67 where id = 1");
                assertThat(p.capture(o)).isEqualTo(before);
            } finally {
                m.disconnect();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void rowsThatDifferOnlyInInvisibleColumnsAreTwoStates(String backend) throws Exception {
        try (TestDb db = backend.equals("h2") ? TestDb.h2() : TestDb.mariadb()) {
            db.exec("create table accounts (id int primary key, owner varchar(20), pin varchar(10) invisible, "
                            + (backend.equals("h2") ? "w real" : "w float") + " invisible)",
                    "insert into accounts (id, owner, pin, w) values (1, 'ann', '1111', 12345.67)");
            JdbcStateManager m = (JdbcStateManager) StateManagers.create(db.config().build());
            m.connect();
            try {
                Observation o = observing(m);
                TableContents p = new TableContents();
                Map<String, Object> before = p.capture(o);
                assertThat(before.toString()).contains("1111");
                write(m, "update accounts set pin = '2222' where id = 1"); // select * shows no difference
                Map<String, Object> after = p.capture(o);
                assertThat(after).isNotEqualTo(before).isEqualTo(new TableContents().capture(o));
                write(m, "update accounts set pin = '1111', w = 12345.68 where id = 1");
                assertThat(p.capture(o)).as("an invisible single-precision column is read exactly too").isNotEqualTo(before);
                write(m, "update accounts set w = 12345.67 where id = 1");
                assertThat(p.capture(o)).isEqualTo(before);
            } finally {
                m.disconnect();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql", "mariadb"})
    void rowsThatDifferAreNeverOneState(String backend) throws Exception {
        try (TestDb db = switch (backend) {
            case "sqlite" -> TestDb.sqlite();
            case "postgresql" -> TestDb.postgres();
            default -> TestDb.mariadb();
        }) {
            db.exec("create table notes (v varchar(20), w varchar(20))", "create table tags (v varchar(20))");
            if (backend.equals("sqlite")) {
                db.exec("create table loose (v)");
            }
            JdbcStateManager m = (JdbcStateManager) StateManagers.create(db.config().build());
            m.connect();
            try {
                Observation o = observing(m);
                TableContents p = new TableContents();
                m.checkpoint("empty");
                // Each pair: two contents an API can leave (a JSON null stored as the string 'null'; text holding the
                // characters that separate columns and rows in the projection's text), one state until 2026-12-06.
                List<List<String>> pairs = List.of(
                        List.of("insert into notes values (null, 'x')", "insert into notes values ('null', 'x')"),
                        List.of("insert into notes values ('a|w=b', 'c')", "insert into notes values ('a', 'b|w=c')"),
                        List.of("insert into tags values ('a, v=b')", "insert into tags values ('a'), ('b')"),
                        List.of("insert into notes values ('\\null', 'x')", "insert into notes values ('null', 'x')"),
                        List.of("insert into notes values ('1', 'x')", "insert into notes values ('''1''', 'x')"));
                if (backend.equals("sqlite")) {
                    // A column without a type keeps each value's own: the number 1 and the text '1' are two rows.
                    pairs = new java.util.ArrayList<>(pairs);
                    pairs.add(List.of("insert into loose values (1)", "insert into loose values ('1')"));
                    pairs.add(List.of("insert into loose values (2.5)", "insert into loose values ('2.5')"));
                    pairs.add(List.of("insert into loose values (x'01')", "insert into loose values ('0x01')"));
                }
                List<List<String>> oneState = new java.util.ArrayList<>();
                for (List<String> pair : pairs) {
                    List<String> ids = new java.util.ArrayList<>();
                    for (String sql : pair) {
                        write(m, sql);
                        ids.add(io.venomqa.explore.internal.Canonical.fingerprint(io.venomqa.explore.internal.Canonical.text(p.capture(o))));
                        m.rollback("empty");
                    }
                    if (ids.get(0).equals(ids.get(1))) {
                        oneState.add(pair);
                    }
                }
                assertThat(oneState).as("pairs of contents taken for one state").isEmpty();
            } finally {
                m.disconnect();
            }
        }
    }

    /**
     * The same rows read again, and read back after a rollback, are the same state: on PostgreSQL the driver
     * printed an array as it came (text) for its first reads and its own way (binary) once the read was prepared on
     * the server. And values the driver turns into another Java value are read as the server's text: on MariaDB a
     * {@code TINYINT(1)} holding 5 was {@code true} like 1, a {@code TIME} of -00:00:01 the time 00:00:01; on
     * PostgreSQL a {@code time} lost its fraction of a second, a {@code timetz} its offset.
     */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb", "h2"})
    void valuesTheDriverPrintsItsOwnWayAreOneStateAndTellDifferentValuesApart(String backend) throws Exception {
        try (TestDb db = switch (backend) {
            case "postgresql" -> TestDb.postgres();
            case "mariadb" -> TestDb.mariadb();
            default -> TestDb.h2();
        }) {
            // Per backend: the table, then writes each of which must reach another state than the start.
            List<String> others = switch (backend) {
                case "postgresql" -> {
                    db.exec("create table t (id int primary key, a int[], s text[], d time(6), z timetz)",
                            "insert into t values (1, '{1,NULL,3}', '{\"a,b\",NULL}', '00:00:01', '10:00:00+01')");
                    yield List.of("update t set a = '{1,2}'", "update t set d = '00:00:01.000001'", "update t set z = '09:00:00+00'");
                }
                case "mariadb" -> {
                    db.exec("create table t (id int primary key, b tinyint(1), d time(6))", "insert into t values (1, 1, '00:00:01')");
                    yield List.of("update t set b = 5", "update t set d = '-00:00:01'", "update t set d = '00:00:01.000001'");
                }
                default -> {
                    db.exec("create table t (id int primary key, d time(6))", "insert into t values (1, '00:00:01')");
                    yield List.of("update t set d = '00:00:01.000001'");
                }
            };
            JdbcStateManager m = (JdbcStateManager) StateManagers.create(db.config().build());
            m.connect();
            try {
                Observation o = observing(m);
                TableContents p = new TableContents();
                String start = io.venomqa.explore.internal.Canonical.text(p.capture(o));
                for (int i = 0; i < 8; i++) { // past the driver's prepareThreshold (5)
                    assertThat(io.venomqa.explore.internal.Canonical.text(p.capture(o))).as("read %d", i).isEqualTo(start);
                }
                m.checkpoint("start");
                for (String other : others) {
                    write(m, other);
                    assertThat(io.venomqa.explore.internal.Canonical.text(p.capture(o))).as(other).isNotEqualTo(start);
                    m.rollback("start");
                }
                assertThat(io.venomqa.explore.internal.Canonical.text(p.capture(o))).as("back at the start").isEqualTo(start)
                        .isEqualTo(io.venomqa.explore.internal.Canonical.text(new TableContents().capture(o)));
            } finally {
                m.disconnect();
            }
        }
    }

    /**
     * An {@code sql(...)} projection of a PostgreSQL table with arrays: the driver printed them as the server sent
     * them for a query's first runs and its own way from the fifth, once it received the results in binary; the
     * same rows read again, or after a rollback, were a new state until 2026-12-06.
     */
    @org.junit.jupiter.api.Test
    void anSqlProjectionOfArraysIsTheSameStateReadAgain() throws Exception {
        try (TestDb db = TestDb.postgres()) {
            db.exec("create table t (id int primary key, a int[], s text[], n numeric[])",
                    "insert into t values (1, '{1,NULL,3}', '{\"a,b\",NULL,\"\",\"NULL\"}', '{1.10,2}')");
            JdbcStateManager m = (JdbcStateManager) StateManagers.create(db.config().build());
            m.connect();
            try {
                Observation o = observingWithSql(m);
                StateProjection p = StateProjection.sql("select * from t order by id");
                String start = io.venomqa.explore.internal.Canonical.text(p.capture(o));
                for (int i = 0; i < 8; i++) { // past the driver's prepareThreshold (5)
                    assertThat(io.venomqa.explore.internal.Canonical.text(p.capture(o))).as("read %d", i).isEqualTo(start);
                }
                assertThat(start).contains("{\"a,b\",NULL,\"\",\"NULL\"}", "{\"1.10\",\"2\"}");
                m.checkpoint("start");
                write(m, "update t set s = '{\"a,b\",\"NULL\",\"\",NULL}'");
                assertThat(io.venomqa.explore.internal.Canonical.text(p.capture(o))).isNotEqualTo(start);
                m.rollback("start");
                assertThat(io.venomqa.explore.internal.Canonical.text(p.capture(o))).isEqualTo(start);
            } finally {
                m.disconnect();
            }
        }
    }

    /** {@link #observing} whose {@code db()} reads through the manager's guarded reader. */
    static Observation observingWithSql(JdbcStateManager m) {
        Observation base = observing(m);
        io.venomqa.state.SqlReader reader = m.sqlReader().orElseThrow();
        DatabaseView view = new DatabaseView() {
            @Override
            public boolean available() {
                return true;
            }

            @Override
            public List<Map<String, Object>> query(String sql, Object... params) {
                return reader.query(sql, List.of(params));
            }

            @Override
            public Object value(String sql, Object... params) {
                throw new UnsupportedOperationException("not used by these tests");
            }
        };
        return (Observation) java.lang.reflect.Proxy.newProxyInstance(Observation.class.getClassLoader(),
                new Class<?>[] {Observation.class}, (proxy, method, args) -> method.getName().equals("db") ? view
                        : method.invoke(base, args));
    }

    /** A write through the manager's transaction, as the application in this JVM makes it. */
    private static void write(JdbcStateManager m, String sql) throws Exception {
        try (Connection c = m.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** An observation of {@code m} alone (no client, no move), for projection tests. */
    static Observation observing(StateManager m) {
        return new Observation() {
            @Override
            public Client client() {
                return null;
            }

            @Override
            public ExecutionContext context() {
                return new ExecutionContext();
            }

            @Override
            public Optional<Move> lastMove() {
                return Optional.empty();
            }

            @Override
            public Optional<Object> lastResult() {
                return Optional.empty();
            }

            @Override
            public Optional<Response> lastResponse() {
                return Optional.empty();
            }

            @Override
            public List<HttpExchange> lastExchanges() {
                return List.of();
            }

            @Override
            public DatabaseView db() {
                return null;
            }

            @Override
            public StateManager stateManager() {
                return m;
            }

            @Override
            public int depth() {
                return 0;
            }
        };
    }
}
