package io.venomqa.reliability;

import io.venomqa.config.VenomQAConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.UnsafeDatabaseException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The safety guard end to end: a {@code venomqa.yaml} read by {@link VenomQAConfig}, a real server,
 * {@code reset()} and journal installation.
 *
 * <p>How a "remote" database is reached honestly: the host {@code 0.0.0.0} connects to this machine
 * on Linux (so the real local server answers), but it is not a name the guard accepts as local
 * (localhost, 127.0.0.0/8, ::1). The guard looks at the URL, not at where it resolves, which is
 * exactly what a user's {@code db.staging.example.com} would meet.
 */
class GuardEndToEndTest {

    private static final String REMOTE = "0.0.0.0";
    private TestDb db;

    @AfterEach
    void drop() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    private TestDb open(String backend) throws SQLException {
        db = backend.equals("postgresql") ? TestDb.postgres() : TestDb.mysql();
        db.exec("create table items (id int primary key, name varchar(20))", "insert into items values (1, 'kept')");
        return db;
    }

    private StateManager manager(String extraYaml) {
        String yaml = "db_url: " + db.url(REMOTE) + "\n"
                + (db.backend().equals("postgresql") ? "schema: " + db.name + "\n" : "")
                + extraYaml;
        return VenomQAConfig.loader().environment(Map.of()).parse(yaml).createStateManager();
    }

    private List<String> items() throws SQLException {
        return db.rows("select id, name from items order by id");
    }

    private long venomqaTriggers() throws SQLException {
        String q = db.backend().equals("postgresql")
                ? "select count(*) as n from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on "
                + "n.oid = c.relnamespace where n.nspname = '" + db.name + "' and not t.tgisinternal"
                : "select count(*) as n from information_schema.triggers where event_object_schema = '" + db.name + "'";
        return Long.parseLong(db.rows(q).get(0).substring(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mysql"})
    @DisplayName("reset() on a non-local host is refused by default, says how to allow it, and changes nothing")
    void resetRefusedByDefault(String backend) throws SQLException {
        open(backend);
        try (StateManager m = manager("")) {
            m.connect();
            m.checkpoint("kept");
            assertThatThrownBy(m::reset)
                    .isInstanceOf(UnsafeDatabaseException.class)
                    .hasMessageContaining("Refusing to reset")
                    .hasMessageContaining("host '0.0.0.0' is not local")
                    .hasMessageContaining("allow_remote: true")
                    .hasMessageContaining("allowed_hosts: [0.0.0.0]");
            assertThat(m.activeCheckpoints()).containsExactly("kept");
        }
        assertThat(items()).containsExactly("id=1|name=kept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"allowed_hosts: [0.0.0.0]", "allow_remote: true", "db_options:\n  allowed_hosts: 0.0.0.0"})
    @DisplayName("allowed_hosts or allow_remote in venomqa.yaml lets reset() through (PostgreSQL)")
    void allowedThroughYaml(String allow) throws SQLException {
        open("postgresql");
        try (StateManager m = manager(allow + "\n")) {
            m.connect();
            m.reset();
        }
        assertThat(items()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mysql"})
    @DisplayName("environment: production refuses reset() even on 127.0.0.1 with allow_remote: true")
    void productionRefusesAlways(String backend) throws SQLException {
        open(backend);
        String yaml = "db_url: " + db.url() + "\n" + (backend.equals("postgresql") ? "schema: " + db.name + "\n" : "")
                + "allow_remote: true\ndb_options:\n  environment: production\n";
        try (StateManager m = VenomQAConfig.loader().environment(Map.of()).parse(yaml).createStateManager()) {
            m.connect();
            assertThatThrownBy(m::reset).isInstanceOf(UnsafeDatabaseException.class)
                    .hasMessageContaining("environment is 'production'");
        }
        assertThat(items()).containsExactly("id=1|name=kept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mysql"})
    @DisplayName("checkpoint_strategy: journal on a non-local host: connect() is refused before any trigger or table is installed")
    void journalRefused(String backend) throws SQLException {
        open(backend);
        // The database is shared: another run's journal may have made VenomQA's schema already.
        List<String> schemasBefore = backend.equals("postgresql")
                ? db.rows("select nspname from pg_namespace where nspname like 'venomqa%'") : List.of();
        StateManager m = manager("checkpoint_strategy: journal\n");
        assertThatThrownBy(m::connect).isInstanceOf(UnsafeDatabaseException.class)
                .hasMessageContaining("install journal triggers")
                .hasMessageContaining("allowed_hosts: [0.0.0.0]");
        assertThat(m.isConnected()).isFalse();
        assertThat(venomqaTriggers()).isZero();
        if (backend.equals("postgresql")) {
            assertThat(db.rows("select nspname from pg_namespace where nspname like 'venomqa%'")).isEqualTo(schemasBefore);
            if (!schemasBefore.isEmpty()) {
                assertThat(db.rows("select count(*) as n from venomqa.runs where schema_name = '" + db.name + "'"))
                        .containsExactly("n=0");
            }
        } else {
            assertThat(db.rows("select table_name from information_schema.tables where table_schema = '" + db.name
                    + "' and table_name like 'venomqa%'")).isEmpty();
        }
        try (StateManager allowed = manager("checkpoint_strategy: journal\nallowed_hosts: [0.0.0.0]\n")) {
            allowed.connect();
            assertThat(venomqaTriggers()).as("allowed: the journal is installed").isPositive();
        }
        assertThat(venomqaTriggers()).isZero();
        assertThat(items()).containsExactly("id=1|name=kept");
    }
}
