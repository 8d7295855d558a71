package io.venomqa.spring.internal;

import io.venomqa.state.CheckpointNames;
import io.venomqa.state.StateManager;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.jdbc.TablesMark;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Taking and giving back the checkpoints of {@code @VenomQASpringTest}: one per test class (taken by
 * the JUnit extension) and one per test method (taken by {@link io.venomqa.spring.VenomQATestExecutionListener}). Not API.
 */
public final class Checkpoints {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Checkpoints() {
    }

    /** A checkpoint taken for a class or a method, and for a class the tables as they were at it. */
    public record Held(ManagedDatabase db, String checkpoint, TablesMark mark) {
    }

    /**
     * Takes a checkpoint named after {@code prefix} and {@code name} (unique in the run); a class's
     * ({@code markTables}) also marks the tables, to compare after its rollback.
     */
    public static Held take(ManagedDatabase db, String prefix, String name, boolean markTables) {
        String full = prefix + COUNTER.incrementAndGet() + "-" + name;
        String checkpoint = full.length() > CheckpointNames.MAX_LENGTH ? full.substring(0, CheckpointNames.MAX_LENGTH) : full;
        StateManager m = db.manager();
        m.checkpoint(checkpoint);
        TablesMark mark = null;
        if (markTables && m instanceof JdbcStateManager jdbc) {
            try {
                mark = jdbc.markTables().orElse(null);
            } catch (RuntimeException e) {
                m.rollback(checkpoint);
                m.release(checkpoint);
                throw e;
            }
        }
        return new Held(db, checkpoint, mark);
    }

    /**
     * Rolls back to {@code held} and releases it; for a class, then fails when rows committed around the
     * wrapped DataSource survived. {@code after} names what ran ("test method x()"), {@code testClass} the class.
     */
    public static void giveBack(Held held, String after, String testClass) {
        StateManager m = held.db().manager();
        if (!m.hasCheckpoint(held.checkpoint())) {
            throw new IllegalStateException("VenomQA could not roll back after " + after
                    + ": its checkpoint '" + held.checkpoint() + "' is no longer active (active: " + m.activeCheckpoints()
                    + "). Did the test call reset(), release it, or roll back past it? Later tests may see this one's data.");
        }
        m.rollback(held.checkpoint());
        m.release(held.checkpoint());
        if (held.mark() != null && m instanceof JdbcStateManager jdbc) {
            // Rows committed around the wrapped DataSource (a second DataSource bean, a client with connections
            // of its own) survive the rollback: the class that left them fails, instead of a warning at exit.
            jdbc.requireTablesAsMarked(held.mark(), "test class " + testClass);
        }
    }
}
