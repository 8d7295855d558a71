package io.venomqa.state.journal.internal;

import io.venomqa.state.jdbc.spi.SequenceSnapshot;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * PostgreSQL: schema {@code venomqa} with {@code venomqa.journal} (row images as {@code json} made
 * by {@code row_to_json}, restored through {@code json_populate_record}, so every type with a text
 * form comes back exactly; {@code json} rather than {@code jsonb}, because {@code jsonb} would
 * normalise the text of {@code json} columns and costs a parse per write), {@code venomqa.runs} (one row per journaled schema) and eight shared trigger functions.
 *
 * <p>Triggers per table, chosen by measurement (see docs/journal.md and docs/performance.md, row
 * 6): {@code INSERT}, {@code UPDATE} and {@code DELETE} are statement-level triggers over the
 * transition tables, one per event (PostgreSQL allows transition tables only on single-event
 * triggers), so a statement writes the journal with one {@code INSERT … SELECT} whatever its number
 * of rows; an {@code UPDATE}'s old and new rows are paired by position. Tables where a statement
 * trigger would miss rows or journal them out of order get row-level triggers instead (see
 * {@code rowLevelReason}). {@code TRUNCATE} is a {@code BEFORE} statement trigger that copies the
 * table's rows into the journal as deletes.
 *
 * <p>The undo is not journaled: the undo transaction sets the custom setting
 * {@code venomqa.replaying} with {@code SET LOCAL} (no superuser needed, unlike
 * {@code session_replication_role}), and every trigger function returns at once when it is on.
 * Other sessions never see it.
 *
 * <p>One manager per schema: a session-level advisory lock keyed on the schema name, held by the
 * manager's connection, so a killed JVM releases it with its connection.
 */
