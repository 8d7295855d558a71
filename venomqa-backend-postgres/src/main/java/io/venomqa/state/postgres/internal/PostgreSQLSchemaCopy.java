package io.venomqa.state.postgres.internal;

import io.venomqa.state.WorkerDatabaseException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies one PostgreSQL schema into a new schema of the same database, as the server's own
 * definitions, in one transaction: two round trips (the catalogue reads, then every statement of
 * the copy) and the commit.
 *
 * <p>What is copied: tables ({@code CREATE TABLE … (LIKE … INCLUDING ALL EXCLUDING INDEXES)}:
 * columns, defaults, NOT NULL, CHECK, identity, generated columns, column storage and comments,
 * extended statistics; {@code UNLOGGED} and storage parameters), every sequence of the schema with its
 * parameters and its current value (so the next id is the source's), column defaults that call a
 * sequence of the schema re-pointed to the copy's sequence, {@code OWNED BY} as in the source,
 * primary-key, unique and exclusion constraints and the other indexes under their own names, rows
 * ({@code INSERT … OVERRIDING SYSTEM VALUE SELECT}, generated columns computed by the server), and
 * foreign keys, those between tables of the schema pointing at the copy's tables (those to other
 * schemas kept as they are).
 *
 * <p>How names are re-pointed: the definitions are read with {@code search_path} set to the source
 * schema alone, so the server prints the source's objects unqualified and every other object
 * qualified, and they are run with {@code search_path} set to the copy, where the unqualified
 * names find the copy's objects. Index definitions, which the server always prints with the table
 * qualified, are rewritten only after checking that they start exactly as expected.
 *
 * <p>Reads and writes are one {@code REPEATABLE READ} transaction, so the copy is one consistent
 * state of the source even while other sessions write it; a failure rolls everything back, leaving
 * no half-made schema. Sequence values are not transactional: they are the source's at the moment
 * of the copy.
 *
 * <p>Refused, naming each object, before anything is made: views, materialized views, foreign and
 * partitioned tables, partitions and inheritance, triggers, rules, row-level security, functions,
 * procedures and aggregates, enum, domain, range and composite types, collations and operators of
 * the schema (objects belonging to an extension are left where they are), columns whose type is a
 * table's row type, sequences owned by a table of another schema, and large-object columns ({@code oid}
 * or a domain over it, such as the {@code lo} extension's: the copy's rows would name the source's
 * objects, which a worker's {@code lo_unlink} would remove). Their copies would either be missing or
 * point back at the source.
 */
final class PostgreSQLSchemaCopy {

    private PostgreSQLSchemaCopy() {
    }

    /** One table of the source: name, unlogged, storage parameters, the columns rows are copied through. */
    private record Table(String name, boolean unlogged, String options, String columns) {
    }

    /** One sequence of the source, with the column owning it (identity or {@code OWNED BY}), if any. */
    private record Sequence(String name, String type, long start, long increment, long min, long max, long cache,
                            boolean cycle, String ownerKind, String ownerTable, String ownerColumn) {
        boolean identity() {
            return "i".equals(ownerKind);
        }
    }

    /** The catalogue of the source schema as read in the copy's transaction. */
    private record Catalog(boolean exists, String role, List<String> refused, List<Table> tables,
                           List<Sequence> sequences, List<String[]> defaults, List<String[]> constraints,
                           List<String[]> indexes) {
    }

