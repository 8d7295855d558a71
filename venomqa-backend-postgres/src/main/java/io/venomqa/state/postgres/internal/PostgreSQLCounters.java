package io.venomqa.state.postgres.internal;

import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.PooledSequences;
import io.venomqa.state.jdbc.spi.SequenceSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PostgreSQL's identity counters, exactly: every sequence of the schema, of the search path and that a
 * column default there draws from (see refresh), as {@code last_value:is_called}
 * (so that {@code setval} gives back the very next value, also for a sequence never called),
 * keyed by {@code quote_ident(schema).quote_ident(name)}. Used by both checkpoint strategies
 * through {@code PostgreSQLDialect}.
 *
 * <p>Speed without losing exactness (benchmark row 1): the list of sequences and the column each
 * belongs to are kept with the session, checked at every capture against a fingerprint of
 * {@code pg_sequence} (the sum of its oids, a scan of a table with one row per sequence of the
 * database, with the column defaults drawing from each and the search path) read in the same statement
 * as the values, and read again when it changed, so a sequence created or dropped between two
 * checkpoints is seen, and so is a default re-pointed at another sequence or a search path changed. A capture after a savepoint and a
 * restore after {@code ROLLBACK TO} go to the server in the same round trip as that statement.
 * Whatever fails on the fast path (a sequence renamed or dropped behind the cached list) is rolled
 * back to a savepoint and done again from a fresh catalog read.
 */
public final class PostgreSQLCounters {

    private static final Logger LOG = LoggerFactory.getLogger(PostgreSQLCounters.class);

    private static final String CACHE_KEY = "postgresql.counters";
    /** Savepoint guarding a capture or restore run inside the caller's transaction. */
    private static final String GUARD = "venomqa_counters";
    /**
     * One row, index -1: the sum of the oids of the database's sequences and of their names' hashes,
     * shaped like the values query's rows so that one statement reads both. A sequence created raises
     * it, one dropped lowers it (a new sequence never gets the oid of one just dropped: oids are handed
     * out in increasing order until they wrap at 2^32), one renamed changes it: the prepared capture
     * reads sequences by oid, so a rename would otherwise keep the old name in the snapshot. Each name
     * is looked up by oid (an index scan): a join let the planner scan all of {@code pg_class} at every
     * checkpoint, which costs with the catalog's size, not the sequences' (5.5 ms against 0.07 ms on
     * this server's bloated catalog, with one sequence).
     */
    private static final String FINGERPRINT = "select -1, (coalesce(sum(s.seqrelid::int8 + hashtext((select "
            + "c.relnamespace::text || '.' || c.relname from pg_class c where c.oid = s.seqrelid)) "
            // Which sequences are taken also follows the column defaults that draw from them and the search
            // path (see refresh): a default re-pointed at a sequence that already exists, or a search path set,
            // creates no sequence. The defaults are looked up by sequence, in pg_depend's reference index: with
            // a plain "classid =" the planner took the depender index and scanned every default of the
            // database for each sequence (the cast keeps it off that index).
            + "+ coalesce((select sum(d.objid::int8) from pg_depend d where d.refclassid = 'pg_class'::regclass "
            + "and d.refobjid = s.seqrelid and d.classid::int8 = 'pg_attrdef'::regclass::oid::int8), 0)), 0) "
            + "+ hashtext(current_schemas(false)::text))::bigint, false from pg_sequence s";

    /**
     * Condition on {@code pg_attribute a}: the column holds integers ({@code smallint}, {@code integer},
     * {@code bigint}, or a domain over one). Only such an owner column is compared with the ids a sequence
     * handed out (the guard of {@link #restoreQuery}): a sequence may be OWNED BY a column of any type (a
     * {@code text} column whose default is {@code 'ORD-' || nextval(...)}), and comparing that column with a
     * {@code bigint} fails every rollback ({@code operator does not exist: text >= bigint}). Such a sequence
     * is put back exactly, as one that belongs to no column.
     */
    private static final String INTEGER_COLUMN = "(select coalesce(nullif(ty.typbasetype, 0), ty.oid) from pg_catalog.pg_type ty "
            + "where ty.oid = a.atttypid) in ('pg_catalog.int2'::regtype, 'pg_catalog.int4'::regtype, 'pg_catalog.int8'::regtype)";

