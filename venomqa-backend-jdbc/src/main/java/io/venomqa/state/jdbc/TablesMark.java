package io.venomqa.state.jdbc;

import io.venomqa.state.jdbc.internal.ConnectionSession;
import io.venomqa.state.jdbc.internal.OtherWriters;

/**
 * The tracked tables' contents at one moment of a run, as {@link JdbcStateManager#markTables()} read
 * them, to hand back to {@link JdbcStateManager#requireTablesAsMarked} after a rollback. Opaque and
 * immutable; it holds one digest per table, never the rows. It belongs to the connection it was read
 * on: after a reconnect it can no longer be compared.
 */
public final class TablesMark {

    private final JdbcStateManager manager;
    private final ConnectionSession session;
    private final OtherWriters contents;

    TablesMark(JdbcStateManager manager, ConnectionSession session, OtherWriters contents) {
        this.manager = manager;
        this.session = session;
        this.contents = contents;
    }

    JdbcStateManager manager() {
        return manager;
    }

    ConnectionSession session() {
        return session;
    }

    OtherWriters contents() {
        return contents;
    }
}
