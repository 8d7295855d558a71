package io.venomqa.state.journal;

import io.venomqa.state.RollbackException;
import io.venomqa.state.StateManager;

/**
 * The check of the schema-drift catalogues ({@link PostgresJournalSchemaDriftTest} and its siblings): after the
 * application's DDL, {@code rollback()} to the run's checkpoint and {@code disconnect()} either fail loudly or leave
 * the database as {@code connect()} found it; and a rollback that reports success is not followed by a
 * {@code disconnect()} that finds the run's change.
 */
final class SchemaDrift {

    /** What the test compares once {@code disconnect()} reported success. */
    interface AsFound {
        void check() throws Exception;
    }

    private interface Call {
        void run() throws Exception;
    }

    private SchemaDrift() {
    }

    /**
     * @param rollbackMayPass whether this statement's change is one rollbacks let pass by design and only
     *                        {@code disconnect()} names (PostgreSQL's added enum label, which cannot be dropped)
     */
    static void loudOrAsFound(StateManager m, String checkpoint, String ddl, boolean rollbackMayPass, AsFound asFound)
            throws Exception {
        String rollback = outcome(() -> m.rollback(checkpoint));
        String disconnect = outcome(m::disconnect);
        // One line per statement in the test's output: which way each call went, and why when it refused.
        System.out.println("DDL " + ddl + "\n  rollback: " + rollback + "\n  disconnect: " + disconnect);
        if (disconnect == null) {
            asFound.check();
        }
        if (rollback == null && disconnect != null && !rollbackMayPass) {
            throw new AssertionError("the rollback reported success, disconnect() then found the run's change: the "
                    + "rollback should have been refused (" + disconnect + ")");
        }
    }

    /** Null when the call succeeded, else the message of the {@link RollbackException} it failed with. */
    private static String outcome(Call call) throws Exception {
        try {
            call.run();
            return null;
        } catch (RollbackException e) {
            return e.getMessage();
        }
    }
}