    /**
     * Column 8 of the sequence list: whether the sequence is an application's id pool, left where the application
     * takes it ({@link PooledSequences}): it steps by more than 1 and no column default draws from it (nor, read
     * in the list's column 2, does a column own it).
     */
    private static final String POOLED = "(select abs(q.seqincrement) > 1 from pg_catalog.pg_sequence q where q.seqrelid = s.oid) "
            + "and not exists (select from pg_catalog.pg_depend dd where dd.classid = 'pg_catalog.pg_attrdef'::regclass "
            + "and dd.refclassid = 'pg_catalog.pg_class'::regclass and dd.refobjid = s.oid)";

    /** A sequence and, when it belongs to a column of an integer type (serial, identity, OWNED BY), that column. */
    private record Sequence(String key, String ownerTable, String ownerColumn, String ownerSchemaName, String ownerName) {

        /** Whether its owner table's rows were put back exactly by the caller: then no row can hold an id it handed out since. */
        boolean exact(JdbcSession session, Set<String> exactTables) {
            return ownerTable != null && session.schemaName().equals(ownerSchemaName) && exactTables.contains(ownerName);
        }
    }

    /**
     * What the session keeps: the schema's sequences as of {@code fingerprint}; null until first read.
     * {@code captureStatement} and {@code restoreStatement} name the server-side prepared statements
     * (PREPARE, which lasts for the session whatever is rolled back) of the capture and of the restore
     * of exactly that list, once they exist.
     */
    private static final class Known {
        String fingerprint;
        List<Sequence> sequences;
        /** The application's id pools left alone (see {@link #POOLED}), as last logged. */
        List<String> pooled = List.of();
        String captureStatement;
        String restoreStatement;

        void forgetStatements() {
            captureStatement = null;
            restoreStatement = null;
        }
    }

    /**
     * Names of prepared statements, unique in the JVM: a session whose cache was dropped (the schema
     * introspected again) may still hold an earlier list's statements, and a new name never meets them.
     */
    private static final AtomicLong STATEMENTS = new AtomicLong();

    private PostgreSQLCounters() {
    }

    // ---- capture ----------------------------------------------------------------------------------

    /**
     * The counters now. {@code savepoint}, when not null, is set first, in the same round trip, and
     * rolled back and released again when the capture fails. Inside a transaction the capture leaves
     * it usable whatever fails.
     */
    public static SequenceSnapshot capture(JdbcSession session, String savepoint) throws SQLException {
        Connection c = session.connection();
        boolean wrap = savepoint == null && !c.getAutoCommit();
        Known known = known(session);
        boolean savepointSet = false;
        if (known.sequences != null) {
            try {
                savepointSet = savepoint != null;
                SequenceSnapshot fast = fastCapture(c, known, savepoint, wrap);
                if (fast != null) {
                    return fast;
                }
            } catch (SQLException e) {
                // A sequence of the cached list was renamed or dropped: undo the batch, read the catalog again.
                if (savepoint != null) {
                    try {
                        exec(c, "ROLLBACK TO SAVEPOINT " + savepoint);
                    } catch (SQLException savepointNeverSet) {
                        e.addSuppressed(savepointNeverSet);
                        throw e;
                    }
                } else if (wrap) {
                    recover(c, GUARD, true, e);
                }
            }
        }
        if (savepoint != null && !savepointSet) {
            exec(c, "SAVEPOINT " + savepoint);
        }
        if (wrap) {
            exec(c, "SAVEPOINT " + GUARD);
        }
        try {
            refresh(session, known);
            SequenceSnapshot fresh = readValues(c, known.sequences);
            if (wrap) {
                exec(c, "RELEASE SAVEPOINT " + GUARD);
            }
            return fresh;
        } catch (SQLException | RuntimeException e) {
            known.sequences = null;
            if (savepoint != null || wrap) {
                recover(c, savepoint != null ? savepoint : GUARD, true, e);
            }
            throw e;
        }
    }

