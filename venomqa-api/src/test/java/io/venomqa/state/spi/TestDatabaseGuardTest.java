package io.venomqa.state.spi;

import io.venomqa.state.StateConfig;
import io.venomqa.state.TestProviders;
import io.venomqa.state.UnsafeDatabaseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestDatabaseGuardTest {

    private static final Map<String, String> NO_ENV = Map.of();

    private static void check(StateConfig c, Map<String, String> env) {
        TestDatabaseGuard.check(c, "reset", env::get);
    }

    private static StateConfig url(String url) {
        return StateConfig.builder().url(url).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "postgresql://qa:pw@localhost:5432/qa", "postgresql://127.0.0.1/qa", "jdbc:postgresql://127.0.3.4:5432/x",
            "mysql://root@[::1]:3306/db", "jdbc:mariadb://localhost/db", "postgresql:///qa", "jdbc:postgresql:///qa",
            "sqlite:/tmp/x.db", "jdbc:sqlite::memory:",
            "jdbc:h2:mem:test", "jdbc:h2:./target/db", "memory://shop", "jdbc:postgresql://localhost:5432,127.0.0.1:5433/x"})
    void localAndEmbeddedDatabasesAreAllowed(String u) {
        assertThatCode(() -> check(url(u), NO_ENV)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "postgresql://qa:pw@db.prod.example.com:5432/shop", "jdbc:mysql://10.0.0.5:3306/db", "jdbc:h2:tcp://dbhost/~/test",
            "jdbc:postgresql://localhost:5432,db.prod.example.com:5432/x", "mysql://[2001:db8::1]:3306/db",
            // the backends hand the driver the authority's host, not a libpq-style host=/socket parameter
            "postgresql://qa@somewhere/qa?host=/var/run/postgresql"})
    void otherHostsAreRefusedWithTheWayToAllowThem(String u) {
        assertThatThrownBy(() -> check(url(u), NO_ENV))
                .isInstanceOf(UnsafeDatabaseException.class)
                .hasMessageStartingWith("Refusing to reset ")
                .hasMessageContaining("is not local")
                .hasMessageContaining("'allow_remote: true' or 'allowed_hosts: [")
                .hasMessageNotContaining(":pw@");
    }

    @Test
    void theMessageNamesHostAndMasksPassword() {
        assertThatThrownBy(() -> check(url("postgresql://qa:pw@db.prod.example.com:5432/shop"), NO_ENV))
                .hasMessage("Refusing to reset postgresql://qa:***@db.prod.example.com:5432/shop: host 'db.prod.example.com'"
                        + " is not local. VenomQA empties tables and rolls back data only on databases that are clearly"
                        + " for tests. If this is a test database, allow it in venomqa.yaml with 'allow_remote: true' or"
                        + " 'allowed_hosts: [db.prod.example.com]'.");
    }

    @Test
    void allowRemoteAndAllowedHostsOpenTheDoor() {
        String remote = "postgresql://qa@db.staging.example.com/qa";
        assertThatCode(() -> check(StateConfig.builder().url(remote).option("allow_remote", true).build(), NO_ENV))
                .doesNotThrowAnyException();
        assertThatCode(() -> check(StateConfig.builder().url(remote)
                .option("allowed_hosts", List.of("DB.staging.example.com")).build(), NO_ENV)).doesNotThrowAnyException();
        assertThatThrownBy(() -> check(StateConfig.builder().url(remote)
                .option("allowed_hosts", List.of("other.example.com")).build(), NO_ENV))
                .isInstanceOf(UnsafeDatabaseException.class);
    }

    @Test
    void productionRefusesAlwaysEvenLocallyAndWithAllowRemote() {
        StateConfig local = StateConfig.builder().url("postgresql://localhost/qa").option("allow_remote", true).build();
        assertThatThrownBy(() -> check(local, Map.of("VENOMQA_ENV", "Production")))
                .isInstanceOf(UnsafeDatabaseException.class)
                .hasMessageContaining("the environment is 'Production'")
                .hasMessageContaining("never empties or journals a production database");
        assertThatThrownBy(() -> check(StateConfig.builder().url("sqlite:/tmp/x").option("environment", "production").build(), NO_ENV))
                .isInstanceOf(UnsafeDatabaseException.class);
        assertThatCode(() -> check(local, Map.of("VENOMQA_ENV", "test"))).doesNotThrowAnyException();
    }

    @Test
    void unreadableUrlsCountAsRemote() {
        assertThatThrownBy(() -> check(url("weird-url-without-host"), NO_ENV))
                .hasMessageContaining("its host cannot be read from the URL");
    }

    @Test
    void resetOfEveryBackendPassesTheGuard() {
        TestProviders.RecordingStateManager m = new TestProviders.RecordingStateManager(
                url("postgresql://qa@db.prod.example.com/qa"));
        m.connect();
        m.checkpoint("kept");
        assertThatThrownBy(m::reset).isInstanceOf(UnsafeDatabaseException.class);
        assertThat(m.activeCheckpoints()).as("a refused reset changes nothing").containsExactly("kept");
        // The manager remembers a pass, never a refusal.
        assertThatThrownBy(m::reset).as("refused again").isInstanceOf(UnsafeDatabaseException.class);
        assertThat(m.activeCheckpoints()).containsExactly("kept");

        TestProviders.RecordingStateManager local = new TestProviders.RecordingStateManager(url("postgresql://localhost/qa"));
        local.connect();
        local.checkpoint("a");
        local.reset();
        local.checkpoint("b");
        local.reset();
        assertThat(local.activeCheckpoints()).as("each reset passed and cleared the stack").isEmpty();
    }

    // ---- issue 12: "use a separate test database" — the database-name rule --------------------

    @ParameterizedTest
    @ValueSource(strings = {
            "postgresql://dev:dev@localhost:5432/dev_db", // the seed's own bad example
            "postgresql://localhost/shop_production", "mysql://root@127.0.0.1/app_dev", "jdbc:postgresql://localhost/live",
            "jdbc:mysql://localhost:3306/staging", "sqlite:/srv/app/db/development.sqlite3", "jdbc:sqlite:/srv/prod.db"})
    void namesThatLookLikeDevelopmentOrProductionAreRefusedOnLocalHostsToo(String u) {
        assertThatThrownBy(() -> check(url(u), NO_ENV))
                .isInstanceOf(UnsafeDatabaseException.class)
                .hasMessageStartingWith("Refusing to reset ")
                .hasMessageContaining("looks like a")
                .hasMessageContaining("allowed_databases: [");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql://localhost/dev_test", "postgresql://localhost/qa_staging", "postgresql://localhost/test",
            "postgresql://localhost/devices", "postgresql://localhost/product_catalog_test", "jdbc:h2:mem:dev", "memory://prod"})
    void testWordsInMemoryDatabasesAndWordsThatOnlyContainDevArePassed(String u) {
        assertThatCode(() -> check(url(u), NO_ENV)).doesNotThrowAnyException();
    }

    @Test
    void allowedDatabasesAllowsByNameOrPatternAndThenRefusesEveryOtherName() {
        StateConfig dev = StateConfig.builder().url("postgresql://localhost/dev_db")
                .option(TestDatabaseGuard.ALLOWED_DATABASES, List.of("dev_db")).build();
        assertThatCode(() -> check(dev, NO_ENV)).doesNotThrowAnyException();
        StateConfig pattern = StateConfig.builder().url("postgresql://localhost/SHOP_DEV")
                .option(TestDatabaseGuard.ALLOWED_DATABASES, List.of("*_dev")).build();
        assertThatCode(() -> check(pattern, NO_ENV)).doesNotThrowAnyException();
        StateConfig other = StateConfig.builder().url("postgresql://localhost/qa_test")
                .option(TestDatabaseGuard.ALLOWED_DATABASES, List.of("*_dev")).build();
        assertThatThrownBy(() -> check(other, NO_ENV)).isInstanceOf(UnsafeDatabaseException.class)
                .hasMessageContaining("database 'qa_test' is not in 'allowed_databases: [*_dev]'");
        StateConfig remote = StateConfig.builder().url("postgresql://db.example.com/dev_db")
                .option(TestDatabaseGuard.ALLOW_REMOTE, true).build();
        assertThatThrownBy(() -> check(remote, NO_ENV)).as("allow_remote does not lift the name rule")
                .isInstanceOf(UnsafeDatabaseException.class).hasMessageContaining("looks like a development database");
    }

    @ParameterizedTest
    @ValueSource(strings = {"props:/tmp/x", "props:///tmp/x", "props:x.properties", "myfiles:C:/data/store"})
    void aCustomFileBackendsUrlWithOrWithoutSlashesIsLocal(String u) {
        // issue 12: props:/tmp/x was refused ("its host cannot be read") while props:///tmp/x passed
        assertThatCode(() -> check(url(u), NO_ENV)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"props:/srv/prod.properties", "props:///srv/prod.properties", "props:prod.properties"})
    void aCustomFileBackendsProductionNameIsRefusedByItsFileName(String u) {
        // the README's rule: the last path segment without its extension (until 2026-12-05 the first and last
        // forms were never checked, and the second was read as "srv/prod.properties")
        assertThatThrownBy(() -> check(url(u), NO_ENV)).isInstanceOf(UnsafeDatabaseException.class)
                .hasMessageContaining("looks like a production").hasMessageContaining("allowed_databases: [prod]");
        assertThat(TestDatabaseGuard.databaseNameOf(u)).isEqualTo("prod");
        assertThat(TestDatabaseGuard.databaseNameOf("postgresql:///shop_test")).isEqualTo("shop_test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"props://fileserver/tmp/x", "jdbc:oracle:thin:@db.example.com:1521:orcl",
            "db.prod.example.com:5432/shop", "dbhost:5432/shop"})
    void aCustomBackendsHostIsStillChecked(String u) {
        assertThatThrownBy(() -> check(url(u), NO_ENV)).isInstanceOf(UnsafeDatabaseException.class);
    }
}
