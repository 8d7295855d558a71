package io.venomqa.state.journal;

import io.venomqa.state.CheckpointTree;
import io.venomqa.state.StateManager;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exactness cycle of many journal tests: the application's change after a checkpoint, then every way
 * back required to give the database exactly as it was (full dumps compared): a tree restore to the
 * checkpoint and back to the changed state, a rollback to the checkpoint, and a second change undone by
 * {@code disconnect()}.
 */
final class UndoneEveryWay {

    /** Values rotated between rows across statements under a unique {@code email} (rows 1–4 of {@code u}: a, b, c, z). */
    static final String ROTATE_UNIQUE_EMAILS = "update u set email = 'tmp' where id = 1; update u set email = 'a' where id = 2; "
            + "update u set email = 'b' where id = 3; update u set email = 'c' where id = 1; update u set n = n + 1; "
            + "update u set email = 'tmp2' where id = 2; update u set email = 'a' where id = 3; "
            + "update u set email = 'b' where id = 2; delete from u where id = 4; insert into u values (5, 'z', 0);";

    /** SQL run by the application (another process). */
    interface Application {
        void run(String sql) throws SQLException;
    }

    /** The whole database as text, compared entry by entry. */
    interface Dump {
        List<String> get() throws SQLException;
    }

    /** What the test checks while the change is in place. */
    interface Check {
        void run() throws SQLException;
    }

    private UndoneEveryWay() {
    }

    /** Runs the cycle on connected manager {@code m}; it is disconnected at the end. */
    static void check(StateManager m, Dump dump, Application app, String change, Check whileChanged, String changeAgain)
            throws SQLException {
        CheckpointTree tree = m.checkpointTree().orElseThrow();
        List<String> before = dump.get();
        m.checkpoint("start");
        app.run(change);
        whileChanged.run();
        List<String> after = dump.get();
        m.checkpoint("after");
        tree.restore("start");
        assertThat(dump.get()).as("after a tree restore to the checkpoint").isEqualTo(before);
        tree.restore("after");
        assertThat(dump.get()).as("after a tree restore to the changed state").isEqualTo(after);
        m.rollback("start");
        assertThat(dump.get()).as("after a rollback to the checkpoint").isEqualTo(before);
        app.run(changeAgain);
        m.disconnect();
        assertThat(dump.get()).as("after disconnect()").isEqualTo(before);
    }
}
