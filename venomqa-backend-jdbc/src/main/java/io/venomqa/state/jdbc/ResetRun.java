package io.venomqa.state.jdbc;

import io.venomqa.core.VenomQAException;
import io.venomqa.state.ResetException;
import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.internal.ConnectionSession;
import io.venomqa.state.jdbc.internal.OtherWriters;
import io.venomqa.state.jdbc.internal.TableRules;
import io.venomqa.state.jdbc.spi.ConnectionSpec;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.ResetPlan;
import io.venomqa.state.jdbc.spi.SchemaInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Map;

/**
 * {@link JdbcStateManager#reset()} and {@link JdbcStateManager#resetPlan()}: which tables to empty
 * (checked before anything is touched, and remembered while the schema is the same), then the
 * dialect's reset and the commit, or a rollback that forgets every checkpoint and says why.
 */
final class ResetRun {

    // The manager's logger: what users configured for JdbcStateManager keeps covering these messages.
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStateManager.class);

    private final StateConfig config;
    private final JdbcDialect dialect;
    private final ConnectionSpec spec;
    private final SessionCalls calls;
    /** The plan of the last reset and the key enforcement it was made for: reused while the schema object is the same. */
    private volatile ResetPlan lastPlan;
    private volatile boolean lastPlanEnforcesForeignKeys;

    ResetRun(StateConfig config, JdbcDialect dialect, ConnectionSpec spec, SessionCalls calls) {
        this.config = config;
        this.dialect = dialect;
        this.spec = spec;
        this.calls = calls;
    }

    /** What a reset would empty now, children first. */
    ResetPlan plan(JdbcSession s) throws SQLException {
        SchemaInfo cached = s.schema();
        // A table created after the schema was introspected should not be reported as missing.
        boolean missing = config.tablesToReset().stream().anyMatch(t -> cached.table(t).isEmpty());
        SchemaInfo schema = missing ? s.refreshSchema() : cached;
        boolean enforcesForeignKeys = dialect.enforcesForeignKeys(s.connection());
        ResetPlan last = lastPlan;
        // The plan depends only on the introspected schema (a new object whenever it is refreshed),
        // the configuration (fixed) and whether keys are enforced: ordering 50 tables children first
        // was a visible part of a reset of empty tables (benchmark row 3).
        if (last != null && last.schema() == schema && lastPlanEnforcesForeignKeys == enforcesForeignKeys) {
            return last;
        }
        ResetPlan plan = TableRules.plan(schema, config.tablesToReset(), config.excludeTables(), enforcesForeignKeys);
        lastPlan = plan;
        lastPlanEnforcesForeignKeys = enforcesForeignKeys;
        return plan;
    }

    /** Empties the planned tables and commits; on failure rolls back, forgets the checkpoints and throws. */
    Void reset(ConnectionSession s) throws SQLException {
        ResetPlan plan = plan(s); // before touching anything: a bad configuration keeps the checkpoints
        s.strategy().beforeReset(s);
        Map<String, String> known = Map.of();
        try {
            if (!plan.isEmpty()) {
                known = dialect.resetWithKnownDigests(s, plan);
            }
            if (!s.connection().getAutoCommit()) {
                s.connection().commit();
            }
        } catch (SQLException | RuntimeException e) {
            try {
                if (!s.connection().getAutoCommit()) {
                    s.connection().rollback();
                }
                OtherWriters.remember(s); // a failed reset may have committed part of its work (MySQL's TRUNCATE)
                s.strategy().afterReset(s);
                if (s.verifier() != null) {
                    s.verifier().afterReset(s);
                }
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            calls.forgetAllCheckpoints();
            if (e instanceof SQLException sql && calls.connectionLost(s, sql)) {
                throw sql;
            }
            if (e instanceof VenomQAException v) {
                // A dialect that explains its own failure knows better than the generic message
                // (MySQL: TRUNCATE commits at once, so a half-done reset is partly committed).
                throw v;
            }
            throw new ResetException("The " + dialect.name() + " backend could not reset "
                    + plan.tableNames() + " (" + spec.displayUrl() + "): " + calls.scrub(e.getMessage())
                    + ". Nothing was committed: the run's transaction was rolled back and every checkpoint with it.",
                    calls.scrubbed(e));
        }
        // The reset's commit is the new "as found"; before the strategy starts afresh. The tables the dialect
        // knows are empty are not read again: after a TRUNCATE the read plans its query anew (row 2).
        OtherWriters.remember(s, known);
        s.strategy().afterReset(s);
        if (s.verifier() != null) {
            s.verifier().afterReset(s);
        }
        if (LOG.isDebugEnabled()) { // the table list is built for the message only
            LOG.debug("Reset {} on {}", plan.tableNames(), spec.displayUrl());
        }
        return null;
    }
}
