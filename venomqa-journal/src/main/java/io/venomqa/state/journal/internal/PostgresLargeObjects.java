package io.venomqa.state.journal.internal;

import io.venomqa.state.RollbackException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * PostgreSQL large objects that journaled rows point to. A large object lives in
 * {@code pg_largeobject}, a catalog no trigger sees, so the journal puts back the rows that name
 * it (a column of type {@code oid}, or of a domain over it such as the {@code lo} extension's:
 * what Hibernate 6 maps {@code @Lob} to) and not the object. This class makes the two agree
 * after every undo and restore, in its transaction:
 * <ul>
 * <li>an object that a row image of the undone (or redone) changes named, and that did not exist at
 * the target checkpoint, is removed ({@code lo_unlink}: what the run created; the rows put back are
 * as at that checkpoint, so none of them names it); a copy of it (data, owner, privileges) is kept
 * in {@code venomqa.large_objects} first, so that a restore of a checkpoint that had it brings it
 * back under the same oid;</li>
 * <li>an object that a row put back names, and that existed at the target checkpoint, must exist
 * again: re-created from that copy where VenomQA removed it; otherwise (the application, a
 * {@code lo_manage} trigger or {@code vacuumlo} unlinked it during the run) the undo fails and is
 * rolled back, because the object's contents were never journaled.</li>
 * </ul>
 * An object no table of the schema names any more but another of its tables (one left out of the
 * journal) still does is not removed. The oids at the run's start are kept in the database too
 * ({@link #keepStart}), so that the recovery of a run killed with {@code kill -9} does the same. Not seen: writes into an existing object ({@code lo_put},
 * {@code lowrite}; Hibernate writes a new object instead), and objects no journaled row names.
 * A checkpoint keeps the oids of all the database's large objects (one read of
 * {@code pg_largeobject_metadata}), only where a journaled table has such a column.
 */
