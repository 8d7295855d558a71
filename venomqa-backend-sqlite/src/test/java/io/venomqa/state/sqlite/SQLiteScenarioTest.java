package io.venomqa.state.sqlite;

import io.venomqa.state.ResetException;
import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.jdbc.SqlBackendScenarioTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared SQL scenarios on a temporary SQLite file with foreign keys enforced. */
class SQLiteScenarioTest extends SqlBackendScenarioTest {

    private static Path dir;
    private static Path file;

    @BeforeAll
    static void createFile() throws IOException {
        dir = Files.createDirectories(Path.of("target", "sqlite-tests"));
        file = dir.resolve("scenario-" + UUID.randomUUID() + ".db").toAbsolutePath();
    }

    @AfterAll
    static void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    @Override
    protected StateConfig.Builder baseConfig() {
        // four slashes: an absolute path, in SQLAlchemy's spelling
        return StateConfig.builder().backend("sqlite").url("sqlite:///" + file).option("foreign_keys", true);
    }

    @Override
    protected Connection openAdminConnection() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        c.createStatement().execute("pragma busy_timeout = 5000");
        return c;
    }

    @Override
    protected String identityColumn() {
        return "id integer primary key autoincrement";
    }

    @Override
    protected boolean otherConnectionsCommitDuringARun() {
        return false; // the savepoint strategy holds the write lock from connect to disconnect
    }

    @Override
    protected boolean supportsCallableStatements() {
        return false; // "SQLite does not support Stored Procedures"
    }

    @Test
    @DisplayName("without PRAGMA foreign_keys an excluded child does not stop the reset of its parent")
    void foreignKeysOffFollowsThePragma() throws SQLException {
        admin("create table audit_log (id integer primary key, customer_id integer references customers(id))",
                "insert into customers (name) values ('ann')", "insert into audit_log (customer_id) values (1)");
        JdbcStateManager off = manager(baseConfig().option("foreign_keys", false).excludeTables(List.of("audit_log")));
        off.connect();
        off.reset();
        off.disconnect();
        assertThat(committed("customers", "name")).isEmpty();
        assertThat(committed("audit_log", "id")).containsExactly("1");

        JdbcStateManager on = manager(baseConfig().excludeTables(List.of("audit_log")));
        on.connect();
        assertThatThrownBy(on::reset).isInstanceOf(ResetException.class).hasMessageContaining("audit_log");
    }

    /** No table digest: the write lock held from connect keeps other writers out. */
    @Override
    protected boolean marksTablesDuringARun() {
        return false;
    }
}
