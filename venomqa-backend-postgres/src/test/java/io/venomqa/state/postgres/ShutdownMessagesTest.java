package io.venomqa.state.postgres;

import io.venomqa.testsupport.ChildJvm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the shutdown hook prints for an owner that keeps its manager open until the JVM exits by design
 * (a Spring test context): an exit with no test under way is not reported as a run interrupted, which
 * every IDE run of a Spring test class printed until 2026-12-05; one during a test still is.
 */
class ShutdownMessagesTest {

    private static PostgresTestDatabase db;

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

    @Test
    @DisplayName("an owner open until exit, idle: 'exiting with … still open', then the database put back")
    void idleOwnerAtExit() throws Exception {
        ChildJvm.Finished r = ChildJvm.run(List.of(), ExitWithManagerOpenChild.class.getName(), 60, db.url, db.schema, "false");
        assertThat(r.output()).contains("exiting")
                .contains("venomqa: the JVM is exiting with the Spring application context of com.example.ShopTest still open "
                        + "(no test running); putting the database back")
                .doesNotContain("during a run")
                .containsPattern("venomqa: database put back as found and disconnected \\(PostgreSQLStateManager\\[.*, connected=false\\]");
    }

    @Test
    @DisplayName("the same owner in the middle of a test: reported as a run interrupted, as before")
    void busyOwnerAtExit() throws Exception {
        ChildJvm.Finished r = ChildJvm.run(List.of(), ExitWithManagerOpenChild.class.getName(), 60, db.url, db.schema, "true");
        assertThat(r.output()).contains("venomqa: the JVM is shutting down during a run of the Spring application context "
                + "of com.example.ShopTest; putting the database back")
                .contains("venomqa: database put back as found and disconnected");
    }
}