    /**
     * Makes schema {@code to} as a copy of schema {@code from} on {@code c} (auto-commit, left so).
     *
     * @param source how to name the database in messages (masked URL)
     * @throws WorkerDatabaseException when the schema is missing or holds objects that cannot be copied
     */
    static void copy(Connection c, String from, String to, String source) throws SQLException {
        if (c.getMetaData().getDatabaseMajorVersion() < 12) {
            throw new WorkerDatabaseException("Worker schemas of " + source + ": copying a schema needs PostgreSQL 12 or"
                    + " later (this server is " + c.getMetaData().getDatabaseProductVersion() + "). Grant the role of db_url"
                    + " CREATEDB and set worker_copies: database to copy the whole database instead.");
        }
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            Catalog catalog = read(st, from);
            if (!catalog.exists()) {
                throw new WorkerDatabaseException("Worker schemas of " + source + ": schema '" + from + "' does not exist."
                        + " Set the option 'schema' to the schema of the application's tables.");
            }
            if (!catalog.refused().isEmpty()) {
                throw new WorkerDatabaseException("Worker schemas of " + source + ": schema '" + from + "' cannot be"
                        + " copied faithfully as a schema; it has " + String.join(", ", catalog.refused()) + "."
                        + " Schema copies hold tables (columns, defaults, constraints, indexes, sequences, foreign keys,"
                        + " rows) and nothing else, so these would be missing or would act on the source. Give the role"
                        + " CREATEDB (ALTER ROLE " + quote(catalog.role()) + " CREATEDB) and set worker_copies: database"
                        + " (or auto) to copy the whole database instead, or remove them from the schema.");
            }
            st.execute(statements(catalog, from, to));
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static Catalog read(Statement st, String from) throws SQLException {
        String ns = "(select oid from pg_catalog.pg_namespace where nspname = " + literal(from) + ")";
        String notInExtension = " and not exists (select 1 from pg_catalog.pg_depend e where e.classid = '%s'::regclass"
                + " and e.objid = %s and e.deptype = 'e')";
        String sql = String.join(";\n",
                // The first query takes the snapshot: everything below, rows included, sees the same state.
                "set transaction isolation level repeatable read",
                "set local search_path to " + quote(from),
                // a migration or reset holding a table of the source: fail with what to do rather than wait for ever
                "set local lock_timeout = '30s'",
                "select exists (select 1 from pg_catalog.pg_namespace where nspname = " + literal(from) + "), current_user",
                "select kind || ' ' || name from ("
                        + "select case c.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'f' then"
                        + " 'foreign table' else 'partitioned table' end as kind, c.relname::text as name from pg_catalog.pg_class c"
                        + " where c.relnamespace = " + ns + " and c.relkind in ('v', 'm', 'f', 'p')"
                        + " union all select 'partition', c.relname from pg_catalog.pg_class c where c.relnamespace = " + ns
                        + " and c.relkind = 'r' and c.relispartition"
                        + " union all select 'inheriting table', c.relname from pg_catalog.pg_inherits i join pg_catalog.pg_class c"
                        + " on c.oid = i.inhrelid where c.relnamespace = " + ns + " and not c.relispartition"
                        + " union all select 'trigger', t.tgname || ' on ' || c.relname from pg_catalog.pg_trigger t"
                        + " join pg_catalog.pg_class c on c.oid = t.tgrelid where c.relnamespace = " + ns + " and not t.tgisinternal"
                        + " union all select 'rule', r.rulename || ' on ' || c.relname from pg_catalog.pg_rewrite r"
                        + " join pg_catalog.pg_class c on c.oid = r.ev_class where c.relnamespace = " + ns
                        + " and r.rulename <> '_RETURN'"
                        + " union all select 'row-level security on', c.relname from pg_catalog.pg_class c where c.relnamespace = "
                        + ns + " and c.relkind = 'r' and (c.relrowsecurity or exists (select 1 from pg_catalog.pg_policy p"
                        + " where p.polrelid = c.oid))"
                        + " union all select case p.prokind when 'p' then 'procedure' when 'a' then 'aggregate' else 'function'"
                        + " end, p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')'"
                        + " from pg_catalog.pg_proc p where p.pronamespace = " + ns
                        + String.format(notInExtension, "pg_catalog.pg_proc", "p.oid")
                        + " union all select case t.typtype when 'e' then 'enum type' when 'd' then 'domain' when 'r' then"
                        + " 'range type' else 'composite type' end, t.typname from pg_catalog.pg_type t where t.typnamespace = "
                        + ns + " and (t.typtype in ('e', 'd', 'r') or (t.typtype = 'c' and exists (select 1 from"
                        + " pg_catalog.pg_class r where r.oid = t.typrelid and r.relkind = 'c')))"
                        + String.format(notInExtension, "pg_catalog.pg_type", "t.oid")
                        + " union all select 'collation', o.collname from pg_catalog.pg_collation o where o.collnamespace = " + ns
                        + String.format(notInExtension, "pg_catalog.pg_collation", "o.oid")
                        + " union all select 'operator', o.oprname from pg_catalog.pg_operator o where o.oprnamespace = " + ns
                        + String.format(notInExtension, "pg_catalog.pg_operator", "o.oid")
                        + " union all select 'sequence owned by a table of another schema:', s.relname from pg_catalog.pg_class s"
                        + " join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_class'::regclass and d.objid = s.oid"
                        + " and d.refclassid = 'pg_catalog.pg_class'::regclass and d.deptype in ('a', 'i')"
                        + " join pg_catalog.pg_class t on t.oid = d.refobjid where s.relnamespace = " + ns
                        + " and s.relkind = 'S' and t.relnamespace <> " + ns
                        // LIKE would keep the source table's row type: the column would not follow the copy
                        + " union all select 'column of a table''s row type', c.relname || '.' || a.attname"
                        + " from pg_catalog.pg_attribute a join pg_catalog.pg_class c on c.oid = a.attrelid"
                        + " join pg_catalog.pg_type t on t.oid = a.atttypid where c.relnamespace = " + ns + " and c.relkind = 'r'"
                        + " and a.attnum > 0 and not a.attisdropped and exists (select 1 from pg_catalog.pg_type r"
                        + " join pg_catalog.pg_class rc on rc.oid = r.typrelid where r.oid in (t.oid, t.typelem)"
                        + " and rc.relkind <> 'c' and r.typnamespace = " + ns + ")"
                        // the copy's rows would name the source's large objects: a worker's lo_unlink would remove them
                        + " union all select 'large-object column', c.relname || '.' || a.attname"
                        + " from pg_catalog.pg_attribute a join pg_catalog.pg_class c on c.oid = a.attrelid"
                        + " where c.relnamespace = " + ns + " and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped"
                        + " and (a.atttypid = 'pg_catalog.oid'::pg_catalog.regtype or exists (select from pg_catalog.pg_type d"
                        + " where d.oid = a.atttypid and d.typtype = 'd' and d.typbasetype = 'pg_catalog.oid'::pg_catalog.regtype))"
                        + ") refused order by 1",
                "select c.relname, c.relpersistence = 'u', pg_catalog.array_to_string(c.reloptions, ', '),"
                        + " (select pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' order by a.attnum)"
                        + " from pg_catalog.pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped"
                        + " and a.attgenerated = '') from pg_catalog.pg_class c where c.relnamespace = " + ns
                        + " and c.relkind = 'r' and not c.relispartition order by c.relname",
                "select s.relname, pg_catalog.format_type(q.seqtypid, null), q.seqstart, q.seqincrement, q.seqmin,"
                        + " q.seqmax, q.seqcache, q.seqcycle, d.deptype, t.relname, a.attname"
                        + " from pg_catalog.pg_class s join pg_catalog.pg_sequence q on q.seqrelid = s.oid"
                        + " left join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_class'::regclass and d.objid = s.oid"
                        + " and d.refclassid = 'pg_catalog.pg_class'::regclass and d.deptype in ('a', 'i')"
                        + " left join pg_catalog.pg_class t on t.oid = d.refobjid"
                        + " left join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid"
                        + " where s.relnamespace = " + ns + " and s.relkind = 'S' order by s.relname",
                // Defaults calling a sequence of the schema, printed with the sequence unqualified.
                "select t.relname, a.attname, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) from pg_catalog.pg_attrdef ad"
                        + " join pg_catalog.pg_class t on t.oid = ad.adrelid join pg_catalog.pg_attribute a"
                        + " on a.attrelid = ad.adrelid and a.attnum = ad.adnum where t.relnamespace = " + ns
                        + " and t.relkind = 'r' and exists (select 1 from pg_catalog.pg_depend d join pg_catalog.pg_class s"
                        + " on s.oid = d.refobjid where d.classid = 'pg_catalog.pg_attrdef'::regclass and d.objid = ad.oid"
                        + " and d.refclassid = 'pg_catalog.pg_class'::regclass and s.relkind = 'S' and s.relnamespace = " + ns
                        + ") order by t.relname, a.attnum",
                // Keys and checks before foreign keys, which need the referenced key's index. Checks are not taken
                // with LIKE: it makes a NOT VALID one valid, and the copy's rows that break it could not be inserted.
                "select t.relname, con.conname, pg_catalog.pg_get_constraintdef(con.oid) from pg_catalog.pg_constraint con"
                        + " join pg_catalog.pg_class t on t.oid = con.conrelid where t.relnamespace = " + ns
                        + " and t.relkind = 'r' and con.contype in ('p', 'u', 'x', 'f', 'c')"
                        + " order by con.contype = 'f', t.relname, con.conname",
                "select pg_catalog.pg_get_indexdef(i.indexrelid), 'CREATE ' || case when i.indisunique then 'UNIQUE '"
                        + " else '' end || 'INDEX ' || pg_catalog.quote_ident(ic.relname) || ' ON ',"
                        + " pg_catalog.quote_ident(" + literal(from) + ") || '.', pg_catalog.quote_ident(t.relname) || ' '"
                        + " from pg_catalog.pg_index i join pg_catalog.pg_class ic on ic.oid = i.indexrelid"
                        + " join pg_catalog.pg_class t on t.oid = i.indrelid where t.relnamespace = " + ns
                        + " and t.relkind = 'r' and not exists (select 1 from pg_catalog.pg_constraint con"
                        + " where con.conindid = i.indexrelid and con.conrelid = t.oid and con.contype in ('p', 'u', 'x'))"
                        + " order by ic.relname");
        List<List<String[]>> results = new ArrayList<>();
        boolean isResult = st.execute(sql);
        while (true) {
            if (isResult) {
                List<String[]> rows = new ArrayList<>();
                try (ResultSet rs = st.getResultSet()) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        String[] row = new String[n];
                        for (int i = 0; i < n; i++) {
                            row[i] = rs.getString(i + 1);
                        }
                        rows.add(row);
                    }
                }
                results.add(rows);
            } else if (st.getUpdateCount() == -1) {
                break;
            }
            isResult = st.getMoreResults();
        }
        if (results.size() != 7) {
            throw new SQLException("Reading schema '" + from + "' gave " + results.size() + " results instead of 7");
        }
        String[] head = results.get(0).get(0);
        List<String> refused = new ArrayList<>();
        for (String[] r : results.get(1)) {
            refused.add(r[0]);
        }
        List<Table> tables = new ArrayList<>();
        for (String[] r : results.get(2)) {
            tables.add(new Table(r[0], "t".equals(r[1]), r[2], r[3]));
        }
        List<Sequence> sequences = new ArrayList<>();
        for (String[] r : results.get(3)) {
            sequences.add(new Sequence(r[0], r[1], Long.parseLong(r[2]), Long.parseLong(r[3]), Long.parseLong(r[4]),
                    Long.parseLong(r[5]), Long.parseLong(r[6]), "t".equals(r[7]), r[8], r[9], r[10]));
        }
        return new Catalog("t".equals(head[0]), head[1], refused, tables, sequences, results.get(4), results.get(5),
                results.get(6));
    }

    /** Every statement of the copy, run with the copy first on the search path. */
    private static String statements(Catalog catalog, String from, String to) throws SQLException {
        String src = quote(from);
        String dst = quote(to);
        List<String> sql = new ArrayList<>();
        sql.add("create schema " + dst);
        sql.add("set local search_path to " + dst);
        for (Sequence s : catalog.sequences()) {
            if (!s.identity()) { // identity sequences come with their tables (INCLUDING IDENTITY)
                sql.add("create sequence " + dst + "." + quote(s.name()) + " as " + s.type() + " increment by "
                        + s.increment() + " minvalue " + s.min() + " maxvalue " + s.max() + " start with " + s.start()
                        + " cache " + s.cache() + (s.cycle() ? " cycle" : " no cycle"));
            }
        }
        for (Table t : catalog.tables()) {
            sql.add("create " + (t.unlogged() ? "unlogged " : "") + "table " + dst + "." + quote(t.name()) + " (like "
                    + src + "." + quote(t.name()) + " including all excluding indexes excluding constraints)"
                    + (t.options() == null || t.options().isEmpty() ? "" : " with (" + t.options() + ")"));
        }
        for (String[] d : catalog.defaults()) {
            // printed with the source's sequence unqualified: here it names the copy's
            sql.add("alter table " + dst + "." + quote(d[0]) + " alter column " + quote(d[1]) + " set default " + d[2]);
        }
        for (Sequence s : catalog.sequences()) {
            String read = " from " + src + "." + quote(s.name());
            if (s.identity()) {
                sql.add("select pg_catalog.setval(pg_catalog.pg_get_serial_sequence(" + literal(dst + "." + quote(s.ownerTable()))
                        + ", " + literal(s.ownerColumn()) + "), last_value, is_called)" + read);
            } else {
                if (s.ownerTable() != null) {
                    sql.add("alter sequence " + dst + "." + quote(s.name()) + " owned by " + dst + "." + quote(s.ownerTable())
                            + "." + quote(s.ownerColumn()));
                }
                sql.add("select pg_catalog.setval(" + literal(dst + "." + quote(s.name())) + "::regclass, last_value, is_called)"
                        + read);
            }
        }
        for (Table t : catalog.tables()) {
            if (t.columns() != null) {
                sql.add("insert into " + dst + "." + quote(t.name()) + " (" + t.columns() + ") overriding system value select "
                        + t.columns() + " from " + src + "." + quote(t.name()));
            }
        }
        List<String> foreignKeys = new ArrayList<>();
        for (String[] k : catalog.constraints()) {
            String add = "alter table " + dst + "." + quote(k[0]) + " add constraint " + quote(k[1]) + " " + k[2];
            (k[2].startsWith("FOREIGN KEY") ? foreignKeys : sql).add(add);
        }
        for (String[] i : catalog.indexes()) {
            String expected = i[1] + i[2] + i[3];
            if (!i[0].startsWith(expected)) {
                throw new SQLException("Unexpected definition of an index of schema '" + from + "': " + i[0]
                        + " (expected it to start with '" + expected + "'); the schema was not copied");
            }
            sql.add(i[1] + dst + "." + i[3] + i[0].substring(expected.length()));
        }
        sql.addAll(foreignKeys);
        return String.join(";\n", sql);
    }

    /** A double-quoted identifier. */
    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
