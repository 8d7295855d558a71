package io.venomqa.state.journal;

import io.venomqa.state.StateManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TRUNCATE fires no trigger; the MySQL/MariaDB journal notices one by InnoDB's table ids, which only a
 * user holding the global PROCESS privilege may read. Without it, {@code connect()} says that a TRUNCATE
 * of the tracked tables would go unnoticed and what to do; with it, nothing is said.
 */
class MySqlJournalWithoutProcessTest {

    @Test
    @DisplayName("without PROCESS, connect() warns that a TRUNCATE cannot be detected and says to grant it")
    void withoutProcessConnectSaysSo() throws Exception {
        try (MyUsersDb db = new MyUsersDb()) {
            db.exec("create table items (id int auto_increment primary key, name varchar(20)) engine=InnoDB",
                    "insert into items (name) values ('a'), ('b')");

            String log = connectAndDisconnect(db.manager());

            assertThat(log).contains("A TRUNCATE of the tracked tables cannot be detected")
                    .contains("lacks the PROCESS privilege").contains("GRANT PROCESS ON *.*");
        }
    }

    @Test
    @DisplayName("with PROCESS (root), connect() says nothing about TRUNCATE")
    void withProcessNothingIsSaid() throws Exception {
        try (MyDb db = new MyDb()) {
            db.exec("create table items (id int auto_increment primary key, name varchar(20)) engine=InnoDB",
                    "insert into items (name) values ('a'), ('b')");

            String log = connectAndDisconnect(db.manager());

            assertThat(log).contains("Journal installed").doesNotContain("PROCESS").doesNotContain("cannot be detected");
        }
    }

    private static String connectAndDisconnect(StateManager m) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            m.connect();
        } finally {
            System.setErr(err);
        }
        m.disconnect();
        return captured.toString(StandardCharsets.UTF_8);
    }
}
