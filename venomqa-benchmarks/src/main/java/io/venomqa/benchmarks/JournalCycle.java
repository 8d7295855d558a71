package io.venomqa.benchmarks;

import io.venomqa.state.jdbc.JdbcStateManager;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The journal's cycle rows 20 and 21 measure, and the scale they print beside it (the same application write
 * without VenomQA), on a database the row has filled with its tables: the journal manager (for the VenomQA side
 * only) and the application's auto-commit connection. Shared so that the two rows time the same work.
 */
final class JournalCycle implements AutoCloseable {

    private final JdbcStateManager manager;
    private final Connection app;
    private final PreparedStatement insert;
    private final PreparedStatement delete;

    /**
     * Connects a journal manager to {@code db} when {@code journaled} (the VenomQA side), and opens the application's
     * connection with its {@code INSERT} into {@code table} (an auto-numbered {@code id} and a {@code name}) and the
     * {@code DELETE} of a row of it.
     */
    JournalCycle(Db db, boolean journaled, String table) throws SQLException {
        if (journaled) {
            manager = db.manager(db.config().option("checkpoint_strategy", "journal").build());
            manager.connect();
        } else {
            manager = null;
        }
        app = db.open();
        insert = app.prepareStatement("insert into " + table + " (name) values ('row')", new String[] {"id"});
        delete = app.prepareStatement("delete from " + table + " where id = ?");
    }

    /** {@code checkpoint}, the application's auto-commit insert on its own connection, {@code rollback}, {@code release}. */
    int venomqa() throws SQLException {
        manager.checkpoint("before_insert");
        int inserted = insert.executeUpdate();
        manager.rollback("before_insert");
        manager.release("before_insert");
        return inserted;
    }

    /** The same insert, then the delete of the row it made, both auto-commit. */
    int baseline() throws SQLException {
        int inserted = insert.executeUpdate();
        try (var keys = insert.getGeneratedKeys()) {
            keys.next();
            delete.setLong(1, keys.getLong(1));
        }
        return inserted + delete.executeUpdate();
    }

    @Override
    public void close() throws SQLException {
        app.close();
        if (manager != null) {
            manager.disconnect();
        }
    }
}
