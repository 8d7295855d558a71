package io.venomqa.state.journal.internal;

import java.sql.SQLException;

/**
 * An undo refused because the application committed changes to journaled tables while it ran (MySQL/MariaDB,
 * where nothing keeps the application's writes out during the undo): its transaction was rolled back and
 * nothing changed. Its message says what happened, not what to do: that depends on the call (a rollback can
 * be tried again, {@code disconnect()} cannot), so the journal adds it.
 */
final class CommittedDuringUndo extends SQLException {

    private static final long serialVersionUID = 1L;

    CommittedDuringUndo(String message) {
        super(message);
    }
}