public final class PostgresJournalSql extends JournalSql {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PostgresJournalSql.class);

    static final String SCHEMA = "venomqa";

    /**
     * The start of the quoted names of the journal's triggers on a table that gets row-level ones
     * ({@link #rowLevelReason}). PostgreSQL fires a table's triggers of one event in the byte order
     * of their names, and an upper-case letter sorts before every unquoted name (lower case or
     * {@code _}) and after the foreign keys' {@code RI_ConstraintTrigger_…}: so the journal records a
     * row's change before an application {@code AFTER} trigger of that row runs, and what that
     * trigger writes (another update of the same row) is journaled after the change that caused it,
     * as the undo, newest first, needs. Until 2026-12-03 these triggers were named like the
     * statement-level ones and fired after most application triggers: a trigger that updated its own
     * row made every rollback of its table fail.
     */
    static final String ROW_LEVEL_NAME = "\"VenomQA_journal_";
    /** The start of the quoted names of the journal's statement-level triggers (they fire after every row trigger anyway). */
    static final String STATEMENT_LEVEL_NAME = "\"venomqa_journal_";

    private final PostgresLargeObjects largeObjects = new PostgresLargeObjects(this);

    /**
     * The triggers stay silent only in the manager's own undo transaction: the setting alone could
     * be set by any session (custom settings need no privilege), so the session must also be the
     * one whose backend pid the run record holds, which only VenomQA's role can write.
     */
    private static final String REPLAYING = "pg_catalog.current_setting('venomqa.replaying', true) = 'on' and exists "
            + "(select from venomqa.runs r where r.schema_name = tg_table_schema and r.pid = pg_catalog.pg_backend_pid())";
    /**
     * The row image is the row's text form ({@code new::text}, stored as a JSON string), which keeps
     * what {@code row_to_json} loses (a {@code json}/{@code jsonb} value {@code null} versus SQL
     * {@code NULL}) and which the undo reads back with the table's own input functions. Its text
     * depends on the writer's session settings, so the trigger functions fix those that change
     * the output: {@code extra_float_digits} (0 rounds a float8 to 15 digits), {@code DateStyle}
     * (SQL style writes time zone abbreviations that another session may read differently) and
     * {@code IntervalStyle}. A function's SET clause applies only while it runs: the writer's
     * session is untouched.
     */
    // The functions' names carry the image format's version (v2: row text; v1, unnamed: row_to_json):
    // another VenomQA version journaling another schema of the same database keeps its own
    // functions, where create-or-replace would have changed the images under its feet.
    private static final String IMAGE_SETTINGS =
            "set extra_float_digits = 3 set datestyle = 'ISO, YMD' set intervalstyle = 'postgres'";

    /**
     * For the statement-level UPDATE and DELETE functions: the planner knows nothing of a transition
     * table's rows and estimated the pairing join of a 100 000-row UPDATE at 50 million rows, which
     * switched JIT compilation on (about 0.2 s of compiling per statement, a third of the trigger's
     * time in the profile in docs/performance.md). Not added to the older functions: changing their
     * settings would change them under another VenomQA version journaling another schema of the same
     * database (see the version suffix above).
     */
    private static final String NO_JIT = " set jit = off";

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public Optional<String> tryLock(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select pg_try_advisory_lock(hashtext('venomqa.journal'), hashtext(current_database() || '.' || ?))")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
        }
        String owner = "an unknown session";
        if (infrastructureExists(c)) {
            List<String> o = queryStrings(c, "select owner || ' since ' || started_at from venomqa.runs where schema_name = ?", schema);
            if (!o.isEmpty()) {
                owner = o.get(0);
            }
        }
        return Optional.of(owner);
    }

    @Override
    public void unlock(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select pg_advisory_unlock(hashtext('venomqa.journal'), hashtext(current_database() || '.' || ?))")) {
            ps.setString(1, schema);
            ps.executeQuery().close();
        }
    }

    private boolean infrastructureExists(Connection c) throws SQLException {
        return queryLong(c, "select count(*) from pg_class where relname = 'runs' and relnamespace = "
                + "(select oid from pg_namespace where nspname = 'venomqa')") > 0;
    }

    @Override
    public Optional<RunRecord> leftover(Connection c, String schema) throws SQLException {
        // Take the install/uninstall lock before reading venomqa.runs: reading first would hold a
        // lock on that table that another run's uninstall (advisory lock held, then DROP SCHEMA)
        // waits for, while this run waits for the advisory lock: a deadlock.
        exec(c, "select pg_advisory_xact_lock(hashtext('venomqa.journal'), 0)");
        List<String> tables = tablesWithTriggers(c, schema);
        if (!infrastructureExists(c)) {
            return tables.isEmpty() ? Optional.empty()
                    : Optional.of(new RunRecord("unknown", "unknown", SequenceSnapshot.EMPTY, tables, 0));
        }
        try (PreparedStatement ps = c.prepareStatement(
                // Through to_jsonb: a record table an earlier version created has no column definitions.
                "select owner, started_at::text, counters, pg_catalog.to_jsonb(r) ->> 'definitions' from venomqa.runs r "
                        + "where schema_name = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                long entries = entryCount(c, schema);
                if (rs.next()) {
                    return Optional.of(new RunRecord(rs.getString(1), rs.getString(2), SequenceSnapshot.parse(rs.getString(3)),
                            tables, entries, Map.of(), rs.getString(4)));
                }
                if (!tables.isEmpty() || entries > 0) {
                    return Optional.of(new RunRecord("unknown", "unknown", SequenceSnapshot.EMPTY, tables, entries));
                }
                return Optional.empty();
            }
        }
    }

    /**
     * Body of each trigger function (without {@code create}): {@code SECURITY DEFINER}, so the
     * journal needs no right of the writing session and no grant to anyone, with a fixed
     * {@code search_path} and schema-qualified names, so that no object a writer creates can stand
     * in for one the function uses.
     */
    static Map<String, String> functions() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("journal_insert_v2", """
                begin
                  if %s then return null; end if;
                  insert into venomqa.journal(schema_name, table_name, op, new_row)
                    select tg_table_schema, tg_table_name, 'I', pg_catalog.to_json(venomqa_new::text) from venomqa_new;
                  return null;
                end """.formatted(REPLAYING));
        // The v2b functions are the v2 ones with every whole-row reference written alias.* (see WHOLE_ROW): a
        // column named like the transition table (venomqa_new, venomqa_old) or the truncate's alias (venomqa_row)
        // took the bare name's place, and the journal copied that column's value instead of the row. New names,
        // not new bodies under the old ones: another VenomQA version's run in another schema of this database
        // checks its functions' source, and keeps using the v2 functions, which stay as they were.
        f.put("journal_insert_v2b", wholeRows(f.get("journal_insert_v2")));
        f.put("journal_insert_row_v2", """
                begin
                  if %s then return null; end if;
                  insert into venomqa.journal(schema_name, table_name, op, new_row)
                    values (tg_table_schema, tg_table_name, 'I', pg_catalog.to_json(new::text));
                  return null;
                end """.formatted(REPLAYING));
        f.put("journal_update_v2", """
                begin
                  if %s then return null; end if;
                  insert into venomqa.journal(schema_name, table_name, op, old_row, new_row)
                    values (tg_table_schema, tg_table_name, 'U', pg_catalog.to_json(old::text), pg_catalog.to_json(new::text));
                  return null;
                end """.formatted(REPLAYING));
        f.put("journal_delete_v2", """
                begin
                  if %s then return null; end if;
                  insert into venomqa.journal(schema_name, table_name, op, old_row)
                    values (tg_table_schema, tg_table_name, 'D', pg_catalog.to_json(old::text));
                  return null;
                end """.formatted(REPLAYING));
        // Statement-level UPDATE: the transition tables hold the old and the new rows in the same
        // order (PostgreSQL appends each updated row's old and new version together, trigger.c
        // AfterTriggerSaveEvent), so the n-th old row pairs with the n-th new one, also when a key
        // changed. Journaled in that order, which is the order the rows were written: the undo,
        // newest first, retraces every intermediate state the statement went through (a unique key
        // shifted row by row stays valid). A count that differs would mean that pairing is wrong:
        // the application's statement fails rather than the journal being inexact.
        f.put("journal_update_stmt_v2", """
                declare
                  venomqa_n bigint;
                begin
                  if %s then return null; end if;
                  insert into venomqa.journal(schema_name, table_name, op, old_row, new_row)
                    select tg_table_schema, tg_table_name, 'U', pg_catalog.to_json(o.r), pg_catalog.to_json(n.r)
                    from (select venomqa_old::text as r, pg_catalog.row_number() over () as k from venomqa_old) o
                    join (select venomqa_new::text as r, pg_catalog.row_number() over () as k from venomqa_new) n on n.k = o.k
                    order by o.k;
                  get diagnostics venomqa_n = row_count;
                  if venomqa_n <> (select pg_catalog.count(*) from venomqa_old) then
                    raise exception 'VenomQA journal: %% old rows but %% pairs of an UPDATE of %%.%%',
                      (select pg_catalog.count(*) from venomqa_old), venomqa_n, tg_table_schema, tg_table_name;
                  end if;
                  return null;
                end """.formatted(REPLAYING));
        f.put("journal_update_stmt_v2b", wholeRows(f.get("journal_update_stmt_v2")));
        f.put("journal_delete_stmt_v2", """
                begin
                  if %s then return null; end if;
                  insert into venomqa.journal(schema_name, table_name, op, old_row)
                    select tg_table_schema, tg_table_name, 'D', pg_catalog.to_json(venomqa_old::text) from venomqa_old;
                  return null;
                end """.formatted(REPLAYING));
        f.put("journal_delete_stmt_v2b", wholeRows(f.get("journal_delete_stmt_v2")));
        // ONLY: the trigger fires for every table a TRUNCATE empties (an inheritance parent's children and a
        // partitioned table's partitions have triggers of their own, which copy their own rows), so it copies
        // the rows its table itself stores. Without ONLY an inheritance parent's copy held its children's rows
        // too, in the parent's shape: the undo put them back into both tables. journal_truncate_v2 (without
        // ONLY) stays for the triggers of runs of earlier versions.
        f.put("journal_truncate_only_v2", """
                begin
                  if %s then return null; end if;
                  execute pg_catalog.format('insert into venomqa.journal(schema_name, table_name, op, old_row) '
                      || 'select %%L, %%L, ''D'', pg_catalog.to_json(venomqa_row::text) from only %%I.%%I venomqa_row',
                      tg_table_schema, tg_table_name, tg_table_schema, tg_table_name);
                  return null;
                end """.formatted(REPLAYING));
        f.put("journal_truncate_only_v2b", wholeRows(f.get("journal_truncate_only_v2")));
        // Tables with a column of type xml (or a domain over it, or an array of either): xml's output function drops
        // an XML declaration that names only version 1.0 (and a newline after it), so the row's text form, which
        // the images above are, gave back "<r/>" for a stored '<?xml version="1.0"?><r/>': a rollback changed the
        // value and reported success (found by the fuzz test, 2026-12-06). These two functions build the image
        // from the columns their trigger names (arguments: a kind letter and the column name, in table order),
        // with those columns cast to text (xml's text cast is the stored text), which the table's own input
        // functions read back as stored. Dynamic SQL: slower, so only such tables get them. The arguments come
        // from VenomQA's role alone (EXECUTE is granted to no one else, and CREATE TRIGGER needs it), and go into
        // the statement as identifiers through format('%I').
        String columns = """
                  for venomqa_i in 0 .. tg_nargs - 1 loop
                    venomqa_cols := venomqa_cols || case when venomqa_i > 0 then ', ' else '' end || pg_catalog.format(
                      case pg_catalog.left(tg_argv[venomqa_i], 1) when 'x' then 'venomqa_r.%%I::pg_catalog.text'
                        when 'a' then 'venomqa_r.%%I::pg_catalog.text[]' else 'venomqa_r.%%I' end,
                      pg_catalog.substr(tg_argv[venomqa_i], 2));
                  end loop;
                  venomqa_cols := '(row(' || venomqa_cols || '))::pg_catalog.text';
                """;
        f.put("journal_stmt_cast_v1", ("""
                declare
                  venomqa_cols text := '';
                  venomqa_n bigint;
                begin
                  if %s then return null; end if;
                """ + columns + """
                  if tg_op = 'INSERT' then
                    execute pg_catalog.format('insert into venomqa.journal(schema_name, table_name, op, new_row) '
                        || 'select $1, $2, ''I'', pg_catalog.to_json(%%s) from venomqa_new venomqa_r', venomqa_cols)
                      using tg_table_schema, tg_table_name;
                  elsif tg_op = 'DELETE' then
                    execute pg_catalog.format('insert into venomqa.journal(schema_name, table_name, op, old_row) '
                        || 'select $1, $2, ''D'', pg_catalog.to_json(%%s) from venomqa_old venomqa_r', venomqa_cols)
                      using tg_table_schema, tg_table_name;
                  elsif tg_op = 'TRUNCATE' then
                    execute pg_catalog.format('insert into venomqa.journal(schema_name, table_name, op, old_row) '
                        || 'select $1, $2, ''D'', pg_catalog.to_json(%%s) from only %%I.%%I venomqa_r', venomqa_cols,
                        tg_table_schema, tg_table_name)
                      using tg_table_schema, tg_table_name;
                  else
                    execute pg_catalog.format('insert into venomqa.journal(schema_name, table_name, op, old_row, new_row) '
                        || 'select $1, $2, ''U'', pg_catalog.to_json(o.r), pg_catalog.to_json(n.r) '
                        || 'from (select %%s as r, pg_catalog.row_number() over () as k from venomqa_old venomqa_r) o '
                        || 'join (select %%s as r, pg_catalog.row_number() over () as k from venomqa_new venomqa_r) n '
                        || 'on n.k = o.k order by o.k', venomqa_cols, venomqa_cols)
                      using tg_table_schema, tg_table_name;
                    get diagnostics venomqa_n = row_count;
                    if venomqa_n <> (select pg_catalog.count(*) from venomqa_old) then
                      raise exception 'VenomQA journal: %% old rows but %% pairs of an UPDATE of %%.%%',
                        (select pg_catalog.count(*) from venomqa_old), venomqa_n, tg_table_schema, tg_table_name;
                    end if;
                  end if;
                  return null;
                end """).formatted(REPLAYING));
        f.put("journal_row_cast_v1", ("""
                declare
                  venomqa_cols text := '';
                  venomqa_old_image text;
                  venomqa_new_image text;
                begin
                  if %s then return null; end if;
                """ + columns + """
                  if tg_op <> 'INSERT' then
                    execute pg_catalog.format('select %%s from (select ($1).*) venomqa_r', venomqa_cols)
                      into venomqa_old_image using old;
                  end if;
                  if tg_op <> 'DELETE' then
                    execute pg_catalog.format('select %%s from (select ($1).*) venomqa_r', venomqa_cols)
                      into venomqa_new_image using new;
                  end if;
                  insert into venomqa.journal(schema_name, table_name, op, old_row, new_row)
                    values (tg_table_schema, tg_table_name, case tg_op when 'INSERT' then 'I' when 'UPDATE' then 'U' else 'D' end,
                            pg_catalog.to_json(venomqa_old_image), pg_catalog.to_json(venomqa_new_image));
                  return null;
                end """).formatted(REPLAYING));
        f.put("journal_truncate_v2", """
                begin
                  if %s then return null; end if;
                  execute pg_catalog.format('insert into venomqa.journal(schema_name, table_name, op, old_row) '
                      || 'select %%L, %%L, ''D'', pg_catalog.to_json(venomqa_row::text) from %%I.%%I venomqa_row',
                      tg_table_schema, tg_table_name, tg_table_schema, tg_table_name);
                  return null;
                end """.formatted(REPLAYING));
        return f;
    }

    /**
     * A v2 body with its whole-row references to the transition tables and the truncate's alias written
     * {@code (alias.*)::text}: the v2b functions (see above). Derived, so the two generations differ in
     * nothing else; the v2 bodies stay byte for byte as earlier versions installed them.
     */
    private static String wholeRows(String v2) {
        String out = v2;
        for (String alias : List.of("venomqa_new", "venomqa_old", "venomqa_row")) {
            out = out.replace(alias + "::text", "(" + alias + ".*)::text");
        }
        return out;
    }

    /**
     * Columns of {@code venomqa.runs} that later versions added, each with its type: the backend pid of the manager
     * (only its session can silence the triggers, see {@code REPLAYING}); what {@code connect()} found of the schema
     * that no trigger records, for the recovery of a run that died.
     */
    private static final List<String> RUN_COLUMNS_ADDED = List.of("pid integer", "definitions text");

    private static final String ADD_RUN_COLUMN = "alter table venomqa.runs add column if not exists ";

    /**
     * The SQL that creates the journal's shared objects, for {@code connect()} and for an
     * administrator who installs them once ({@code venomqa journal-sql}). Nothing is granted to
     * {@code PUBLIC}; with {@code grantee} (VenomQA's role when it is not the one that runs this SQL)
     * that role gets exactly what a run needs: read and delete journal rows, keep its run record,
     * and attach the trigger functions.
     */
    public static List<String> installStatements(String grantee) {
        List<String> out = new ArrayList<>();
        out.add("create schema if not exists venomqa");
        out.add("create table if not exists venomqa.journal (id bigserial primary key, schema_name text not null, "
                + "table_name text not null, op \"char\" not null, old_row json, new_row json)");
        out.add("create table if not exists venomqa.runs (schema_name text primary key, owner text not null, "
                + "started_at timestamptz not null default now(), counters text not null)");
        for (String column : RUN_COLUMNS_ADDED) {
            out.add(ADD_RUN_COLUMN + column);
        }
        // Earlier versions granted the journal to PUBLIC; take that back wherever it was given.
        out.add("revoke all on schema venomqa from public");
        out.add(PostgresLargeObjects.CREATE_TABLE);
        out.add("revoke all on venomqa.journal, venomqa.runs, " + PostgresLargeObjects.TABLE + " from public");
        out.add("revoke all on sequence venomqa.journal_id_seq from public");
        for (Map.Entry<String, String> f : functions().entrySet()) {
            out.add("create or replace function venomqa." + f.getKey() + "() returns trigger language plpgsql "
                    + "security definer set search_path = pg_catalog, pg_temp " + IMAGE_SETTINGS
                    + (f.getKey().contains("_stmt_") ? NO_JIT : "") + " as $$" + f.getValue() + "$$");
            out.add("revoke all on function venomqa." + f.getKey() + "() from public");
        }
        if (grantee != null) {
            String role = "\"" + grantee.replace("\"", "\"\"") + "\"";
            out.add("grant usage on schema venomqa to " + role);
            // insert and the sequence: a restore on another branch writes the redone changes back (see Journal.restore).
            out.add("grant select, insert, delete on venomqa.journal to " + role);
            out.add("grant usage on sequence venomqa.journal_id_seq to " + role);
            out.add("grant select, insert, update, delete on venomqa.runs to " + role);
            out.add("grant select, insert, update, delete on " + PostgresLargeObjects.TABLE + " to " + role);
            for (String f : functions().keySet()) {
                out.add("grant execute on function venomqa." + f + "() to " + role);
            }
        }
        return out;
    }

    @Override
    public void installInfrastructure(Connection c, String schema) throws SQLException {
        // Serialises installs and uninstalls of every schema of this database, so that one run
        // never drops the shared schema while another is creating its triggers.
        exec(c, "select pg_advisory_xact_lock(hashtext('venomqa.journal'), 0)");
        if (preInstalledByOther(c)) {
            return;
        }
        for (String s : installStatements(null)) {
            // ALTER TABLE takes the table's strongest lock even when the column is there: held while this transaction
            // lasts, it waited for every other run of the database that had touched its record, and deadlocked with
            // one that then waited for the advisory lock above (a dead run's recovery, before it removed the journal).
            if (s.startsWith(ADD_RUN_COLUMN) && queryLong(c, "select count(*) from pg_attribute where attrelid = "
                    + "to_regclass('venomqa.runs') and attname = ? and not attisdropped",
                    s.substring(ADD_RUN_COLUMN.length(), s.indexOf(' ', ADD_RUN_COLUMN.length()))) > 0) {
                continue;
            }
            exec(c, s);
        }
    }

    /**
     * Whether the shared objects exist, are owned by another role, and are exactly ours (an
     * administrator ran {@code venomqa journal-sql}): then this run uses them as they are. Owned by
     * another role but different (another VenomQA version, or changed by hand): an error that says
     * what to do, because this role could neither replace them nor trust them.
     */
    private boolean preInstalledByOther(Connection c) throws SQLException {
        if (!infrastructureExists(c) || queryLong(c, "select count(*) from pg_namespace where nspname = 'venomqa' "
                + "and nspowner <> (select oid from pg_roles where rolname = current_user)") == 0) {
            return false;
        }
        List<String> differing = new ArrayList<>();
        for (Map.Entry<String, String> f : functions().entrySet()) {
            long same = queryLong(c, "select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace "
                    + "where n.nspname = 'venomqa' and p.proname = ? and p.prosrc = ? and p.prosecdef "
                    + "and 'search_path=pg_catalog, pg_temp' = any (p.proconfig)", f.getKey(), f.getValue());
            if (same == 0) {
                differing.add("venomqa." + f.getKey() + "()");
            }
        }
        if (queryLong(c, "select count(*) from information_schema.columns where table_schema = 'venomqa' "
                + "and table_name = 'runs' and column_name = 'pid'") == 0) {
            differing.add("venomqa.runs (column pid)");
        }
        if (queryLong(c, "select count(*) from information_schema.columns where table_schema = 'venomqa' "
                + "and table_name = 'runs' and column_name = 'definitions'") == 0) {
            differing.add("venomqa.runs (column definitions)");
        }
        if (!differing.isEmpty()) {
            throw new SQLException("The schema venomqa of this database belongs to another role, and " + differing
                    + " is not what this VenomQA version installs (another version, or changed by hand). Ask the owner "
                    + "of schema venomqa to run the SQL printed by 'venomqa journal-sql --role <this role>' once, or "
                    + "run VenomQA as that role.");
        }
        return true;
    }
    @Override
    public void claimRun(Connection c, String schema) throws SQLException {
        update(c, "update venomqa.runs set pid = pg_backend_pid() where schema_name = ?", schema);
    }

    @Override
    public void writeRun(Connection c, String schema, String owner, SequenceSnapshot counters) throws SQLException {
        update(c, "insert into venomqa.runs(schema_name, owner, counters, pid) values (?, ?, ?, pg_backend_pid()) "
                + "on conflict (schema_name) do update set owner = excluded.owner, started_at = now(), "
                + "counters = excluded.counters, pid = excluded.pid",
                schema, owner, counters.serialize());
    }

    @Override
    public void writeRunDefinitions(Connection c, String schema, String definitions) throws SQLException {
        update(c, "update venomqa.runs set definitions = ? where schema_name = ?", definitions, schema);
    }

    @Override
    public TableMeta describe(Connection c, String schema, String table) throws SQLException {
        List<TableMeta.Column> cols = new ArrayList<>();
        List<String> key = new ArrayList<>();
        List<String> largeObjectColumns = new ArrayList<>();
        Map<String, String> domainBases = new java.util.HashMap<>();
        List<String[]> generated = new ArrayList<>();
        Map<String, String> xml = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select a.attname, format_type(a.atttypid, a.atttypmod), a.attgenerated <> '', a.attidentity = 'a',
                       coalesce(a.attnum = any(i.indkey), false), """ + PostgresLargeObjects.IS_LARGE_OBJECT_COLUMN + """
                       , (select format_type(d.typbasetype, null) from pg_type d where d.oid = a.atttypid and d.typtype = 'd')
                       , case when a.attgenerated = 's' then (select pg_get_expr(g.adbin, g.adrelid) from pg_attrdef g
                              where g.adrelid = a.attrelid and g.adnum = a.attnum) end
                       , """ + XML_PATHS + """
                from pg_attribute a
                join pg_class t on t.oid = a.attrelid
                join pg_namespace n on n.oid = t.relnamespace
                left join pg_index i on i.indrelid = t.oid and i.indisprimary
                where n.nspname = ? and t.relname = ? and a.attnum > 0 and not a.attisdropped
                order by a.attnum""")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.add(new TableMeta.Column(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4)));
                    if (rs.getBoolean(5)) {
                        key.add(rs.getString(1));
                    }
                    if (rs.getBoolean(6)) {
                        largeObjectColumns.add(rs.getString(1));
                    }
                    if (rs.getString(7) != null) {
                        domainBases.put(rs.getString(1), rs.getString(7));
                    }
                    if (rs.getString(8) != null) {
                        generated.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(8)});
                    }
                    if (rs.getString(9) != null) {
                        xml.put(rs.getString(1), rs.getString(9));
                    }
                }
            }
        }
        if (cols.isEmpty()) {
            throw new SQLException("Table " + qualify(schema, table) + " has no columns or does not exist");
        }
        largeObjects.describe(table, largeObjectColumns);
        this.domainBases.put(table, Map.copyOf(domainBases));
        this.storedGenerated.put(table, List.copyOf(generated));
        this.xmlPaths.put(table, Map.copyOf(xml));
        return new TableMeta(table, cols, key);
    }

    /**
     * For a column {@code a} of {@code pg_attribute}: where its type holds {@code xml}, as the distinct paths to it
     * joined by commas, each {@code p} followed by a letter per step ({@code a} an array's element, {@code c} a
     * composite's attribute, {@code r} a range's subtype or a multirange's range; domains are seen through): {@code p}
     * for xml or a domain over it, {@code pa} for an array of either; null where no xml is held. A plain scalar type
     * (most columns) is answered without the walk, which cost about half a millisecond per table of ten columns.
     */
    static final String XML_PATHS = """
            (select case when y0.typtype in ('b', 'e') and y0.typcategory <> 'A' and y0.oid <> 'pg_catalog.xml'::pg_catalog.regtype
                         then null else
            (with recursive r(oid, path) as (
                select a.atttypid, ''::text
                union all
                select s.oid, r.path || s.step from r cross join lateral (
                    select y.typbasetype, ''::text from pg_type y where y.oid = r.oid and y.typtype = 'd'
                    union all select y.typelem, 'a' from pg_type y where y.oid = r.oid and y.typtype <> 'd' and y.typcategory = 'A'
                                and y.typelem <> 0
                    union all select x.atttypid, 'c' from pg_type y join pg_attribute x on x.attrelid = y.typrelid and x.attnum > 0
                                and not x.attisdropped where y.oid = r.oid and y.typtype = 'c'
                    union all select g.rngsubtype, 'r' from pg_range g where g.rngtypid = r.oid
                    union all select g.rngtypid, 'r' from pg_range g where g.rngmultitypid = r.oid) s(oid, step)
                where length(r.path) < 8)
             select string_agg(distinct 'p' || r.path, ',') from r where r.oid = 'pg_catalog.xml'::pg_catalog.regtype) end
             from pg_type y0 where y0.oid = a.atttypid)""";

    /** Per table, as {@link #describe} last read it: column → {@link #XML_PATHS} of each column holding xml. */
    private final Map<String, Map<String, String>> xmlPaths = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The arguments of the journal's cast trigger functions ({@code journal_stmt_cast_v1}, {@code journal_row_cast_v1})
     * for a table whose columns ({@code columns}, in table order) hold xml as {@code paths} says, as SQL string
     * literals; empty when none does (the table gets the functions that take the row's text). Refused, with what to
     * do, when xml sits inside a composite or range type: its text form inside the row's text would lose the
     * declaration too, and casting it would take a cast per nesting.
     */
    static List<String> castArguments(String qualified, List<String> columns, Map<String, String> paths) throws SQLException {
        if (paths.isEmpty()) {
            return List.of();
        }
        List<String> nested = new ArrayList<>();
        List<String> args = new ArrayList<>();
        for (String column : columns) {
            String path = paths.get(column);
            String kind = path == null ? "-" : path.equals("p") ? "x" : path.equals("pa") ? "a" : null;
            if (kind == null) {
                nested.add("'" + column + "'");
                continue;
            }
            args.add(stringLiteral(kind + column));
        }
        if (!nested.isEmpty()) {
            throw new SQLException("Table " + qualified + " has xml inside a composite or range type (column "
                    + String.join(", ", nested) + "). PostgreSQL writes such a value without the XML declaration it was "
                    + "stored with, so the journal could not put it back exactly. Store the xml in a column of type xml "
                    + "(or xml[], or a domain over xml), or leave the table out with exclude_tables (its changes are then "
                    + "not undone).");
        }
        return args;
    }

    /**
     * Per table, as {@link #describe} last read it: its stored generated columns, each as name, type (with its
     * modifier) and generation expression ({@code pg_get_expr} in this session, so that it reads back here);
     * for {@link #verifyGenerated}.
     */
    private final Map<String, List<String[]>> storedGenerated = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Per table, as {@link #describe} last read it: column → the base type of its domain (a column of a domain
     * over {@code boolean} or {@code bytea} reads, through the driver, as that type does).
     */
    private final Map<String, Map<String, String>> domainBases = new java.util.concurrent.ConcurrentHashMap<>();

    /** The type {@code col} of {@code table} reads as: its domain's base type, else its own. */
    private String readType(String table, TableMeta.Column col) {
        return domainBases.getOrDefault(table, Map.of()).getOrDefault(col.name(), col.type());
    }

    @Override
    public List<String> unjournaledPaths(Connection c, String schema, java.util.Set<String> tracked) throws SQLException {
        // pg_inherits holds partitions and inheritance children alike; direct links are enough, since a
        // link that leaves the schema anywhere in a tree is a link of some table of the schema.
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select t.relname, case when i.inhparent = t.oid then (case when r.relispartition then 'partition '
                         else 'child table ' end) else (case when t.relispartition then 'partitioned table ' else
                         'parent table ' end) end || quote_ident(rn.nspname) || '.' || quote_ident(r.relname)
                from pg_class t join pg_namespace n on n.oid = t.relnamespace
                join pg_inherits i on i.inhparent = t.oid or i.inhrelid = t.oid
                join pg_class r on r.oid = case when i.inhparent = t.oid then i.inhrelid else i.inhparent end
                join pg_namespace rn on rn.oid = r.relnamespace
                where n.nspname = ? and rn.nspname <> n.nspname order by 1, 2""")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (tracked.contains(rs.getString(1))) {
                        out.add(qualify(schema, rs.getString(1)) + " → " + rs.getString(2));
                    }
                }
            }
        }
        List<String> problems = new ArrayList<>();
        if (!out.isEmpty()) {
            problems.add("tables of it share a partition or inheritance tree with tables of another "
                + "schema (" + String.join("; ", out) + "), and the journal tracks one schema: a write through these "
                + "tables that changes rows of the other schema (or one made there that changes rows here) would not be "
                + "journaled, and no rollback or disconnect() would undo it. Keep each tree in one schema, or leave these "
                + "tables out with exclude_tables (their changes are then not undone).");
        }
        // The same within the schema: a partition exclude_tables leaves out of a tracked partitioned table. The
        // partitioned table's row triggers are cloned onto every partition, so the excluded one journals its rows
        // under its own name, which the run ignores as no table of its own; a row an UPDATE of the partition key moved
        // there from a tracked partition was undone as a delete only, and the rollback left it twice while reporting
        // success (found 2026-12-05). Excluding the partitioned table excludes its partitions (they get no trigger of
        // their own), and an inheritance child is journaled by its own row triggers whichever table a write names.
        List<String> split = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select t.relname, r.relname from pg_inherits i join pg_class t on t.oid = i.inhparent and t.relkind = 'p'
                join pg_class r on r.oid = i.inhrelid join pg_namespace n on n.oid = t.relnamespace and n.oid = r.relnamespace
                where n.nspname = ? order by 1, 2""")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (tracked.contains(rs.getString(1)) && !tracked.contains(rs.getString(2))) {
                        split.add(qualify(schema, rs.getString(2)) + " of " + qualify(schema, rs.getString(1)));
                    }
                }
            }
        }
        if (!split.isEmpty()) {
            problems.add("exclude_tables leaves out partitions of tracked partitioned tables (" + String.join("; ", split)
                    + "): an UPDATE that moves a row into such a partition would be undone as a delete only, leaving the "
                    + "row twice. Exclude the partitioned table (which excludes all its partitions), or none of its "
                    + "partitions.");
        }
        // Foreign tables of the schema, and in the same statement the foreign keys with an action from a tracked
        // table (the parent) into a table the journal does not see: one excluded, or of another schema. Their
        // action changes the child's rows without journaling them (no trigger of the journal's there), so a rollback
        // put the parent back and left the child as the run made it: an ON UPDATE CASCADE left children pointing at
        // keys no longer there, and every rollback and disconnect() failed blaming "something without the triggers",
        // disconnect() leaving the tracked parent unrestored too (found 2026-12-06). MySQL/MariaDB refuse the other
        // direction as well (InnoDB's actions fire no trigger), which PostgreSQL journals (its cascades fire the
        // child's triggers). Top-level keys only
        // (conparentid 0): a partition's copies of its parent's key name the same tables.
        List<String> foreign = new ArrayList<>();
        List<String> actions = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select 'f', t.relname::text, null::text, null::text, null::text, null::text, null::text
                from pg_class t join pg_namespace n on n.oid = t.relnamespace where n.nspname = ? and t.relkind = 'f'
                union all
                select 'k', pt.relname::text, k.conname::text, cn.nspname::text, ct.relname::text,
                       case k.confupdtype when 'c' then 'CASCADE' when 'n' then 'SET NULL' when 'd' then 'SET DEFAULT'
                            when 'r' then 'RESTRICT' else 'NO ACTION' end,
                       case k.confdeltype when 'c' then 'CASCADE' when 'n' then 'SET NULL' when 'd' then 'SET DEFAULT'
                            when 'r' then 'RESTRICT' else 'NO ACTION' end
                from pg_constraint k join pg_class pt on pt.oid = k.confrelid join pg_namespace pn on pn.oid = pt.relnamespace
                join pg_class ct on ct.oid = k.conrelid join pg_namespace cn on cn.oid = ct.relnamespace
                where pn.nspname = ? and k.contype = 'f' and k.conparentid = 0
                  and (k.confupdtype in ('c', 'n', 'd') or k.confdeltype in ('c', 'n', 'd'))
                order by 1, 2, 3""")) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!tracked.contains(rs.getString(2))) {
                        continue;
                    }
                    if (rs.getString(1).equals("f")) {
                        foreign.add(qualify(schema, rs.getString(2)));
                        continue;
                    }
                    boolean here = schema.equals(rs.getString(4));
                    if (here && tracked.contains(rs.getString(5))) {
                        continue;
                    }
                    actions.add(qualify(rs.getString(4), rs.getString(5)) + " (" + quote(rs.getString(3)) + ": ON DELETE "
                            + rs.getString(7) + " ON UPDATE " + rs.getString(6) + ") references " + qualify(schema,
                            rs.getString(2)) + (here ? ", and is in exclude_tables" : ", and is in another schema"));
                }
            }
        }
        if (!foreign.isEmpty()) {
            problems.add("foreign tables " + String.join(", ", foreign) + " (their rows live on another server) cannot "
                    + "carry the journal's triggers, so their changes could not be undone. Add them to exclude_tables "
                    + "(their changes are then not undone), or keep them out of the schema.");
        }
        if (problems.isEmpty() && actions.isEmpty()) {
            // A run that goes on: name the keys without an action between tracked and untracked tables, which the
            // check after each undo (verifyForeignKeys) enforces.
            List<String> crossing = new ArrayList<>();
            for (ForeignKey fk : foreignKeys(c, schema)) {
                boolean childTracked = fk.childSchema().equals(schema) && tracked.contains(fk.child());
                boolean parentTracked = fk.parentSchema().equals(schema) && tracked.contains(fk.parent());
                if (childTracked != parentTracked) {
                    boolean childUntracked = !childTracked;
                    boolean elsewhere = !(childUntracked ? fk.childSchema() : fk.parentSchema()).equals(schema);
                    crossing.add(qualify(fk.childSchema(), fk.child()) + " → " + qualify(fk.parentSchema(), fk.parent())
                            + " (" + quote(fk.name()) + "; " + (childUntracked ? "the child" : "the parent") + " is "
                            + (elsewhere ? "in another schema" : "not tracked (exclude_tables, or a migration table)") + ")");
                }
            }
            warnOfCrossingKeys("schema '" + schema + "'", crossing);
        }
        if (!actions.isEmpty()) {
            problems.add("foreign key actions from tracked tables change rows of tables the journal does not track: "
                    + String.join("; ", actions) + ". A change of the referenced row (its key updated, the row deleted) "
                    + "changes these rows through the foreign key's action, unseen by the journal, so a rollback or "
                    + "disconnect() would put the referenced rows back but not these: rows pointing at keys that are no "
                    + "longer there, or rows lost. Track the referencing tables too (remove them from exclude_tables; a "
                    + "table of another schema cannot be), make these foreign keys NO ACTION or RESTRICT, or exclude the "
                    + "referenced tables as well.");
        }
        return problems;
    }

    @Override
    public List<String> writesOutside(Connection c, String schema, java.util.Set<String> tracked) throws SQLException {
        List<String[]> triggers = new ArrayList<>();
        // The functions' text (prosrc) and the rules' definitions: PL/pgSQL and SQL functions hold their statements as
        // written; a C function's text is its symbol and names nothing.
        try (PreparedStatement ps = c.prepareStatement("""
                select t.relname, 'trigger ' || quote_ident(g.tgname), p.prosrc
                from pg_trigger g join pg_class t on t.oid = g.tgrelid join pg_namespace n on n.oid = t.relnamespace
                join pg_proc p on p.oid = g.tgfoid
                where n.nspname = ? and not g.tgisinternal and g.tgparentid = 0
                  and g.tgname !~ '^(venomqa|VenomQA)_journal_[iudt]$'
                union all
                select t.relname, 'rule ' || quote_ident(r.rulename), pg_get_ruledef(r.oid)
                from pg_rewrite r join pg_class t on t.oid = r.ev_class join pg_namespace n on n.oid = t.relnamespace
                where n.nspname = ? and t.relkind in ('r', 'p') and r.rulename <> '_RETURN'
                order by 1, 2""")) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    triggers.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
        }
        return writesOutside(triggers, schema, tracked, new java.util.HashSet<>(currentTables(c, schema)), true, false, false);
    }

    @Override
    public boolean coveredByParent(Connection c, String schema, String table) throws SQLException {
        return queryLong(c, "select count(*) from pg_class t join pg_namespace n on n.oid = t.relnamespace "
                + "where n.nspname = ? and t.relname = ? and t.relispartition", schema, table) > 0;
    }

    @Override
    public Map<String, String> partitionParents(Connection c, String schema) throws SQLException {
        return queryPairs(c, "select t.relname::text, case when t.relispartition then (select p.relname::text from pg_inherits i "
                + "join pg_class p on p.oid = i.inhparent where i.inhrelid = t.oid) else '' end from pg_class t "
                + "join pg_namespace n on n.oid = t.relnamespace where n.nspname = ? and t.relkind in ('r', 'p')", schema);
    }

    @Override
    public void installTriggers(Connection c, String schema, TableMeta table) throws SQLException {
        String t = qualify(schema, table.name());
        // Before the old triggers go: a refusal leaves the table journaled as it was.
        List<String> cast = castArguments(t, table.columns().stream().map(TableMeta.Column::name).toList(),
                xmlPaths.getOrDefault(table.name(), Map.of()));
        dropTriggers(c, schema, table.name());
        Optional<String> rowLevel = rowLevelReason(c, schema, table.name());
        String prefix = rowLevel.isPresent() ? ROW_LEVEL_NAME : STATEMENT_LEVEL_NAME;
        if (!cast.isEmpty()) {
            String args = String.join(", ", cast);
            if (rowLevel.isPresent()) {
                LOG.debug("Journal triggers on {} are row-level: {}", t, rowLevel.get());
                for (String[] event : new String[][] {{"i", "insert"}, {"u", "update"}, {"d", "delete"}}) {
                    exec(c, "create trigger " + prefix + event[0] + "\" after " + event[1] + " on " + t
                            + " for each row execute function venomqa.journal_row_cast_v1(" + args + ")");
                }
            } else {
                exec(c, "create trigger " + prefix + "i\" after insert on " + t + " referencing new table as venomqa_new "
                        + "for each statement execute function venomqa.journal_stmt_cast_v1(" + args + ")");
                exec(c, "create trigger " + prefix + "u\" after update on " + t + " referencing old table as venomqa_old "
                        + "new table as venomqa_new for each statement execute function venomqa.journal_stmt_cast_v1(" + args + ")");
                exec(c, "create trigger " + prefix + "d\" after delete on " + t + " referencing old table as venomqa_old "
                        + "for each statement execute function venomqa.journal_stmt_cast_v1(" + args + ")");
            }
            exec(c, "create trigger " + prefix + "t\" before truncate on " + t
                    + " for each statement execute function venomqa.journal_stmt_cast_v1(" + args + ")");
        } else if (rowLevel.isPresent()) {
            LOG.debug("Journal triggers on {} are row-level: {}", t, rowLevel.get());
            exec(c, "create trigger " + prefix + "i\" after insert on " + t
                    + " for each row execute function venomqa.journal_insert_row_v2()");
            exec(c, "create trigger " + prefix + "u\" after update on " + t
                    + " for each row execute function venomqa.journal_update_v2()");
            exec(c, "create trigger " + prefix + "d\" after delete on " + t
                    + " for each row execute function venomqa.journal_delete_v2()");
        } else {
            // One trigger per event: PostgreSQL allows transition tables only on single-event triggers.
            exec(c, "create trigger " + prefix + "i\" after insert on " + t
                    + " referencing new table as venomqa_new for each statement execute function venomqa.journal_insert_v2b()");
            exec(c, "create trigger " + prefix + "u\" after update on " + t
                    + " referencing old table as venomqa_old new table as venomqa_new for each statement "
                    + "execute function venomqa.journal_update_stmt_v2b()");
            exec(c, "create trigger " + prefix + "d\" after delete on " + t
                    + " referencing old table as venomqa_old for each statement execute function venomqa.journal_delete_stmt_v2b()");
        }
        if (cast.isEmpty()) {
            exec(c, "create trigger " + prefix + "t\" before truncate on " + t
                    + " for each statement execute function venomqa.journal_truncate_only_v2b()");
        }
        exec(c, enableAlways(t, prefix, "i", "u", "d", "t"));
        // A table that inherits from a journaled table created after connect() (a migration): its
        // parent got statement-level triggers while it had no children, and would now journal the
        // child's rows too, in its own shape. Its triggers are made row-level as well.
        for (String parent : queryStrings(c, """
                select p.relname from pg_inherits i join pg_class p on p.oid = i.inhparent
                join pg_class ch on ch.oid = i.inhrelid join pg_namespace n on n.oid = ch.relnamespace
                where n.nspname = ? and ch.relname = ? and p.relnamespace = ch.relnamespace and p.relkind = 'r'
                  and exists (select from pg_trigger g where g.tgrelid = p.oid and g.tgname = 'venomqa_journal_u'
                              and (g.tgtype & 1) = 0)""", schema, table.name())) {
            installTriggers(c, schema, describe(c, schema, parent));
        }
    }

    /**
     * Why a table gets row-level journal triggers instead of statement-level ones over transition
     * tables (empty: statement-level, one journal {@code INSERT … SELECT} per statement):
     * <ul>
     * <li>a partitioned table: statement triggers are not cloned to its partitions, so a write
     * straight into a partition would be missed (row triggers are cloned, and journal the row under
     * the partition's name), and partitions cannot have transition tables;</li>
     * <li>a table in an inheritance tree: a statement on the parent changes the children's rows
     * without firing the children's statement triggers, and the parent's transition tables would
     * hold those rows in the parent's shape, under the parent's name;</li>
     * <li>a table with application {@code AFTER} triggers (or constraint triggers): those run
     * before a statement-level journal trigger of the same statement, so what they write (another
     * update of the same row, an audit row) would be journaled before the change that caused it,
     * and the undo, newest first, would meet rows that do not match their images. Row-level journal
     * triggers are named to fire before the application's ({@link #ROW_LEVEL_NAME}), per row.</li>
     * </ul>
     */
    private Optional<String> rowLevelReason(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select t.relkind = 'p',
                       exists (select from pg_inherits i where i.inhrelid = t.oid or i.inhparent = t.oid),
                       (select string_agg(g.tgname, ', ' order by g.tgname) from pg_trigger g
                        where g.tgrelid = t.oid and not g.tgisinternal and g.tgname !~ '^(venomqa|VenomQA)_journal_[iudt]$'
                          and (g.tgtype & 66) = 0 and (g.tgtype & 28) <> 0)
                from pg_class t join pg_namespace n on n.oid = t.relnamespace where n.nspname = ? and t.relname = ?""")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.of("not found in the catalog");
                }
                if (rs.getBoolean(1)) {
                    return Optional.of("partitioned table");
                }
                if (rs.getBoolean(2)) {
                    return Optional.of("table in an inheritance tree");
                }
                String after = rs.getString(3);
                return after == null ? Optional.empty() : Optional.of("application AFTER triggers " + after);
            }
        }
    }

    /**
     * A partition's own {@code TRUNCATE} trigger: a {@code TRUNCATE} of the partition alone fires neither
     * its partitioned table's triggers nor the row triggers cloned from them, so without it the rows it
     * removed were not journaled and a rollback left the partition empty, silently. A {@code TRUNCATE} of
     * the partitioned table fires it too, for the partition's own rows (the partitioned table's trigger
     * copies none: {@code ONLY}).
     */
    @Override
    public void installCoveredTriggers(Connection c, String schema, String table, java.util.Set<String> tracked)
            throws SQLException {
        String t = qualify(schema, table);
        dropTriggers(c, schema, table);
        List<String> root = queryStrings(c, "select r.relname::text from pg_class r join pg_namespace n on n.oid = r.relnamespace "
                + "where r.oid = pg_partition_root(to_regclass(?)) and n.nspname = ?", t, schema);
        if (root.isEmpty() || !tracked.contains(root.get(0))) {
            return; // the partitioned table is excluded (or in another schema): so are its partitions' changes
        }
        List<String> columns = new ArrayList<>();
        Map<String, String> paths = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select a.attname, " + XML_PATHS + " from pg_attribute a "
                + "where a.attrelid = to_regclass(?) and a.attnum > 0 and not a.attisdropped order by a.attnum")) {
            ps.setString(1, t);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                    if (rs.getString(2) != null) {
                        paths.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        List<String> cast = castArguments(t, columns, paths);
        exec(c, "create trigger " + STATEMENT_LEVEL_NAME + "t\" before truncate on " + t + " for each statement execute function "
                + (cast.isEmpty() ? "venomqa.journal_truncate_only_v2b()" : "venomqa.journal_stmt_cast_v1(" + String.join(", ", cast) + ")"));
        exec(c, enableAlways(t, STATEMENT_LEVEL_NAME, "t"));
    }

    /**
     * The statements that make the journal's triggers fire in every session, replica mode included.
     * A trigger enabled the ordinary way ({@code ORIGIN}) does not fire in a session with {@code
     * session_replication_role = replica}, which a superuser (or a role granted {@code SET} on it) may
     * set for itself, and which loaders and test fixtures set to skip foreign key checks: its writes
     * were not journaled, and a rollback left them without a word. The undo, which runs in replica mode,
     * is still not journaled: the trigger functions return at once in the manager's undo
     * ({@link #REPLAYING}). On a partitioned table the change reaches the partitions' clones.
     */
    private String enableAlways(String table, String prefix, String... suffixes) {
        List<String> out = new ArrayList<>();
        for (String suffix : suffixes) {
            out.add("alter table " + table + " enable always trigger " + prefix + suffix + "\"");
        }
        return String.join("; ", out);
    }

    @Override
    public void dropTriggers(Connection c, String schema, String table) throws SQLException {
        String t = qualify(schema, table);
        // Only the table's own journal triggers: a partition's row triggers are clones of its partitioned
        // table's, which PostgreSQL refuses to drop on the partition (they go with the parent's).
        List<String> drops = new ArrayList<>();
        for (String name : queryStrings(c, "select g.tgname from pg_trigger g where g.tgrelid = to_regclass(?) "
                + "and g.tgparentid = 0 and g.tgname ~ '^(venomqa|VenomQA)_journal_[iudt]$' order by 1", t)) {
            drops.add("drop trigger if exists " + quote(name) + " on " + t);
        }
        if (!drops.isEmpty()) {
            exec(c, String.join("; ", drops));
        }
    }

    /**
     * By the triggers' oids (the first field of a {@link #TRIGGER_STATE} value), wherever their tables are now
     * (found 2026-12-06: a table moved by {@code ALTER TABLE … SET SCHEMA} kept the journal's triggers after
     * {@code disconnect()} said they were removed, and with them the {@code venomqa} schema). Only triggers
     * that still have a journal trigger's name and call a function of the {@code venomqa} schema.
     */
    @Override
    public void dropMovedTriggers(Connection c, java.util.Collection<String> states) throws SQLException {
        List<Long> oids = new ArrayList<>();
        for (String state : states) {
            int bar = state.indexOf('|');
            try {
                oids.add(Long.parseLong(bar < 0 ? state : state.substring(0, bar)));
            } catch (NumberFormatException notAnOid) {
                // not a state this dialect wrote
            }
        }
        if (oids.isEmpty()) {
            return;
        }
        List<String> drops = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select quote_ident(g.tgname), g.tgrelid::regclass::text "
                + "from pg_trigger g join pg_proc p on p.oid = g.tgfoid join pg_namespace pn on pn.oid = p.pronamespace "
                + "where g.oid::int8 = any (?) and g.tgparentid = 0 and pn.nspname = 'venomqa' "
                + "and g.tgname ~ '^(venomqa|VenomQA)_journal_[iudt]$'")) {
            ps.setArray(1, c.createArrayOf("bigint", oids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    drops.add("drop trigger if exists " + rs.getString(1) + " on " + rs.getString(2));
                }
            }
        }
        if (!drops.isEmpty()) {
            exec(c, String.join("; ", drops));
        }
    }

    @Override
    public List<String> tablesWithTriggers(Connection c, String schema) throws SQLException {
        return queryStrings(c, """
                select distinct t.relname from pg_trigger g join pg_class t on t.oid = g.tgrelid
                join pg_namespace n on n.oid = t.relnamespace
                where n.nspname = ? and g.tgname ~ '^(venomqa|VenomQA)_journal_[iudt]$' and g.tgparentid = 0 order by 1""", schema);
    }

    @Override
    public List<String> triggersNotRemovable(Connection c, String schema, List<String> tables) throws SQLException {
        if (tables.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select t.relname || ' (owner ' || pg_get_userbyid(t.relowner) || ')' "
                + "from pg_class t join pg_namespace n on n.oid = t.relnamespace where n.nspname = ? "
                + "and t.relname = any (?) and not pg_has_role(t.relowner, 'USAGE') order by 1")) {
            ps.setString(1, schema);
            ps.setArray(2, c.createArrayOf("text", tables.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Override
    public Map<String, String> triggerState(Connection c, String schema) throws SQLException {
        return queryPairs(c, TRIGGER_STATE + " order by 1", schema);
    }

    @Override
    public void uninstallInfrastructure(Connection c, String schema) throws SQLException {
        exec(c, "select pg_advisory_xact_lock(hashtext('venomqa.journal'), 0)");
        if (!infrastructureExists(c)) {
            return;
        }
        update(c, "delete from venomqa.runs where schema_name = ?", schema);
        update(c, "delete from venomqa.journal where schema_name = ?", schema);
        // Runs of schemas that were dropped since (a test schema dropped after a failed run) can
        // never be recovered: their records would only keep the shared schema alive for ever.
        update(c, "delete from venomqa.journal where schema_name not in (select nspname from pg_namespace)");
        update(c, "delete from venomqa.runs where schema_name not in (select nspname from pg_namespace)");
        if (queryLong(c, "select count(*) from pg_class where oid = to_regclass(?)", PostgresLargeObjects.TABLE) > 0) {
            // The run's large objects at its start, and copies of those its undos removed: gone with it.
            update(c, "delete from " + PostgresLargeObjects.TABLE + " where schema_name = ? "
                    + "or schema_name not in (select nspname from pg_namespace)", schema);
        }
        long others = queryLong(c, "select count(*) from venomqa.runs");
        long foreignTriggers = queryLong(c, "select count(*) from pg_trigger g join pg_proc p on p.oid = g.tgfoid "
                + "join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'venomqa'");
        // A journal an administrator installed (venomqa journal-sql) stays: it is not this role's to drop.
        boolean ours = queryLong(c, "select count(*) from pg_namespace where nspname = 'venomqa' "
                + "and nspowner = (select oid from pg_roles where rolname = current_user)") > 0;
        if (others == 0 && foreignTriggers == 0 && ours) {
            exec(c, "drop schema venomqa cascade");
        }
    }

    @Override
    public List<String> currentTables(Connection c, String schema) throws SQLException {
        return queryStrings(c, CURRENT_TABLES + " order by 1", schema);
    }

    /**
     * The base and partitioned tables of the schema (parameter): oid and name. Found through the
     * dependency every relation records on its schema (the one {@code DROP SCHEMA … CASCADE} follows
     * to drop them), by index, not by a scan of {@code pg_class}: that has no index on the schema, and
     * a scan costs what the whole database's catalog holds (on a server where schemas are created and
     * dropped all day, mostly dead rows), at every checkpoint, rollback and restore (benchmark row 11:
     * 0.6–0.9 ms against 0.2–0.3 ms). Distinct, so that a second dependency could not list a table twice.
     */
    private static final String TABLES_OF_SCHEMA = "(select distinct c.oid, c.relname from pg_namespace n "
            + "join pg_depend d on d.refobjid = n.oid and d.refclassid = 'pg_namespace'::regclass "
            + "and d.classid = 'pg_class'::regclass join pg_class c on c.oid = d.objid and c.relnamespace = n.oid "
            + "where n.nspname = ? and c.relkind in ('r', 'p'))";

    /** {@link #currentTables}: the base and partitioned tables of the schema (parameter), two text columns. */
    private static final String CURRENT_TABLES = "select t.relname::text, null::text from " + TABLES_OF_SCHEMA + " t";

    /**
     * {@link #shapes}: each table's columns with their types (generated, identity and key columns
     * marked), in column order; every table of the schema (parameter), filtered by the caller. Third, in
     * the same pass over {@code pg_attribute}, {@link DefinitionWatch.Marks#columns}: the table's
     * {@code relfilenode}, then each column's {@code attnum:xmin:atthasmissing:attcollation}.
     *
     * <p>What is watched, and why only that: a column's stored values read back differently only when its
     * type, type modifier or generation changes (the shape, compared on its own), when its collation changes
     * (its key values then compare under other rules; stored bytes stay, but VenomQA does not vouch for the
     * matching), or when its rows are rewritten through an expression. The last is a same-type {@code ALTER
     * COLUMN … TYPE … USING}: it keeps type, modifier and collation, writes the column's {@code pg_attribute}
     * row anew (and, checked on PostgreSQL 15, those of the columns after it) and rewrites every row without
     * firing row triggers, into a new {@code relfilenode}. Many other {@code ALTER COLUMN}s also write the
     * column's row anew ({@code SET STATISTICS}, {@code SET STORAGE}, {@code SET/DROP DEFAULT}, {@code SET
     * (n_distinct = …)}, {@code SET/DROP NOT NULL}, a column {@code GRANT}), but none of them touches a row or
     * the table's storage: a new xmin with the same {@code relfilenode} changed no value, and until 2026-12-06
     * it refused every later rollback and left the table unrestored at {@code disconnect()}. So a column counts
     * as rewritten only where both its xmin and the table's {@code relfilenode} changed between two reads
     * ({@link DefinitionWatch} takes the new marks as its reference after every read that finds nothing).
     * Writes, {@code ANALYZE} and {@code COMMENT} change neither; {@code TRUNCATE}, {@code VACUUM FULL},
     * {@code CLUSTER}, {@code SET TABLESPACE} and {@code SET LOGGED} change only the {@code relfilenode}; a
     * rewrite clears a fast default's {@code atthasmissing}, which {@link DefinitionWatch} lets pass. Stricter
     * than needed in one case: a harmless {@code ALTER COLUMN} and one of those rewrites between the same two
     * checkpoints (or rollbacks) count as a rewrite of the column. The raw xmin survives freezing. A partitioned
     * table has no storage ({@code relfilenode} 0): its partitions, tracked tables themselves, hold the rows
     * and show the rewrite.
     */
    private static final String SHAPES = """
            select t.relname::text, string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                   || case when a.attgenerated <> '' then ' generated' else '' end
                   || case when a.attidentity = 'a' then ' identity' else '' end
                   || case when coalesce(a.attnum = any(i.indkey), false) then ' key' else '' end, ', '
                   order by a.attnum),
                   k.relfilenode || ' ' || string_agg(a.attnum || ':' || a.xmin || ':' || a.atthasmissing::int || ':'
                   || a.attcollation, ' ' order by a.attnum)
            from %s t
            join pg_class k on k.oid = t.oid
            join pg_attribute a on a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped
            left join pg_index i on i.indrelid = t.oid and i.indisprimary
            group by t.relname, k.relfilenode""".formatted(TABLES_OF_SCHEMA);

    /**
     * {@link #triggerState}: the trigger's oid changes when it is dropped and created again;
     * tgenabled when disabled; the xmin of its catalog row when it was disabled and enabled again
     * since (pg_restore --disable-triggers, Rails' fixture loading: {@code ALTER TABLE … DISABLE
     * TRIGGER ALL}, the writes, {@code ENABLE TRIGGER ALL}), which leaves oid and tgenabled as they were
     * but the writes in between unjournaled (an ENABLE of an enabled trigger writes no new row, and the
     * raw xmin survives freezing); the function's source, owner, SECURITY DEFINER and settings when it
     * is replaced. Schema as parameter. The schema's relations by their dependency on it and their
     * triggers by table, all by index ({@link #TABLES_OF_SCHEMA} says why): a trigger name pattern alone
     * reads the index of every trigger of the database.
     */
    private static final String TRIGGER_STATE = """
            select t.relname || '.' || g.tgname, concat_ws('|', g.oid, g.xmin, g.tgenabled, g.tgtype, g.tgfoid::regprocedure,
                   p.proowner, p.prosecdef, md5(p.prosrc), array_to_string(p.proconfig, ','))
            from pg_namespace n join pg_depend d on d.refobjid = n.oid and d.refclassid = 'pg_namespace'::regclass
                 and d.classid = 'pg_class'::regclass
            join pg_class t on t.oid = d.objid and t.relnamespace = n.oid
            join pg_trigger g on g.tgrelid = t.oid and g.tgname ~ '^(venomqa|VenomQA)_journal_[iudt]$'
            left join pg_proc p on p.oid = g.tgfoid
            where n.nspname = ?""";

    /**
     * The application's triggers and rules on the schema's tables (parameter, twice) that {@link #inspect} decides
     * about, each with its firing mode: "table.trigger.name" or "table.rule.name", and {@code tgenabled} or
     * {@code ev_enabled}. Read at {@link #inspect} and in every {@link #catalog}; a difference means a trigger or
     * rule was created, dropped or switched ({@code ENABLE ALWAYS}) during the run, and {@link #inspect} is run
     * again before the undo: one it does not know of would fire while rows are put back (an audit row the
     * rollback leaves, found 2026-12-05). By index, as {@link #TABLES_OF_SCHEMA} says.
     */
    private static final String APP_TRIGGERS = """
            select t.relname || '.trigger.' || g.tgname, g.tgenabled::text
            from %1$s t join pg_trigger g on g.tgrelid = t.oid
            where not g.tgisinternal and g.tgparentid = 0 and g.tgenabled <> 'D'
              and g.tgname !~ '^(venomqa|VenomQA)_journal_[iudt]$'
            union all
            select t.relname || '.rule.' || r.rulename, r.ev_enabled::text
            from %1$s t join pg_rewrite r on r.ev_class = t.oid
            where r.rulename <> '_RETURN' and r.ev_enabled <> 'D'""".formatted(TABLES_OF_SCHEMA);

    /**
     * {@link DefinitionWatch.Marks#sequences}, tagged {@code q}: every sequence of the schema (parameter), the ones
     * the counters restore, keyed as their snapshot keys it, with its oid (a sequence renamed keeps it, and the
     * counters then no longer find it) and options ({@code pg_sequence}). By content, not by the row's xmin:
     * {@code ALTER SEQUENCE … RESTART} and {@code OWNED BY} write the row too, and the counters put the value back
     * anyway. Tag, key, oid and options, and a null (as many columns as the other parts of {@link #catalog}).
     *
     * <p>In the same pass, tagged {@code v}, the schema's materialized views as {@link #MATERIALIZED_VIEWS} gives
     * them: one scan of the schema's dependencies for both. A separate scan for the views cost 0.15–0.18 ms per
     * catalog read on a schema of 60 tables, 60 sequences and no view (pgbench, 2026-12-06), this one nothing
     * measurable (0.32–0.54 ms against 0.37–0.61 ms for the sequences alone, on the same busy machine).
     */
    private static final String SEQUENCE_OPTIONS = """
            select case c.relkind when 'S' then 'q' else 'v' end,
                   case c.relkind when 'S' then quote_ident(n.nspname) || '.' || quote_ident(c.relname) else c.relname::text end,
                   case c.relkind when 'S' then 'oid ' || c.oid || ' as ' || format_type(s.seqtypid, null)
                   || ' start ' || s.seqstart || ' increment ' || s.seqincrement || ' minvalue ' || s.seqmin
                   || ' maxvalue ' || s.seqmax || ' cache ' || s.seqcache || ' cycle ' || s.seqcycle
                   else c.oid || ' ' || c.relfilenode || ' ' || c.xmin || ' ' || c.relispopulated::int || ' '
                   || has_table_privilege(c.oid, 'SELECT')::int || ' ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                   end, null::text
            from pg_namespace n join pg_depend d on d.refobjid = n.oid and d.refclassid = 'pg_namespace'::regclass
                 and d.classid = 'pg_class'::regclass
            join pg_class c on c.oid = d.objid and c.relnamespace = n.oid and c.relkind in ('S', 'm')
            left join pg_sequence s on s.seqrelid = c.oid and c.relkind = 'S'
            where n.nspname = ?""";

    /**
     * {@link DefinitionWatch.Marks#composites} and {@link DefinitionWatch.Marks#enums}: per column of a table of
     * the schema (parameter) and per composite or enum type its values hold (its type, an array of it, a domain
     * over either, a range, and so on down: a composite inside a composite, a table's row type used as a column's
     * type, an enum inside a composite or a range), tagged {@code c} or {@code e}. For a composite type its
     * attributes, dropped ones included, in order: table, column, and the type's oid, its name in hex and the
     * attributes ({@code street text, (dropped), zip text}). {@code ALTER TYPE … ADD, DROP or RENAME ATTRIBUTE}
     * changes no row of the tables and fires no trigger, yet the rows' images no longer read back as they were
     * written: an image of two fields read as the new type's two fields put a city into a zip code (found
     * 2026-12-06). For an enum type its labels by oid ({@code ALTER TYPE … RENAME VALUE} keeps the oid, which is
     * what the rows store), each in hex so that any label reads back: table, column, and the type's oid, the
     * labels and the type's name. Enums inside composites and ranges are walked to since 2026-12-06: before, only
     * a column's own type, element and base types were looked at, and a label renamed inside a composite failed
     * the rollback with the server's "invalid input value for enum" (or, renamed and added again, would have put
     * the new label back). The columns come from the dependencies each records on its type ({@code pg_depend}, one
     * index probe per table): only types created in the database have them (built-in ones are pinned), so the
     * columns of built-in types cost nothing; the walk down the types is recursive, and {@code UNION} ends it at
     * a type already seen. Every type is looked up by its oid from the row that reached it (lateral subqueries,
     * grouped so that they are not pulled up into a join): written as joins, the planner hashed the whole of
     * {@code pg_type}, whose size is the catalog's (bloated on shared servers). On 60 tables with an enum and a
     * composite column each, 1.5–4.5 ms for the composites against 1.4–2.4 ms for a separate enum query before
     * the two were one walk, prepared, on the busy development machine.
     */
    private static final String COMPOSITES_AND_ENUMS = """
            select k.tag, vq_ty.tbl, vq_ty.col, k.v
            from (with recursive vq_ty(tbl, col, typ) as (
                    select t.relname::text, a.attname::text, a.atttypid
                    from %s t
                    join pg_depend dt on dt.classid = 'pg_class'::regclass and dt.objid = t.oid and dt.objsubid > 0
                         and dt.refclassid = 'pg_type'::regclass
                    join pg_attribute a on a.attrelid = t.oid and a.attnum = dt.objsubid and not a.attisdropped
                         and a.atttypid = dt.refobjid
                    union
                    select vq_ty.tbl, vq_ty.col, x.typ from vq_ty cross join lateral (
                         select y.typelem from pg_type y where y.oid = vq_ty.typ and y.typelem <> 0
                         union all select y.typbasetype from pg_type y where y.oid = vq_ty.typ and y.typbasetype <> 0
                         union all select r.rngsubtype from pg_range r where r.rngtypid = vq_ty.typ
                         union all select ca.atttypid from pg_type y join pg_attribute ca on ca.attrelid = y.typrelid
                                   and ca.attnum > 0 and not ca.attisdropped where y.oid = vq_ty.typ and y.typrelid <> 0) x(typ))
                  select * from vq_ty) vq_ty
            cross join lateral (
                 select 'c'::text as tag, y.oid || ' ' || encode(convert_to(format_type(y.oid, null), 'UTF8'), 'hex') || ' '
                        || string_agg(case when ca.attisdropped then '(dropped)' else quote_ident(ca.attname) || ' '
                           || format_type(ca.atttypid, ca.atttypmod) end, ', ' order by ca.attnum) as v
                 from pg_type y join pg_attribute ca on ca.attrelid = y.typrelid and ca.attnum > 0
                 where y.oid = vq_ty.typ and y.typrelid <> 0 group by y.oid
                 union all
                 select 'e', e.enumtypid || ' ' || string_agg(e.oid || '=' || encode(convert_to(e.enumlabel, 'UTF8'), 'hex'),
                        ',' order by e.oid) || ' ' || format_type(e.enumtypid, null)
                 from pg_enum e where e.enumtypid = vq_ty.typ group by e.enumtypid) k""".formatted(TABLES_OF_SCHEMA);

    /**
     * {@link DefinitionWatch.Marks#matviews}, read alone ({@link #matviewMarks}; the catalog read has them from
     * {@link #SEQUENCE_OPTIONS}' pass): the schema's (parameter) materialized views, each with its name, its
     * {@code oid relfilenode xmin populated readable} (whether VenomQA's role may read it: a digest of a view it may
     * not read would fail the whole call) and its qualified name. A {@code REFRESH MATERIALIZED VIEW} gives the view
     * a new {@code relfilenode}; one {@code CONCURRENTLY} keeps it but writes the view's {@code pg_class} row anew
     * (its populated state, checked on PostgreSQL 15), so the xmin shows both, and {@code ANALYZE} of the view may too (a
     * digest then finds nothing changed). By index, as {@link #TABLES_OF_SCHEMA} says.
     */
    private static final String MATERIALIZED_VIEWS = """
            select c.relname::text, c.oid || ' ' || c.relfilenode || ' ' || c.xmin || ' ' || c.relispopulated::int || ' '
                   || has_table_privilege(c.oid, 'SELECT')::int || ' ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname),
                   null::text
            from pg_namespace n join pg_depend d on d.refobjid = n.oid and d.refclassid = 'pg_namespace'::regclass
                 and d.classid = 'pg_class'::regclass
            join pg_class c on c.oid = d.objid and c.relnamespace = n.oid and c.relkind = 'm'
            where n.nspname = ?""";

    /**
     * Where {@link #OBJECTS} names the versions whose digests this manager holds already ({@link #objectDigests}):
     * replaced by each read with an array literal of them.
     */
    private static final String KNOWN_VERSIONS = "'{}'::text[] /*venomqa:known*/";

    /**
     * {@link DefinitionWatch.Marks#objects}, tagged {@code o}: what DDL changes in the schema (parameter) without
     * touching a row, each as its table ({@code ''} for the schema's own), its kind and name ({@code index t_a}), and
     * a digest of its definition. Per table: its indexes, constraints, the application's triggers (not the journal's,
     * not the clones a partition gets from its parent) with their firing mode, rules, row security policies, and its
     * options (row security, forced or not, replica identity, persistence, storage parameters, and since 2026-12-07
     * the parents it inherits from: {@code ALTER TABLE … INHERIT} or {@code NO INHERIT} changes no row, but what a
     * read of the parent returns; a partition's parent is left out, attaching and detaching are seen by the journal's
     * triggers); and since 2026-12-07 each column's default, {@code NOT NULL} and identity kind (what the
     * application's next insert gets; changed in place, no row rewritten: until then such a change stayed after
     * {@code disconnect()} without a word). The schema's: views
     * and standalone composite types (by the query tree of the view's {@code _RETURN} rule), functions, procedures and
     * aggregates (source, result, settings, security, volatility, strictness, language, arguments), and enum, domain
     * and range types; since 2026-12-06 (night) also a view's triggers and rules other than {@code _RETURN} (found from
     * the view's own row, so a schema without them pays no more lookups) and a domain's constraints, each named with its
     * owner (its name, the character U+0001, the owner's name). A trigger's function is compared by its name
     * ({@code regproc}, as the session's search path spells it), not its oid: one dropped and created again as it was,
     * with its triggers, is no change (its definition is compared as the schema's function). Read from the catalog
     * rows themselves, never by the {@code pg_get_*def} functions: those of expressions and views lock the tables they name (a lock an application's {@code ALTER TABLE} would make the read
     * wait for). Not what changes by itself: statistics, {@code relfilenode} (a {@code TRUNCATE},
     * {@code VACUUM FULL}, {@code CLUSTER}, {@code REINDEX} is no change), {@code indisclustered}, validity flags of
     * an index being built. VenomQA's own {@code ALTER TABLE … DISABLE TRIGGER} and {@code NO FORCE ROW LEVEL
     * SECURITY} inside an undo are undone before its commit, so no read sees them. Expressions and query trees are
     * compared without the positions of their words ({@link #tree}): an object created again as it was, whatever its
     * spacing, reads as it did.
     *
     * <p>Until 2026-12-06 (evening) PostgreSQL watched none of them: a view, index, function or trigger created,
     * changed or dropped during the run stayed after {@code disconnect()}, which reported success (MySQL had been
     * loud since the morning). Measured on the development machine (10th percentile of 300 reads): 0.52 ms for 82
     * objects (10 tables, each with a key, two indexes, a {@code CHECK}, a foreign key and a trigger), 2.2 ms for 482
     * (60 such tables) once their digests are known ({@link #objectDigests}); 1.05 and 4.3 ms computing every digest.
     */
    private static final String OBJECTS = """
            select 'o', t.relname::text, x.k, x.ver || ' ' || coalesce(x.v, '')
            from %1$s t cross join lateral (
                 select 'index ' || ic.relname, 'i' || i.indexrelid || ':' || i.xmin || ':' || ic.xmin as ver,
                        case when 'i' || i.indexrelid || ':' || i.xmin || ':' || ic.xmin = any(%12$s) then null
                        else md5(concat_ws('|', ic.relam, i.indisunique, i.indisprimary, i.indisexclusion, i.indimmediate,
                        i.indkey, i.indcollation, i.indclass, i.indoption, %2$s, %3$s, ic.reloptions)) end
                 from pg_index i join pg_class ic on ic.oid = i.indexrelid where i.indrelid = t.oid
                 union all
                 select 'constraint ' || k.conname, 'k' || k.oid || ':' || k.xmin,
                        case when 'k' || k.oid || ':' || k.xmin = any(%12$s) then null
                        else md5(concat_ws('|', k.contype, k.condeferrable, k.condeferred, k.convalidated, k.conkey,
                        k.confrelid, k.confkey, k.confupdtype, k.confdeltype, k.confmatchtype, %4$s, k.conexclop,
                        k.connoinherit)) end
                 from pg_constraint k where k.conrelid = t.oid
                 union all
                 select 'trigger ' || g.tgname, '-', md5(concat_ws('|', g.tgtype, g.tgenabled, g.tgfoid::regproc, g.tgattr, g.tgargs,
                        %5$s, g.tgdeferrable, g.tginitdeferred, g.tgoldtable, g.tgnewtable))
                 from pg_trigger g where g.tgrelid = t.oid and not g.tgisinternal and g.tgparentid = 0
                      and g.tgname !~ '^(venomqa|VenomQA)_journal_[iudt]$'
                 union all
                 select 'rule ' || r.rulename, '-', md5(concat_ws('|', r.ev_type, r.ev_enabled, r.is_instead, %6$s, %7$s))
                 from pg_rewrite r where r.ev_class = t.oid
                 union all
                 select 'policy ' || p.polname, 'p' || p.oid || ':' || p.xmin,
                        case when 'p' || p.oid || ':' || p.xmin = any(%12$s) then null
                        else md5(concat_ws('|', p.polcmd, p.polpermissive, p.polroles, %8$s, %9$s)) end
                 from pg_policy p where p.polrelid = t.oid
                 union all
                 select 'column ' || a.attname, '-', md5(concat_ws('|', a.attnotnull, a.attidentity, %15$s))
                 from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
                 where a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped
                 union all
                 select 'options ', '-', concat_ws('|', k.relrowsecurity, k.relforcerowsecurity, k.relreplident,
                        k.relpersistence, k.reloptions, (select string_agg(h.inhparent::regclass::text, ',' order by
                        h.inhseqno) from pg_inherits h where h.inhrelid = t.oid and not k.relispartition))
                 from pg_class k where k.oid = t.oid) x(k, ver, v)
            union all
            select 'o', '', x.k, x.ver || ' ' || coalesce(x.v, '')
            from pg_namespace n join pg_depend d on d.refobjid = n.oid and d.refclassid = 'pg_namespace'::regclass
                 and d.classid in ('pg_class'::regclass, 'pg_proc'::regclass, 'pg_type'::regclass)
            cross join lateral (
                 select y.* from pg_class c left join pg_rewrite r on r.ev_class = c.oid and r.rulename = '_RETURN'
                 cross join lateral (
                      select case c.relkind when 'v' then 'view ' else 'type ' end || c.relname,
                             'v' || c.oid || ':' || c.xmin || ':' || coalesce(r.xmin::text, '-'),
                             case when 'v' || c.oid || ':' || c.xmin || ':' || coalesce(r.xmin::text, '-') = any(%12$s)
                             then null else md5(concat_ws('|', c.relkind, c.reloptions, %10$s)) end
                      union all
                      select 'trigger ' || g.tgname || chr(1) || c.relname, '-', md5(concat_ws('|', g.tgtype, g.tgenabled,
                             g.tgfoid::regproc, g.tgattr, g.tgargs, %5$s, g.tgdeferrable, g.tginitdeferred, g.tgoldtable, g.tgnewtable))
                      from pg_trigger g where c.relkind = 'v' and g.tgrelid = c.oid and not g.tgisinternal
                      union all
                      select 'rule ' || q.rulename || chr(1) || c.relname, '-', md5(concat_ws('|', q.ev_type, q.ev_enabled,
                             q.is_instead, %13$s, %14$s))
                      from pg_rewrite q where c.relkind = 'v' and q.ev_class = c.oid and q.rulename <> '_RETURN') y
                 where d.classid = 'pg_class'::regclass and c.oid = d.objid and c.relnamespace = n.oid
                      and c.relkind in ('v', 'c')
                 union all
                 select case p.prokind when 'p' then 'procedure ' when 'a' then 'aggregate ' else 'function ' end
                        || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', 'f' || p.oid || ':' || p.xmin,
                        case when 'f' || p.oid || ':' || p.xmin = any(%12$s) then null
                        else md5(concat_ws('|', p.prosrc, p.probin, p.prorettype, p.proretset, p.proconfig, p.prosecdef,
                        p.provolatile, p.proisstrict, p.proleakproof, p.proparallel, p.prolang, p.proallargtypes,
                        p.proargmodes, p.proargnames, %11$s)) end
                 from pg_proc p where d.classid = 'pg_proc'::regclass and p.oid = d.objid
                 union all
                 select 'type ' || y.typname, '-', concat_ws('|', y.typtype, y.typbasetype, y.typtypmod, y.typnotnull,
                        y.typdefault)
                 from pg_type y where d.classid = 'pg_type'::regclass and y.oid = d.objid and y.typtype in ('e', 'd', 'r', 'm')
                 union all
                 select 'constraint ' || k.conname || chr(1) || y.typname, 'k' || k.oid || ':' || k.xmin,
                        case when 'k' || k.oid || ':' || k.xmin = any(%12$s) then null
                        else md5(concat_ws('|', k.contype, k.condeferrable, k.condeferred, k.convalidated, %4$s)) end
                 from pg_type y join pg_constraint k on k.contypid = y.oid
                 where d.classid = 'pg_type'::regclass and y.oid = d.objid and y.typtype = 'd'
                 ) x(k, ver, v)
            where n.nspname = ?""".formatted(TABLES_OF_SCHEMA, tree("i.indexprs"), tree("i.indpred"), tree("k.conbin"),
            tree("g.tgqual"), tree("r.ev_qual"), tree("r.ev_action"), tree("p.polqual"), tree("p.polwithcheck"),
            // A view's query tree names the view itself (its OLD and NEW entries, before PostgreSQL 16): one created
            // again as it was has another oid, and would read as redefined for the rest of the run.
            "replace(" + tree("r.ev_action") + ", ' :relid ' || c.oid || ' ', ' :relid self ')", tree("p.proargdefaults"),
            KNOWN_VERSIONS, "replace(" + tree("q.ev_qual") + ", ' :relid ' || c.oid || ' ', ' :relid self ')",
            "replace(" + tree("q.ev_action") + ", ' :relid ' || c.oid || ' ', ' :relid self ')", tree("d.adbin"));

    /**
     * The text of a stored expression or query tree ({@code pg_node_tree}) without the positions of its words in the
     * statement that made it ({@code :location 17}) and that statement's place in the string sent ({@code :stmt_len},
     * which a view made by the third statement of a script holds and one made alone does not): created again as it
     * was, with other spacing, sent alone or in a script, it reads the same. No question mark in the pattern: the
     * catalog's queries get the schema by replacing theirs.
     */
    private static String tree(String column) {
        return "regexp_replace(" + column + "::text, ' :(location|stmt_location|stmt_len) -*[0-9]+', '', 'g')";
    }

    /** The enum, composite, sequence, materialized view and object parts of {@link #definitions}, in one union: tag, name, value, and a fourth column. */
    private static final String ENUMS_AND_SEQUENCES = "select k.* from (" + COMPOSITES_AND_ENUMS + ") k union all "
            + "select q.* from (" + SEQUENCE_OPTIONS + ") q union all select o.* from (" + OBJECTS + ") o";

    /** {@link #definitions}: the columns' part of {@link #SHAPES}, tagged {@code a}, with {@link #ENUMS_AND_SEQUENCES}. */
    private static final String DEFINITIONS = "select 'a', a.* from (" + SHAPES + ") a union all " + ENUMS_AND_SEQUENCES;

    @Override
    public DefinitionWatch.Marks definitions(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(withKnownVersions(DEFINITIONS.replace("?", stringLiteral(schema))));
             ResultSet rs = ps.executeQuery()) {
            DefinitionRows rows = new DefinitionRows();
            while (rs.next()) {
                rows.add(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
            }
            return rows.marks();
        }
    }

    @Override
    public Map<String, String> matviewMarks(Connection c, String schema) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(MATERIALIZED_VIEWS)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /**
     * The row count and the sums of two 64-bit hashes (differently seeded) of each row's text: independent of the
     * order the view's rows are stored in (a refresh writes them anew), duplicates counted, and no sort: on a view of
     * 100,000 rows 125–175 ms, against 315–360 ms for an md5 of the rows' md5s in order; 1 ms for 1,000 rows, 0.3 ms
     * for ten (2026-12-06, busy development machine). Read at {@code connect()}, at a checkpoint after the view
     * changed and by a rollback that finds it changed, never where the schema has no materialized view.
     */
    @Override
    public String matviewDigest(Connection c, String qualified) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) || ' ' || coalesce(sum(hashtextextended(vq_v::text, 0)"
                + "::numeric), 0) || ' ' || coalesce(sum(hashtextextended(vq_v::text, 1)::numeric), 0) from " + qualified + " vq_v");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public void refreshMatview(Connection c, String qualified, boolean withData) throws SQLException {
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("refresh materialized view " + qualified + (withData ? "" : " with no data"));
        }
    }

    @Override
    public List<String[]> enumLabels(Connection c, String schema, java.util.Collection<String> alsoTypes) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select e.enumtypid::text, format_type(e.enumtypid, null), e.oid::text, e.enumlabel::text from pg_enum e
                where e.enumtypid in (select d.objid from pg_namespace n join pg_depend d on d.refobjid = n.oid
                        and d.refclassid = 'pg_namespace'::regclass and d.classid = 'pg_type'::regclass where n.nspname = ?)
                   or e.enumtypid = any(?::text::oid[])
                order by e.enumtypid, e.oid""")) {
            ps.setString(1, schema);
            ps.setString(2, "{" + String.join(",", alsoTypes) + "}");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
        }
        return out;
    }

    /**
     * The digests of {@link #OBJECTS} by the version of the catalog rows they were computed from (a letter for the
     * catalog, since oids are unique per catalog only, then {@code oid:xmin}, an index's with its {@code pg_class}
     * row's xmin, a view's with its rule's): what a digest reads of a catalog row changes only by a new row version
     * (PostgreSQL's in-place updates touch statistics and flags no digest reads), so an object whose version is
     * known needs no digest computed again. The read names the known
     * versions ({@link #withKnownVersions}) and gets digests only for the others, so that a schema nobody changes
     * costs the visit of its catalog rows, not the text of every expression and view again at each checkpoint,
     * rollback and restore. Kept: the versions of the last read. One manager's reads are one at a time. Triggers and
     * rules are not versioned (their digest is read every time, they rarely hold an expression): an undo that disables
     * them ({@code ALTER TABLE … DISABLE TRIGGER}, without replica mode) and enables them again writes their rows anew,
     * which would change the statement's text, and so plan it again, at every rollback. Any other change of a known
     * version (DDL, {@code CLUSTER}, a {@code TRUNCATE}'s new index files) costs one new digest and one planning.
     */
    private Map<String, String> objectDigests = new HashMap<>();

    /** {@code sql} with {@link #KNOWN_VERSIONS} replaced by the versions {@link #objectDigests} holds, in order. */
    private String withKnownVersions(String sql) {
        if (knownVersions == null || !knownVersions.equals(objectDigests.keySet())) {
            // Sorted, so that the same versions give the same text (and the same cached plan); made again only when
            // the versions change, not at every read (sorting hundreds of them cost tens of microseconds a read).
            knownVersions = Set.copyOf(objectDigests.keySet());
            knownVersionsLiteral = "'{" + String.join(",", new java.util.TreeSet<>(knownVersions)) + "}'::text[]";
        }
        return sql.replace(KNOWN_VERSIONS, knownVersionsLiteral);
    }

    /** The versions {@link #knownVersionsLiteral} lists; null before the first read. */
    private Set<String> knownVersions;
    private String knownVersionsLiteral;

    /** Collects the rows of {@link #DEFINITIONS} (tag, name, value, fourth column) into {@link DefinitionWatch.Marks}. */
    private final class DefinitionRows {
        /** The digests of this read's objects by version ({@link #objectDigests} once the read is done). */
        final Map<String, String> digests = new HashMap<>();
        final Map<String, String> columns = new LinkedHashMap<>();
        final Map<String, String> enums = new LinkedHashMap<>();
        final Map<String, String> sequences = new LinkedHashMap<>();
        final Map<String, String> composites = new LinkedHashMap<>();
        final Map<String, String> matviews = new LinkedHashMap<>();
        final Map<String, String> objects = new LinkedHashMap<>();

        /** @return whether the row was one of {@link #DEFINITIONS}' */
        boolean add(String tag, String name, String value, String fourth) {
            switch (tag) {
                case "a" -> columns.put(name, fourth);
                case "c", "e" -> { // table, column, then the type's oid: one entry per composite or enum type a column's values hold
                    int space = fourth.indexOf(' ');
                    (tag.equals("c") ? composites : enums).put(name + '\0' + value + '\0' + fourth.substring(0, space),
                            fourth.substring(space + 1));
                }
                case "q" -> sequences.put(name, value);
                case "v" -> matviews.put(name, value);
                case "o" -> { // table ('' for the schema's), "kind name", "version digest" (no digest: the version is known)
                    int space = value.indexOf(' ');
                    // A view's trigger or rule and a domain's constraint: the schema's objects, named "name", U+0001, "owner".
                    objects.put(DefinitionWatch.objectKey(name, value.substring(0, space),
                            value.substring(space + 1).replace('\u0001', '\0')), digest(fourth));
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        /** The digest in {@code "version digest"}, or the known one of the version; what is not versioned ({@code -}) as read. */
        private String digest(String versionAndDigest) {
            int space = versionAndDigest.indexOf(' ');
            String version = versionAndDigest.substring(0, space);
            String digest = versionAndDigest.substring(space + 1);
            if (version.equals("-")) {
                return digest;
            }
            if (digest.isEmpty()) {
                digest = objectDigests.get(version);
                if (digest == null) { // the read named only versions the map held: a bug, never a silent "changed"
                    throw new IllegalStateException("No digest of the catalog row version " + version + " was kept");
                }
            }
            digests.put(version, digest);
            return digest;
        }

        /** The marks read; the digests of this read become the known ones. */
        DefinitionWatch.Marks marks() {
            objectDigests = digests;
            return new DefinitionWatch.Marks(columns, enums, sequences, Map.of(), composites, objects, matviews);
        }
    }

    /**
     * {@link Catalog#writers}: every other session (or prepared transaction) that holds a
     * {@code RowExclusiveLock} on a table of the schema (parameter) — taken by {@code INSERT},
     * {@code UPDATE}, {@code DELETE}, {@code MERGE} and {@code COPY FROM} and held until the transaction
     * ends — so one with writes not yet committed, or writing right now. Their journal entries commit with
     * them: a checkpoint taken meanwhile would count them as before it (their ids are lower) and a
     * rollback would leave them in place when they commit, in both cases without a word. Also a
     * {@code RowShareLock} ({@code SELECT … FOR UPDATE} or {@code FOR SHARE}, kind {@code r}): such a
     * transaction holds row locks an undo may have to wait for, and its next write would wait for the
     * undo's table lock, a deadlock; a rollback waits for it as for a writer, a checkpoint does not. Table
     * name, the session as {@link #lockHolders} describes it, and the kind ({@code w} or {@code r}). No
     * question mark in it: {@link #catalog} puts the schema in for every one.
     */
    private static final String UNCOMMITTED_WRITERS = """
            select distinct k.relname::text, 'pid ' || coalesce(l.pid::text, '- (a prepared transaction '
                   || l.virtualtransaction || ')') || ' (user ' || coalesce(a.usename::text, '-') || ', application '
                   || quote_literal(coalesce(a.application_name, '-')) || ', client ' || coalesce(a.client_addr::text, 'local')
                   || ', ' || coalesce(a.state, '-') || ', transaction started ' || coalesce(a.xact_start::text, '-') || ')',
                   case when l.mode = 'RowExclusiveLock' then 'w' else 'r' end
            from pg_locks l join pg_class k on k.oid = l.relation join pg_namespace n on n.oid = k.relnamespace
            left join pg_stat_activity a on a.pid = l.pid
            where l.locktype = 'relation' and l.mode in ('RowExclusiveLock', 'RowShareLock') and l.granted
              and l.pid is distinct from pg_backend_pid() and n.nspname = ?""";

    /**
     * The catalog reads of {@link #currentTables}, {@link #shapes}, {@link #triggerState} and
     * {@link #definitions}, their queries unchanged, in one statement: one round trip instead of four, and
     * one snapshot of the catalog. Each row is tagged with the read it belongs to.
     */
    @Override
    public Catalog catalog(Connection c, String schema, java.util.Collection<String> tracked) throws SQLException {
        return catalog(c, schema, tracked, false, false);
    }

    /**
     * The catalog, and as asked the journal's {@link #position} and the foreign keys (only where the
     * undo runs in replica mode: elsewhere nothing checks them afterwards), each its own statement of
     * one multi-statement string: still one round trip (pgjdbc sends them together and hands back one
     * result per statement).
     */
    @Override
    public Catalog catalog(Connection c, String schema, java.util.Collection<String> tracked, boolean withPosition,
            boolean withForeignKeys) throws SQLException {
        return catalog(c, schema, tracked, CatalogWith.only(withPosition, withForeignKeys));
    }

    /**
     * The catalog and what {@code with} asks, in one round trip: after the catalog's statement (and the
     * position's, and the foreign keys'), the read of the entries to undo with their copies and, when no
     * {@code ALTER TABLE} is among them, {@link #beginUndo}'s statements (as {@link #entriesAndCopiesAfterThenBeginUndo}
     * sends them, parameters bound, so that the text stays the same from call to call); or a {@code COMMIT}
     * that ends the read. The first statement that fails stops the rest, and the caller ends the transaction.
     * Its settings are for the transaction only ({@code SET LOCAL}), or the session's own replica mode, which a
     * rollback of the transaction takes back too; an {@code ALTER TABLE} would take its lock before the caller
     * has checked for uncommitted writers, so the undo is then begun after the checks.
     */
    @Override
    public Catalog catalog(Connection c, String schema, java.util.Collection<String> tracked, CatalogWith with)
            throws SQLException {
        List<String> tables = new ArrayList<>();
        Map<String, String> shapes = new LinkedHashMap<>();
        Map<String, String> triggers = new LinkedHashMap<>();
        List<String[]> writers = new ArrayList<>();
        DefinitionRows definitions = new DefinitionRows();
        Map<String, String> appTriggers = new LinkedHashMap<>(); // compared with Map.equals: order does not matter
        // The schema goes in as a literal: a prepared statement without parameters keeps its plan, where
        // one with a parameter was planned again at every bind (about 0.6 ms of server time, benchmark
        // row 11). The plan still goes when PostgreSQL empties the session's plan cache, which it does at
        // every change of session_replication_role (set once per session since, see beginUndo).
        String only = "select 't', x.*, null::text from (" + CURRENT_TABLES + ") x union all "
                + "select 's', y.* from (" + SHAPES + ") y union all select 'g', z.*, null::text from ("
                + TRIGGER_STATE + ") z union all select 'w', w.* from (" + UNCOMMITTED_WRITERS + ") w "
                + "union all select 'x', x.*, null::text from (" + APP_TRIGGERS + ") x union all " + ENUMS_AND_SEQUENCES;
        boolean keys = with.foreignKeys() && replica;
        boolean entries = with.entriesAfter() != null;
        boolean beginUndo = entries && disabledDuringUndo.isEmpty() && unforcedDuringUndo.isEmpty();
        StringBuilder text = new StringBuilder(withKnownVersions(only.replace("?", stringLiteral(schema))));
        if (with.position()) {
            text.append("; select coalesce(max(id), 0) from venomqa.journal");
        }
        if (keys) {
            text.append("; ").append(FOREIGN_KEYS.replace("?", stringLiteral(schema)));
        }
        String lock = entries ? lockStatementNowait(schema, tracked) : null;
        if (lock != null) {
            text.append("; ").append(lock);
        }
        if (entries) {
            // Its parameters are the only ones of the string: bound, not written in, so the text is the same at
            // every restore and its statements stay prepared.
            text.append("; ").append(ENTRIES_AND_COPIES);
            if (beginUndo) {
                text.append("; ").append(String.join("; ", beginUndoStatements()));
            }
        }
        if (with.commit()) {
            text.append("; commit");
        }
        Long position = null;
        List<ForeignKey> foreignKeys = null;
        EntriesAndCopies read = null;
        try (PreparedStatement ps = c.prepareStatement(text.toString())) {
            prepareAtOnce(ps);
            if (entries) {
                bind(ps, with.copyUpTo(), with.copyUpTo(), with.entriesAfter(), schema);
            }
            ps.execute();
            try (ResultSet rs = ps.getResultSet()) {
                while (rs.next()) {
                    String name = rs.getString(2);
                    if (definitions.add(rs.getString(1), name, rs.getString(3), rs.getString(4))) {
                        continue;
                    }
                    switch (rs.getString(1)) {
                        case "t" -> tables.add(name);
                        case "w" -> writers.add(new String[] {name, rs.getString(3), rs.getString(4)});
                        case "x" -> appTriggers.put(name, rs.getString(3));
                        case "s" -> {
                            if (tracked.contains(name)) {
                                shapes.put(name, rs.getString(3));
                            }
                            definitions.add("a", name, null, rs.getString(4));
                        }
                        default -> triggers.put(name, rs.getString(3));
                    }
                }
            }
            if (with.position()) {
                ps.getMoreResults();
                try (ResultSet rs = ps.getResultSet()) {
                    rs.next();
                    position = rs.getLong(1);
                }
            }
            if (keys) {
                ps.getMoreResults();
                try (ResultSet rs = ps.getResultSet()) {
                    foreignKeys = foreignKeys(rs);
                }
            }
            if (lock != null) {
                ps.getMoreResults();
            }
            if (entries) {
                ps.getMoreResults();
                try (ResultSet rs = ps.getResultSet()) {
                    read = entriesAndCopies(rs, with.copyUpTo(), beginUndo);
                }
            }
        }
        if (silenceAsNow(c, schema, appTriggers, read != null && read.undoBegun()) && with.commit() && !c.getAutoCommit()) {
            c.commit(); // the read had ended its transaction: so does the inspection that followed it
        }
        return new Catalog(tables, shapes, triggers, position, foreignKeys, writers, definitions.marks(), read,
                with.commit());
    }

    /**
     * Has pgjdbc prepare {@code ps}'s statements on the server from their first execution, not their fifth
     * (its {@code prepareThreshold}): until then each execution is parsed and planned anew, and the catalog's
     * statement alone plans in 1–3 ms, where a prepared one binds in about 0.3 ms; a manager connected for a
     * short run paid that four times per text. Any other driver, or a pgjdbc without the method: unchanged.
     */
    static void prepareAtOnce(PreparedStatement ps) {
        java.lang.reflect.Method set = PrepareThreshold.SET;
        if (set == null) {
            return;
        }
        try {
            if (ps.isWrapperFor(PrepareThreshold.PG_STATEMENT)) {
                set.invoke(ps.unwrap(PrepareThreshold.PG_STATEMENT), 1);
            }
        } catch (ReflectiveOperationException | SQLException | RuntimeException e) {
            LOG.debug("Could not set pgjdbc's prepareThreshold: {}", e.toString());
        }
    }

    /**
     * A check constraint ({@code 23514}) or, where foreign keys are checked during the undo, a foreign key
     * ({@code 23503}) of a table of the schema that refused a row the undo wrote back, and is {@code NOT VALID}:
     * its rows were never checked, so the checkpoint's data held rows that break it, and PostgreSQL checks every
     * row written since, the undo's too (a {@code CHECK} cannot be switched off, not even in replica mode). The
     * undo cannot be exact; the message says what to do. The constraint is the one the server's error names
     * (pgjdbc's {@code ServerErrorMessage}, by reflection: not a compile dependency here), else the schema's
     * {@code NOT VALID} constraint whose quoted name the error's text holds.
     */
    @Override
    public String knownRefusal(Connection c, String schema, SQLException refused) throws SQLException {
        if ("22P02".equals(refused.getSQLState()) && String.valueOf(refused.getMessage()).contains("type money")) {
            // A journal image holds a money amount as its writer's lc_monetary printed it (tried across five locales:
            // read back exact or refused, never misread; docs/journal.md). Not the server's text: it shows the amount.
            String[] mine = queryStrings(c, "select pg_catalog.current_setting('lc_monetary') || ' ' || current_user")
                    .get(0).split(" ", 2);
            return "a money amount it writes back was recorded as an application session printed it, under another "
                    + "lc_monetary than VenomQA's session has (" + mine[0] + "), and PostgreSQL reads it only in the "
                    + "format it was printed in (\"invalid input syntax for type money\"). Give VenomQA's sessions the "
                    + "application's setting, ALTER ROLE " + quote(mine[1]) + " SET lc_monetary = '<the application's>' "
                    + "(or set it for the database, ALTER DATABASE … SET lc_monetary, and not per application session), "
                    + "and try again: the journal is intact; or store amounts as numeric.";
        }
        if (!"23514".equals(refused.getSQLState()) && !"23503".equals(refused.getSQLState())) {
            return null;
        }
        String named = null;
        try {
            Object error = refused.getClass().getMethod("getServerErrorMessage").invoke(refused);
            if (error != null) {
                named = (String) error.getClass().getMethod("getConstraint").invoke(error);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            named = null;
        }
        String text = String.valueOf(refused.getMessage());
        try (PreparedStatement ps = c.prepareStatement("""
                select k.conname::text, t.relname::text, k.contype = 'c', pg_get_constraintdef(k.oid)
                from pg_constraint k join pg_class t on t.oid = k.conrelid join pg_namespace n on n.oid = t.relnamespace
                where n.nspname = ? and not k.convalidated and k.contype in ('c', 'f') order by 1, 2""")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    if (named != null ? !named.equals(name) : !text.contains("\"" + name + "\"")) {
                        continue;
                    }
                    String table = qualify(schema, rs.getString(2));
                    boolean check = rs.getBoolean(3);
                    // Not the server's text: its detail shows the row, which may hold what the caller should not see.
                    return "a row it writes back into " + table + " breaks " + (check ? "check constraint " : "foreign key ")
                            + quote(name) + " (" + rs.getString(4) + "): declared NOT VALID, the table held rows that "
                            + "break it before the run (PostgreSQL checks only rows written after the constraint was added), "
                            + (check ? "and it checks the undo's writes too, a CHECK cannot be switched off, "
                            : "and without replica mode it checks the undo's writes too, ")
                            + "so such a row cannot be put back as it was. Fix those rows (make them satisfy it), then "
                            + "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + quote(name) + ", before connect(); or leave "
                            + "the table out with exclude_tables (its changes are then not undone)"
                            + (check ? "." : "; or give VenomQA's role replica mode (a superuser, or GRANT SET ON PARAMETER "
                            + "session_replication_role), under which old rows that break a NOT VALID foreign key are put back.");
                }
            }
        }
        return null;
    }

    /** pgjdbc's {@code PGStatement.setPrepareThreshold(int)}, looked up once (pgjdbc is not a compile dependency here). */
    private static final class PrepareThreshold {
        static final Class<?> PG_STATEMENT;
        static final java.lang.reflect.Method SET;

        static {
            Class<?> type = null;
            java.lang.reflect.Method method = null;
            try {
                type = Class.forName("org.postgresql.PGStatement", false, PostgresJournalSql.class.getClassLoader());
                method = type.getMethod("setPrepareThreshold", int.class);
            } catch (ReflectiveOperationException | LinkageError e) {
                type = null;
                method = null;
            }
            PG_STATEMENT = type;
            SET = method;
        }
    }

    /** See {@link PostgresLargeObjects}. */
    @Override
    public java.util.Set<Long> outsideObjects(Connection c, String schema, java.util.Collection<String> tracked)
            throws SQLException {
        return largeObjects.snapshot(c, tracked);
    }

    /** See {@link PostgresLargeObjects#keepStart}. */
    @Override
    public void keepOutsideObjectsAtStart(Connection c, String schema, java.util.Set<Long> objects) throws SQLException {
        largeObjects.keepStart(c, schema, objects);
    }

    /** See {@link PostgresLargeObjects#atStart}. */
    @Override
    public java.util.Set<Long> outsideObjectsAtStart(Connection c, String schema) throws SQLException {
        return largeObjects.atStart(c, schema);
    }

    /** See {@link PostgresLargeObjects}. */
    @Override
    public void reconcileOutsideObjects(Connection c, String schema, java.util.Collection<String> tracked,
            List<JournalEntry> undone, List<JournalEntry> redone, java.util.Set<Long> target) throws SQLException {
        largeObjects.reconcile(c, schema, tracked, undone, redone, target);
    }

    @Override
    public List<String[]> uncommittedWriters(Connection c, String schema) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(UNCOMMITTED_WRITERS)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
        }
        return out;
    }

    @Override
    public boolean eachStatementSeesLatestCommits(Connection c) throws SQLException {
        return c.getTransactionIsolation() == Connection.TRANSACTION_READ_COMMITTED;
    }

    @Override
    protected String journalTable() {
        return "venomqa.journal";
    }

    /**
     * The digest of the contents since {@code position}, in one statement: per table, the row count's
     * change and two 64-bit halves of md5 summed over the images the entries wrote minus those they
     * replaced (a sum, not an exclusive or, so that two equal rows of a table without a key count
     * twice). The journal holds the current path's changes only, so a row changed and changed back
     * cancels out: equal sums mean equal contents, whatever path led there. A table whose sums and
     * count are all zero is as at the base and not listed. The columns of the tables (found by the oids
     * read at the pin, each table named by its place in the sorted list) join it, so a table altered, or dropped and created again, never
     * looks unchanged. The
     * numbers are exact ({@code numeric} sums); literals only, so the statement's text, and its plan,
     * stay the same for the digest's life.
     */
    @Override
    public java.util.Optional<String> contentsDigestQuery(Connection c, String schema, long position,
            java.util.Collection<String> tables) throws SQLException {
        if (tables.isEmpty()) {
            return java.util.Optional.empty();
        }
        List<String> lookups = new ArrayList<>();
        for (String t : new java.util.TreeSet<>(tables)) {
            lookups.add("to_regclass(" + stringLiteral(qualify(schema, t)) + ")");
        }
        List<String> oids = queryStrings(c, "select o::oid::text from unnest(array[" + String.join(", ", lookups) + "]) o");
        if (oids.size() != tables.size() || oids.contains(null)) {
            return java.util.Optional.empty(); // dropped since the catalog was read: read the tables
        }
        String half = "coalesce(sum(('x' || substr(h.n, %1$d, 16))::bit(64)::bigint), 0)"
                + " - coalesce(sum(('x' || substr(h.o, %1$d, 16))::bit(64)::bigint), 0)";
        // Each table by its place in the sorted list, not its oid: two copies of a schema (an exploration's
        // workers) have equal columns and other oids. Lookups by oid, no join: a join was planned as
        // sequential scans of pg_class and pg_type, whose cost grows with the catalog (bloated on shared servers).
        String oidArray = "'{" + String.join(",", oids) + "}'::oid[]";
        return java.util.Optional.of("select (select md5(coalesce(string_agg(array_position(" + oidArray + ", a.attrelid) "
                + "|| ' ' || a.attnum || ' ' || a.attname || ' ' || (select y.typname from pg_catalog.pg_type y "
                + "where y.oid = a.atttypid) || ' ' || a.atttypmod, ',' order by array_position(" + oidArray
                + ", a.attrelid), a.attnum), '')) from pg_catalog.pg_attribute a where a.attrelid = any (" + oidArray + ") "
                + "and a.attnum > 0 and not a.attisdropped) as venomqa_columns, "
                + "(select coalesce(string_agg(quote_ident(d.table_name) || ' ' || d.row_change || ' ' || d.a || '/' || d.b, "
                + "E'\\n' order by d.table_name), '') from (select j.table_name, "
                + "sum(case j.op when 'I' then 1 when 'D' then -1 else 0 end) as row_change, "
                + half.formatted(1) + " as a, " + half.formatted(17) + " as b "
                + "from venomqa.journal j cross join lateral (select md5(j.new_row::text) as n, md5(j.old_row::text) as o) h "
                + "where j.schema_name = " + stringLiteral(schema) + " and j.id > " + position + " group by j.table_name) d "
                + "where d.row_change <> 0 or d.a <> 0 or d.b <> 0) as venomqa_changes");
    }

    @Override
    public List<JournalEntry> entriesAfter(Connection c, String schema, long position) throws SQLException {
        return readEntries(c, "select id, table_name, op::text from venomqa.journal where id > ? and schema_name = ? "
                + "order by id", position, schema);
    }

    @Override
    public List<JournalEntry> entriesBetween(Connection c, String schema, long after, long upTo) throws SQLException {
        return readEntries(c, "select id, table_name, op::text from venomqa.journal where id > ? and id <= ? "
                + "and schema_name = ? order by id", after, upTo, schema);
    }

    @Override
    public long entryCount(Connection c, String schema) throws SQLException {
        return queryLong(c, "select count(*) from venomqa.journal where schema_name = ?", schema);
    }

    @Override
    public void applyLockTimeout(Connection c, java.time.Duration timeout) throws SQLException {
        exec(c, "set lock_timeout = '" + Math.max(1, timeout.toMillis()) + "ms'");
        lockTimeout = timeout;
    }

    /** {@code lock_timeout} as {@link #applyLockTimeout} set it: how long {@link #beginWriting} keeps trying. */
    private java.time.Duration lockTimeout = java.time.Duration.ofSeconds(30);

    @Override
    public boolean isLockTimeout(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "55P03".equals(s.getSQLState())) { // lock_not_available
                return true;
            }
        }
        return false;
    }

    @Override
    public List<String> lockHolders(Connection c, String schema, java.util.Collection<String> tables) throws SQLException {
        // Row locks live in the rows, but every session that wrote or locked rows of a table holds a
        // table lock stronger than AccessShareLock on it until its transaction ends.
        String sql = "select distinct a.pid, a.usename, a.application_name, a.client_addr, a.state, a.xact_start, "
                + "left(a.query, 200) as query from pg_locks l join pg_stat_activity a on a.pid = l.pid "
                + "join pg_class k on k.oid = l.relation join pg_namespace n on n.oid = k.relnamespace "
                + "where l.granted and l.mode <> 'AccessShareLock' and l.pid <> pg_backend_pid() "
                + "and n.nspname = ? and k.relname = any (?) order by a.pid";
        List<String> out = new ArrayList<>();
        try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setArray(2, c.createArrayOf("text", tables.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add("pid " + rs.getLong("pid") + " (user " + rs.getString("usename") + ", application '"
                            + rs.getString("application_name") + "', client " + rs.getString("client_addr") + ", "
                            + rs.getString("state") + ", transaction started " + rs.getString("xact_start")
                            + ", last statement: " + rs.getString("query") + ")");
                }
            }
        }
        return out;
    }

    /**
     * Starts a reset's transaction (the journal's {@code beforeReset}): as before the session was left
     * in replica mode (see {@link #beginUndo}), the application's triggers fire during a reset, so its
     * transaction goes back to {@code origin}.
     */
    @Override
    public void beginReplay(Connection c) throws SQLException {
        List<String> statements = new ArrayList<>(BEGIN_REPLAY);
        if (replica) {
            statements.add("set local session_replication_role = origin");
        }
        exec(c, String.join("; ", statements));
    }

    /** What {@link #beginReplay} runs (in one round trip: pgjdbc sends a multi-statement string at once). */
    private static final List<String> BEGIN_REPLAY = List.of("set local venomqa.replaying = 'on'",
            // Deferrable foreign keys are checked at commit, when the whole undo is done.
            "set constraints all deferred");

    private static final String END_REPLAY = "set local venomqa.replaying = 'off'";

    @Override
    public void endReplay(Connection c) throws SQLException {
        exec(c, END_REPLAY);
    }

    /** Whether this role may {@code SET session_replication_role} (superuser, or PostgreSQL 15+ {@code GRANT SET ON PARAMETER}). */
    private boolean replica;
    /**
     * Application triggers and rules that would fire during an undo and are disabled in its transaction:
     * table, the {@code ALTER TABLE} action that disables one, the one that enables it again as it was.
     */
    private final List<String[]> disabledDuringUndo = new ArrayList<>();
    /** {@link #APP_TRIGGERS} as {@link #inspect} last read it; null before it first ran (nothing to keep up to date). */
    private Map<String, String> appTriggersInspected;
    /**
     * Tables whose row-level security is forced on their owner ({@code FORCE ROW LEVEL SECURITY}), and
     * so on VenomQA's role: the undo would see and write only the rows the policies let through (a
     * rollback fails with "new row violates row-level security policy", or finds no row to put back).
     * Their forcing is lifted inside the undo's transaction and put back before its commit; a role
     * that bypasses row security (superuser, {@code BYPASSRLS}) has none.
     */
    private final List<String> unforcedDuringUndo = new ArrayList<>();

    /**
     * Decides how the undo keeps the application's triggers quiet. Preferred: {@code SET LOCAL
     * session_replication_role = replica} in the undo transaction, which silences every ordinary
     * trigger and the foreign key triggers (checked afterwards by {@link #verifyUndo}), so that the
     * order of a cascade's entries does not matter. Triggers that fire even then ({@code ENABLE
     * ALWAYS}/{@code ENABLE REPLICA}), or every application trigger when the role may not set
     * replica mode, are disabled by {@code ALTER TABLE … DISABLE TRIGGER} inside the undo
     * transaction (which needs ownership of the table); where neither is possible, connect() is
     * refused with the triggers named, since an undo that runs them is not exact.
     */
    @Override
    public void inspect(Connection c, String schema, java.util.Collection<TableMeta> tables) throws SQLException {
        for (TableMeta t : tables) {
            try {
                castArguments(qualify(schema, t.name()), t.columns().stream().map(TableMeta.Column::name).toList(),
                        xmlPaths.getOrDefault(t.name(), Map.of()));
            } catch (SQLException nested) {
                throw new io.venomqa.state.StateConnectionException(nested.getMessage() + " Nothing was installed.");
            }
        }
        exec(c, "savepoint venomqa_probe");
        try {
            exec(c, "set local session_replication_role = replica");
            replica = true;
        } catch (SQLException notAllowed) {
            replica = false;
        }
        exec(c, "rollback to savepoint venomqa_probe");
        exec(c, "release savepoint venomqa_probe");
        disabledDuringUndo.clear();
        List<String> refused = new ArrayList<>();
        // Rules too: the rewriter honours session_replication_role like the trigger manager does (a rule
        // ENABLE ALWAYS or REPLICA fires in replica mode, every enabled one without it), and a DO ALSO rule
        // fired by the undo's INSERT or DELETE writes a row (an audit row) that nothing journals or undoes.
        try (PreparedStatement ps = c.prepareStatement("""
                select t.relname, g.tgname, g.tgenabled::text, pg_has_role(t.relowner, 'USAGE'), 'trigger' as kind
                from pg_trigger g join pg_class t on t.oid = g.tgrelid join pg_namespace n on n.oid = t.relnamespace
                where n.nspname = ? and not g.tgisinternal and g.tgparentid = 0 and g.tgenabled <> 'D'
                  and g.tgname !~ '^(venomqa|VenomQA)_journal_[iudt]$'
                union all
                select t.relname, r.rulename, r.ev_enabled::text, pg_has_role(t.relowner, 'USAGE'), 'rule'
                from pg_rewrite r join pg_class t on t.oid = r.ev_class join pg_namespace n on n.oid = t.relnamespace
                where n.nspname = ? and t.relkind in ('r', 'p') and r.rulename <> '_RETURN' and r.ev_enabled <> 'D'
                order by 1, 5, 2""")) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String mode = rs.getString(3);
                    boolean fires = replica ? !mode.equals("O") : !mode.equals("R");
                    if (!fires) {
                        continue;
                    }
                    String kind = rs.getString(5);
                    String name = quote(rs.getString(2));
                    String enable = switch (mode) {
                        case "A" -> "enable always " + kind + " ";
                        case "R" -> "enable replica " + kind + " ";
                        default -> "enable " + kind + " ";
                    };
                    if (rs.getBoolean(4)) {
                        disabledDuringUndo.add(new String[] {qualify(schema, rs.getString(1)), "disable " + kind + " " + name,
                                enable + name});
                    } else {
                        refused.add((kind.equals("rule") ? "rule " : "") + rs.getString(2) + " on " + rs.getString(1));
                    }
                }
            }
        }
        unforcedDuringUndo.clear();
        try (PreparedStatement ps = c.prepareStatement("""
                select t.relname from pg_class t join pg_namespace n on n.oid = t.relnamespace
                where n.nspname = ? and t.relkind in ('r', 'p') and t.relrowsecurity and t.relforcerowsecurity
                  and pg_has_role(t.relowner, 'USAGE')
                  and not (select r.rolsuper or r.rolbypassrls from pg_roles r where r.rolname = current_user)
                order by 1""")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    unforcedDuringUndo.add(qualify(schema, rs.getString(1)));
                }
            }
        }
        appTriggersInspected = queryPairs(c, APP_TRIGGERS, schema, schema);
        warnAboutTriggersBeforeTheJournal(c, schema);
        if (!refused.isEmpty()) {
            throw new io.venomqa.state.StateConnectionException("The application's triggers (and rules) " + refused + " in schema '"
                    + schema + "' would fire while the journal puts rows back (an audit row per undone change, a "
                    + "rewritten updated_at), so a rollback would not be exact. VenomQA's role can neither silence "
                    + "them for the undo (SET session_replication_role needs a superuser, or on PostgreSQL 15+ "
                    + "GRANT SET ON PARAMETER session_replication_role TO <role>) nor disable them inside the undo "
                    + "transaction (ALTER TABLE … DISABLE TRIGGER needs ownership of the table). Grant one of the "
                    + "two, or leave those tables out with exclude_tables.");
        }
    }

    @Override
    public void refreshUndoSilencing(Connection c, String schema) throws SQLException {
        silenceAsNow(c, schema, queryPairs(c, APP_TRIGGERS, schema, schema), false);
    }

    /**
     * Runs {@link #inspect} again when {@code now} differs from what it last read, so that the undo silences the
     * application's triggers and rules as they are now; when the undo was already begun in this transaction (with
     * {@link #catalog}), the new list's statements are run at once. True when it ran {@link #inspect}.
     */
    private boolean silenceAsNow(Connection c, String schema, Map<String, String> now, boolean undoBegun) throws SQLException {
        if (appTriggersInspected == null || now.equals(appTriggersInspected)) {
            return false;
        }
        LOG.debug("The application's triggers or rules on schema '{}' changed during the run ({} -> {}): the undo's "
                + "list of what to silence is read again", schema, appTriggersInspected, now);
        inspect(c, schema, List.of());
        if (undoBegun) {
            List<String> statements = new ArrayList<>();
            for (String[] t : disabledDuringUndo) {
                statements.add("alter table " + t[0] + " " + t[1]);
            }
            for (String t : unforcedDuringUndo) {
                statements.add("alter table " + t + " no force row level security");
            }
            if (!statements.isEmpty()) {
                exec(c, String.join("; ", statements));
            }
        }
        return true;
    }

    /**
     * PostgreSQL fires a table's triggers of one event in name order. The journal's row-level triggers
     * sort before every unquoted name ({@link #ROW_LEVEL_NAME}); an application {@code AFTER … FOR EACH
     * ROW} trigger with a quoted name that sorts before them still, if it updates the row it fired
     * for, has that second update journaled before the first, and every rollback of the table fails
     * (the undo's row check does not match). Which functions write their own table cannot be known
     * for sure; those whose source names it are warned about at {@code connect()}.
     */
    private void warnAboutTriggersBeforeTheJournal(Connection c, String schema) throws SQLException {
        List<String> early = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select g.tgname, t.relname
                from pg_trigger g join pg_class t on t.oid = g.tgrelid join pg_namespace n on n.oid = t.relnamespace
                join pg_proc p on p.oid = g.tgfoid
                where n.nspname = ? and not g.tgisinternal and g.tgparentid = 0 and g.tgenabled <> 'D'
                  and g.tgtype & 1 = 1 and g.tgtype & 2 = 0 and g.tgtype & 64 = 0 and g.tgtype & 20 <> 0
                  and g.tgname collate "C" < 'VenomQA_journal_' and position(lower(t.relname) in lower(p.prosrc)) > 0
                order by 2, 1""")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    early.add(rs.getString(1) + " on " + rs.getString(2));
                }
            }
        }
        if (!early.isEmpty()) {
            LOG.warn("The application's AFTER row trigger(s) {} in schema '{}' fire before the journal's (PostgreSQL fires "
                    + "a table's triggers in name order, and these quoted names sort before 'VenomQA_journal_') and their "
                    + "functions name their own table: if one updates the row it fired for, that second update is "
                    + "journaled before the first, and every rollback of the table fails (so does disconnect(), which "
                    + "then leaves the data as the run wrote it). Make such a trigger a BEFORE trigger that sets NEW, or "
                    + "give it a name in lower case.", early, schema);
        }
    }

    @Override
    public boolean foreignKeysCheckedDuringUndo() {
        return !replica;
    }

    @Override
    public void beginUndo(Connection c) throws SQLException {
        // The same statements as one by one, in this order, in one round trip: the first that fails
        // throws and the rest do not run (the undo's transaction is then rolled back).
        exec(c, String.join("; ", beginUndoStatements()));
    }

    /**
     * {@code LOCK TABLE} of {@code tables} in {@code EXCLUSIVE} mode, or null when there are none: the
     * application's writes to them and its row locks ({@code SELECT … FOR UPDATE}/{@code FOR SHARE}, a foreign
     * key's check) wait until the undo commits, its plain reads do not; the lock is not granted while a
     * transaction that wrote to them or holds row locks on them is open. Taken before the undo reads its
     * entries (a statement after the lock sees every entry committed before it, at READ COMMITTED): until
     * 2026-12-05 the rows the application committed while an undo ran stayed, the identity counters were then
     * put back below them, and its next inserts failed with duplicate keys. {@code SHARE ROW EXCLUSIVE}, used
     * until later that day, let a transaction begun after the lock take a row lock the undo then waited for,
     * while that transaction's next write waited for the table lock: a deadlock, and the rollback failed
     * ({@code PostgresJournalAuditTest.rowLockedAfterTheRollbacksLockWaitsForTheRollback}).
     */
    private String lockStatement(String schema, java.util.Collection<String> tables) {
        if (tables.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder("lock table ");
        String sep = "";
        for (String t : new java.util.TreeSet<>(tables)) { // one order for every caller
            b.append(sep).append(qualify(schema, t));
            sep = ", ";
        }
        return b.append(" in exclusive mode").toString();
    }

    /**
     * {@link #lockStatement} that fails at once (SQLState {@code 55P03}) instead of waiting: taken in the round
     * trip that read the catalog, before the caller has seen who writes. Waiting there, holding the tables
     * locked so far, deadlocked with an application transaction still finishing that held one of the later
     * tables and then wrote to an earlier one; failing, the caller reads the catalog alone, waits for the
     * writers it names (as before the lock), and takes the lock with {@link #beginWriting}.
     */
    private String lockStatementNowait(String schema, java.util.Collection<String> tables) {
        String lock = lockStatement(schema, tables);
        return lock == null ? null : lock + " nowait";
    }

    /**
     * The lock of {@link #lockStatement} for an undo whose entries were not read with the catalog (after a
     * writer failed the catalog's {@code NOWAIT} lock, {@code disconnect()}'s, a dead run's recovery, a session
     * whose transactions keep one snapshot) and before the journal's triggers are dropped: on the tables that
     * still exist (one dropped during the run is left alone, as the undo leaves it), after a commit that ends the
     * reads before it, so that the entries are read after the lock under any isolation. Tried {@code NOWAIT}
     * again and again, for at most {@code lock_timeout}: a lock that waited, taken table by table, deadlocked
     * with an application transaction that held a later table and then wrote to an earlier one.
     */
    @Override
    public void beginWriting(Connection c, String schema, java.util.Collection<String> tables) throws SQLException {
        List<String> existing = new ArrayList<>();
        if (!tables.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("select k.relname from pg_class k join pg_namespace n "
                    + "on n.oid = k.relnamespace where n.nspname = ? and k.relname = any(?) and k.relkind in ('r', 'p')")) {
                ps.setString(1, schema);
                ps.setArray(2, c.createArrayOf("text", tables.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        existing.add(rs.getString(1));
                    }
                }
            }
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
        String lock = lockStatementNowait(schema, existing);
        if (lock == null) {
            return;
        }
        long deadline = System.nanoTime() + lockTimeout.toNanos();
        long pauseMillis = 1;
        while (true) {
            try {
                exec(c, lock);
                return;
            } catch (SQLException e) {
                if (!isLockTimeout(e) || c.getAutoCommit() || System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                c.rollback(); // the failed statement ended the transaction's use; nothing else was in it
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("Interrupted while waiting for the journaled tables' lock", "55P03");
            }
            pauseMillis = Math.min(pauseMillis * 2, 50);
        }
    }

    /** What {@link #beginUndo} runs, in this order. */
    private List<String> beginUndoStatements() {
        List<String> statements = new ArrayList<>(BEGIN_REPLAY);
        // The undo and the removal of its journal entries commit together: if a crash loses this
        // commit, both are lost and the next connect() recovers from the entries. So the commit need
        // not wait for the WAL flush, which is most of a small rollback's time on a busy disk.
        statements.add("set local synchronous_commit = off");
        if (replica) {
            // For the session, not the transaction: PostgreSQL empties the session's plan cache at every
            // change of this setting, so setting it per undo (and back at its commit) made every statement
            // of this connection be planned again after each rollback or restore (docs/performance.md,
            // row 11). The session's other statements are VenomQA's reads and journal bookkeeping; a
            // reset goes back to origin for its transaction (beginReplay).
            statements.add("set session_replication_role = replica");
        }
        for (String[] t : disabledDuringUndo) {
            statements.add("alter table " + t[0] + " " + t[1]);
        }
        for (String t : unforcedDuringUndo) {
            statements.add("alter table " + t + " no force row level security");
        }
        return statements;
    }

    @Override
    public void endUndo(Connection c) throws SQLException {
        exec(c, String.join("; ", endUndoStatements()));
    }

    /** What {@link #endUndo} runs, in this order. */
    private List<String> endUndoStatements() {
        List<String> statements = new ArrayList<>();
        // The keys beginUndo deferred are checked here, not at the commit: the counters are put back
        // between the two (countersInUndoTransaction), and setval is not transactional, so nothing the
        // commit checks may fail after them. A broken key fails this statement, before the counters.
        // First of all: without replica mode the undo's writes queue the checks of deferrable keys, and
        // ALTER TABLE (enabling a trigger again) refuses a table with pending trigger events
        // (PostgresJournalExactTest.deferredForeignKeyWithApplicationTriggerWithoutSuperuser).
        statements.add("set constraints all immediate");
        for (String[] t : disabledDuringUndo) {
            statements.add("alter table " + t[0] + " " + t[2]);
        }
        for (String t : unforcedDuringUndo) {
            statements.add("alter table " + t + " force row level security");
        }
        statements.add(END_REPLAY);
        return statements;
    }

    /**
     * True: {@link #endUndo} checks the deferred keys itself, and the counters' restore
     * ({@code PostgreSQLCounters}) never commits, so the counters go back in the undo's transaction. Its
     * commit is then the only one of a rollback or restore, and it does not wait for the disk
     * ({@code synchronous_commit} is off in it, see {@link #beginUndo}): before, the counters' own
     * transaction waited for its flush, about 0.5–0.7 ms per restore on the benchmark machine.
     */
    @Override
    public boolean countersInUndoTransaction() {
        return true;
    }

    /** True: {@code PostgreSQLCounters} reads them in one statement, with no transaction of its own to end. */
    @Override
    public boolean countersReadInAutoCommit() {
        return true;
    }

    /**
     * In replica mode foreign keys were not checked during the undo: checks every foreign key
     * that involves a row the undo wrote or removed (found through the keys in the undone images,
     * so the cost follows the rows undone, not the table sizes), and fails naming the first
     * broken one. Checked: child rows the undo put back or changed must find their parent; child
     * rows that reference a key the undo removed from a parent must find another. First, whatever the
     * mode, the stored generated columns of the rows the undo wrote ({@link #verifyGenerated}).
     */
    @Override
    public void verifyUndo(Connection c, String schema, List<JournalEntry> entries, List<ForeignKey> foreignKeys)
            throws SQLException {
        List<Applied> applied = List.of(new Applied(entries, mirrored()));
        verifyGenerated(c, schema, applied, afterUndo(schema), UNDO_ROLLED_BACK);
        verifyForeignKeys(c, schema, foreignKeys, applied, afterUndo(schema), UNDO_ROLLED_BACK, null);
    }

    /**
     * Fails where a row the undo wrote may not have its generated columns as the journal recorded them.
     * PostgreSQL computes a stored generated column itself, on every insert and update, so the undo cannot
     * write it back: it is computed again in VenomQA's session. An expression that is truly immutable gives
     * the value the application's session computed; one that only claims to be (a function declared
     * {@code IMMUTABLE} that reads {@code TimeZone}, {@code DateStyle}, {@code lc_time} or {@code search_path},
     * or the clock, or other rows) gives another, and until 2026-12-06 the rollback reported success with it.
     * So for every entry whose image the undo (or redo) wrote back, the expression is computed here, in the
     * undo's own session and transaction, from the image's other columns, and compared byte for byte with the
     * generated values of the image ({@code record_image_eq}: the binary images, so a {@code timestamptz} is
     * its instant and a text its bytes; the function of the {@code *=} operator, called by name because
     * {@code row(…) *= row(…)} is split into a comparison per column, which has no such operator); any
     * difference fails the undo, which is rolled back. Only tables
     * with stored generated columns are read, so the others cost nothing; one round trip for all of them.
     * Stricter than needed in one case: an entry whose row a later entry of the same undo overwrote is
     * checked too, although its values do not last; it fails only for an expression that is not immutable.
     */
    private void verifyGenerated(Connection c, String schema, List<Applied> applied, String after, String rolledBack)
            throws SQLException {
        if (storedGenerated.values().stream().allMatch(List::isEmpty) && storedGenerated.keySet().containsAll(
                applied.stream().flatMap(a -> a.entries().stream()).map(JournalEntry::table).distinct().toList())) {
            return; // the common case: no table the undo touched has a stored generated column
        }
        List<GeneratedCheck> checks = new ArrayList<>();
        for (Applied a : applied) {
            Map<String, List<Long>> written = new LinkedHashMap<>();
            for (JournalEntry e : a.entries()) {
                if (e.op() == 'D' || e.op() == 'U') {
                    written.computeIfAbsent(e.table(), k -> new ArrayList<>()).add(e.id());
                }
            }
            written.forEach((table, ids) -> checks.add(new GeneratedCheck(table, ids, oldImage(a.mirrored()))));
        }
        refuseRecomputedGenerated(c, schema, checks, after + ", the", rolledBack);
    }

    /** The entries {@code ids} of {@code table} whose image in {@code imageColumn} {@link #refuseRecomputedGenerated} checks. */
    private record GeneratedCheck(String table, List<Long> ids, String imageColumn) {
    }

    /**
     * Where the undo of {@code ids} of {@code t} found fewer rows than entries ({@code found} of them): a row the
     * undo wrote earlier in this transaction (a later entry's old image) got its stored generated columns computed
     * again in VenomQA's session, and now no longer matches the image the next entry expects (its new image), so
     * the undo would blame a write the triggers did not see. Fails with {@link #verifyGenerated}'s message where
     * an expected image's generated values are not what this session computes from it; otherwise returns, and the
     * caller reports the mismatch as usual. Free where the table has no stored generated column.
     */
    private void refuseGeneratedMismatch(Connection c, String schema, TableMeta t, List<Long> ids, int found)
            throws SQLException {
        if (found >= ids.size() || storedGenerated.getOrDefault(t.name(), List.of()).isEmpty()) {
            return;
        }
        refuseRecomputedGenerated(c, schema, List.of(new GeneratedCheck(t.name(), ids, newImage())),
                "While undoing the journal of schema '" + schema + "', the", UNDO_ROLLED_BACK);
    }

    /**
     * The check of {@link #verifyGenerated}: for each of {@code checks}, every entry's image whose stored generated
     * values differ from what this session computes from the image's other columns; the first one fails, with
     * {@code lead} ahead of "stored generated column(s) … of table …" and {@code rolledBack} in the message.
     */
    private void refuseRecomputedGenerated(Connection c, String schema, List<GeneratedCheck> checks, String lead,
            String rolledBack) throws SQLException {
        List<String> parts = new ArrayList<>();
        List<List<Long>> params = new ArrayList<>();
        List<String[]> named = new ArrayList<>(); // table, columns, per part
        for (GeneratedCheck check : checks) {
            List<String[]> cols = storedGenerated.get(check.table());
            if (cols == null) { // every table the undo wrote was described for it; read here should one not be
                try {
                    describe(c, schema, check.table());
                } catch (SQLException gone) { // not in the catalog (a plain query, no error in the transaction)
                    storedGenerated.put(check.table(), List.of());
                }
                cols = storedGenerated.get(check.table());
            }
            if (cols.isEmpty()) {
                continue;
            }
            String q = qualify(schema, check.table());
            StringBuilder recomputed = new StringBuilder();
            StringBuilder names = new StringBuilder();
            StringBuilder stored = new StringBuilder();
            StringBuilder fresh = new StringBuilder();
            for (int i = 0; i < cols.size(); i++) {
                String sep = i > 0 ? ", " : "";
                recomputed.append(sep).append("cast((").append(cols.get(i)[2]).append(") as ").append(cols.get(i)[1]).append(')');
                names.append(sep).append("vq_g").append(i);
                stored.append(sep).append("vq_r.").append(quote(cols.get(i)[0]));
                fresh.append(sep).append("vq_c.vq_g").append(i);
            }
            // The expression names the table's columns unqualified: it is computed over a FROM item that has
            // exactly those columns (the image's), innermost, so that no alias of this query can capture a name.
            parts.add("(select " + parts.size() + " as vq_k, vq_j.id as vq_id from venomqa.journal vq_j cross join lateral "
                    + image("vq_j." + check.imageColumn(), q) + " vq_r cross join lateral (select " + recomputed
                    + " from (select vq_r.*) vq_s) vq_c(" + names + ") where vq_j.id = any(?) and not pg_catalog.record_image_eq(row("
                    + stored + "), row(" + fresh + ")) limit 1)");
            params.add(check.ids());
            named.add(new String[] {Safe.name(check.table()), String.join(", ", cols.stream().map(col -> Safe.name(col[0])).toList())});
        }
        if (parts.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("select vq_k, vq_id from (" + String.join(" union all ", parts)
                + ") vq_all limit 1")) {
            for (int k = 0; k < params.size(); k++) {
                ps.setArray(k + 1, ids(c, params.get(k)));
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    String[] t = named.get(rs.getInt(1));
                    // Not the values: the row may hold what the caller should not see.
                    throw new io.venomqa.state.RollbackException(lead + " stored generated column(s) " + t[1]
                            + " of table " + t[0] + " would not be as the journal recorded them (journal entry "
                            + rs.getLong(2) + "): PostgreSQL computes a generated column again whenever a row is written, "
                            + "and its expression gives another value in VenomQA's session than it gave in the "
                            + "application's, so it is not truly immutable (a function declared IMMUTABLE that depends on "
                            + "a setting such as TimeZone, DateStyle, lc_time or search_path, on the time, or on other "
                            + "rows). " + rolledBack + " Make the expression depend on the row alone (for a time zone, "
                            + "write it out: to_char(at at time zone 'UTC', …)), or leave the table out with "
                            + "exclude_tables (its changes are then not undone).");
                }
            }
        }
    }

    /**
     * The foreign keys {@link #verifyUndo} checks: every validated key of the schema as child or parent (a
     * partition's copies of its parent's key left out), with each child's primary key. The schema goes
     * in as a literal ({@link #catalog} explains why). Not the keys declared {@code NOT VALID}
     * ({@code convalidated} false): their old rows were never checked, so a row that had no parent before the
     * run (PostgreSQL checks only rows written since) comes back without one, exactly as it was, and until
     * 2026-12-06 every rollback that touched such a row failed blaming "something without the triggers", and
     * {@code disconnect()} left the run's changes. The undo itself does not depend on this check: it puts back
     * the journal's images, matched row by row; the check only looks for writes the triggers did not see, which
     * for these keys it cannot tell from the old orphans.
     */
    private static final String FOREIGN_KEYS = """
            select k.conname, cn.nspname, ct.relname, pn.nspname, pt.relname,
                   array(select a.attname::text from unnest(k.conkey) with ordinality x(n, o)
                         join pg_attribute a on a.attrelid = k.conrelid and a.attnum = x.n order by x.o),
                   array(select a.attname::text from unnest(k.confkey) with ordinality x(n, o)
                         join pg_attribute a on a.attrelid = k.confrelid and a.attnum = x.n order by x.o),
                   array(select a.attname::text from pg_index i join pg_attribute a on a.attrelid = i.indrelid
                         and a.attnum = any(i.indkey) where i.indrelid = k.conrelid and i.indisprimary
                         and a.attnum > 0 and not a.attisdropped order by a.attnum)
            from pg_constraint k join pg_class ct on ct.oid = k.conrelid join pg_namespace cn on cn.oid = ct.relnamespace
            join pg_class pt on pt.oid = k.confrelid join pg_namespace pn on pn.oid = pt.relnamespace
            where k.contype = 'f' and k.conparentid = 0 and k.convalidated and (cn.nspname = ? or pn.nspname = ?)""";

    private List<ForeignKey> foreignKeys(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FOREIGN_KEYS.replace("?", stringLiteral(schema)));
             ResultSet rs = ps.executeQuery()) {
            return foreignKeys(rs);
        }
    }

    private static List<ForeignKey> foreignKeys(ResultSet rs) throws SQLException {
        List<ForeignKey> out = new ArrayList<>();
        while (rs.next()) {
            out.add(new ForeignKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    List.of((String[]) rs.getArray(6).getArray()), List.of((String[]) rs.getArray(7).getArray()),
                    List.of((String[]) rs.getArray(8).getArray())));
        }
        return out;
    }

    /**
     * {@link #verifyRestore}'s check, the deletion of the undone entries and {@link #endUndo}'s
     * statements in one round trip (the check first: it reads the entries' images), after
     * {@link #verifyGenerated} where a table written has stored generated columns.
     */
    @Override
    public void verifyAndEndUndo(Connection c, String schema, List<JournalEntry> undone, List<JournalEntry> redone,
            List<ForeignKey> foreignKeys, long after, Long upTo) throws SQLException {
        List<String> statements = new ArrayList<>();
        if (upTo != null) {
            statements.add(DELETE_ENTRIES);
        }
        statements.addAll(endUndoStatements());
        Tail tail = new Tail(String.join("; ", statements), upTo == null ? new Object[0] : new Object[] {schema, after, upTo});
        String what = redone.isEmpty() ? afterUndo(schema) : "After restoring a checkpoint of schema '" + schema
                + "' (the journal undone, then another branch's changes redone)";
        String rolledBack = redone.isEmpty() ? UNDO_ROLLED_BACK
                : "The restore was rolled back: the data is as it was before this restore.";
        List<Applied> applied = List.of(new Applied(undone, false), new Applied(redone, true));
        verifyGenerated(c, schema, applied, what, rolledBack);
        verifyForeignKeys(c, schema, foreignKeys, applied, what, rolledBack, tail);
    }

    private static String afterUndo(String schema) {
        return "After undoing the journal of schema '" + schema + "'";
    }

    private static final String UNDO_ROLLED_BACK = "The undo was rolled back: the data is as it was before this rollback.";

    /** Journal entries the undo statements applied, with the {@link #mirror} setting they were applied with. */
    private record Applied(List<JournalEntry> entries, boolean mirrored) {
    }

    /**
     * {@link #verifyUndo}'s checks for every list of {@code applied} in one query, then {@code tail}
     * (statements with their parameters, or null) in the same round trip: the check goes first, and a
     * broken key found by it throws after the tail ran, which the caller's rollback undoes with the
     * rest of the transaction.
     *
     * @param known      the foreign keys as the catalog read them for this operation, or null: read them here
     * @param after      the start of the message: what was done
     * @param rolledBack the end of the message: what became of it
     */
    private void verifyForeignKeys(Connection c, String schema, List<ForeignKey> known, List<Applied> applied,
            String after, String rolledBack, Tail tail) throws SQLException {
        ForeignKeyCheck check = foreignKeyCheck(c, schema, known, applied);
        if (check == null) {
            if (tail != null) {
                try (PreparedStatement ps = c.prepareStatement(tail.sql())) {
                    bind(ps, tail.params());
                    ps.execute();
                }
            }
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(tail == null ? check.sql() : check.sql() + "; " + tail.sql())) {
            prepareAtOnce(ps); // its text follows the tables touched: many texts, each planned at its first uses
            int k = 0;
            for (; k < check.params().size(); k++) {
                ps.setArray(k + 1, ids(c, check.params().get(k)));
            }
            if (tail != null) {
                for (Object p : tail.params()) {
                    ps.setObject(++k, p);
                }
            }
            ps.execute();
            try (ResultSet rs = ps.getResultSet()) {
                if (rs.next()) {
                    ForeignKey fk = check.checked().get(rs.getInt(1));
                    // A table of another schema is one the journal never undoes: the likeliest cause, and one to name.
                    String elsewhere = !fk.childSchema().equals(schema) ? qualify(fk.childSchema(), fk.child())
                            : !fk.parentSchema().equals(schema) ? qualify(fk.parentSchema(), fk.parent()) : null;
                    throw new io.venomqa.state.RollbackException(after + ", the row " + rs.getString(2) + " of "
                            + named(schema, fk.childSchema(), fk.child()) + " has no matching row in "
                            + named(schema, fk.parentSchema(), fk.parent()) + " (foreign key " + fk.name() + "). "
                            + (elsewhere != null ? elsewhere + " is in another schema, which the journal does not track: its "
                            + "rows are not undone, so the application's changes to it during the run stay. Keep them out of "
                            + "the run, or undo them before rolling back. Otherwise: something" : "Something")
                            + " changed these tables without the triggers seeing it, or wrote that row with the key unchecked "
                            + "(a session with session_replication_role = replica skips foreign keys, so the row was there "
                            + "before the undo). " + rolledBack);
                }
            }
        }
    }

    /** A table as messages name it: by its name in {@code schema}, qualified in any other. */
    private String named(String schema, String tableSchema, String table) {
        return tableSchema.equals(schema) ? table : qualify(tableSchema, table);
    }

    /** Statements sent after a check in its round trip, with the parameters of their placeholders. */
    private record Tail(String sql, Object... params) {
    }

    /** One query finding the first broken key among {@code checked} (its index and key values), with its array parameters. */
    private record ForeignKeyCheck(String sql, List<List<Long>> params, List<ForeignKey> checked) {
    }

    /** The query {@link #verifyForeignKeys} runs, or null when there is nothing to check. */
    private ForeignKeyCheck foreignKeyCheck(Connection c, String schema, List<ForeignKey> known, List<Applied> applied)
            throws SQLException {
        if (!replica || applied.stream().allMatch(a -> a.entries().isEmpty())) {
            return null;
        }
        // Per list: entries whose old image is now in the table, entries whose new image left the table.
        List<Map<String, List<Long>>> restored = new ArrayList<>();
        List<Map<String, List<Long>>> removed = new ArrayList<>();
        java.util.Set<String> touched = new java.util.HashSet<>();
        for (Applied a : applied) {
            Map<String, List<Long>> in = new LinkedHashMap<>();
            Map<String, List<Long>> out = new LinkedHashMap<>();
            for (JournalEntry e : a.entries()) {
                if (e.op() == 'D' || e.op() == 'U') {
                    in.computeIfAbsent(e.table(), k -> new ArrayList<>()).add(e.id());
                }
                if (e.op() == 'I' || e.op() == 'U') {
                    out.computeIfAbsent(e.table(), k -> new ArrayList<>()).add(e.id());
                }
            }
            restored.add(in);
            removed.add(out);
            touched.addAll(in.keySet());
            touched.addAll(out.keySet());
        }
        // The keys as the catalog read at this operation's start has them (read afresh at every rollback
        // and restore, so a key added by DDL during the run is checked too), else read now; then every
        // check in one query.
        List<ForeignKey> found = new ArrayList<>();
        for (ForeignKey fk : known != null ? known : foreignKeys(c, schema)) {
            boolean childTouched = fk.childSchema().equals(schema) && touched.contains(fk.child());
            boolean parentTouched = fk.parentSchema().equals(schema) && touched.contains(fk.parent());
            if (childTouched || parentTouched) {
                found.add(fk);
            }
        }
        List<String> checks = new ArrayList<>();
        List<List<Long>> params = new ArrayList<>();
        List<ForeignKey> checked = new ArrayList<>();
        for (ForeignKey fk : found) {
            String child = qualify(fk.childSchema(), fk.child());
            String parent = qualify(fk.parentSchema(), fk.parent());
            List<String> cc = fk.childColumns();
            List<String> pc = fk.parentColumns();
            List<String> childKey = fk.childKey();
            StringBuilder notNull = new StringBuilder();
            StringBuilder join = new StringBuilder();
            StringBuilder childCols = new StringBuilder();
            StringBuilder parentCols = new StringBuilder();
            for (int i = 0; i < cc.size(); i++) {
                String and = i > 0 ? " and " : "";
                String comma = i > 0 ? ", " : "";
                notNull.append(and).append("vq_c.").append(quote(cc.get(i))).append(" is not null");
                join.append(and).append("vq_p.").append(quote(pc.get(i))).append(" = vq_c.").append(quote(cc.get(i)));
                childCols.append(comma).append("vq_c.").append(quote(cc.get(i)));
                parentCols.append(comma).append("vq_i.").append(quote(pc.get(i)));
            }
            // Only the key values go into the message: the row may hold what the caller should not see.
            String broken = "select " + checked.size() + " as vq_fk, (row(" + childCols + "))::text as vq_row from " + child
                    + " vq_c where " + notNull + " and not exists (select from " + parent + " vq_p where " + join + ")";
            for (int a = 0; a < applied.size(); a++) {
                boolean mirrored = applied.get(a).mirrored();
                if (fk.childSchema().equals(schema) && restored.get(a).containsKey(fk.child())) {
                    String rows = !childKey.isEmpty()
                            ? " and (" + childKey.stream().map(k -> "vq_c." + quote(k)).collect(Collectors.joining(", "))
                            + ") in (select " + childKey.stream().map(k -> "vq_i." + quote(k)).collect(Collectors.joining(", "))
                            + " from venomqa.journal vq_j cross join lateral " + image("vq_j." + oldImage(mirrored), child)
                            + " vq_i where vq_j.id = any(?))"
                            : " and ?::bigint[] is not null"; // no key: the whole table
                    checks.add("(" + broken + rows + " limit 1)");
                    params.add(restored.get(a).get(fk.child()));
                }
                if (fk.parentSchema().equals(schema) && removed.get(a).containsKey(fk.parent())) {
                    checks.add("(" + broken + " and (" + childCols + ") in (select " + parentCols + " from venomqa.journal "
                            + "vq_j cross join lateral " + image("vq_j." + newImage(mirrored), parent) + " vq_i where "
                            + "vq_j.id = any(?)) limit 1)");
                    params.add(removed.get(a).get(fk.parent()));
                }
            }
            checked.add(fk);
        }
        if (checks.isEmpty()) {
            return null;
        }
        return new ForeignKeyCheck("select vq_fk, vq_row from (" + String.join(" union all ", checks) + ") vq_all limit 1",
                params, checked);
    }

    private String columnList(List<TableMeta.Column> cols, String prefix) {
        return cols.stream().map(col -> prefix + quote(col.name())).collect(Collectors.joining(", "));
    }

    /**
     * Rows are found by key and, in the undo statements, also by their whole value as the image
     * says: under a deferrable key a swap ({@code 1↔2}) or rotation leaves two rows with one key
     * for a moment during the undo, and the key alone would pick both or the wrong one.
     */
    private String keyMatch(TableMeta t, String left, String right) {
        return t.keyColumns().stream().map(k -> left + "." + quote(k) + " = " + right + "." + quote(k))
                .collect(Collectors.joining(" and "));
    }

    /**
     * The row of a journal image column as a value of the table's row type: read by the table's
     * own input functions.
     *
     * <p>An image written while the table had a column that was added after the checkpoint and has been
     * dropped again has more fields than the row type now: it is read by its first fields, one per live
     * column, but only where that is provably right — every dropped column of the table comes after every
     * live one. Then no live column was dropped and added again during the run (it would sit after a
     * dropped one), the live columns are the same ones the checkpoint's shape check saw, and in every
     * image written since they are the leading fields, in column order (a column added gets the next
     * number). Anywhere else the image is read as it is, and one of another shape fails the undo loudly.
     */
    private static String record(String imageColumn, String qualifiedTable) {
        String text = "(" + imageColumn + " #>> '{}')";
        String leading = leadingFieldsPattern(qualifiedTable);
        // An object is an image of an earlier VenomQA version (row_to_json), left by a run that died.
        return "(case when json_typeof(" + imageColumn + ") = 'object' then json_populate_record(null::" + qualifiedTable
                + ", " + imageColumn + ") when " + leading + " is not null then coalesce('(' || substring(" + text
                + " from " + leading + ") || ')', " + text + ")::" + qualifiedTable + " else " + text + "::"
                + qualifiedTable + " end)";
    }

    /**
     * One field of a row's text form: quoted ({@code ""} and backslash escaped inside) or bare (no
     * separator, quote, backslash or space: {@code record_out} quotes any field holding one); empty is NULL.
     */
    private static final String RECORD_FIELD = "(?:\"(?:[^\"\\\\]|\\\\.|\"\")*\"|[^,()\"\\\\\\s]*)";

    /**
     * A scalar subquery, evaluated once per statement: the pattern whose first group is an image's
     * leading fields, one per live column, matching only an image with more fields than that; null
     * where reading by leading fields is not provably right ({@link #record}) or the table has more
     * live columns than a pattern can count (255).
     */
    private static String leadingFieldsPattern(String qualifiedTable) {
        String live = "(count(*) filter (where not vq_a.attisdropped))::int";
        return "(select case when coalesce(min(vq_a.attnum) filter (where vq_a.attisdropped) > max(vq_a.attnum) filter "
                + "(where not vq_a.attisdropped), false) and " + live + " between 1 and 256 then $vqre$^\\(($vqre$ || $vqre$"
                + RECORD_FIELD + "$vqre$ || repeat(',' || $vqre$" + RECORD_FIELD + "$vqre$, " + live + " - 1) || '),' end "
                + "from pg_catalog.pg_attribute vq_a where vq_a.attrelid = '" + qualifiedTable.replace("'", "''")
                + "'::regclass and vq_a.attnum > 0)";
    }

    @Override
    public Map<Long, Images> displayImages(Connection c, String schema, TableMeta t, List<Long> ids) throws SQLException {
        String q = qualify(schema, t.name());
        // Each column's own text form, as the savepoint strategy's capture reads it through the
        // driver: an array as {1,NULL}, a timestamptz as 2020-01-01 00:00:00+00. row_to_json, used until
        // 2026-12-05, showed JSON ([1,null], 2020-01-01T00:00:00+00:00), so one change read differently
        // under the two strategies. One text[] per image, split by the driver: no argument limit.
        String sql = "select vq_j.id, case when vq_j.old_row is null then null else " + textArray(t, "vq_o") + " end, "
                + "case when vq_j.new_row is null then null else " + textArray(t, "vq_n") + " end "
                + "from venomqa.journal vq_j cross join lateral " + image("vq_j.old_row", q) + " vq_o cross join lateral "
                + image("vq_j.new_row", q) + " vq_n where vq_j.id = any(?)";
        Map<Long, Images> out = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, ids(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), new Images(displayRow(t, rs.getArray(2)), displayRow(t, rs.getArray(3))));
                }
            }
        }
        for (Long id : ids) {
            out.putIfAbsent(id, new Images(null, null));
        }
        return out;
    }

    /**
     * {@code array[…]} of every column of {@code t} as its output function writes it, in table order: what the
     * driver reads. {@code format('%s')}, not a cast to text, which some types define otherwise ({@code inet}
     * drops a host's {@code /32}, {@code char(n)} its padding); {@code num_nulls}, not {@code IS NULL}, which is
     * true of a composite value whose fields are all NULL.
     */
    private String textArray(TableMeta t, String alias) {
        if (t.columns().isEmpty()) {
            return "'{}'::text[]";
        }
        StringBuilder b = new StringBuilder("array[");
        for (int i = 0; i < t.columns().size(); i++) {
            TableMeta.Column col = t.columns().get(i);
            String value = alias + "." + quote(col.name());
            String type = readType(t.name(), col);
            if (type.equals("boolean") || type.equals("bool")) {
                b.append(i == 0 ? "" : ", ").append(value).append("::text"); // true, as the driver's Boolean reads; not t
                continue;
            }
            b.append(i == 0 ? "" : ", ").append("case when pg_catalog.num_nulls(").append(value)
                    .append(") = 0 then pg_catalog.format('%s', ").append(value).append(") end");
        }
        return b.append(']').toString();
    }

    /** The columns of one image as report text; bytea as {@code 0x…} like every other change source. */
    private Map<String, String> displayRow(TableMeta t, java.sql.Array values) throws SQLException {
        if (values == null) {
            return null;
        }
        Object[] text = (Object[]) values.getArray();
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < t.columns().size(); i++) {
            TableMeta.Column col = t.columns().get(i);
            String value = i < text.length ? (String) text[i] : null;
            if (value != null && readType(t.name(), col).equals("bytea") && value.startsWith("\\x")) {
                value = "0x" + value.substring(2);
            }
            row.put(col.name(), value);
        }
        return row;
    }

    /** A FROM item with the columns of the row in a journal image column (evaluated once, unlike {@code (x).*}). */
    static String image(String imageColumn, String qualifiedTable) {
        return "unnest(array[" + record(imageColumn, qualifiedTable) + "])";
    }

    private Array ids(Connection c, List<Long> ids) throws SQLException {
        return c.createArrayOf("bigint", ids.toArray());
    }

    @Override
    public int undoDeletes(Connection c, String schema, TableMeta t, List<Long> ids) throws SQLException {
        List<TableMeta.Column> cols = t.insertable();
        if (cols.isEmpty()) {
            return ids.size();
        }
        boolean identity = t.columns().stream().anyMatch(TableMeta.Column::identityAlways);
        String sql = "insert into " + qualify(schema, t.name()) + " (" + columnList(cols, "") + ")"
                + (identity ? " overriding system value" : "")
                + " select " + columnList(cols, "vq_r.") + " from venomqa.journal vq_j cross join lateral "
                + image("vq_j." + oldImage(), qualify(schema, t.name())) + " vq_r "
                + "where vq_j.id = any(?) order by vq_j.id " + (mirrored() ? "asc" : "desc");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, ids(c, ids));
            return ps.executeUpdate();
        }
    }

    @Override
    public int undoInserts(Connection c, String schema, TableMeta t, List<Long> ids) throws SQLException {
        String q = qualify(schema, t.name());
        if (t.hasKey()) {
            String sql = "delete from only " + q + " as vq_t using (select vq_r.* from venomqa.journal vq_j cross join lateral "
                    + image("vq_j." + newImage(), q) + " vq_r where vq_j.id = any(?)) vq_r where "
                    + keyMatch(t, "vq_t", "vq_r") + " and " + rowText("vq_t") + " = " + rowText("vq_r");
            int n;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setArray(1, ids(c, ids));
                n = ps.executeUpdate();
            }
            refuseGeneratedMismatch(c, schema, t, ids, n);
            return n;
        }
        // Without a key a row is its whole value: delete one row equal to the inserted image.
        // Compared as this session's text form of the row: the image's text was made in the writer's
        // session (its TimeZone, DateStyle), so comparing the JSON text itself could miss the row.
        String sql = "delete from only " + q + " where ctid = (select vq_x.ctid from only " + q + " vq_x where " + rowText("vq_x") + " = "
                + "(select " + record(newImage(), q) + "::text from venomqa.journal where id = ?) limit 1)";
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (long id : ids) {
                ps.setLong(1, id);
                n += ps.executeUpdate();
            }
        }
        refuseGeneratedMismatch(c, schema, t, ids, n);
        return n;
    }

    @Override
    public int undoUpdate(Connection c, String schema, TableMeta t, long id) throws SQLException {
        if (t.updatable().isEmpty()) {
            return 1;
        }
        String sql = undoUpdateSql(schema, t);
        int n;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            n = ps.executeUpdate();
        }
        refuseIdentityChanges(c, schema, t, List.of(id), new int[] {n});
        refuseGeneratedMismatch(c, schema, t, List.of(id), n);
        return n;
    }

    /** The statement that puts back the row of one update entry (its id the one parameter). */
    private String undoUpdateSql(String schema, TableMeta t) {
        String q = qualify(schema, t.name());
        String match = t.hasKey() ? keyMatch(t, "vq_t", "vq_n") + " and " + rowText("vq_t") + " = " + rowText("vq_n")
                : "vq_t.ctid = (select vq_x.ctid from only " + q + " vq_x where " + rowText("vq_x") + " = " + rowText("vq_n") + " limit 1)";
        return "update only " + q + " as vq_t set " + setFrom(t, "vq_r") + " from venomqa.journal vq_j cross join lateral "
                + image("vq_j." + oldImage(), q) + " vq_r cross join lateral " + image("vq_j." + newImage(), q)
                + " vq_n where vq_j.id = ? and " + match + identityKept(t, "vq_r", "vq_n");
    }

    /**
     * A condition that the entry left every {@code GENERATED ALWAYS} identity column as it was (empty
     * where the table has none). PostgreSQL lets no {@code UPDATE} write such a column, so the undo
     * cannot put back a change of one ({@code UPDATE … SET id = DEFAULT}): without this, the undo of
     * such an entry wrote back every other column and reported success, leaving the new identity value
     * in the row. With it the entry matches no row, and {@link #refuseIdentityChanges} says why.
     */
    private String identityKept(TableMeta t, String before, String after) {
        return t.columns().stream().filter(col -> col.identityAlways() && !col.generated())
                .map(col -> " and " + before + "." + quote(col.name()) + " is not distinct from " + after + "." + quote(col.name()))
                .collect(Collectors.joining());
    }

    /**
     * Where an undo of update entries of {@code t} found rows missing ({@code counts} holds a value other
     * than 1): fails with what happened and what to do if one of {@code ids} changed a {@code GENERATED
     * ALWAYS} identity column ({@link #identityKept}); otherwise returns, and the caller reports the
     * mismatch as usual.
     */
    private void refuseIdentityChanges(Connection c, String schema, TableMeta t, List<Long> ids, int[] counts)
            throws SQLException {
        List<String> identity = t.columns().stream().filter(col -> col.identityAlways() && !col.generated())
                .map(TableMeta.Column::name).toList();
        if (identity.isEmpty() || java.util.Arrays.stream(counts).allMatch(n -> n == 1)) {
            return;
        }
        String q = qualify(schema, t.name());
        String changed = identity.stream().map(col -> "vq_r." + quote(col) + " is distinct from vq_n." + quote(col))
                .collect(Collectors.joining(" or "));
        try (PreparedStatement ps = c.prepareStatement("select count(*) from venomqa.journal vq_j cross join lateral "
                + image("vq_j." + oldImage(), q) + " vq_r cross join lateral " + image("vq_j." + newImage(), q)
                + " vq_n where vq_j.id = any(?) and (" + changed + ")")) {
            ps.setArray(1, ids(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return;
                }
            }
        }
        throw new io.venomqa.state.RollbackException("The run changed the GENERATED ALWAYS identity column(s) " + identity
                + " of table '" + t.name() + "' in schema '" + schema + "' (an UPDATE … SET " + identity.get(0)
                + " = DEFAULT). PostgreSQL lets no UPDATE write such a column back, so this change cannot be undone "
                + "exactly. The undo was rolled back: the data is as it was before this call. Declare the column "
                + "GENERATED BY DEFAULT AS IDENTITY in the test database, or keep the application from updating it; "
                + "then reset() or start again from a known state.");
    }

    /**
     * The same statement as {@link #undoUpdate} for each entry, sent as one JDBC batch: the driver
     * pipelines a batch (one round trip for the whole block instead of one per row, benchmark row 4)
     * and runs its statements in order, so a row updated several times still gets its oldest image
     * back last.
     */
    @Override
    public int[] undoUpdates(Connection c, String schema, TableMeta t, List<Long> ids) throws SQLException {
        if (ids.size() < 2 || t.updatable().isEmpty()) {
            return super.undoUpdates(c, schema, t, ids);
        }
        if (t.hasKey() && ids.size() >= AT_ONCE_FROM) {
            int[] atOnce = undoUpdatesAtOnce(c, schema, t, ids);
            if (atOnce != null) {
                refuseIdentityChanges(c, schema, t, ids, atOnce);
                refuseGeneratedMismatch(c, schema, t, ids, matched(atOnce));
                return atOnce;
            }
        }
        String sql = undoUpdateSql(schema, t);
        int[] counts;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (long id : ids) {
                ps.setLong(1, id);
                ps.addBatch();
            }
            counts = ps.executeBatch();
        }
        refuseIdentityChanges(c, schema, t, ids, counts);
        refuseGeneratedMismatch(c, schema, t, ids, matched(counts));
        return counts;
    }

    /** How many of {@code counts} are exactly 1: the entries whose row the undo found as expected. */
    private static int matched(int[] counts) {
        return (int) java.util.Arrays.stream(counts).filter(n -> n == 1).count();
    }

    /** The savepoint {@link #undoUpdatesAtOnce} tries its statement under. */
    private static final String AT_ONCE = "venomqa_undo_at_once";
    /**
     * The fewest entries a block needs for {@link #undoUpdatesAtOnce} to be tried. Measured (row 4, 2026-12-03):
     * at 10 entries the ordered batch and the set-based statement cost the same as the client sees them,
     * at 100 the statement takes half the time and at 1 000 a third; a refused attempt (a key changed
     * where a row is updated twice, a unique value passed between rows) costs the attempt's own work.
     */
    static final int AT_ONCE_FROM = 16;

    /**
     * A block of update entries of a table with a key as one set-based {@code UPDATE}, where that
     * provably ends as the ordered batch does. Two kinds of block qualify:
     * <ul>
     *   <li><b>independent</b>: no key is in two of its entries (each entry's key before and after the
     *       change counted once), so that every entry has a row of its own that no other entry of the
     *       block touches, and the order they are applied in cannot matter;</li>
     *   <li><b>chained</b>: no entry changes its row's key, and the entries of each row form an unbroken
     *       chain in the order they are applied: each one's expected image is the image the one before
     *       it puts back, and the first one's is the row as it is now. The ordered batch would check
     *       exactly these (a row must match the image before it is put back), and would leave each row
     *       at its last entry's image: the statement puts that image back at once. A row updated many
     *       times (every step of a journey raising a balance) costs one row of the statement instead of
     *       one statement per update.</li>
     * </ul>
     * Otherwise the statement changes nothing and the caller runs the ordered batch, which finds and
     * reports what is wrong (a key moved onto another row's key, a chain broken by a write the
     * journal did not see, a row that is not as the journal says).
     *
     * <p>One set-based statement can still meet a constraint the ordered batch would pass (a unique
     * value moved from one row to another: applied together, one row may take it before the other
     * has left it), so it runs under a savepoint: any error rolls back to it and the ordered batch
     * runs, with its own checks and errors. The savepoint, the statement and the release go in one
     * round trip, like the batch.
     *
     * @return rows updated per entry, in the order of {@code ids} (each 1 when consistent; an
     *         independent block may report 0 or 2 where the table does not match the journal, as the
     *         batch would), or null when the block must be applied in order
     */
    int[] undoUpdatesAtOnce(Connection c, String schema, TableMeta t, List<Long> ids) throws SQLException {
        String q = qualify(schema, t.name());
        String sql = "savepoint " + AT_ONCE + "; "
                // The entries in the order the undo applies them (newest first; oldest first for a mirrored redo).
                // The images as the table's row type, alias.* (see rowText): a bare vq_r could be a column of the table.
                + "with vq_e as (select vq_a.ord, vq_j.id, (vq_r.*)::" + q + " as vq_r, (vq_n.*)::" + q + " as vq_n, "
                + keyRecord(t, "vq_r") + " as vq_ko, " + keyRecord(t, "vq_n") + " as vq_kn from pg_catalog.unnest(?::bigint[]) with ordinality as vq_a(id, ord) "
                + "join venomqa.journal vq_j on vq_j.id = vq_a.id cross join lateral " + image("vq_j." + oldImage(), q)
                + " vq_r cross join lateral " + image("vq_j." + newImage(), q) + " vq_n), "
                // Independent: each entry's keys once (a change that keeps the key names one key), no key twice.
                + "vq_i as (select pg_catalog.count(*) = pg_catalog.count(distinct vq_x.k) as ok from (select vq_e.id, "
                + "vq_e.vq_ko as k from vq_e union select vq_e.id, vq_e.vq_kn from vq_e) vq_x), "
                // Otherwise each row's entries in that order: a number for the row, the entry's position, the image
                // the entry before puts back, and the image the row gets (its last entry's). Window functions, not
                // joins on the key records: a join on an anonymous record is planned as a nested loop (10 000
                // entries: 5 million comparisons, a second). Read only when the block is not independent (the
                // conditions on vq_i below are one-time filters): reading it made an independent block of 1 000
                // entries a third dearer.
                + "vq_c as (select vq_e.*, pg_catalog.dense_rank() over (order by vq_e.vq_kn) as vq_g, "
                + "pg_catalog.lag(vq_e.vq_r::text) over vq_w as vq_prev, pg_catalog.row_number() over vq_w as vq_pos, "
                + "pg_catalog.last_value(vq_e.vq_r) over vq_all as vq_tail from vq_e window vq_w as (partition by vq_e.vq_kn "
                + "order by vq_e.ord), vq_all as (partition by vq_e.vq_kn order by vq_e.ord rows between unbounded preceding "
                + "and unbounded following)), "
                // A chained block goes ahead only when every row is as its first entry expects, so that it is
                // applied whole or not at all; an independent one reports the rows that are not, as before.
                + "vq_go as (select (select vq_i.ok from vq_i) or (select pg_catalog.bool_and(vq_c.vq_ko = vq_c.vq_kn and "
                + "(vq_c.vq_pos = 1 or vq_c.vq_prev = vq_c.vq_n::text)" + identityKept(t, "(vq_c.vq_r)", "(vq_c.vq_n)")
                + ") from vq_c) and (select pg_catalog.bool_and(exists (select from only " + q + " vq_t where "
                + keyMatch(t, "vq_t", "(vq_c.vq_n)") + " and " + rowText("vq_t") + " = vq_c.vq_n::text)) from vq_c where vq_c.vq_pos = 1) "
                + "as go), "
                // Per row: the image it must have now and the one it gets, with the number the counts come back by.
                + "vq_p as (select vq_e.id as vq_g, vq_e.vq_n, vq_e.vq_r from vq_e where (select vq_i.ok from vq_i) union all "
                + "select vq_c.vq_g, vq_c.vq_n, vq_c.vq_tail from vq_c where not (select vq_i.ok from vq_i) and vq_c.vq_pos = 1), "
                + "vq_u as (update only " + q + " as vq_t set " + setFrom(t, "(vq_p.vq_r)") + " from vq_p where "
                + keyMatch(t, "vq_t", "(vq_p.vq_n)")
                // IS NOT DISTINCT FROM (both sides are never null) keeps the whole-row match out of a hash join's
                // condition, where it would make the text of every row of the table, not of the few the keys find.
                + " and " + rowText("vq_t") + " is not distinct from vq_p.vq_n::text" + identityKept(t, "(vq_p.vq_r)", "(vq_p.vq_n)")
                + " and (select vq_go.go from vq_go) returning vq_p.vq_g) "
                + "select vq_e.id, (select vq_go.go from vq_go), coalesce(vq_k.n, 0) from vq_e left join (select vq_c.id, "
                + "vq_c.vq_g from vq_c where not (select vq_i.ok from vq_i)) vq_m on vq_m.id = vq_e.id left join "
                + "(select vq_u.vq_g, pg_catalog.count(*) as n from vq_u group by vq_u.vq_g) vq_k "
                + "on vq_k.vq_g = coalesce(vq_m.vq_g, vq_e.id); "
                + "release savepoint " + AT_ONCE;
        Map<Long, Integer> updated = new java.util.HashMap<>();
        boolean go = false;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, ids(c, ids));
            boolean rows = ps.execute();
            while (!rows) {
                if (!ps.getMoreResults() && ps.getUpdateCount() == -1) {
                    throw new SQLException("The set-based undo of table " + q + " returned no rows");
                }
                rows = ps.getResultSet() != null;
            }
            try (ResultSet rs = ps.getResultSet()) {
                while (rs.next()) {
                    go = rs.getBoolean(2);
                    updated.put(rs.getLong(1), rs.getInt(3));
                }
            }
        } catch (SQLException refused) {
            // Rolled back to where the block started; the ordered batch runs and reports what is wrong, if anything.
            // The SQL state only: the server's message can quote row values (a unique key's detail).
            LOG.debug("Undo of {} entries of {} as one statement refused (SQL state {}); applying them in order", ids.size(),
                    q, refused.getSQLState());
            exec(c, "rollback to savepoint " + AT_ONCE + "; release savepoint " + AT_ONCE);
            return null;
        }
        if (!go) {
            return null;
        }
        int[] counts = new int[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            counts[i] = updated.getOrDefault(ids.get(i), 0);
        }
        return counts;
    }

    /**
     * The text of the whole row of the FROM item {@code alias}, as {@code (alias.*)::text}: a bare {@code alias} is
     * a column reference first and names the row only where no column of the FROM items has that name, so a
     * table with a column named like one of the undo's aliases ({@code vq_t}, {@code vq_x}) had the column's
     * value compared instead of its row (a raw "ambiguous" error, or a row not found and blamed on a write the
     * triggers did not see). {@code alias.*} names the FROM item, never a column.
     */
    static String rowText(String alias) {
        return "(" + alias + ".*)::text";
    }

    /** The SET list of an undo: every column it may write back, from the row {@code source}. */
    private String setFrom(TableMeta t, String source) {
        return t.updatable().stream().map(col -> quote(col.name()) + " = " + source + "." + quote(col.name()))
                .collect(Collectors.joining(", "));
    }

    /** The key columns of the row {@code alias} as one record (compared with each column type's own equality). */
    private String keyRecord(TableMeta t, String alias) {
        return "row(" + t.keyColumns().stream().map(k -> alias + "." + quote(k)).collect(Collectors.joining(", ")) + ")";
    }

    @Override
    public boolean atOldImage(Connection c, String schema, TableMeta t, long id) throws SQLException {
        if (!t.hasKey()) {
            return false;
        }
        String q = qualify(schema, t.name());
        return queryLong(c, "select count(*) from only " + q + " vq_t, venomqa.journal vq_j cross join lateral "
                + image("vq_j." + oldImage(), q) + " vq_r where vq_j.id = ? and " + keyMatch(t, "vq_t", "vq_r")
                + " and " + rowText("vq_t") + " = " + rowText("vq_r"), id) == 1;
    }

    /**
     * The live columns of a table ({@code to_regclass} of the one parameter) in order, each with whether
     * it belongs to one of the table's foreign keys with {@code ON UPDATE CASCADE} (composite ones whole,
     * a column of several keys once). Read from the catalog at the time of the undo, so that the row
     * built from them has the table's row type even where a column was added during the run.
     */
    private static final String CASCADED_COLUMNS = "select vq_a.attname, exists (select from pg_catalog.pg_constraint vq_k "
            + "where vq_k.conrelid = vq_a.attrelid and vq_k.contype = 'f' and vq_k.confupdtype = 'c' "
            + "and vq_a.attnum = any(vq_k.conkey)) from pg_catalog.pg_attribute vq_a where vq_a.attrelid = "
            + "pg_catalog.to_regclass(?) and vq_a.attnum > 0 and not vq_a.attisdropped order by vq_a.attnum";

    /**
     * Without replica mode the undo of a parent's key change runs its {@code ON UPDATE CASCADE}, which
     * sets the children's foreign key columns back while their application triggers are disabled: a
     * child whose cascaded change a {@code BEFORE} trigger extended ({@code updated_at}) is then neither
     * as its entry's new image nor as its old one, and until 2026-12-05 the rollback failed with "does
     * not match … Something changed the table without the triggers seeing it". The expected row is the
     * new image with the cascading keys' columns taken from the old image (the key columns too, where a
     * foreign key is part of the primary key); one row equal to it as a whole, found by its key, gets the
     * old image. Only reached when the statement of {@link #undoUpdate} updated no row.
     */
    @Override
    public int undoUpdateAfterCascade(Connection c, String schema, TableMeta t, long id) throws SQLException {
        if (!t.hasKey() || t.updatable().isEmpty()) {
            return 0;
        }
        String q = qualify(schema, t.name());
        List<String> fields = new ArrayList<>();
        boolean cascaded = false;
        try (PreparedStatement ps = c.prepareStatement(CASCADED_COLUMNS)) {
            ps.setString(1, q);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fields.add((rs.getBoolean(2) ? "vq_r." : "vq_n.") + quote(rs.getString(1)));
                    cascaded |= rs.getBoolean(2);
                }
            }
        }
        if (!cascaded) {
            return 0;
        }
        String sql = "update only " + q + " as vq_t set " + setFrom(t, "vq_r") + " from venomqa.journal vq_j cross join lateral "
                + image("vq_j." + oldImage(), q) + " vq_r cross join lateral " + image("vq_j." + newImage(), q)
                + " vq_n cross join lateral pg_catalog.unnest(array[row(" + String.join(", ", fields) + ")::" + q + "]) vq_c "
                + "where vq_j.id = ? and " + keyMatch(t, "vq_t", "vq_c") + " and " + rowText("vq_t") + " = " + rowText("vq_c")
                + identityKept(t, "vq_r", "vq_n");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            return ps.executeUpdate();
        }
    }

    /** Whether the table ({@code to_regclass} of the one parameter) has a foreign key with {@code ON DELETE CASCADE}. */
    private static final String DELETE_CASCADES = "select count(*) from pg_catalog.pg_constraint vq_k where vq_k.conrelid = "
            + "pg_catalog.to_regclass(?) and vq_k.contype = 'f' and vq_k.confdeltype = 'c'";

    /**
     * Without replica mode the redo of a parent's delete runs its {@code ON DELETE CASCADE}: the children's
     * rows are gone before their own entries are redone, and until 2026-12-05 the restore failed with "does
     * not match … trying to delete inserted rows, 0 found". The row counts as deleted only where the table
     * has such a foreign key, the image's key is complete (no NULL, which no key match finds) and no row of
     * the table has it; a row with that key that is not as the image says still fails. Only reached when
     * the statement of {@link #undoInserts} deleted no row.
     */
    @Override
    public boolean goneByCascade(Connection c, String schema, TableMeta t, long id) throws SQLException {
        String q = qualify(schema, t.name());
        if (!t.hasKey() || queryLong(c, DELETE_CASCADES, q) == 0) {
            return false;
        }
        String keyed = t.keyColumns().stream().map(k -> "vq_r." + quote(k)).collect(Collectors.joining(", "));
        return queryLong(c, "select count(*) from venomqa.journal vq_j cross join lateral " + image("vq_j." + newImage(), q)
                + " vq_r where vq_j.id = ? and pg_catalog.num_nulls(" + keyed + ") = 0 and not exists (select from " + q
                + " vq_t where " + keyMatch(t, "vq_t", "vq_r") + ")", id) == 1;
    }

    /** The partitioned table at the top of the tree both parameters ({@code to_regclass}) are in, where it is in schema (the third). */
    private static final String PARTITION_ROOT = "select vq_k.relname from pg_catalog.pg_class vq_k join pg_catalog.pg_namespace vq_s "
            + "on vq_s.oid = vq_k.relnamespace where vq_k.oid = pg_catalog.pg_partition_root(pg_catalog.to_regclass(?)) "
            + "and vq_k.oid = pg_catalog.pg_partition_root(pg_catalog.to_regclass(?)) and vq_s.nspname = ?";

    /**
     * Without replica mode the undo of a row's move between partitions (an {@code UPDATE} of the
     * partition key, journaled as a delete from one partition and an insert into the other) deleted the
     * moved row from its new partition, which ran the {@code ON DELETE CASCADE} of a foreign key
     * referencing the partitioned table: the children the run's {@code ON UPDATE CASCADE} had moved with
     * it were removed, and until 2026-12-05 the rollback failed with "does not match table … revert an
     * update, 0 found". Here the row is moved back by one {@code UPDATE} of the tree's root: the row is
     * found as the inserted image says (its key, then whole, column by column by name: a partition's
     * columns may be in another order than the root's), gets the deleted image's values (the identity
     * columns must be equal in both, as {@link #undoUpdate} requires) and must then be in the deleted
     * image's partition exactly as that image says.
     */
    @Override
    public boolean undoPartitionMove(Connection c, String schema, TableMeta inserted, long insertId, TableMeta deleted,
            long deleteId) throws SQLException {
        if (!inserted.hasKey() || !deleted.hasKey() || inserted.name().equals(deleted.name())) {
            return false;
        }
        String qi = qualify(schema, inserted.name());
        String qd = qualify(schema, deleted.name());
        String root = null;
        try (PreparedStatement ps = c.prepareStatement(PARTITION_ROOT)) {
            ps.setString(1, qi);
            ps.setString(2, qd);
            ps.setString(3, schema);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    root = rs.getString(1);
                }
            }
        }
        if (root == null || root.equals(inserted.name()) || root.equals(deleted.name())) {
            return false;
        }
        TableMeta r = describe(c, schema, root);
        if (!r.hasKey() || r.updatable().isEmpty()) {
            return false;
        }
        String qr = qualify(schema, root);
        java.util.function.Function<String, String> byName = alias -> "row(" + r.columns().stream()
                .map(col -> alias + "." + quote(col.name())).collect(Collectors.joining(", ")) + ")::text";
        String sql = "update " + qr + " as vq_t set " + setFrom(r, "vq_r") + " from venomqa.journal vq_ji cross join lateral "
                + image("vq_ji." + newImage(), qi) + " vq_n, venomqa.journal vq_jd cross join lateral "
                + image("vq_jd." + oldImage(), qd) + " vq_r where vq_ji.id = ? and vq_jd.id = ? and vq_t.tableoid = "
                + "pg_catalog.to_regclass(?) and " + keyMatch(r, "vq_t", "vq_n") + " and " + byName.apply("vq_t") + " = "
                + byName.apply("vq_n") + identityKept(r, "vq_r", "vq_n");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, insertId);
            ps.setLong(2, deleteId);
            ps.setString(3, qi);
            if (ps.executeUpdate() != 1) {
                return false;
            }
        }
        return queryLong(c, "select count(*) from only " + qd + " vq_t, venomqa.journal vq_j cross join lateral "
                + image("vq_j." + oldImage(), qd) + " vq_r where vq_j.id = ? and " + keyMatch(deleted, "vq_t", "vq_r")
                + " and " + rowText("vq_t") + " = " + rowText("vq_r"), deleteId) == 1;
    }

    @Override
    public void deleteEntries(Connection c, String schema, long after, long upTo) throws SQLException {
        update(c, DELETE_ENTRIES, schema, after, upTo);
    }

    /** {@link #deleteEntries}: schema, after, up to. */
    private static final String DELETE_ENTRIES = "delete from venomqa.journal where schema_name = ? and id > ? and id <= ?";

    @Override
    public List<Stashed> stash(Connection c, String schema, List<JournalEntry> entries) throws SQLException {
        List<Stashed> out = new ArrayList<>(entries.size());
        if (entries.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("select table_name, op::text, old_row::text, new_row::text "
                + "from venomqa.journal where id = any(?) order by id")) {
            ps.setArray(1, ids(c, entries.stream().map(JournalEntry::id).toList()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Stashed(rs.getString(1), rs.getString(2).charAt(0), rs.getString(3), rs.getString(4),
                            List.of()));
                }
            }
        }
        return out;
    }

    /**
     * {@link #entriesAfter} and {@link #stash} in one query: the same rows, each with its images
     * (read as {@link #stash} reads them) where its id is at most {@code copyUpTo}, else none.
     */
    @Override
    public EntriesAndCopies entriesAndCopiesAfter(Connection c, String schema, long position, long copyUpTo)
            throws SQLException {
        return entriesAndCopies(c, schema, position, copyUpTo, false);
    }

    /**
     * The read and {@link #beginUndo}'s statements as one multi-statement string: one round trip. The
     * read goes first, so the undo's settings are not yet in force while it runs; if any statement
     * fails the rest do not run, and the caller rolls the transaction back.
     */
    @Override
    public EntriesAndCopies entriesAndCopiesAfterThenBeginUndo(Connection c, String schema, long position,
            long copyUpTo) throws SQLException {
        return entriesAndCopies(c, schema, position, copyUpTo, true);
    }

    private EntriesAndCopies entriesAndCopies(Connection c, String schema, long position, long copyUpTo,
            boolean thenBeginUndo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(thenBeginUndo
                ? ENTRIES_AND_COPIES + "; " + String.join("; ", beginUndoStatements()) : ENTRIES_AND_COPIES)) {
            bind(ps, copyUpTo, copyUpTo, position, schema);
            ps.execute();
            try (ResultSet rs = ps.getResultSet()) {
                return entriesAndCopies(rs, copyUpTo, thenBeginUndo);
            }
        }
    }

    /** {@link #entriesAndCopiesAfter}'s query; parameters: copy up to (twice), after, schema. */
    private static final String ENTRIES_AND_COPIES = "select id, table_name, op::text, case when id <= ? then old_row::text "
            + "end, case when id <= ? then new_row::text end from venomqa.journal where id > ? and schema_name = ? order by id";

    /** The rows of {@link #ENTRIES_AND_COPIES}. */
    private static EntriesAndCopies entriesAndCopies(ResultSet rs, long copyUpTo, boolean undoBegun) throws SQLException {
        List<JournalEntry> entries = new ArrayList<>();
        Map<Long, Stashed> copies = new java.util.HashMap<>();
        while (rs.next()) {
            JournalEntry e = new JournalEntry(rs.getLong(1), rs.getString(2), rs.getString(3).charAt(0));
            entries.add(e);
            if (e.id() <= copyUpTo) {
                copies.put(e.id(), new Stashed(e.table(), e.op(), rs.getString(4), rs.getString(5), List.of()));
            }
        }
        return new EntriesAndCopies(entries, copies, undoBegun);
    }

    @Override
    public List<JournalEntry> unstash(Connection c, String schema, List<Stashed> rows) throws SQLException {
        List<JournalEntry> out = new ArrayList<>(rows.size());
        if (rows.isEmpty()) {
            return out;
        }
        // One pipelined batch; the driver hands the generated ids back in batch order.
        try (PreparedStatement ps = c.prepareStatement("insert into venomqa.journal(schema_name, table_name, op, "
                + "old_row, new_row) values (?, ?, ?::\"char\", ?::json, ?::json)", new String[] {"id"})) {
            for (Stashed r : rows) {
                bind(ps, schema, r.table(), String.valueOf(r.op()), r.oldRow(), r.newRow());
                ps.addBatch();
            }
            ps.executeBatch();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                for (Stashed r : rows) {
                    if (!keys.next()) {
                        throw new SQLException("The journal did not return the ids of the redone entries");
                    }
                    out.add(new JournalEntry(keys.getLong(1), r.table(), r.op()));
                }
            }
        }
        return out;
    }

    /**
     * The restored sequences with {@code CACHE} above 1: each session that calls {@code nextval} takes a block
     * of values and hands them out from memory, and {@code setval} clears only the calling session's block,
     * so after a rollback the application's sessions go on from theirs (another id than the first path got,
     * and two sessions can hand out the same one). One catalog read, at {@code connect()}.
     */
    @Override
    public List<String> sessionCachedCounters(Connection c, io.venomqa.state.jdbc.spi.SequenceSnapshot counters)
            throws SQLException {
        if (counters.values().isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select n || ' (CACHE ' || s.seqcache || ')' from unnest(?::text[]) n "
                + "join pg_catalog.pg_sequence s on s.seqrelid = to_regclass(n) where s.seqcache > 1 order by 1")) {
            ps.setArray(1, c.createArrayOf("text", counters.values().keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Override
    public Map<String, String> shapes(Connection c, String schema, java.util.Collection<String> tables)
            throws SQLException {
        // One catalog query for every table.
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SHAPES)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (tables.contains(rs.getString(1))) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        return out;
    }

    /**
     * {@code value} as a PostgreSQL string constant, right whatever {@code standard_conforming_strings}
     * says (an escape string with backslashes and quotes doubled). For names known to the session,
     * put into catalog queries so that their text, and so their plan, stays the same.
     */
    static String stringLiteral(String value) {
        if (value.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException("A PostgreSQL name cannot hold a NUL character: " + value.replace('\u0000', '?'));
        }
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    @Override
    public String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public String qualify(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }

    /** Every sequence of the database in another schema than {@code schema}, by oid ({@link #SEQUENCE_OPTIONS}' form). */
    @Override
    public Set<String> sequencesElsewhere(Connection c, String schema) throws SQLException {
        return new HashSet<>(queryStrings(c, "select 'oid ' || c.oid from pg_class c join pg_namespace n "
                + "on n.oid = c.relnamespace where c.relkind = 'S' and n.nspname <> ?", schema));
    }

    /**
     * The sequences created during the run at their start, not yet called ({@code last_value:is_called}, as the
     * counters' snapshot has them): {@code setval(seq, start, false)}, what {@code CREATE SEQUENCE} leaves. Those
     * of tables created during the run ({@code serial}, identity) are among them: they live in the schema.
     */
    @Override
    public Map<String, String> freshCounters(java.util.Collection<String> createdTables, Map<String, Long> createdSequences,
                                             Map<String, String> started) {
        Map<String, String> out = new LinkedHashMap<>();
        createdSequences.forEach((key, start) -> out.put(key, start + ":false"));
        return out;
    }
}
