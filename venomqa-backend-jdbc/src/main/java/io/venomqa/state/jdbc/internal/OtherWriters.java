package io.venomqa.state.jdbc.internal;

import io.venomqa.core.CredentialMasker;
import io.venomqa.state.RollbackException;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.jdbc.spi.TableInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tracked tables' contents as {@code connect()} (or the last {@code reset()}) left them, and the
 * comparison {@code disconnect()} makes with them, for strategies that undo only the manager's own
 * connection ({@link io.venomqa.state.jdbc.spi.CheckpointStrategy#undoesOtherConnections()} false: the
 * savepoint strategy). Rows another connection committed during the run (an application writing
 * through a pool of its own, an application in another process, a background job) survive every
 * rollback; before this check, {@code rollback} and {@code disconnect()} reported success with them
 * still there. Guarantee: when the dialect digests tables
 * ({@link io.venomqa.state.jdbc.spi.JdbcDialect#tableDigests}) and option
 * {@value JdbcStateManager#OPTION_CHECK_OTHER_WRITERS} is on, a tracked table whose rows at disconnect
 * differ from those found (up to a hash collision) fails {@code disconnect()} with a
 * {@link RollbackException} naming it. Rollbacks in between are not checked on their own: that would
 * read every table at each one; a caller that wants one checkpoint checked marks the tables after
 * taking it and compares after rolling back to it ({@link JdbcStateManager#markTables()}; the Spring
 * extension does, per test class). Not API.
 */
public final class OtherWriters {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcStateManager.class);

    private final List<TableInfo> tables;
    private final Map<String, String> digests;
    /** Read on the session's second connection: the committed rows, not the run's transaction's view. */
    private final boolean outside;

    private OtherWriters(List<TableInfo> tables, Map<String, String> digests, boolean outside) {
        this.tables = tables;
        this.digests = digests;
        this.outside = outside;
    }

    /**
     * Reads the tracked tables as they are now and keeps them on {@code s}: at connect, before the
     * strategy's {@code onConnect}, and after a reset's commit (the new "as found"), before its
     * {@code afterReset}; nothing may be pending in the transaction, which this read ends with a commit
     * so that it is not the run's first read (under MySQL's REPEATABLE READ that read fixes what the
     * whole run sees). Does nothing when the option is off, the strategy undoes other connections
     * itself, or the dialect has nothing to check; a failed read turns the check off for this
     * session, saying so, rather than failing the caller.
     */
    public static void remember(ConnectionSession s) {
        remember(s, Map.of());
    }

    /**
     * {@link #remember(ConnectionSession)} after a reset's commit, taking the digests of {@code known}'s
     * tables as given (those the dialect is certain the reset left so:
     * {@link io.venomqa.state.jdbc.spi.JdbcDialect#resetWithKnownDigests}) and reading only the others.
     */
    public static void remember(ConnectionSession s, Map<String, String> known) {
        s.asFound(null);
        try {
            Optional<OtherWriters> now = read(s, known);
            if (now.isPresent() && !s.connection().getAutoCommit()) {
                s.connection().commit(); // a read-only transaction: ends the read, writes nothing
            }
            now.ifPresent(s::asFound);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Could not read the tracked tables of {} to find, at disconnect(), rows other connections commit "
                    + "during the run ({}); that check is off for this session", s.maskedUrl(),
                    CredentialMasker.maskText(e.getMessage()));
        }
    }

    /**
     * The tracked tables' contents now, for {@link #since} after a rollback to a checkpoint taken now.
     * Read as {@code s}'s connection sees them, inside the run's transaction (its own uncommitted writes
     * included), where that connection reads at READ COMMITTED or below. Above it (MySQL/MariaDB's
     * default REPEATABLE READ) the run's reads see the transaction's snapshot, never what other
     * connections committed since, so the committed rows are read instead, on a second connection
     * ({@link ConnectionSession#outsideReads()}), where the dialect says such reads never wait for the
     * run's locks ({@link io.venomqa.state.jdbc.spi.JdbcDialect#readsBesideTheRunNeverWait()}); the run's
     * own uncommitted rows are in neither reading, and what it committed (DDL that commits on MySQL, a
     * table whose engine ignores transactions) is in the second. Empty where {@link #remember} reads
     * nothing, and above READ COMMITTED where the dialect's reads could wait.
     */
    public static Optional<OtherWriters> mark(ConnectionSession s) throws SQLException {
        if (!checks(s)) {
            return Optional.empty();
        }
        if (!readsSnapshot(s)) {
            return read(s);
        }
        if (!s.dialect().readsBesideTheRunNeverWait()) {
            return Optional.empty();
        }
        List<TableInfo> tracked = s.trackedTables();
        Map<String, String> now;
        try {
            now = readOutside(s, tracked);
        } catch (SQLException | RuntimeException e) {
            // Not the run's connection: its failure (too many connections, say) must not end the run.
            LOG.warn("Could not read the committed rows of the tracked tables of {} on a second connection ({}); this "
                    + "checkpoint's tables are not marked, and disconnect() still compares them", s.maskedUrl(),
                    CredentialMasker.maskText(e.getMessage()));
            return Optional.empty();
        }
        return now == null ? Optional.empty() : Optional.of(new OtherWriters(tracked, now, true));
    }

    /**
     * The committed rows' digests, read on the second connection. Its failure is raised as a
     * {@link io.venomqa.core.VenomQAException}, never as an {@link SQLException}: the manager would take a
     * lost connection there for its own, and forget the run's checkpoints.
     */
    private static Map<String, String> outsideDigests(ConnectionSession s, List<TableInfo> tables) {
        try {
            return readOutside(s, tables);
        } catch (SQLException e) {
            throw new io.venomqa.core.VenomQAException("Could not compare the tracked tables of " + s.maskedUrl()
                    + " with those at the checkpoint: the second connection that reads their committed rows failed: "
                    + CredentialMasker.maskText(e.getMessage()) + ". The run's own connection is not affected; the "
                    + "rollback itself was done.");
        }
    }

    /** The digests read on the second connection, which is closed (opened afresh next time) when the read fails. */
    private static Map<String, String> readOutside(ConnectionSession s, List<TableInfo> tables) throws SQLException {
        try {
            return s.dialect().tableDigests(s.outsideReads(), tables).orElse(null);
        } catch (SQLException | RuntimeException e) {
            s.closeOutsideReads();
            throw e;
        }
    }

    private static boolean readsSnapshot(ConnectionSession s) throws SQLException {
        return s.connection().getTransactionIsolation() > java.sql.Connection.TRANSACTION_READ_COMMITTED;
    }

    /**
     * The failure to report when a tracked table's rows differ from those at {@code mark} (after
     * a rollback to a checkpoint taken with it), or empty. {@code what} names that checkpoint for
     * the message ("test class OrderTests").
     */
    public static Optional<RollbackException> since(ConnectionSession s, OtherWriters mark, String what)
            throws SQLException {
        Map<String, String> now = mark.outside ? outsideDigests(s, mark.tables) : digests(s, mark.tables);
        return failure(s, mark, now, "at the checkpoint", "The rollback after " + what + " on "
                + s.maskedUrl() + " did not put the database back: ", mark.outside
                        ? "what was committed at the checkpoint" : "what it held at the checkpoint");
    }

    /**
     * The failure to report from {@code disconnect()}, or empty when every table found at connect holds
     * the same rows. Called after the strategy rolled everything back.
     */
    public static Optional<RollbackException> compare(ConnectionSession s) {
        return compared(s).difference();
    }

    /** What {@link #compare} found: whether the tables were read at all, and the difference, if any. */
    public record Verdict(boolean read, Optional<RollbackException> difference) {
    }

    /** {@link #compare}, also saying whether the tables were read (false: the check is off, or the read failed). */
    public static Verdict compared(ConnectionSession s) {
        OtherWriters found = s.asFound();
        s.asFound(null);
        if (found == null) {
            return new Verdict(false, Optional.empty());
        }
        Map<String, String> now;
        try {
            now = digests(s, found.tables);
        } catch (SQLException e) {
            // A table dropped since connect fails the one query: read again the tables that still exist.
            try {
                io.venomqa.state.jdbc.spi.SchemaInfo schema = s.refreshSchema();
                List<TableInfo> still = found.tables.stream().filter(t -> schema.table(t.name()).isPresent()).toList();
                now = digests(s, still);
            } catch (SQLException | RuntimeException again) {
                LOG.warn("Could not read the tracked tables of {} to check that no other connection left rows behind: {}",
                        s.maskedUrl(), CredentialMasker.maskText(again.getMessage()));
                return new Verdict(false, Optional.empty());
            }
        }
        return new Verdict(true, failure(s, found, now, "at connect", "disconnect() could not put " + s.maskedUrl()
                + " back as connect() found it: ", "what connect() (or the last reset()) found"));
    }

    /**
     * The exception naming each table of {@code before} whose digest differs in {@code now} ("table
     * customers (2 rows at connect, 3 now) differs from …"), or empty when none does or nothing was read.
     */
    private static Optional<RollbackException> failure(ConnectionSession s, OtherWriters before, Map<String, String> now,
                                                       String then, String opening, String reference) {
        if (now == null) {
            return Optional.empty();
        }
        List<String> changed = changed(before, now, before.outside ? "committed " : "", then);
        if (changed.isEmpty()) {
            return Optional.empty();
        }
        boolean one = changed.size() == 1;
        return Optional.of(new RollbackException(opening + (one ? "table " : "tables ") + String.join(", ", changed)
                + (one ? " differs" : " differ") + " from " + reference + ", and no rollback undid it. "
                + remedies(s.strategy().name())));
    }

    /** The tracked tables' digests now, or empty when nothing is to be checked on this session. */
    private static Optional<OtherWriters> read(ConnectionSession s) throws SQLException {
        return read(s, Map.of());
    }

    private static Optional<OtherWriters> read(ConnectionSession s, Map<String, String> known) throws SQLException {
        if (!checks(s)) {
            return Optional.empty();
        }
        List<TableInfo> tracked = s.trackedTables(); // unmodifiable
        List<TableInfo> unknown = tracked.stream().filter(t -> !known.containsKey(t.name())).toList();
        Map<String, String> now;
        if (unknown.size() == tracked.size()) {
            now = digests(s, tracked);
        } else {
            Map<String, String> read = unknown.isEmpty() ? Map.of() : digests(s, unknown);
            if (read == null) {
                return Optional.empty(); // the dialect digests nothing: there is nothing to compare with later either
            }
            now = new java.util.HashMap<>(read);
            for (TableInfo t : tracked) {
                now.putIfAbsent(t.name(), known.get(t.name()));
            }
        }
        return now == null ? Optional.empty() : Optional.of(new OtherWriters(tracked, now, false));
    }

    /** Whether other connections' writes are looked for on {@code s}: the option is on and the strategy leaves them. */
    private static boolean checks(ConnectionSession s) {
        return !s.strategy().undoesOtherConnections()
                && s.config().optionBoolean(JdbcStateManager.OPTION_CHECK_OTHER_WRITERS, true);
    }

    private static Map<String, String> digests(ConnectionSession s, List<TableInfo> tables) throws SQLException {
        return SqlFailures.guardedReads(s.connection(), s.dialect(), () -> s.dialect().tableDigests(s, tables)).orElse(null);
    }

    /** Each table of {@code found} whose digest differs in {@code now}, with what the digests say of its rows. */
    private static List<String> changed(OtherWriters found, Map<String, String> now, String which, String then) {
        List<String> changed = new ArrayList<>();
        for (TableInfo t : found.tables) {
            String before = found.digests.get(t.name());
            String after = now.get(t.name());
            if (!Objects.equals(before, after)) {
                changed.add(t.name() + describe(before, after, which, then));
            }
        }
        return changed;
    }

    private static String remedies(String strategy) {
        return "The " + strategy + " strategy undoes "
                + "only what goes through the manager's connection; these rows were committed another way: by an "
                + "application writing through a connection pool of its own (give it the manager's sharedDataSource(); "
                + "in Spring, @VenomQASpringTest), by an application in another process (use checkpoint_strategy: "
                + "journal), by a background job or another client of this database; or they were written on the manager's "
                + "connection and kept: by a statement that committed the run's transaction, or in a table whose engine "
                + "ignores transactions (MyISAM) (see any warning logged before this). Remove them "
                + "(reset() empties the reset tables), leave a table other writers may change out with exclude_tables, "
                + "or turn this check off with " + JdbcStateManager.OPTION_CHECK_OTHER_WRITERS + ": false.";
    }

    /** " (3 rows at connect, 5 now)" ({@code which}: "committed " gives "3 committed rows") where the dialect's digests carry row counts, else "". */
    private static String describe(String before, String after, String which, String then) {
        if (after == null) {
            return " (dropped)";
        }
        String rowsBefore = rows(before);
        String rowsAfter = rows(after);
        if (rowsBefore == null || rowsAfter == null) {
            return "";
        }
        return " (" + rowsBefore + " " + which + (rowsBefore.equals("1") ? "row" : "rows") + " " + then + ", " + rowsAfter + " now)";
    }

    /** The row count at the head of a dialect's digest ({@code rows:…}), or null where it has none. */
    static String rows(String digest) {
        if (digest == null) {
            return null;
        }
        int colon = digest.indexOf(':');
        return colon > 0 && digest.substring(0, colon).chars().allMatch(Character::isDigit) ? digest.substring(0, colon) : null;
    }
}
