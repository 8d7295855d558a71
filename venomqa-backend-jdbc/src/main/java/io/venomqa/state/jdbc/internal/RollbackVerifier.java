package io.venomqa.state.jdbc.internal;

import io.venomqa.core.CredentialMasker;
import io.venomqa.state.RollbackException;
import io.venomqa.state.jdbc.spi.TableInfo;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Option {@value #OPTION} ({@code db_options: {verify_rollbacks: true}}): every checkpoint reads a digest of
 * every tracked table, and every rollback, tree restore and {@code disconnect()} reads them again and fails
 * with a {@link RollbackException} naming each table whose rows differ from the checkpoint's (or from
 * {@code connect()}'s, or the last {@code reset()}'s). The strategies are built to be exact and to refuse
 * what they cannot put back; this check does not trust them: it catches a rollback that reported success
 * with the data not as it was, whatever the reason (a hole for a schema the strategy does not know how to
 * handle yet). Guarantee: with the option on, a rollback, restore or {@code disconnect()} that returns normally
 * left every tracked table that existed at the checkpoint with the rows it held then, up to a hash collision
 * (64 bits or more per table; the dialect's {@code tableDigests}, or rows read and hashed in Java where it has
 * none). Not compared: identity counters, tables created since the checkpoint, excluded tables.
 *
 * <p>Cost: every checkpoint and rollback reads every tracked table (one query per run on PostgreSQL and
 * MySQL/MariaDB, which hash on the server; every row through JDBC elsewhere): for CI runs on test databases of
 * modest size, and for finding out whether a schema's rollbacks are exact, not for speed. The savepoint
 * strategy's reads see the run's transaction; the journal's see what is committed (each read is ended by a
 * commit of its own, which writes nothing). Not thread-safe: the manager calls it under its connection lock.
 */
public final class RollbackVerifier {

    /** The option's name. */
    public static final String OPTION = "verify_rollbacks";

    private Map<String, String> base;
    private final Map<String, Map<String, String>> byCheckpoint = new HashMap<>();

    private RollbackVerifier() {
    }

    /** Whether {@code s}'s configuration turns the check on. */
    public static boolean enabled(ConnectionSession s) {
        return s.config().optionBoolean(OPTION, false);
    }

    /** At connect, after the strategy's start: the tables as found, which {@code disconnect()} compares with. */
    public static RollbackVerifier start(ConnectionSession s) throws SQLException {
        RollbackVerifier v = new RollbackVerifier();
        v.base = read(s);
        return v;
    }

    /** The tables {@link #read} read just before the strategy took checkpoint {@code identifier}. */
    public void checkpoint(String identifier, Map<String, String> tables) {
        byCheckpoint.put(identifier, tables);
    }

    /**
     * After the strategy rolled back (or restored) to {@code identifier}: fails when a table differs, after
     * {@code forgetCheckpoints} has dropped every checkpoint of the run (none of them can be trusted to lead back to
     * its state any more, and the strategy has already moved: the manager's list must not go on naming
     * checkpoints the rollback discarded).
     *
     * @param what "The rollback to checkpoint 'paid'", for the message
     */
    public void afterRollback(ConnectionSession s, String identifier, String what, Runnable forgetCheckpoints)
            throws SQLException {
        Map<String, String> then = byCheckpoint.get(identifier);
        if (then == null) {
            return; // taken before the option was read (never: the option is fixed per session)
        }
        Map<String, String> now;
        try {
            now = read(s);
        } catch (SQLException | RuntimeException e) {
            // The strategy has moved already: the manager's list must follow it, as after a difference.
            byCheckpoint.clear();
            forgetCheckpoints.run();
            throw new RollbackException(what + " of " + s.maskedUrl() + " reported success, but " + OPTION
                    + " could not read the tracked tables to compare them with the checkpoint's: "
                    + CredentialMasker.maskText(e.getMessage()) + ". Whether the rollback was exact was not checked; every "
                    + "checkpoint of this run was forgotten.", e);
        }
        List<String> differing = differing(then, now);
        if (!differing.isEmpty()) {
            byCheckpoint.clear();
            forgetCheckpoints.run();
            throw new RollbackException(what + " of " + s.maskedUrl() + " reported success, but " + OPTION
                    + " found tables whose rows are not those of the checkpoint: " + String.join(", ", differing) + ". "
                    + advice(s) + " Every checkpoint of this run was forgotten; disconnect() still puts back what the "
                    + "strategy can and compares with connect()'s tables again.");
        }
    }

    /** The checkpoints {@code identifiers} were discarded or released. */
    public void forget(Collection<String> identifiers) {
        identifiers.forEach(byCheckpoint::remove);
    }

    /** After a reset's commit: the reset's tables are the new "as found", and no checkpoint is left. */
    public void afterReset(ConnectionSession s) throws SQLException {
        byCheckpoint.clear();
        base = read(s);
    }

    /** After the strategy's end at {@code disconnect()}: the difference from connect (or the last reset), if any. */
    public Optional<RollbackException> atDisconnect(ConnectionSession s) {
        try {
            List<String> differing = differing(base, read(s));
            if (differing.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new RollbackException("disconnect() of " + s.maskedUrl() + " reported no error, but "
                    + OPTION + " found tables whose rows are not those connect() found (or the last reset() left): "
                    + String.join(", ", differing) + ". " + advice(s)));
        } catch (SQLException | RuntimeException e) {
            return Optional.of(new RollbackException("disconnect() of " + s.maskedUrl() + ": " + OPTION + " could not read "
                    + "the tracked tables to compare them with connect()'s: " + CredentialMasker.maskText(e.getMessage())
                    + ". Whether the database is as it was found was not checked.", e));
        }
    }

    private static String advice(ConnectionSession s) {
        return "The " + s.strategy().name() + " strategy did not see or could not undo something these tables hold "
                + "(VenomQA's strategies are meant to refuse what they cannot put back: this is a gap, please report it "
                + "with the tables' definitions and what the application did since the checkpoint). The database stays as "
                + "it is now; reset() or recreate the test data before trusting the next path.";
    }

    /** Each table of {@code then} whose digest differs in {@code now}, with row counts where the digests hold them. */
    private static List<String> differing(Map<String, String> then, Map<String, String> now) {
        List<String> out = new ArrayList<>();
        then.forEach((table, before) -> {
            String after = now.get(table);
            if (before != null && after != null && !Objects.equals(before, after)) {
                String rowsBefore = OtherWriters.rows(before);
                String rowsAfter = OtherWriters.rows(after);
                out.add("'" + table + "'" + (rowsBefore == null || rowsAfter == null ? ""
                        : " (" + rowsBefore + " rows then, " + rowsAfter + " now)"));
            }
        });
        return out;
    }

    /**
     * The tracked tables' digests as the session sees them. The journal strategy's session is read in a
     * transaction of its own, ended by a commit (it holds no transaction between calls; on MySQL/MariaDB an open
     * read would fix the snapshot the journal's next reads see).
     */
    public static Map<String, String> read(ConnectionSession s) throws SQLException {
        List<TableInfo> tables = s.trackedTables();
        Map<String, String> out = SqlFailures.guardedReads(s.connection(), s.dialect(), () -> {
            Optional<Map<String, String>> digests = s.dialect().tableDigests(s, tables);
            return digests.isPresent() ? digests.get() : s.dialect().digestsReadInJava(s, tables);
        });
        if (s.strategy().undoesOtherConnections() && !s.connection().getAutoCommit()) {
            s.connection().commit();
        }
        return new HashMap<>(out);
    }
}