    /** One round trip: [savepoint,] fingerprint and values; null when the fingerprint says the list is stale. */
    private static SequenceSnapshot fastCapture(Connection c, Known known, String savepoint, boolean wrap)
            throws SQLException {
        StringBuilder sql = new StringBuilder();
        if (savepoint != null) {
            sql.append("SAVEPOINT ").append(savepoint).append(";\n");
        }
        if (wrap) {
            sql.append("SAVEPOINT ").append(GUARD).append(";\n");
        }
        // One statement: the fingerprint row and the values. Prepared on the server once per list of
        // sequences, so that each capture costs an EXECUTE, not a parse and a plan (benchmark row 1: the
        // text around it names a new savepoint every time, so the driver's own statement cache never hits).
        String name = known.captureStatement;
        if (name == null) {
            name = "venomqa_counters_" + STATEMENTS.incrementAndGet();
            sql.append("PREPARE ").append(name).append(" AS ").append(FINGERPRINT);
            if (!known.sequences.isEmpty()) {
                sql.append(" union all ").append(valuesQuery(known.sequences));
            }
            sql.append(";\n");
        }
        sql.append("EXECUTE ").append(name);
        if (wrap) {
            sql.append(";\nRELEASE SAVEPOINT ").append(GUARD);
        }
        try (Statement st = c.createStatement()) {
            nextResultSet(st, st.execute(sql.toString()));
            known.captureStatement = name;
            try (ResultSet rs = st.getResultSet()) {
                return values(rs, known);
            }
        } catch (SQLException e) {
            // Prepared afresh after the catalog is read again (refresh deallocates what is left).
            known.forgetStatements();
            throw e;
        }
    }

    /** Moves {@code st} on to its next result set; {@code isQuery} is what the last move returned. */
    private static void nextResultSet(Statement st, boolean isQuery) throws SQLException {
        while (!isQuery) {
            if (st.getUpdateCount() == -1) {
                throw new SQLException("The counters' query returned no rows");
            }
            isQuery = st.getMoreResults();
        }
    }

