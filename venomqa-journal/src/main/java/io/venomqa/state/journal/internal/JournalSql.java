package io.venomqa.state.journal.internal;

import io.venomqa.state.jdbc.spi.SequenceSnapshot;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The database-specific half of the journal: where its objects live, how triggers record a row
 * change, how one change is undone. {@link Journal} holds the database-independent half (positions,
 * undo order, recovery, pruning); identity counters are the dialect's
 * ({@link io.venomqa.state.jdbc.spi.JdbcDialect#captureSequences}), shared with the savepoint strategy.
 *
 * <p>Every method runs on the manager's connection with auto-commit off; none commits unless it
 * says so, so {@link Journal} decides the transaction boundaries.
 */
public abstract class JournalSql {

    /** Short name for messages ({@code postgresql}). */
    public abstract String name();

    /**
     * Takes the "one journaling manager per schema" lock for this connection, or explains who has it.
     *
     * @return empty when taken, else a description of the live owner
     */
    public abstract Optional<String> tryLock(Connection c, String schema) throws SQLException;

    /** Gives the lock back (closing the connection does too). */
    public abstract void unlock(Connection c, String schema) throws SQLException;

    /** What a run that did not disconnect left behind in {@code schema}, if anything. */
    public abstract Optional<RunRecord> leftover(Connection c, String schema) throws SQLException;

    /**
     * Makes this connection the owner of a dead run's record before its leftovers are undone, where
     * the triggers recognise VenomQA's undo by the session named in the run record (MySQL's
     * connection id, PostgreSQL's backend pid): without it the dead run's triggers would fire on
     * the recovery's own writes. Part of the caller's transaction, so a failed recovery undoes it.
     */
    public void claimRun(Connection c, String schema) throws SQLException {
    }

    /** Creates the journal, the run record table and shared functions if missing. */
    public abstract void installInfrastructure(Connection c, String schema) throws SQLException;

    /** Writes (replaces) the run record of {@code schema}. */
    public abstract void writeRun(Connection c, String schema, String owner, SequenceSnapshot counters) throws SQLException;

    /**
     * {@link #writeRun(Connection, String, String, SequenceSnapshot)} keeping {@code header} too (the
     * {@link #headerValues} at {@code connect()}), which the recovery of a run that died puts back. By default
     * the header is not kept: where {@link #headerValues} is empty.
     */
    public void writeRun(Connection c, String schema, String owner, SequenceSnapshot counters, Map<String, Long> header)
            throws SQLException {
        writeRun(c, schema, owner, counters);
    }

    /**
     * Adds to the run record of {@code schema} (written by {@link #writeRun} in the same transaction) what
     * {@code connect()} found of the schema that no trigger records ({@code RunDefinitions}' text form), which the
     * recovery of the run, should it die, compares with the schema it then finds ({@link RunRecord#definitions}).
     */
    public abstract void writeRunDefinitions(Connection c, String schema, String definitions) throws SQLException;

    /** Catalog facts about {@code table}. */
    public abstract TableMeta describe(Connection c, String schema, String table) throws SQLException;

    /**
     * Tables among {@code tables} whose writes no transaction undoes (MySQL: MyISAM, Aria, MEMORY…): an undo
     * that fails and is rolled back has already written back their rows. Default: none.
     */
    public List<String> withoutTransactions(Connection c, String schema, java.util.Collection<String> tables)
            throws SQLException {
        return List.of();
    }

    /**
     * Ways the rows of tracked tables, or rows their changes reach, can change without the journal's triggers seeing them, each a
     * sentence that says what to do short of another strategy (which {@link Journal} adds): a partition or inheritance tree that leaves the schema (PostgreSQL),
     * a foreign key action from a table the journal does not track (MySQL: cascades fire no trigger), a
     * foreign key action from a tracked table into one it does not track (PostgreSQL, SQLite, MySQL: its undo writes
     * tracked tables only).
     * {@link Journal} refuses to install when there is any. Default: none.
     */
    public List<String> unjournaledPaths(Connection c, String schema, java.util.Set<String> tracked) throws SQLException {
        return List.of();
    }

    /**
     * Called by {@code connect()} before it recovers a dead run: reads what the checks after an undo need to know of
     * foreign keys to tables the journal does not track ({@code tracked} are the tables it will journal), so that the
     * recovery's undo is checked as any other. Default: nothing to read (a dialect that reads them in its check).
     */
    public void noteCrossingKeys(Connection c, String schema, java.util.Set<String> tracked) throws SQLException {
    }

    /**
     * Logs, at {@code connect()}, the foreign keys between tracked tables and ones the journal does not track
     * ({@code keys}, each described): their untracked side is never undone, and an undo that would break one fails.
     */
    protected static void warnOfCrossingKeys(String where, List<String> keys) {
        if (!keys.isEmpty()) {
            org.slf4j.LoggerFactory.getLogger(JournalSql.class).warn("On {}, foreign keys tie tracked tables to tables "
                    + "the journal does not track: {}. The rows of those tables are not undone: a rollback, restore or "
                    + "disconnect() that would leave one of their rows without its parent, or put back a row whose parent "
                    + "there is gone, fails and changes nothing.", where, String.join("; ", keys));
        }
    }

    /**
     * The application's triggers (and PostgreSQL rules) on tracked tables whose SQL writes, by name, a table the journal
     * does not track (of another schema or database, or one of the schema it leaves out), each as "trigger `t` on
     * `orders` writes `audit`.`events`", for the warning {@link Journal} logs at {@code connect()}: the rows they
     * write stay after every rollback and {@code disconnect()}, and nothing else says so. Read from the triggers' text
     * ({@link TriggerWrites}): writes built at run time or made in called routines are not seen. Default: none.
     */
    public List<String> writesOutside(Connection c, String schema, java.util.Set<String> tracked) throws SQLException {
        return List.of();
    }

    /**
     * {@link #writesOutside} from the triggers' (and rules') rows {@code {table, "trigger `name`", sql}}: for those on
     * tracked tables, the {@link TriggerWrites} targets the journal does not track, qualified by another schema than
     * {@code schema} (unless {@code hereOnly}: a dialect whose triggers write their own database only) or unqualified
     * and naming one of {@code here} (the schema's tables) that is not tracked.
     *
     * @param foldUnquoted unquoted names are folded to lower case (PostgreSQL)
     * @param ignoreCase   a qualifier is compared with {@code schema} without case (SQLite)
     */
    protected final List<String> writesOutside(List<String[]> triggers, String schema, java.util.Set<String> tracked,
            java.util.Set<String> here, boolean foldUnquoted, boolean ignoreCase, boolean hereOnly) {
        List<String> out = new ArrayList<>();
        for (String[] trigger : triggers) {
            if (!tracked.contains(trigger[0])) {
                continue;
            }
            List<String> targets = new ArrayList<>();
            for (TriggerWrites.Target t : TriggerWrites.in(trigger[2], foldUnquoted)) {
                boolean inSchema = t.schema() == null
                        || (ignoreCase ? t.schema().equalsIgnoreCase(schema) : t.schema().equals(schema));
                if (inSchema && here.contains(t.table()) && !tracked.contains(t.table())) {
                    targets.add(qualify(schema, t.table()) + " (not tracked)");
                } else if (!inSchema && !hereOnly && !t.schema().equalsIgnoreCase("pg_temp")) {
                    targets.add(quote(t.schema()) + "." + quote(t.table()));
                }
            }
            if (!targets.isEmpty()) {
                out.add(trigger[1] + " on " + quote(trigger[0]) + " writes " + String.join(", ", targets));
            }
        }
        return out;
    }

    /**
     * Where {@code refused} is the database refusing a row the undo wrote back for a reason known to need the user:
     * a constraint declared {@code NOT VALID} (its old rows were never checked), a message naming the constraint and
     * table and saying what to do (PostgreSQL also: a {@code money} amount printed under another
     * {@code lc_monetary}); else null (the default). Read on {@code c} in a new transaction, which the caller ends.
     */
    public String knownRefusal(Connection c, String schema, SQLException refused) throws SQLException {
        return null;
    }

    /**
     * Whether {@code table} is journaled through other tables' triggers and must not get its own (a
     * PostgreSQL partition inherits the row triggers of its partitioned table); may refuse a table
     * that cannot be journaled at all, with a message saying what to do.
     */
    public boolean coveredByParent(Connection c, String schema, String table) throws SQLException {
        return false;
    }

    /**
     * Per table of the schema, the partitioned table it is a partition of now, or {@code ""}: read only to
     * explain journal triggers found changed (a partition attached or detached during the run). Empty where
     * the database has no such partitions.
     */
    public java.util.Map<String, String> partitionParents(Connection c, String schema) throws SQLException {
        return java.util.Map.of();
    }

    /**
     * Installs on a table {@link #coveredByParent} what its parent's triggers do not reach (PostgreSQL:
     * statement-level {@code TRUNCATE} triggers are not cloned to partitions, and a partition can be
     * truncated by itself), where its parent is among {@code tracked} (the names of the tracked tables:
     * a partition of an excluded table stays unjournaled like its parent). Nothing by default.
     */
    public void installCoveredTriggers(Connection c, String schema, String table, java.util.Set<String> tracked)
            throws SQLException {
    }

    /**
     * Other sessions holding uncommitted writes to tables of the schema, as {@link Catalog#writers} lists
     * them, read on their own (for {@code disconnect()}, which reads no catalog); null where the dialect
     * does not look (the default).
     */
    public List<String[]> uncommittedWriters(Connection c, String schema) throws SQLException {
        return null;
    }

    /** Installs the journal triggers on {@code table} (replacing ours if present). */
    public abstract void installTriggers(Connection c, String schema, TableMeta table) throws SQLException;

    /** Removes our triggers from {@code table} if present. */
    public abstract void dropTriggers(Connection c, String schema, String table) throws SQLException;

    /** Tables of {@code schema} that carry one of our triggers. */
    public abstract List<String> tablesWithTriggers(Connection c, String schema) throws SQLException;

    /** Removes the run record, the journal rows of {@code schema}, and every shared object no other run needs. */
    public abstract void uninstallInfrastructure(Connection c, String schema) throws SQLException;

    /** Names of the base tables of {@code schema} now (a cheap catalog query, to notice new tables). */
    public abstract List<String> currentTables(Connection c, String schema) throws SQLException;

    /** The journal position now: every later change gets a larger id. */
    public long position(Connection c, String schema) throws SQLException {
        return queryLong(c, "select coalesce(max(id), 0) from " + journalTable());
    }

    /** The journal table, qualified where it lives in a schema of its own. */
    protected abstract String journalTable();

    /** {@link #position} and the text of a scalar subquery read in the same statement. */
    public record PositionRead(long position, String extra) {
    }

    /**
     * {@link #position} and the value of {@code extra}, a scalar subquery (change capture's
     * {@code JdbcDialect.tableSetVersion}), in one round trip; {@code extra} null: the position alone.
     */
    public PositionRead positionWith(Connection c, String schema, String extra) throws SQLException {
        if (extra == null) {
            return new PositionRead(position(c, schema), null);
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select coalesce(max(id), 0), " + extra + " from " + journalTable())) {
            rs.next();
            return new PositionRead(rs.getLong(1), rs.getString(2));
        }
    }

    /** Journal entries of {@code schema} after {@code position}, oldest first. */
    public abstract List<JournalEntry> entriesAfter(Connection c, String schema, long position) throws SQLException;

    /**
     * Journal entries of {@code schema} with {@code after < id <= upTo}, oldest first: the entries of
     * one change-capture window, read as a bounded range of the primary key (the journal may hold
     * many later entries, and on a shared server many dead rows of other runs).
     */
    public abstract List<JournalEntry> entriesBetween(Connection c, String schema, long after, long upTo) throws SQLException;

    /**
     * The query of a {@link io.venomqa.state.jdbc.spi.ContentsDigest} whose base is {@code position}:
     * one row, a function of the contents of {@code tables} now given their contents at the base,
     * computed from the journal's entries after {@code position} (and the tables' columns), without
     * reading the tables. Default: empty (this database has no query for it: {@code Journal} computes
     * the digest from the entries' images instead).
     */
    public java.util.Optional<String> contentsDigestQuery(Connection c, String schema, long position,
            java.util.Collection<String> tables) throws SQLException {
        return java.util.Optional.empty();
    }

    /** Number of journal rows of {@code schema}. */
    public abstract long entryCount(Connection c, String schema) throws SQLException;

    /** Makes the triggers ignore this connection's changes until {@link #endReplay}; part of the undo transaction. */
    public abstract void beginReplay(Connection c) throws SQLException;

    /** Turns journaling of this connection's changes back on. */
    public abstract void endReplay(Connection c) throws SQLException;

    /**
     * Makes this session's statements wait at most {@code timeout} for a lock another session holds
     * (option {@code lock_timeout}), instead of the server's default (forever on PostgreSQL, 50 s on
     * InnoDB). Called once at {@code connect()}; the session is the journal's own.
     */
    public void applyLockTimeout(Connection c, java.time.Duration timeout) throws SQLException {
    }

    /** Whether {@code e} says a statement gave up waiting for another session's lock. */
    public boolean isLockTimeout(SQLException e) {
        return false;
    }

    /**
     * The other sessions that hold locks on {@code tables} of {@code schema} (the likely blockers of
     * an undo that timed out), one line each with what the server tells: id, user, client, state,
     * transaction start, last statement. Runs in its own short transaction.
     */
    public List<String> lockHolders(Connection c, String schema, java.util.Collection<String> tables) throws SQLException {
        return List.of();
    }

    /**
     * Called where a transaction that will undo {@code tables} of {@code schema} begins, before it reads
     * the entries to undo (nothing of the connection's is pending then: only reads, which may be ended):
     * takes what keeps the application from writing to those tables until the undo commits, waiting
     * {@code lock_timeout} for it, so that the entries read are all there are and the counters put back
     * are not handed out meanwhile. Also called with no tables where the journal's own objects are
     * installed or removed (reads, then writes): a database with one write lock takes it here. Default:
     * nothing, for a database whose undo refuses instead when the application committed meanwhile
     * ({@link #verifyAndEndUndo}).
     */
    public void beginWriting(Connection c, String schema, java.util.Collection<String> tables) throws SQLException {
    }

    /**
     * {@link #beginWriting} where the transaction that begins is an undo's (a rollback, a tree restore,
     * {@code disconnect()}'s undo), not the installation's or the counters' own: a database may keep the
     * application out in a way that only an undo's statements can live with. Default: {@link #beginWriting} of
     * {@code tables}.
     *
     * @param tables the journaled tables the undo may write
     * @param read   tables the undo reads or writes even without entries of theirs after {@code after} (those
     *               created since the target, those a tree restore redoes)
     * @param after  the position after which the entries to undo lie
     */
    public void lockForUndo(Connection c, String schema, java.util.Collection<String> tables,
                            java.util.Collection<String> read, long after) throws SQLException {
        beginWriting(c, schema, tables);
    }

    /**
     * Whether {@code e} (an undo that failed and was rolled back) says that what {@link #lockForUndo} took kept the
     * undo itself out of a table it needed: the dialect then stops taking it, says so once, and the caller runs
     * the undo again. Default: false.
     */
    public boolean undoLockInTheWay(Throwable e) {
        return false;
    }

    /**
     * Whether {@code e} is a deadlock the database resolved by cancelling this session's statement (SQLState
     * {@code 40P01}, or {@code 40001} with MySQL's error 1213), anywhere in the chain.
     */
    public boolean isDeadlock(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && ("40P01".equals(s.getSQLState()) || s.getErrorCode() == 1213)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code e} says a table named in a statement does not exist (dropped or renamed since the
     * journal last read the catalog). Default: SQLState {@code 42P01} or {@code 42S02} anywhere in the chain.
     */
    public boolean isMissingTable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && ("42P01".equals(s.getSQLState()) || "42S02".equals(s.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts an undo in the current transaction: {@link #beginReplay}, plus whatever keeps the
     * application's own triggers (and, where they are checked again by {@link #verifyUndo}, foreign
     * key actions) from firing while rows are put back. Default: {@link #beginReplay}.
     */
    public void beginUndo(Connection c) throws SQLException {
        beginReplay(c);
    }

    /**
     * Reads again what {@link #beginUndo} must silence, where the application's triggers may have changed since
     * {@link #inspect} (created, dropped or switched during the run), for an undo that reads no {@link #catalog}
     * first ({@code disconnect()}'s). Default: nothing, for dialects whose silencing needs no list.
     */
    public void refreshUndoSilencing(Connection c, String schema) throws SQLException {
    }

    /** Ends what {@link #beginUndo} started, still inside the undo transaction. Default: {@link #endReplay}. */
    public void endUndo(Connection c) throws SQLException {
        endReplay(c);
    }

    /**
     * Makes the application's own triggers on {@code tables} skip the undo where the database cannot
     * silence them for one session by other means (MariaDB), or throws, saying what to do, where that
     * cannot be done. Called once the journal's objects exist: at {@code connect()}, when tables are
     * picked up later, and before every undo (a migration may have created triggers since). May
     * commit (DDL).
     *
     * @return whether it ran any statement (its read's transaction is then for the caller to end).
     *         Default: false, nothing run (PostgreSQL and SQLite silence them during the undo itself)
     */
    public boolean guardApplicationTriggers(Connection c, String schema, java.util.Collection<String> tables)
            throws SQLException {
        return false;
    }

    /**
     * For the message of an undo whose rows did not match: what in the database's own objects may explain it
     * beyond the usual causes, as a sentence starting with a space, or "" (the default: nothing to add). Read
     * only, inside the failed undo's transaction; a failure to read it is the caller's to ignore.
     */
    public String mismatchHint(Connection c, String schema) throws SQLException {
        return "";
    }

    /**
     * Whether {@link #guardApplicationTriggers} has anything to do on {@code tables}, as far as the
     * last {@link #triggerState} read showed (a dialect that reads the application's triggers with
     * its own saves a second read before every undo). Default: true.
     */
    public boolean guardNeeded(java.util.Collection<String> tables) {
        return true;
    }

    /**
     * Called at {@code connect()} (and when tables are picked up later) once the triggers are on
     * {@code tables}: refuses, with a message naming them, what would make an undo inexact and
     * cannot be worked around (application triggers that would fire during the undo, foreign key
     * chains the triggers cannot see). Default: nothing to check.
     */
    public void inspect(Connection c, String schema, java.util.Collection<TableMeta> tables) throws SQLException {
    }

    /**
     * Called after the undo of {@code entries} ran, before its transaction commits: fails (and
     * the undo is rolled back) where the result breaks a rule the undo ran without (foreign keys,
     * where {@link #beginUndo} turned their checks off). Default: nothing to verify.
     *
     * @param foreignKeys the schema's foreign keys as {@link #catalog} read them at the start of this
     *                    operation, or null: read them here
     */
    public void verifyUndo(Connection c, String schema, List<JournalEntry> entries, List<ForeignKey> foreignKeys)
            throws SQLException {
    }

    /**
     * {@link #verifyUndo} for a restore across branches, called once after both of its phases ran,
     * before its transaction commits: {@code undone} were undone as they are, then {@code redone}
     * were applied as {@link JournalSql#mirror mirrored} undo entries (inverse operations, images read
     * the other way round). Only the state the transaction commits must keep the rules, and every row
     * either phase wrote or removed is named by one of the two lists, so one check of the end state
     * covers what a check after each phase covered. The journal rows of both lists must still be there.
     * Default: {@link #verifyUndo} of each list with its own image reading, one after the other.
     */
    public void verifyRestore(Connection c, String schema, List<JournalEntry> undone, List<JournalEntry> redone,
            List<ForeignKey> foreignKeys) throws SQLException {
        verifyUndo(c, schema, undone, foreignKeys);
        mirror(true);
        try {
            verifyUndo(c, schema, redone, foreignKeys);
        } finally {
            mirror(false);
        }
    }

    /**
     * What a checkpoint keeps of objects outside the tables that journaled rows name (PostgreSQL's
     * large objects: their oids), for {@link #reconcileOutsideObjects}; null where there are none to
     * keep. Default: null.
     */
    public java.util.Set<Long> outsideObjects(Connection c, String schema, java.util.Collection<String> tracked)
            throws SQLException {
        return null;
    }

    /**
     * Keeps the run's start {@link #outsideObjects} (null: nothing to keep) in the database, in the
     * caller's transaction, for {@link #outsideObjectsAtStart}. Default: nothing.
     */
    public void keepOutsideObjectsAtStart(Connection c, String schema, java.util.Set<Long> objects) throws SQLException {
    }

    /** What {@link #keepOutsideObjectsAtStart} kept for the run of {@code schema} (read by the recovery of a dead run), or null. */
    public java.util.Set<Long> outsideObjectsAtStart(Connection c, String schema) throws SQLException {
        return null;
    }

    /**
     * In an undo's or restore's transaction, after its statements and before {@link #verifyAndEndUndo}
     * (the journal rows of {@code undone} and {@code redone} are still there): makes the objects
     * outside the tables agree with the rows put back, as they were at the checkpoint whose
     * {@link #outsideObjects} is {@code target} (null: not known, nothing done), or throws. Default:
     * nothing to do.
     */
    public void reconcileOutsideObjects(Connection c, String schema, java.util.Collection<String> tracked,
            List<JournalEntry> undone, List<JournalEntry> redone, java.util.Set<Long> target) throws SQLException {
    }

    /**
     * The end of an undo's or a restore's transaction before its commit: {@link #verifyRestore} of
     * {@code undone} and {@code redone} (for an undo, {@code redone} is empty), then the deletion of
     * the undone entries {@code after < id <= upTo} (none when {@code upTo} is null) and
     * {@link #endUndo}. Default: those calls in that order; a dialect may send them in one round trip,
     * the check first (it reads the entries' images).
     */
    public void verifyAndEndUndo(Connection c, String schema, List<JournalEntry> undone, List<JournalEntry> redone,
            List<ForeignKey> foreignKeys, long after, Long upTo) throws SQLException {
        verifyRestore(c, schema, undone, redone, foreignKeys);
        if (upTo != null) {
            deleteEntries(c, schema, after, upTo);
        }
        endUndo(c);
    }

    /**
     * A description of each given table's shape (columns, types, key) as the catalog has it now;
     * a table that no longer exists is absent. {@link Journal} compares it with the shape the
     * triggers were installed for, to notice DDL during the run.
     */
    public java.util.Map<String, String> shapes(Connection c, String schema, java.util.Collection<String> tables)
            throws SQLException {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        List<String> now = currentTables(c, schema);
        for (String t : tables) {
            if (now.contains(t)) {
                out.put(t, describe(c, schema, t).shape());
            }
        }
        return out;
    }

    /**
     * What the checks before a checkpoint, rollback or restore read from the catalog: the base tables
     * of the schema ({@link #currentTables}), the shapes of {@code tracked} ({@link #shapes}) and the
     * journal triggers' fingerprint ({@link #triggerState}). Default: the three reads one after the
     * other; a dialect overrides it to read them in one round trip, with exactly the same queries.
     */
    public Catalog catalog(Connection c, String schema, java.util.Collection<String> tracked) throws SQLException {
        return new Catalog(currentTables(c, schema), shapes(c, schema, tracked), triggerState(c, schema), null, null, null,
                definitions(c, schema));
    }

    /**
     * The catalog rows of the definitions whose changes the triggers cannot see and the journal does not
     * undo, although the data it restores depends on them (see {@link DefinitionWatch}); null where the
     * dialect does not read them (the default).
     */
    public DefinitionWatch.Marks definitions(Connection c, String schema) throws SQLException {
        return null;
    }

    /**
     * {@link #catalog(Connection, String, java.util.Collection)}, and where the dialect can read them in
     * the same round trip, the journal's {@link #position} ({@code withPosition}) and the foreign keys
     * {@link #verifyUndo} checks ({@code withForeignKeys}). Default: the catalog alone (both null: the
     * caller reads them when it needs them).
     */
    public Catalog catalog(Connection c, String schema, java.util.Collection<String> tracked, boolean withPosition,
            boolean withForeignKeys) throws SQLException {
        return catalog(c, schema, tracked);
    }

    /**
     * {@link #catalog(Connection, String, java.util.Collection, boolean, boolean)}, and what {@code with} asks
     * beyond it where the dialect can send it in the same round trip: the entries to undo with their
     * copies and then {@link #beginUndo} ({@link Catalog#entries}), the end of the read's transaction
     * ({@link Catalog#committed}). Default: the catalog and what that method reads, nothing more (the
     * caller reads the entries and commits itself).
     */
    public Catalog catalog(Connection c, String schema, java.util.Collection<String> tracked, CatalogWith with)
            throws SQLException {
        return catalog(c, schema, tracked, with.position(), with.foreignKeys());
    }

    /**
     * What a checkpoint, rollback or restore asks of {@link #catalog(Connection, String, java.util.Collection,
     * CatalogWith)} besides the catalog.
     *
     * @param position     the journal's {@link #position}
     * @param foreignKeys  the foreign keys {@link #verifyUndo} checks
     * @param entriesAfter null, or: {@link #entriesAndCopiesAfterThenBeginUndo} of the entries after this
     *                     position, with copies up to {@code copyUpTo}; only for a caller whose transaction
     *                     goes on after the read (it undoes in it, or rolls it back)
     * @param copyUpTo     see {@code entriesAfter}
     * @param commit       end the read's transaction (commit) in the same round trip; never with {@code entriesAfter}
     */
    public record CatalogWith(boolean position, boolean foreignKeys, Long entriesAfter, long copyUpTo, boolean commit) {

        public CatalogWith {
            if (commit && entriesAfter != null) {
                throw new IllegalArgumentException("The undo's entries are read for the transaction that undoes them");
            }
        }

        /** The catalog with the position and foreign keys as asked, nothing else. */
        public static CatalogWith only(boolean position, boolean foreignKeys) {
            return new CatalogWith(position, foreignKeys, null, 0, false);
        }

        /** This request without the entries and without the commit. */
        public CatalogWith alone() {
            return only(position, foreignKeys);
        }
    }

    /**
     * Whether {@link Journal} restores the counters inside the undo's or restore's transaction, after
     * {@link #verifyAndEndUndo} and before the commit, instead of in a transaction of their own after it.
     * Only for a dialect whose counters' restore never commits by itself and whose {@link #endUndo} leaves
     * nothing for the commit to check (deferred constraints checked already): the counters are not
     * transactional, so a commit that failed after them would leave them moved. Default false.
     */
    public boolean countersInUndoTransaction() {
        return false;
    }

    /**
     * Whether a checkpoint may read the counters with the connection in auto-commit mode, after the
     * catalog's transaction ended: the read then needs no transaction of its own to end (one round trip
     * less). Default false.
     */
    public boolean countersReadInAutoCommit() {
        return false;
    }

    /**
     * The result of {@link #catalog}: each part exactly what its own method returns.
     *
     * @param position    the journal's {@link #position} in the same snapshot, or null when not read
     * @param foreignKeys the foreign keys of the schema (as child or parent), or null when not read
     * @param writers     other sessions holding uncommitted writes to tables of the schema, as table name and
     *                    a description of the session (PostgreSQL, read in the same snapshot), or null when
     *                    the dialect does not read them
     * @param definitions what {@link #definitions} returns, in the same snapshot (null: not read)
     * @param entries     what {@link CatalogWith#entriesAfter} asked, read after the catalog in the same round
     *                    trip (null: not read, the caller reads them)
     * @param committed   whether the read's transaction was ended ({@link CatalogWith#commit})
     */
    public record Catalog(List<String> tables, java.util.Map<String, String> shapes,
                          java.util.Map<String, String> triggers, Long position, List<ForeignKey> foreignKeys,
                          List<String[]> writers, DefinitionWatch.Marks definitions, EntriesAndCopies entries,
                          boolean committed) {

        /** A catalog read without the entries, whose transaction goes on. */
        public Catalog(List<String> tables, java.util.Map<String, String> shapes, java.util.Map<String, String> triggers,
                       Long position, List<ForeignKey> foreignKeys, List<String[]> writers, DefinitionWatch.Marks definitions) {
            this(tables, shapes, triggers, position, foreignKeys, writers, definitions, null, false);
        }
    }

    /** A foreign key {@link #verifyUndo} checks: the child's columns, the parent's, and the child's primary key. */
    public record ForeignKey(String name, String childSchema, String child, String parentSchema, String parent,
                             List<String> childColumns, List<String> parentColumns, List<String> childKey) {
    }

    /**
     * Whether every statement of a transaction on {@code c} reads what was committed before it began
     * (READ COMMITTED): then the catalog read before a checkpoint, rollback or restore may stay in the
     * transaction that reads the journal and undoes it, instead of ending in a commit of its own (one
     * round trip less). Default false: under a snapshot kept for the transaction the journal read would
     * miss entries committed after the catalog read.
     */
    public boolean eachStatementSeesLatestCommits(Connection c) throws SQLException {
        return false;
    }

    /**
     * Whether the database checks foreign keys while the undo runs (so the order of the undo
     * matters to them); {@link Journal} then retries a failed undo once in another order.
     */
    public boolean foreignKeysCheckedDuringUndo() {
        return false;
    }

    /**
     * Whether the foreign keys' {@code ON UPDATE}/{@code ON DELETE} actions run during the undo (so
     * that undoing a parent's key change also changes its children, whose own entries then no longer
     * match); {@link Journal} then retries an undo that met such a row entry by entry. Default:
     * {@link #foreignKeysCheckedDuringUndo}.
     */
    public boolean foreignKeyActionsDuringUndo() {
        return foreignKeysCheckedDuringUndo();
    }

    /**
     * The database's own values that no trigger sees and a rollback puts back (SQLite's
     * {@code user_version} and {@code application_id}), by name; read with each checkpoint, so one
     * cheap read. Default: none.
     */
    public java.util.Map<String, Long> headerValues(Connection c) throws SQLException {
        return java.util.Map.of();
    }

    /**
     * Puts back, in the undo's transaction, the {@link #headerValues} that differ from {@code saved}.
     * Default: nothing.
     */
    public void restoreHeaderValues(Connection c, java.util.Map<String, Long> saved) throws SQLException {
    }

    /**
     * Called after each transaction of the journal's connection has ended (committed, rolled back, or a
     * read ended): puts back what {@link #beginWriting} changed on the connection for that transaction
     * only. Default: nothing.
     */
    public void afterTransaction(Connection c) throws SQLException {
    }

    /** Called after an undo transaction was rolled back: clear what {@link #beginReplay} set outside the transaction. */
    public void afterFailedReplay(Connection c) throws SQLException {
    }

    /**
     * An id per table that changes when the table is emptied behind the triggers' back (InnoDB's
     * table id changes on {@code TRUNCATE}); empty where that cannot happen or cannot be seen.
     */
    public java.util.Map<String, Long> tableIds(Connection c, String schema) throws SQLException {
        return java.util.Map.of();
    }

    /**
     * The tables of {@code tables} whose emptying by {@code TRUNCATE} {@link #tableIds} cannot see
     * ({@code ids}: what it read at {@code connect()}), and whose contents' digest
     * ({@code JdbcDialect.tableDigests}) {@code disconnect()} therefore compares after its undo, so that
     * a TRUNCATE nothing could detect during the run still fails the run instead of leaving its rows
     * gone silently. Empty (the default) where {@code tableIds} sees every table, or where a TRUNCATE
     * fires the journal's triggers (PostgreSQL), or cannot happen behind them.
     */
    public List<String> tablesWhereTruncateUnseen(java.util.Collection<String> tables, java.util.Map<String, Long> ids) {
        return List.of();
    }

    /** Re-inserts the rows removed by the delete entries {@code ids} (newest first). @return rows inserted */
    public abstract int undoDeletes(Connection c, String schema, TableMeta t, List<Long> ids) throws SQLException;

    /** Deletes the rows added by the insert entries {@code ids} (newest first). @return rows deleted */
    public abstract int undoInserts(Connection c, String schema, TableMeta t, List<Long> ids) throws SQLException;

    /** Puts back the row changed by the update entry {@code id}. @return rows updated (1 when consistent) */
    public abstract int undoUpdate(Connection c, String schema, TableMeta t, long id) throws SQLException;

    /**
     * Puts back the rows changed by the update entries {@code ids}, in that order (newest first).
     * @return rows updated per entry (each 1 when consistent). By default one statement per entry;
     * a dialect whose driver pipelines batches overrides it to save a round trip per row.
     */
    public int[] undoUpdates(Connection c, String schema, TableMeta t, List<Long> ids) throws SQLException {
        int[] counts = new int[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            counts[i] = undoUpdate(c, schema, t, ids.get(i));
        }
        return counts;
    }

    /**
     * Whether the row the update entry {@code id} changed is, now, exactly as its old image says
     * (found by the image's key; false for a table without a key). Asked only where the undo runs
     * with foreign key actions running ({@link #foreignKeyActionsDuringUndo}): there the undo of a
     * parent's key change runs its {@code ON UPDATE CASCADE}, which puts the children's rows back
     * before their own entries are reached. Default: false.
     */
    public boolean atOldImage(Connection c, String schema, TableMeta t, long id) throws SQLException {
        return false;
    }

    /**
     * The last try of the entry-by-entry undo for the update entry {@code id} whose row is neither as
     * its new image says (its undo updated 0 rows) nor as its old one ({@link #atOldImage}), where
     * foreign key actions run during the undo ({@link #foreignKeyActionsDuringUndo}): puts the old image
     * back on the one row that is exactly as the new image says except that the columns of the table's
     * foreign keys with {@code ON UPDATE CASCADE} hold the old image's values, which is what the undo of
     * the parent's key change cascaded into a row whose entry also changed other columns (an
     * application {@code BEFORE} trigger that set {@code updated_at}, silent during the undo). Any other
     * difference still matches no row. Default: 0, nothing done.
     *
     * @return rows updated (0 or 1)
     */
    public int undoUpdateAfterCascade(Connection c, String schema, TableMeta t, long id) throws SQLException {
        return 0;
    }

    /**
     * The last try of the entry-by-entry undo for the insert entry {@code id} (a redone delete, when
     * {@link #mirror mirrored}) whose row its undo did not find, where foreign key actions run during the
     * undo ({@link #foreignKeyActionsDuringUndo}): whether the row is exactly as the undo would leave it,
     * gone, because an {@code ON DELETE CASCADE} of the table's foreign keys removed it first (the redo
     * of the parent's delete runs it before the child's own entry is reached). True only where the table
     * has such a foreign key and a key, and no row has the image's key; a table without a key (a row is
     * its whole value, duplicates possible) is not judged. Default: false.
     */
    public boolean goneByCascade(Connection c, String schema, TableMeta t, long id) throws SQLException {
        return false;
    }

    /**
     * Tried by the entry-by-entry undo, where foreign key actions run during the undo
     * ({@link #foreignKeyActionsDuringUndo}), before the insert entry {@code insertId} of table
     * {@code inserted} whose entry just before in the undo's order is the delete entry {@code deleteId}
     * of another table {@code deleted}: where both tables are partitions of one partitioned table
     * (an {@code UPDATE} that moved a row between partitions is journaled as a delete from the one and
     * an insert into the other), moves the row back with one {@code UPDATE} through that table, so that
     * the foreign keys referencing it see a key change (their {@code ON UPDATE} action) and not a delete
     * (an {@code ON DELETE CASCADE} would remove the children whose own entries wait to be put back).
     * True only when exactly the inserted image's row was moved and is now in {@code deleted} exactly as
     * the deleted image says; the caller rolls back to its savepoint otherwise. Default: false.
     */
    public boolean undoPartitionMove(Connection c, String schema, TableMeta inserted, long insertId, TableMeta deleted,
            long deleteId) throws SQLException {
        return false;
    }

    // ---- redo (restoring a checkpoint on another branch) ---------------------------------------

    /**
     * A journal row copied into the JVM while its change is undone but may be redone later (a
     * checkpoint on the branch being left still needs it). Only {@link Journal} holds these: they
     * never pass through anything another login can write.
     *
     * @param table  the tracked table
     * @param op     {@code I}, {@code U} or {@code D}
     * @param oldRow the old image as the journal stores it (text), or null
     * @param newRow the new image as the journal stores it (text), or null
     * @param side   dialect-specific parts stored beside the row (MySQL's large values: side, column, bytes)
     */
    public record Stashed(String table, char op, String oldRow, String newRow, List<Object[]> side) {
    }

    /** Copies the journal rows of {@code entries} (oldest first) into the JVM, in that order. */
    public abstract List<Stashed> stash(Connection c, String schema, List<JournalEntry> entries) throws SQLException;

    /**
     * What a restore reads before its undo: {@link #entriesAfter} {@code position}, and the journal rows
     * of those entries with {@code id <= copyUpTo} (the segments of the checkpoints it leaves) as
     * {@link #stash} copies them, by entry id. Default: the entries only, {@code copies} null, and the
     * caller stashes each segment; a dialect may read both in one round trip.
     */
    public EntriesAndCopies entriesAndCopiesAfter(Connection c, String schema, long position, long copyUpTo)
            throws SQLException {
        return new EntriesAndCopies(entriesAfter(c, schema, position), null, false);
    }

    /**
     * {@link #entriesAndCopiesAfter}, then, where the dialect can send it in the same round trip,
     * {@link #beginUndo} ({@code undoBegun} says whether it ran; if not, the caller runs it). For a
     * restore, which always undoes and redoes in this transaction and ends it with {@link #endUndo}
     * or a rollback. Default: the read alone.
     */
    public EntriesAndCopies entriesAndCopiesAfterThenBeginUndo(Connection c, String schema, long position,
            long copyUpTo) throws SQLException {
        return entriesAndCopiesAfter(c, schema, position, copyUpTo);
    }

    /**
     * The result of {@link #entriesAndCopiesAfter}; {@code copies} null where the dialect did not read
     * them; {@code undoBegun} whether {@link #beginUndo} ran with the read.
     */
    public record EntriesAndCopies(List<JournalEntry> entries, java.util.Map<Long, Stashed> copies, boolean undoBegun) {
    }

    /**
     * Writes {@code rows} back into the journal as new entries, oldest first (so the journal's order
     * is still the order the changes were applied in), without applying them.
     *
     * @return the new entries, in the same order
     */
    public abstract List<JournalEntry> unstash(Connection c, String schema, List<Stashed> rows) throws SQLException;

    /** Whether the undo statements read the images swapped (see {@link #mirror}). */
    private boolean mirrored;

    /**
     * While on, every undo statement ({@link #undoDeletes}, {@link #undoInserts}, {@link #undoUpdates},
     * {@link #verifyUndo}) reads an entry's new image where it reads the old one and the other way
     * round, and applies a block in journal order instead of newest first: handed an entry with the
     * inverse operation ({@code I}↔{@code D}), it then redoes the change the entry recorded. That
     * way a redo runs the same statements, checks and ordering as the undo.
     */
    public final void mirror(boolean on) {
        mirrored = on;
    }

    /** Whether {@link #mirror} is on. */
    protected final boolean mirrored() {
        return mirrored;
    }

    /** The image column an undo restores from: {@code old_row}, or {@code new_row} while {@link #mirror mirrored}. */
    protected final String oldImage() {
        return oldImage(mirrored);
    }

    /** The image column an undo matches the current row with: {@code new_row}, or {@code old_row} while mirrored. */
    protected final String newImage() {
        return newImage(mirrored);
    }

    /** {@link #oldImage()} for entries applied with {@link #mirror} {@code on} or off. */
    protected static String oldImage(boolean mirrored) {
        return mirrored ? "new_row" : "old_row";
    }

    /** {@link #newImage()} for entries applied with {@link #mirror} {@code on} or off. */
    protected static String newImage(boolean mirrored) {
        return mirrored ? "old_row" : "new_row";
    }

    /**
     * The row images of journal entries {@code ids} of table {@code t}, for reports: id → before and
     * after, each column → value as text ({@code null} for SQL NULL, binary as {@code 0x…}), in table
     * order; a side the entry has not (the before of an insert) is {@code null}. Read-only.
     */
    public abstract java.util.Map<Long, Images> displayImages(Connection c, String schema, TableMeta t, List<Long> ids)
            throws SQLException;

    /** The two images of one journal entry as text; either may be {@code null}. */
    public record Images(java.util.Map<String, String> before, java.util.Map<String, String> after) {
    }

    /** Deletes the journal rows of {@code schema} with {@code after < id <= upTo}. */
    public abstract void deleteEntries(Connection c, String schema, long after, long upTo) throws SQLException;

    /**
     * The tables among {@code tables} whose journal triggers this session could create but not
     * remove again (PostgreSQL: only the table's owner may drop a trigger, the {@code TRIGGER}
     * privilege only creates them). {@link Journal} refuses to install anything then.
     */
    public List<String> triggersNotRemovable(Connection c, String schema, List<String> tables) throws SQLException {
        return List.of();
    }

    /**
     * A fingerprint of every journal trigger of {@code schema} (and of what it runs), keyed by
     * {@code table.trigger}: {@link Journal} compares it with the one taken when the triggers were
     * installed, so that a trigger dropped, disabled or replaced during the run is noticed at the
     * next checkpoint or rollback instead of making the undo silently partial.
     */
    public java.util.Map<String, String> triggerState(Connection c, String schema) throws SQLException {
        return java.util.Map.of();
    }

    /**
     * Ids among {@code entries} whose row images are not what a trigger of this run writes (values
     * that are not plain SQL literals where the undo splices literals into SQL): never applied.
     */
    public java.util.Set<Long> malformedEntries(Connection c, String schema, List<JournalEntry> entries)
            throws SQLException {
        return java.util.Set.of();
    }

    /**
     * Whether a change can bypass the triggers unseen ({@code TRUNCATE} on MySQL). When true, an undo
     * that finds a journaled row missing says that a {@code TRUNCATE} is the likely cause.
     */
    public boolean truncateInvisible() {
        return false;
    }

    /** The quoted identifier. */
    public abstract String quote(String identifier);

    /** {@code schema.table} quoted (just the table where schemas do not apply). */
    public abstract String qualify(String schema, String table);

    /**
     * Drops the journal triggers among {@code states} ({@link #triggerState} values this run read) that are
     * still in the database on a table outside the schema: one moved away during the run took them along.
     * Nothing by default: where a table cannot leave the schema with its triggers.
     */
    public void dropMovedTriggers(Connection c, java.util.Collection<String> states) throws SQLException {
    }

    /**
     * The counters of objects created during the run, as a restore to a checkpoint from before them must set
     * them: as a freshly created table or sequence has them, not yet used. Keyed and valued as the dialect's
     * {@code captureSequences} snapshot, to be put back with the checkpoint's own. A table or sequence made
     * during the run stays (DDL is not undone), and an undo leaves such a table empty or refuses; until
     * 2026-12-06 its counter kept the run's value, so the next path got other ids than the first (a table's
     * {@code AUTO_INCREMENT} or {@code sqlite_sequence} row, a {@code CREATE SEQUENCE IF NOT EXISTS} of the
     * application's). Empty by default.
     *
     * @param createdTables journaled tables that did not exist at the checkpoint (each empty after the undo)
     * @param createdSequences sequences of the schema created during the run (keyed as the snapshot), each with its
     *                         start value ({@link DefinitionWatch}: PostgreSQL, MariaDB)
     * @param started what {@link #startingCounters} read of the tables of {@code createdTables} when they were picked up
     */
    public Map<String, String> freshCounters(java.util.Collection<String> createdTables, Map<String, Long> createdSequences,
                                             Map<String, String> started) {
        return Map.of();
    }

    /**
     * The database's sequences outside {@code schema} at {@code connect()}, identified as
     * {@link DefinitionWatch.Marks#sequences} writes them ({@code oid n}): one of them moved into the schema during
     * the run was not created by it, and its counter is not set back to its start. Empty by default: a dialect
     * whose sequences have no identity but their name (MariaDB), or none (SQLite).
     */
    public Set<String> sequencesElsewhere(Connection c, String schema) throws SQLException {
        return Set.of();
    }

    /**
     * The schema's materialized views as {@link DefinitionWatch.Marks#matviews} has them, read alone (after a refresh,
     * at {@code reset()}). Empty by default: a dialect without materialized views.
     */
    public Map<String, String> matviewMarks(Connection c, String schema) throws SQLException {
        return Map.of();
    }

    /**
     * A digest of a materialized view's contents ({@code qualified}: its quoted, qualified name), equal for equal
     * rows in any order (duplicates counted). Only called where {@link #matviewMarks} found views.
     */
    public String matviewDigest(Connection c, String qualified) throws SQLException {
        throw new UnsupportedOperationException(name() + " has no materialized views");
    }

    /** Refreshes a materialized view ({@code withData} false: empties it, unpopulated) in the current transaction. */
    public void refreshMatview(Connection c, String qualified, boolean withData) throws SQLException {
        throw new UnsupportedOperationException(name() + " has no materialized views");
    }

    /**
     * The labels of the enum types created in {@code schema} and of the types {@code alsoTypes} (their oids), each as
     * type oid, type name, label oid, label. Empty by default: a dialect without enum types that outlive a run's
     * undo (MySQL's enums are column definitions, watched with them).
     */
    public List<String[]> enumLabels(Connection c, String schema, java.util.Collection<String> alsoTypes) throws SQLException {
        return List.of();
    }

    /**
     * The counters that {@code tables}, created during the run and picked up just now, had when they were created,
     * keyed and valued as {@link #freshCounters}, for those whose value the database still shows (a table nothing
     * was written to yet); read once, right after their triggers were installed. Empty by default: where a new
     * table's counter always starts the same way ({@link #freshCounters} knows it).
     */
    public Map<String, String> startingCounters(Connection c, String schema, java.util.Collection<String> tables) throws SQLException {
        return Map.of();
    }

    /**
     * The counters of {@code counters} that the database hands out from blocks each session caches
     * ({@code "name (CACHE n)"}), which a restore cannot put back for the application's sessions. Empty by
     * default: a dialect whose restore reaches every session.
     */
    public List<String> sessionCachedCounters(Connection c, SequenceSnapshot counters) throws SQLException {
        return List.of();
    }

    /**
     * How many rows each of {@code tables} holds, counted up to {@code limit} (a table that holds more
     * shows {@code limit}), in one statement: the tables created during the run that an undo must leave
     * empty ({@link Journal}). Reads in the caller's transaction.
     */
    public java.util.Map<String, Long> rowCounts(Connection c, String schema, List<String> tables, long limit)
            throws SQLException {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        if (tables.isEmpty()) {
            return out;
        }
        // At most 400 tables a statement: SQLite refuses a compound SELECT of more than 500 terms.
        for (int from = 0; from < tables.size(); from += 400) {
            StringBuilder q = new StringBuilder();
            for (int i = from; i < Math.min(tables.size(), from + 400); i++) {
                q.append(i == from ? "" : " union all ").append("select ").append(i).append(", count(*) from (select 1 as x from ")
                        .append(qualify(schema, tables.get(i))).append(" limit ").append(limit).append(") r").append(i);
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(q.toString())) {
                while (rs.next()) {
                    out.put(tables.get(rs.getInt(1)), rs.getLong(2));
                }
            }
        }
        return out;
    }

    // ---- helpers ----------------------------------------------------------------------------

    protected static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    protected static long queryLong(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }
    }

    protected static List<String> queryStrings(Connection c, String sql, Object... params) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The first two columns of every row, as a map in the rows' order (a later duplicate key wins). */
    protected static java.util.Map<String, String> queryPairs(Connection c, String sql, Object... params) throws SQLException {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    protected static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    protected static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    protected static List<JournalEntry> readEntries(Connection c, String sql, Object... params) throws SQLException {
        List<JournalEntry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new JournalEntry(rs.getLong(1), rs.getString(2), rs.getString(3).charAt(0)));
                }
            }
        }
        return out;
    }
}
