package io.venomqa.benchmarks;

import io.venomqa.state.jdbc.JdbcStateManager;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The journal's cycle rows 20 and 21 measure, and the scale they print beside it: the same application write
 * without VenomQA. Shared so that the two rows time the same work.
 */
final class JournalCycle {

    private JournalCycle() {
    }

    /** {@code checkpoint}, the application's auto-commit {@code insert} on its own connection, {@code rollback}, {@code release}. */
    static int venomqa(JdbcStateManager manager, PreparedStatement insert) throws SQLException {
        manager.checkpoint("before_insert");
        int inserted = insert.executeUpdate();
        manager.rollback("before_insert");
        manager.release("before_insert");
        return inserted;
    }

    /** The same {@code insert} (prepared to return its generated id), then {@code delete} of that id, both auto-commit. */
    static int baseline(PreparedStatement insert, PreparedStatement delete) throws SQLException {
        int inserted = insert.executeUpdate();
        try (var keys = insert.getGeneratedKeys()) {
            keys.next();
            delete.setLong(1, keys.getLong(1));
        }
        return inserted + delete.executeUpdate();
    }
}