    private static SequenceSnapshot readValues(Connection c, List<Sequence> sequences) throws SQLException {
        if (sequences.isEmpty()) {
            return SequenceSnapshot.EMPTY;
        }
        // Read right after the catalog, in the same transaction: a sequence dropped in between fails
        // the capture (and the caller's retry reads the catalog again), never silently.
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(valuesQuery(sequences))) {
            String[] byIndex = new String[sequences.size()];
            while (rs.next()) {
                byIndex[rs.getInt(1)] = rs.getLong(2) + ":" + rs.getBoolean(3);
            }
            return snapshot(sequences, byIndex);
        }
    }

    private static String valuesQuery(List<Sequence> sequences) {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < sequences.size(); i++) {
            // The names come from the catalog through quote_ident, never from user text.
            sql.append(i > 0 ? " union all " : "").append("select ").append(i).append(", last_value, is_called from ")
                    .append(sequences.get(i).key());
        }
        return sql.toString();
    }

    /** The values, or null when the fingerprint row (-1) says the list is stale. */
    private static SequenceSnapshot values(ResultSet rs, Known known) throws SQLException {
        List<Sequence> sequences = known.sequences;
        String[] byIndex = new String[sequences.size()];
        String fingerprint = null;
        while (rs.next()) {
            int i = rs.getInt(1);
            if (i == -1) {
                fingerprint = rs.getString(2);
            } else {
                byIndex[i] = rs.getLong(2) + ":" + rs.getBoolean(3);
            }
        }
        if (!known.fingerprint.equals(fingerprint)) {
            return null; // a sequence was created or dropped somewhere in the database
        }
        return snapshot(sequences, byIndex);
    }

    private static SequenceSnapshot snapshot(List<Sequence> sequences, String[] byIndex) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < byIndex.length; i++) {
            out.put(sequences.get(i).key(), byIndex[i]);
        }
        return new SequenceSnapshot(out);
    }

    private static Known known(JdbcSession session) throws SQLException {
        // Kept with the session (a dialect is stateless), dropped when the schema is introspected again.
        return session.cached(CACHE_KEY, Known.class, s -> new Known());
    }

    /**
     * Reads the fingerprint, then the sequences with the column each belongs to: those of the schema
     * and of every schema on the session's search path (an application calls {@code nextval} on what
     * it finds there), and those that a column default of a table there draws from, wherever they live
     * ({@code default nextval('shared.ids')}): {@code nextval} is not transactional, so each of them is
     * state that a rollback must put back. VenomQA's own schema is never taken.
     *
     * <p>The same read says which of those the session's role may not read ({@code SELECT}) or set
     * ({@code UPDATE}, which {@code setval} needs), for the sequences of the schema and those its tables'
     * columns own or draw from by default; any such sequence fails the call here, naming it and the
     * {@code GRANT}, before a checkpoint depends on it (at {@code connect()} for the sequences there then):
     * until 2026-12-06 connect() passed and the first rollback after the application took an id failed with
     * "permission denied for sequence", and so did {@code disconnect()}. A sequence reached only through the
     * search path is not checked: other schemas there (a shared {@code public}) may hold sequences of other
     * owners that the application never uses.
     */
    private static void refresh(JdbcSession session, Known known) throws SQLException {
        Connection c = session.connection();
        String fingerprint;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(FINGERPRINT)) {
            rs.next();
            fingerprint = rs.getString(2);
        }
        List<Sequence> sequences = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select quote_ident(n.nspname) || '.' || quote_ident(s.relname), o.tbl, o.col, o.sch, o.rel,
                       case when has_sequence_privilege(s.oid, 'SELECT') and has_sequence_privilege(s.oid, 'UPDATE') then null
                            when n.nspname = ? or o.sch = ? or s.oid in (select d.refobjid from pg_depend d
                                join pg_attrdef ad on ad.oid = d.objid join pg_class t on t.oid = ad.adrelid
                                join pg_namespace tn on tn.oid = t.relnamespace where d.classid = 'pg_attrdef'::regclass
                                  and d.refclassid = 'pg_class'::regclass and tn.nspname = ?)
                            then concat_ws(', ', case when not has_sequence_privilege(s.oid, 'SELECT') then 'SELECT' end,
                                 case when not has_sequence_privilege(s.oid, 'UPDATE') then 'UPDATE' end) end,
                       quote_ident(current_user),
                       """ + POOLED + """
                from pg_class s join pg_namespace n on n.oid = s.relnamespace
                left join lateral (
                    select quote_ident(tn.nspname) || '.' || quote_ident(t.relname) as tbl, quote_ident(a.attname) as col,
                           tn.nspname::text as sch, t.relname::text as rel
                    from pg_depend d join pg_class t on t.oid = d.refobjid join pg_namespace tn on tn.oid = t.relnamespace
                    join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
                    where d.classid = 'pg_class'::regclass and d.objid = s.oid and d.refclassid = 'pg_class'::regclass
                      and d.deptype in ('a', 'i') and d.refobjsubid > 0 and """ + INTEGER_COLUMN + """
                    limit 1) o on true
                where s.relkind = 'S' and n.nspname <> 'venomqa' and (n.nspname = ? or n.nspname = any (current_schemas(false))
                    or s.oid in (select d.refobjid from pg_depend d join pg_attrdef ad on ad.oid = d.objid
                        join pg_class t on t.oid = ad.adrelid join pg_namespace tn on tn.oid = t.relnamespace
                        where d.classid = 'pg_attrdef'::regclass and d.refclassid = 'pg_class'::regclass
                          and (tn.nspname = ? or tn.nspname = any (current_schemas(false)))))
                order by 1""")) {
            for (int i = 1; i <= 5; i++) {
                ps.setString(i, session.schemaName());
            }
            List<String> grants = new ArrayList<>();
            List<String> names = new ArrayList<>();
            String role = null;
            List<String> pooled = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(8) && rs.getString(2) == null) {
                        pooled.add(rs.getString(1));
                        continue;
                    }
                    sequences.add(new Sequence(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5)));
                    if (rs.getString(6) != null) {
                        role = rs.getString(7);
                        names.add(rs.getString(1) + " (missing " + rs.getString(6) + ")");
                        grants.add("GRANT " + rs.getString(6) + " ON SEQUENCE " + rs.getString(1) + " TO " + role + ";");
                    }
                }
            }
            if (!grants.isEmpty()) {
                throw new SQLException(unsettable(session, role, names, grants), "42501");
            }
            if (!pooled.isEmpty() && !pooled.equals(known.pooled)) {
                LOG.info(PooledSequences.MESSAGE, pooled);
            }
            known.pooled = pooled;
        }
        known.fingerprint = fingerprint;
        known.sequences = sequences;
        known.forgetStatements();
        deallocateStatements(c);
    }

    /** Why {@link #refresh} refuses the sequences {@code names} and what to run: {@code grants}. */
    private static String unsettable(JdbcSession session, String role, List<String> names, List<String> grants) {
        int shown = Math.min(names.size(), 10);
        String more = names.size() > shown ? " and " + (names.size() - shown) + " more" : "";
        return "VenomQA's role " + role + " may not set " + (names.size() > 1 ? "sequences " : "sequence ")
                + String.join(", ", names.subList(0, shown)) + more + " of schema '" + session.schemaName() + "': a rollback "
                + "puts the schema's sequences back with setval, which needs SELECT and UPDATE on the sequence, so the "
                + "first rollback after the application takes an id from it would fail. Grant what is missing (as the sequence's "
                + "owner or a superuser) and try again: " + String.join(" ", grants.subList(0, shown)) + more
                + " Nothing was changed.";
    }

    /**
     * Deallocates this session's prepared counters statements: those of a list just replaced, and any a
     * failed batch may have left (a failure does not say whether its PREPARE ran). Only on the slow path.
     */
    private static void deallocateStatements(Connection c) throws SQLException {
        StringBuilder sql = new StringBuilder();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select name from pg_prepared_statements where name like 'venomqa\\_counters\\_%'")) {
            while (rs.next()) {
                sql.append("DEALLOCATE ").append(rs.getString(1)).append(";\n"); // our own names: letters, digits, _
            }
        }
        if (!sql.isEmpty()) {
            exec(c, sql.toString());
        }
    }

    // ---- restore ----------------------------------------------------------------------------------

    /**
     * Puts {@code saved} back. {@code rollbackTo}, when not null, is rolled back to first, in the same
     * round trip; its own failure is thrown as the driver reports it. Inside a transaction the restore
     * leaves it usable whatever fails.
     */
    public static void restore(JdbcSession session, String rollbackTo, SequenceSnapshot saved) throws SQLException {
        restore(session, rollbackTo, saved, Set.of());
    }

    /**
     * {@link #restore(JdbcSession, String, SequenceSnapshot)} where the caller put the rows of
     * {@code exactTables} (names in the session's schema) back exactly: the counters those tables own are
     * set to their saved state without the guard, since every row they hold was there when it was saved
     * (one that held an id the counter handed out since is such a row, not an intruder).
     */
    public static void restore(JdbcSession session, String rollbackTo, SequenceSnapshot saved, Set<String> exactTables)
            throws SQLException {
        Connection c = session.connection();
        if (saved.isEmpty()) {
            if (rollbackTo != null) {
                exec(c, "ROLLBACK TO SAVEPOINT " + rollbackTo);
            }
            return;
        }
        boolean wrap = rollbackTo == null && !c.getAutoCommit();
        Known known = known(session);
        List<Sequence> order = inCachedList(known, saved);
        boolean rolledBack = false;
        if (order != null) {
            try {
                fastRestore(session, known, order, saved, rollbackTo, wrap, exactTables);
                return;
            } catch (SQLException e) {
                if (rollbackTo != null && !stillAt(c, rollbackTo, e)) {
                    throw e; // the ROLLBACK TO itself failed (its savepoint is gone): the caller reads e
                }
                if (wrap) {
                    recover(c, GUARD, true, e);
                }
                // A sequence was renamed or dropped behind the cached list: do it from the catalog.
                known.sequences = null;
                rolledBack = true;
            }
        }
        if (rollbackTo != null && !rolledBack) {
            exec(c, "ROLLBACK TO SAVEPOINT " + rollbackTo);
        }
        if (wrap) {
            exec(c, "SAVEPOINT " + GUARD);
        }
        try {
            restoreFromCatalog(session, saved, exactTables);
            if (wrap) {
                exec(c, "RELEASE SAVEPOINT " + GUARD);
            }
        } catch (SQLException | RuntimeException e) {
            if (rollbackTo != null || wrap) {
                recover(c, rollbackTo != null ? rollbackTo : GUARD, rollbackTo == null, e);
            }
            throw e;
        }
    }

    /** The cached entries of {@code saved}'s sequences in its order, or null when one is not in the list. */
    private static List<Sequence> inCachedList(Known known, SequenceSnapshot saved) {
        if (known.sequences == null) {
            return null; // a snapshot of an earlier run (crash recovery), or the list was dropped
        }
        Map<String, Sequence> byKey = new LinkedHashMap<>();
        known.sequences.forEach(s -> byKey.put(s.key(), s));
        List<Sequence> order = new ArrayList<>(saved.values().size());
        for (String key : saved.values().keySet()) {
            Sequence s = byKey.get(key);
            if (s == null) {
                return null;
            }
            order.add(s);
        }
        return order;
    }

    /**
     * One round trip: [ROLLBACK TO,] compare, guard and {@code setval} of every moved sequence. A snapshot
     * of exactly the session's list (the usual case) runs the restore prepared on the server for that
     * list, with the saved values as arguments: the text around it names a new savepoint every time, so
     * the driver's own statement cache never hits, and parsing and planning this query again at every
     * rollback cost more than the rest of the restore (benchmark row 1). Any other snapshot sends the query.
     */
    private static void fastRestore(JdbcSession session, Known known, List<Sequence> order, SequenceSnapshot saved,
            String rollbackTo, boolean wrap, Set<String> exactTables) throws SQLException {
        Connection c = session.connection();
        StringBuilder sql = new StringBuilder();
        if (rollbackTo != null) {
            sql.append("ROLLBACK TO SAVEPOINT ").append(rollbackTo).append(";\n");
        }
        if (wrap) {
            sql.append("SAVEPOINT ").append(GUARD).append(";\n");
        }
        boolean prepared = order.equals(known.sequences);
        String name = known.restoreStatement;
        if (prepared) {
            if (name == null) {
                name = "venomqa_counters_" + STATEMENTS.incrementAndGet();
                sql.append("PREPARE ").append(name).append(parameterTypes(order.size())).append(" AS ")
                        .append(restoreQuery(order, null, null)).append(";\n");
            }
            sql.append("EXECUTE ").append(name).append(arguments(order, saved, guards(session, order, exactTables)));
        } else {
            sql.append(restoreQuery(order, saved, guards(session, order, exactTables)));
        }
        if (wrap) {
            sql.append(";\nRELEASE SAVEPOINT ").append(GUARD);
        }
        try (Statement st = c.createStatement()) {
            nextResultSet(st, st.execute(sql.toString()));
            if (prepared) {
                known.restoreStatement = name;
            }
            try (ResultSet rs = st.getResultSet()) {
                warnGuarded(rs, order, saved);
            }
        } catch (SQLException e) {
            // Prepared afresh after the catalog is read again (refresh deallocates what is left).
            known.forgetStatements();
            throw e;
        }
    }

    /** {@code (bigint, boolean, boolean, …)}: each sequence's saved value, whether it was called, and whether it is guarded. */
    private static String parameterTypes(int sequences) {
        StringBuilder types = new StringBuilder("(");
        for (int i = 0; i < sequences; i++) {
            types.append(i > 0 ? ", " : "").append("bigint, boolean, boolean");
        }
        return types.append(')').toString();
    }

    /** {@code (value, called, guarded, …)} of {@code saved}, in {@code order}: numbers and booleans parsed, never user text. */
    private static String arguments(List<Sequence> order, SequenceSnapshot saved, boolean[] guarded) {
        StringBuilder args = new StringBuilder("(");
        for (int i = 0; i < order.size(); i++) {
            String[] v = saved.values().get(order.get(i).key()).split(":");
            args.append(i > 0 ? ", " : "").append(Long.parseLong(v[0])).append(", ").append(Boolean.parseBoolean(v[1]))
                    .append(", ").append(guarded[i]);
        }
        return args.append(')').toString();
    }

    /** Per sequence of {@code order}: whether the guard applies (its table's rows were not put back exactly). */
    private static boolean[] guards(JdbcSession session, List<Sequence> order, Set<String> exactTables) {
        boolean[] guarded = new boolean[order.size()];
        for (int i = 0; i < guarded.length; i++) {
            guarded[i] = !order.get(i).exact(session, exactTables);
        }
        return guarded;
    }

    /**
     * Whether the batch got past {@code ROLLBACK TO savepoint} before failing: true when rolling back
     * to it again works (it does after a failed restore, not when the savepoint is gone).
     */
    private static boolean stillAt(Connection c, String savepoint, SQLException failure) {
        try {
            exec(c, "ROLLBACK TO SAVEPOINT " + savepoint);
            return true;
        } catch (SQLException e) {
            failure.addSuppressed(e);
            return false;
        }
    }

    /**
     * One statement: for every saved sequence that moved, {@code setval} to its saved state, or past
     * an id it handed out since (between its saved and its present value) that a row the caller's undo
     * did not remove still holds; the rows returned name those. Ids outside that range are not the
     * restore's business: a row that held an id above the counter when it was saved (an explicit
     * {@code insert … values (500, …)}) holds it after the restore as it did before, and moving the
     * counter past it would change the ids of every insert that follows. The range is taken in the
     * sequence's direction (its increment), so a descending sequence is guarded by the smallest such
     * id, and a restore that moves the counter forward (to a later state of the tree, whose rows hold
     * the ids up to its saved value) guards nothing. The
     * lateral read runs only for moved sequences (the filter is on the sequence's own row). With
     * {@code saved} null, the saved state of the i-th sequence is the parameters {@code $(3i+1)} (value)
     * and {@code $(3i+2)} (called), and {@code $(3i+3)} whether it is guarded, for a prepared statement;
     * else {@code guarded} says that.
     */
    private static String restoreQuery(List<Sequence> order, SequenceSnapshot saved, boolean[] guarded) {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < order.size(); i++) {
            Sequence s = order.get(i);
            String value;
            String called;
            String guard;
            if (saved == null) {
                value = "$" + (3 * i + 1);
                called = "$" + (3 * i + 2);
                guard = "$" + (3 * i + 3);
            } else {
                String[] v = saved.values().get(s.key()).split(":");
                value = Long.toString(Long.parseLong(v[0]));
                called = Boolean.toString(Boolean.parseBoolean(v[1]));
                guard = Boolean.toString(guarded[i]);
            }
            // The key comes from the catalog through quote_ident; as a string literal its quotes are doubled.
            String regclass = "'" + s.key().replace("'", "''") + "'::regclass";
            sql.append(i > 0 ? " union all " : "").append("select ").append(i);
            if (s.ownerTable() == null) {
                sql.append(", null::bigint, false, setval(").append(regclass).append(", ").append(value).append(", ")
                        .append(called).append(") from ").append(s.key()).append(" q");
            } else {
                // Taken: the farthest id handed out since the save that a row still holds: in the sequence's
                // direction, after the saved value (from it when it was not called) up to the present one. A
                // restore that moves the counter forward (to a later state of the tree) has an empty range.
                // Then (taken, true), else the saved state: coalesce() and "or" give both at once.
                String column = s.ownerColumn();
                String notCalled = "(case when " + called + " then 0 else 1 end)";
                sql.append(", x.taken, x.taken is not null, setval(").append(regclass).append(", coalesce(x.taken, ")
                        .append(value).append("), ").append(called).append(" or x.taken is not null) from ")
                        .append(s.key()).append(" q cross join lateral (select case when not ").append(guard)
                        .append(" then null when i.seqincrement > 0 then (select max(")
                        .append(column).append(")::bigint from ").append(s.ownerTable()).append(" where ").append(column)
                        .append(" > ").append(value).append(" - ").append(notCalled).append(" and ").append(column)
                        .append(" <= q.last_value) else (select min(").append(column).append(")::bigint from ")
                        .append(s.ownerTable()).append(" where ").append(column).append(" < ").append(value).append(" + ")
                        .append(notCalled).append(" and ").append(column).append(" >= q.last_value) end as taken")
                        .append(" from pg_catalog.pg_sequence i where i.seqrelid = ").append(regclass).append(") x");
            }
            sql.append(" where (q.last_value, q.is_called) is distinct from (").append(value).append("::bigint, ")
                    .append(called).append(")");
        }
        return sql.toString();
    }

    private static void warnGuarded(ResultSet rs, List<Sequence> order, SequenceSnapshot saved) throws SQLException {
        while (rs.next()) {
            if (rs.getBoolean(3)) {
                Sequence s = order.get(rs.getInt(1));
                long taken = rs.getLong(2);
                LOG.warn("Sequence {} was not put back to {}: {}.{} = {}, an id it handed out after that, is held by a "
                        + "row the rollback does not cover. It is set to {} instead, so that the next id is free.", s.key(),
                        saved.values().get(s.key()).split(":")[0], s.ownerTable(), s.ownerColumn(), taken, taken);
            }
        }
    }

    /**
     * The slow, general path: any snapshot (also one parsed from an earlier run's record, with keys
     * in another spelling). Sequences dropped since are skipped; only moved ones are set; each never
     * so that it hands out again an id it handed out since and a row still holds (as {@link #restoreQuery}).
     */
    private static void restoreFromCatalog(JdbcSession session, SequenceSnapshot saved, Set<String> exactTables)
            throws SQLException {
        Connection c = session.connection();
        Map<String, Long> present = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : movedSequences(c, saved, present).entrySet()) {
            String[] v = e.getValue().split(":");
            long value = Long.parseLong(v[0]);
            boolean called = Boolean.parseBoolean(v[1]);
            long now = present.get(e.getKey());
            String column = null;
            String table = null;
            try (PreparedStatement ps = c.prepareStatement("""
                    select quote_ident(a.attname), quote_ident(n.nspname) || '.' || quote_ident(t.relname), n.nspname::text,
                           t.relname::text
                    from pg_depend d join pg_class t on t.oid = d.refobjid join pg_namespace n on n.oid = t.relnamespace
                    join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
                    where d.classid = 'pg_class'::regclass and d.objid = to_regclass(?)
                      and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i') and d.refobjsubid > 0
                      and """ + INTEGER_COLUMN)) {
                ps.setString(1, e.getKey());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && !(session.schemaName().equals(rs.getString(3)) && exactTables.contains(rs.getString(4)))) {
                        column = rs.getString(1);
                        table = rs.getString(2);
                    }
                }
            }
            if (column != null) {
                // Identifiers from the catalog through quote_ident; the numbers are parameters. Handed out since
                // the save, in the sequence's direction: after the saved value (from it when not called) up to now.
                boolean ascending = strings(c, "select (seqincrement > 0)::text from pg_catalog.pg_sequence "
                        + "where seqrelid = to_regclass(?)", e.getKey()).stream().findFirst().map("true"::equals).orElse(true);
                long from = ascending ? (called ? value + 1 : value) : (called ? value - 1 : value);
                try (PreparedStatement ps = c.prepareStatement("select " + (ascending ? "max(" : "min(") + column
                        + ")::text from " + table + " where " + column + " between ? and ?")) {
                    Object[] args = ascending ? new Object[] {from, now} : new Object[] {now, from};
                    for (int i = 0; i < args.length; i++) {
                        ps.setObject(i + 1, args[i]);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        String taken = rs.next() ? rs.getString(1) : null;
                        if (taken != null && taken.matches("-?\\d+")) {
                            LOG.warn("Sequence {} was not put back to {}: {}.{} = {}, an id it handed out after that, is "
                                    + "held by a row the rollback does not cover. It is set to {} instead, so that the next "
                                    + "id is free.", e.getKey(), value, table, column, taken, taken);
                            value = Long.parseLong(taken);
                            called = true;
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select setval(to_regclass(?), ?, ?)")) {
                ps.setString(1, e.getKey());
                ps.setLong(2, value);
                ps.setBoolean(3, called);
                ps.executeQuery().close();
            }
        }
    }

    /**
     * The saved sequences that still exist and no longer hold their saved value, in two queries: a
     * rollback that inserted nothing then sets no sequence (a {@code setval} writes WAL, which the
     * commit would have to flush). A sequence dropped since is skipped instead of failing the rollback.
     * {@code present} gets each moved sequence's {@code last_value} now.
     */
    private static Map<String, String> movedSequences(Connection c, SequenceSnapshot saved, Map<String, Long> present)
            throws SQLException {
        Map<String, String> moved = new LinkedHashMap<>();
        List<String> existing = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select n from unnest(?::text[]) n where to_regclass(n) is not null")) {
            ps.setArray(1, c.createArrayOf("text", saved.values().keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    existing.add(rs.getString(1));
                }
            }
        }
        if (existing.isEmpty()) {
            return moved;
        }
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < existing.size(); i++) {
            sql.append(i > 0 ? " union all " : "").append("select ").append(i).append(", last_value || ':' || is_called, last_value from ")
                    .append(existing.get(i)); // names from the catalog (quote_ident at capture), never from user text
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString()); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String name = existing.get(rs.getInt(1));
                String wanted = saved.values().get(name);
                if (!wanted.equals(rs.getString(2))) {
                    moved.put(name, wanted);
                    present.put(name, rs.getLong(3));
                }
            }
        }
        return moved;
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** Rolls back to {@code savepoint} (and releases it when {@code release}), adding a failure to {@code e}. */
    private static void recover(Connection c, String savepoint, boolean release, Throwable e) {
        try (Statement st = c.createStatement()) {
            st.execute("ROLLBACK TO SAVEPOINT " + savepoint);
            if (release) {
                st.execute("RELEASE SAVEPOINT " + savepoint);
            }
        } catch (SQLException suppressed) {
            e.addSuppressed(suppressed);
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static List<String> strings(Connection c, String sql, Object... params) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