final class PostgresLargeObjects {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PostgresLargeObjects.class);

    /**
     * Per journaled schema, until the run ends: the oids of the objects at the run's start (kind
     * {@code s}; a row with oid 0 says the set was kept, for a recovery after {@code kill -9}) and the
     * copies of objects an undo removed (kind {@code c}: data, owner, privileges).
     */
    static final String TABLE = PostgresJournalSql.SCHEMA + ".large_objects";

    static final String CREATE_TABLE = "create table if not exists " + TABLE + " (schema_name text not null, "
            + "kind \"char\" not null, lo oid not null, owner text, acl text, data bytea, primary key (schema_name, kind, lo))";

    /** A column that holds large objects' oids: {@code oid}, or a domain over it (one level: {@code lo}). */
    static final String IS_LARGE_OBJECT_COLUMN = "(a.atttypid = 'pg_catalog.oid'::pg_catalog.regtype or exists "
            + "(select from pg_catalog.pg_type d where d.oid = a.atttypid and d.typtype = 'd' "
            + "and d.typbasetype = 'pg_catalog.oid'::pg_catalog.regtype))";

    private final PostgresJournalSql sql;
    private final Map<String, List<String>> columns = new HashMap<>();

    PostgresLargeObjects(PostgresJournalSql sql) {
        this.sql = sql;
    }

    /** What {@code describe} found of {@code table}: its large-object columns (none: forgotten). */
    void describe(String table, List<String> largeObjectColumns) {
        if (largeObjectColumns.isEmpty()) {
            columns.remove(table);
        } else {
            columns.put(table, List.copyOf(largeObjectColumns));
        }
    }

    private Map<String, List<String>> of(Collection<String> tracked) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String t : tracked) {
            List<String> cols = columns.get(t);
            if (cols != null) {
                out.put(t, cols);
            }
        }
        return out;
    }

    /** The oids of the database's large objects now, or null where no tracked table can name one (nothing read). */
    Set<Long> snapshot(Connection c, Collection<String> tracked) throws SQLException {
        if (of(tracked).isEmpty()) {
            return null;
        }
        Set<Long> out = new HashSet<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select oid::int8 from pg_catalog.pg_largeobject_metadata")) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /**
     * Keeps {@code start} (a {@link #snapshot} taken as the run starts, or after a reset) in
     * {@link #TABLE}, in the caller's transaction, for {@link #atStart} after a {@code kill -9}. A
     * journal an older version installed has no such table: then only a warning.
     */
    void keepStart(Connection c, String schema, Set<Long> start) throws SQLException {
        if (start == null) {
            return;
        }
        if (!tableExists(c)) {
            LOG.warn("{} is missing (the journal's shared objects were installed by another VenomQA version): after a "
                    + "kill -9, large objects the run created would stay behind. Ask the owner of schema {} to run "
                    + "the SQL printed by 'venomqa journal-sql' again.", TABLE, PostgresJournalSql.SCHEMA);
            return;
        }
        List<Long> oids = new ArrayList<>(start);
        oids.add(0L); // the marker: the set was kept, even when empty
        try (PreparedStatement ps = c.prepareStatement("delete from " + TABLE + " where schema_name = ? and kind = 's'; "
                + "insert into " + TABLE + " (schema_name, kind, lo) select ?, 's', x from pg_catalog.unnest(?::oid[]) x")) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            ps.setArray(3, c.createArrayOf("bigint", oids.toArray()));
            ps.execute();
        }
    }

    /** What {@link #keepStart} kept for {@code schema}, or null: nothing (no such column then, or an older journal). */
    Set<Long> atStart(Connection c, String schema) throws SQLException {
        if (!tableExists(c)) {
            return null;
        }
        Set<Long> out = new HashSet<>();
        boolean kept = false;
        try (PreparedStatement ps = c.prepareStatement("select lo::int8 from " + TABLE + " where schema_name = ? and kind = 's'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong(1) == 0) {
                        kept = true;
                    } else {
                        out.add(rs.getLong(1));
                    }
                }
            }
        }
        return kept ? out : null;
    }

    private static boolean tableExists(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select to_regclass('" + TABLE + "') is not null")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * Called in an undo's or restore's transaction after its statements, while the journal rows of
     * {@code undone} and {@code redone} are still there: see the class comment.
     *
     * @param target the large objects of the checkpoint being restored ({@link #snapshot}), or at the
     *               start of a dead run ({@link #atStart}); null: not known (no such column when it was
     *               taken, or a dead run that kept none), nothing is done
     */
    void reconcile(Connection c, String schema, Collection<String> tracked, List<JournalEntry> undone,
            List<JournalEntry> redone, Set<Long> target) throws SQLException {
        Map<String, List<String>> cols = of(tracked);
        if (target == null || cols.isEmpty() || (undone.isEmpty() && redone.isEmpty())) {
            return;
        }
        Set<String> touched = new HashSet<>();
        undone.forEach(e -> touched.add(e.table()));
        redone.forEach(e -> touched.add(e.table()));
        cols.keySet().retainAll(touched);
        if (cols.isEmpty()) {
            return;
        }
        List<Long> undoneIds = undone.stream().map(JournalEntry::id).toList();
        List<Long> all = new ArrayList<>(undoneIds);
        redone.forEach(e -> all.add(e.id()));
        // For an undone entry the old image is put back and the new one taken away; a redone entry
        // (applied mirrored) the other way round.
        List<String> arms = new ArrayList<>();
        for (Map.Entry<String, List<String>> t : cols.entrySet()) {
            String q = sql.qualify(schema, t.getKey());
            for (String image : new String[] {"old_row", "new_row"}) {
                String put = image.equals("old_row") ? "'p'" : "'a'";
                String away = image.equals("old_row") ? "'a'" : "'p'";
                for (String col : t.getValue()) {
                    arms.add("select case when j.id = any(vq_ids.u) then " + put + " else " + away
                            + " end as k, " + literal(t.getKey()) + " as t, vq_r." + sql.quote(col) + "::pg_catalog.oid as lo "
                            + "from vq_ids cross join " + PostgresJournalSql.SCHEMA + ".journal j cross join lateral "
                            + PostgresJournalSql.image("j." + image, q) + " vq_r where j.id = any(vq_ids.a) "
                            + "and j.table_name = " + literal(t.getKey()) + " and j." + image + " is not null");
                }
            }
        }
        String query = "with vq_ids as (select ?::int8[] as u, ?::int8[] as a) select v.k, v.t, v.lo::int8, "
                + "exists (select from pg_catalog.pg_largeobject_metadata m where m.oid = v.lo) from ("
                + String.join(" union ", arms) + ") v where v.lo is not null";
        Set<Long> put = new HashSet<>();
        Map<Long, String> putBy = new TreeMap<>();
        Map<Long, Boolean> exists = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(query)) {
            ps.setArray(1, c.createArrayOf("bigint", undoneIds.toArray()));
            ps.setArray(2, c.createArrayOf("bigint", all.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long lo = rs.getLong(3);
                    exists.put(lo, rs.getBoolean(4));
                    if (rs.getString(1).equals("p")) {
                        put.add(lo);
                        putBy.putIfAbsent(lo, rs.getString(2));
                    }
                }
            }
        }
        Set<Long> needed = new TreeSet<>();
        for (long lo : put) {
            if (!exists.get(lo) && target.contains(lo)) {
                needed.add(lo);
            }
        }
        // After the undo or restore the journaled rows are as at the target checkpoint, so none of them
        // names an object that did not exist then: every such object an image named goes, whichever
        // image (an intermediate one too: a row given object X, then Y, in the run).
        Set<Long> removable = new TreeSet<>();
        for (Map.Entry<Long, Boolean> lo : exists.entrySet()) {
            if (lo.getValue() && !target.contains(lo.getKey())) {
                removable.add(lo.getKey());
            }
        }
        try {
            if (!needed.isEmpty()) {
                bringBack(c, schema, needed, putBy);
            }
            removable.removeAll(namedElsewhere(c, schema, tracked, removable));
            if (!removable.isEmpty()) {
                remove(c, schema, removable);
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                throw new RollbackException("Large objects " + removable + " of schema '" + schema + "' were created "
                        + "during the run and must be removed by this undo, but " + TABLE + " is missing: the journal's "
                        + "shared objects were installed by another VenomQA version. Ask the owner of schema "
                        + PostgresJournalSql.SCHEMA + " to run the SQL printed by 'venomqa journal-sql' again. Nothing "
                        + "was undone.", e);
            }
            if (!"42501".equals(e.getSQLState())) {
                throw e;
            }
            throw new RollbackException("VenomQA's role may not " + (needed.isEmpty() ? "" : "re-create large objects "
                    + needed + " or ") + "read and remove large objects " + removable + " of schema '" + schema
                    + "' (" + e.getMessage() + "): the rows the journal puts back name them, and those it takes away "
                    + "named objects the run created. Nothing was undone: the data is as it was before. Connect as the "
                    + "role that owns the application's large objects (or one it is granted to), or as a superuser.", e);
        }
    }

    private void bringBack(Connection c, String schema, Set<Long> needed, Map<Long, String> putBy) throws SQLException {
        Map<Long, String[]> copies = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("select lo::int8, owner, acl from " + TABLE
                + " where schema_name = ? and kind = 'c' and lo = any(?::oid[])")) {
            ps.setString(1, schema);
            ps.setArray(2, c.createArrayOf("bigint", needed.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    copies.put(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3)});
                }
            }
        }
        Map<Long, String> lost = new TreeMap<>();
        for (long lo : needed) {
            if (!copies.containsKey(lo)) {
                lost.put(lo, putBy.get(lo));
            }
        }
        if (!lost.isEmpty()) {
            throw new RollbackException("Large object(s) " + byTable(lost) + " of schema '" + schema + "' existed at "
                    + "the checkpoint and were removed since (lo_unlink by the application, a lo_manage trigger, "
                    + "vacuumlo). The journal puts back the rows that name a large object, not its contents, so "
                    + "the rows would point to nothing; nothing was undone: the data is as it was before this rollback. "
                    + "Keep large objects during the run (drop the lo_manage trigger in the test database), map the "
                    + "column to bytea, or leave the table out with exclude_tables.");
        }
        try (PreparedStatement ps = c.prepareStatement("select pg_catalog.lo_from_bytea(lo, data) from " + TABLE
                + " where schema_name = ? and kind = 'c' and lo = any(?::oid[])")) {
            ps.setString(1, schema);
            ps.setArray(2, c.createArrayOf("bigint", needed.toArray()));
            ps.executeQuery().close();
        }
        for (Map.Entry<Long, String[]> copy : copies.entrySet()) {
            long lo = copy.getKey();
            JournalSql.exec(c, "alter large object " + lo + " owner to " + copy.getValue()[0]);
            if (copy.getValue()[1] != null) {
                regrant(c, lo, copy.getValue()[0], copy.getValue()[1]);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("delete from " + TABLE + " where schema_name = ? and kind = 'c' and lo = any(?::oid[])")) {
            ps.setString(1, schema);
            ps.setArray(2, c.createArrayOf("bigint", needed.toArray()));
            ps.executeUpdate();
        }
    }

    /** The grants of the saved privileges (an {@code aclitem[]} text) to others than the owner, who has all. */
    private static void regrant(Connection c, long lo, String owner, String acl) throws SQLException {
        List<String> grants = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select case when g.grantee = 0 then 'public' "
                + "else g.grantee::pg_catalog.regrole::text end, g.privilege_type, g.is_grantable "
                + "from pg_catalog.aclexplode(?::pg_catalog.aclitem[]) g")) {
            ps.setString(1, acl);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getString(1).equals(owner)) {
                        grants.add("grant " + rs.getString(2) + " on large object " + lo + " to " + rs.getString(1)
                                + (rs.getBoolean(3) ? " with grant option" : ""));
                    }
                }
            }
        }
        for (String g : grants) {
            JournalSql.exec(c, g);
        }
    }

    /** Those of {@code candidates} that a column of a table of the schema the journal does not undo names. */
    private Set<Long> namedElsewhere(Connection c, String schema, Collection<String> tracked, Set<Long> candidates)
            throws SQLException {
        Map<String, List<String>> others = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("select t.relname, a.attname from pg_catalog.pg_attribute a "
                + "join pg_catalog.pg_class t on t.oid = a.attrelid join pg_catalog.pg_namespace n on n.oid = t.relnamespace "
                + "where n.nspname = ? and t.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped and "
                + IS_LARGE_OBJECT_COLUMN)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!tracked.contains(rs.getString(1))) {
                        others.computeIfAbsent(rs.getString(1), x -> new ArrayList<>()).add(rs.getString(2));
                    }
                }
            }
        }
        Set<Long> out = new HashSet<>();
        for (Map.Entry<String, List<String>> t : others.entrySet()) {
            for (String col : t.getValue()) {
                try (PreparedStatement ps = c.prepareStatement("select " + sql.quote(col) + "::int8 from "
                        + sql.qualify(schema, t.getKey()) + " where " + sql.quote(col) + "::pg_catalog.oid = any(?::oid[])")) {
                    ps.setArray(1, c.createArrayOf("bigint", candidates.toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(rs.getLong(1));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static void remove(Connection c, String schema, Set<Long> removable) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into " + TABLE + " (schema_name, kind, lo, owner, acl, data) "
                + "select ?, 'c', m.oid, m.lomowner::pg_catalog.regrole::text, m.lomacl::text, pg_catalog.lo_get(m.oid) "
                + "from pg_catalog.pg_largeobject_metadata m where m.oid = any(?::oid[]) on conflict (schema_name, kind, lo) "
                + "do update set owner = excluded.owner, acl = excluded.acl, data = excluded.data; "
                + "select pg_catalog.lo_unlink(x) from pg_catalog.unnest(?::oid[]) x")) {
            ps.setString(1, schema);
            ps.setArray(2, c.createArrayOf("bigint", removable.toArray()));
            ps.setArray(3, c.createArrayOf("bigint", removable.toArray()));
            ps.execute();
        }
    }

    private static String byTable(Map<Long, String> lost) {
        Map<String, List<Long>> byTable = new TreeMap<>();
        lost.forEach((lo, t) -> byTable.computeIfAbsent(t, x -> new ArrayList<>()).add(lo));
        List<String> parts = new ArrayList<>();
        byTable.forEach((t, los) -> parts.add(los + " (named by rows of table '" + t + "')"));
        return String.join(", ", parts);
    }

    private static String literal(String value) {
        return PostgresJournalSql.stringLiteral(value);
    }
}
