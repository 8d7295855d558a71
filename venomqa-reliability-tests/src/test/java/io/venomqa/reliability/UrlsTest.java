package io.venomqa.reliability;

import io.venomqa.config.VenomQAConfig;
import io.venomqa.state.BackendNotFoundException;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateConnectionException;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad {@code db_url}s: malformed, a scheme no backend takes, an unknown host, a wrong port, a wrong
 * password, and a URL of another backend than {@code db_backend}. Each fails with an error saying
 * what is wrong and what to do, the password masked, and the database untouched. Connection refused
 * on PostgreSQL is also in {@code PostgreSQLStateManagerTest.connectionRefused}; URL parsing in
 * {@code DatabaseUrlTest}; backend lookup in {@code StateManagersTest}.
 *
 * <p>A wrong password on PostgreSQL cannot be tested on these servers: pg_hba trusts 127.0.0.1 and
 * the Unix socket, so the server never asks for one. MariaDB checks passwords, so it is tested there.
 */
class UrlsTest {

    private TestDb db;

    @AfterEach
    void drop() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    private static StateManager create(String backend, String url) {
        StateConfig.Builder b = StateConfig.builder().url(url).option("connection_timeout", "5s");
        if (backend != null && !backend.isEmpty()) {
            b.backend(backend);
        }
        return StateManagers.create(b.build());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '#', value = {
            "postgresql://qa:pw1234@[::1/test|IPv6 host without its closing ']'",
            "postgresql://qa:pw1234@127.0.0.1:notaport/test|has a port that is not a number: 'notaport'",
            // MySQL URLs are read by the same parser (once left to the driver, which failed only at connect())
            "mysql://root:pw1234@127.0.0.1:x1/test|has a port that is not a number: 'x1'",
            "mariadb://root:pw1234@[::1/test|IPv6 host without its closing ']'"})
    @DisplayName("malformed URLs are refused when the manager is built, naming the problem, password masked")
    void malformed(String url, String expected) {
        assertThatThrownBy(() -> create(null, url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected).hasMessageNotContaining("pw1234");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"http://127.0.0.1:5432/test", "ftp://db/x", "not a url", "postgress://127.0.0.1/test"})
    @DisplayName("a scheme no backend takes: the error lists the backends and the URL forms they take")
    void wrongScheme(String url) {
        assertThatThrownBy(() -> create(null, url)).isInstanceOf(BackendNotFoundException.class)
                .hasMessageContaining("Cannot tell the backend from db_url")
                .hasMessageContaining("Set db_backend (one of h2, memory, mysql, postgresql, sqlite)")
                .hasMessageContaining("postgresql://, mysql://");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"mysql, postgresql://postgres@127.0.0.1:5432/test, postgresql",
            "postgresql, mysql://root@127.0.0.1:3306/test, mysql", "sqlite, jdbc:postgresql://127.0.0.1/test, postgresql",
            "postgresql, jdbc:h2:mem:x, h2", "memory, sqlite:///tmp/x.db, sqlite"})
    @DisplayName("a URL of another backend than db_backend says: both named, and how to fix it")
    void backendMismatch(String backend, String url, String actual) {
        assertThatThrownBy(() -> create(backend, url)).isInstanceOf(BackendNotFoundException.class)
                .hasMessageContaining("db_backend '" + backend + "' does not match db_url")
                .hasMessageContaining("which is a " + actual + " URL")
                .hasMessageContaining("Change db_backend to '" + actual + "'");
    }

    @Test
    @DisplayName("the same mismatch through venomqa.yaml")
    void backendMismatchThroughYaml() {
        VenomQAConfig config = VenomQAConfig.loader().environment(Map.of())
                .parse("db_backend: mysql\ndb_url: postgresql://qa:pw1234@127.0.0.1:5432/test\n");
        assertThatThrownBy(config::createStateManager).isInstanceOf(BackendNotFoundException.class)
                .hasMessageContaining("db_backend 'mysql' does not match").hasMessageNotContaining("pw1234");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "postgresql://postgres:pw1234@no-such-host.invalid:5432/test|PostgreSQL",
            "mysql://root:pw1234@no-such-host.invalid:3306/test|MySQL/MariaDB"})
    @DisplayName("unknown host: a StateConnectionException naming the host, masked URL and the checklist")
    void unknownHost(String url, String name) {
        StateManager m = create(null, url);
        assertThatThrownBy(m::connect).isInstanceOf(StateConnectionException.class)
                .hasMessageContaining("Could not connect to " + name + " at ")
                .hasMessageContaining(":***@no-such-host.invalid")
                .hasMessageContaining("unknown host: no-such-host.invalid")
                .hasMessageContaining("host and port in the URL are right")
                .satisfies(e -> assertNoPassword(e, "pw1234"));
        assertThat(m.isConnected()).isFalse();
    }

    @Test
    @DisplayName("wrong port (MariaDB): connection refused with the masked URL and the checklist")
    void wrongPort() {
        StateManager m = create(null, "mysql://root:pw1234@127.0.0.1:1/test");
        assertThatThrownBy(m::connect).isInstanceOf(StateConnectionException.class)
                .hasMessageContaining("mysql://root:***@127.0.0.1:1/test")
                .hasMessageContaining("server is running")
                .satisfies(e -> assertNoPassword(e, "pw1234"));
    }

    @Test
    @DisplayName("wrong password (MariaDB, a user created with a password): access denied, masked, nothing changed")
    void wrongPassword() throws Exception {
        db = TestDb.mysql();
        db.exec("create table canary (id int primary key)", "insert into canary values (1)");
        String user = "vqr_" + UUID.randomUUID().toString().substring(0, 8);
        db.exec("create user '" + user + "'@'%' identified by 'RightPw77'",
                "grant all on `" + db.name + "`.* to '" + user + "'@'%'");
        try {
            StateManager m = create(null, "mysql://" + user + ":WrongPw88@127.0.0.1:3306/" + db.name);
            assertThatThrownBy(m::connect).isInstanceOf(StateConnectionException.class)
                    .hasMessageContaining("Access denied for user '" + user + "'")
                    .hasMessageContaining(user + ":***@127.0.0.1:3306")
                    .hasMessageContaining("the user name and password are right")
                    .satisfies(e -> assertNoPassword(e, "WrongPw88"));
            try (StateManager right = create(null, "mysql://" + user + ":RightPw77@127.0.0.1:3306/" + db.name)) {
                right.connect();
                right.reset();
            }
            assertThat(db.rows("select count(*) as n from canary")).as("the right password works").containsExactly("n=0");
        } finally {
            db.exec("drop user '" + user + "'@'%'");
        }
    }

    private static void assertNoPassword(Throwable e, String password) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(password);
        }
    }
}
