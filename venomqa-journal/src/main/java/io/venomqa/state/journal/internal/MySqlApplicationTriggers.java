package io.venomqa.state.journal.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The application's own triggers on journaled MariaDB tables, kept from firing during VenomQA's undo.
 *
 * <p>Why: MySQL and MariaDB cannot silence a trigger for one session, so an application trigger would
 * run while the undo puts rows back (an audit row per undone change, an {@code updated_at} rewritten)
 * and the rollback would not be exact. A trigger that tests {@code @venomqa_replaying} (set only in
 * the undo's session, for its duration) skips itself. For the run, each trigger that does not is
 * replaced, atomically ({@code CREATE OR REPLACE TRIGGER}, MariaDB 10.1.4+), by the same trigger with
 * its body wrapped in {@code IF @venomqa_replaying IS NULL THEN … END IF}: same name, definer,
 * timing, event, place among the table's triggers ({@code FOLLOWS}/{@code PRECEDES} its neighbour),
 * {@code sql_mode} and character set, so the application sees no difference. Its head is noted in
 * {@value #TABLE} first (committed before the replacing DDL), and the original is put back by
 * {@link #restoreAll} when the journal is removed ({@code disconnect()}, or the next
 * {@code connect()} after a crash): {@code SHOW CREATE TRIGGER} then reads exactly as before (only
 * the {@code Created} time differs). A trigger the application replaced or dropped after it was
 * wrapped is left as the application made it. What is put back is read from the wrapped trigger
 * itself (body, definer, {@code sql_mode}, character set), never from the table, which anyone with
 * rights on the whole database could write: a forged row must not become a trigger running with
 * another user's rights.
 *
 * <p>Refused, with a message saying what to do: MySQL (no {@code CREATE OR REPLACE TRIGGER}, so no
 * atomic replacement), a trigger whose definer the manager's user may not name (MariaDB error 1227),
 * a trigger stored in a character set other than UTF-8 whose text is not ASCII.
 */
final class MySqlApplicationTriggers {

    private static final Logger LOG = LoggerFactory.getLogger(MySqlApplicationTriggers.class);

    /**
     * The triggers wrapped for this run: name, table, head as {@code SHOW CREATE TRIGGER} gave it (for
     * the blank before the body, which a {@code FOLLOWS} clause makes MariaDB rewrite) and body as
     * {@code information_schema} stored it (to tell a trigger never wrapped from one the application
     * replaced). Nothing in it is created as it stands: see {@link #restoreAll}.
     */
    static final String TABLE = "venomqa_journal_app_trigger";

    private static final String GUARD_VARIABLE = "@venomqa_replaying";

    private MySqlApplicationTriggers() {
    }

    static void createTable(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("create table if not exists " + TABLE + " (trigger_name varchar(64) not null primary key, "
                    + "table_name varchar(64) not null, head longtext not null, stored_body longtext not null) "
                    + "engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin");
        }
    }

    /** One trigger of the schema as {@code information_schema.TRIGGERS} shows it. */
    private record Trigger(String name, String table, String timing, String event, String body, String sqlMode,
                           String charset, String collation) {

        String group() {
            return table + "\0" + timing + "\0" + event;
        }

        boolean guarded() {
            return name.startsWith("venomqa_journal_") || body.toLowerCase(Locale.ROOT).contains(GUARD_VARIABLE);
        }
    }

    /** Every trigger of the schema, grouped by (table, timing, event), each group in firing order. */
    private static Map<String, List<Trigger>> triggers(Connection c) throws SQLException {
        Map<String, List<Trigger>> groups = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select trigger_name, event_object_table, "
                + "action_timing, event_manipulation, action_statement, sql_mode, character_set_client, collation_connection "
                + "from information_schema.triggers where event_object_schema = database() "
                + "order by event_object_table, action_timing, event_manipulation, action_order")) {
            while (rs.next()) {
                Trigger t = new Trigger(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8));
                groups.computeIfAbsent(t.group(), k -> new ArrayList<>()).add(t);
            }
        }
        return groups;
    }

    /**
     * Wraps every application trigger on {@code tables} that does not already skip the undo (see the
     * class comment). DDL: commits. Does nothing, in one catalog read, when there is none.
     *
     * @return the triggers wrapped now, as {@code name on table}
     */
    static List<String> guard(Connection c, Collection<String> tables) throws SQLException {
        List<String> done = new ArrayList<>();
        Map<String, List<Trigger>> groups = triggers(c);
        for (List<Trigger> group : groups.values()) {
            for (int i = 0; i < group.size(); i++) {
                Trigger t = group.get(i);
                if (t.guarded() || !tables.contains(t.table())) {
                    continue;
                }
                refuseOnMySql(c, t);
                String original = originalStatement(c, t);
                int bodyStart = MySqlTriggerHead.bodyStart(original);
                if (bodyStart < 0) {
                    throw refusal(t, "its definition (" + original + ") could not be taken apart into head and body");
                }
                String head = original.substring("CREATE ".length(), bodyStart);
                String body = original.substring(bodyStart);
                String guardedBody = wrap(body);
                if (done.isEmpty()) {
                    createTable(c); // exists, unless a dead run of a version without it is being recovered
                }
                try (PreparedStatement ps = c.prepareStatement("insert into " + TABLE + " values (?, ?, ?, ?) "
                        + "on duplicate key update table_name = values(table_name), head = values(head), "
                        + "stored_body = values(stored_body)")) {
                    ps.setString(1, t.name());
                    ps.setString(2, t.table());
                    ps.setString(3, head);
                    ps.setString(4, t.body());
                    ps.executeUpdate();
                }
                // The DDL below commits the saved original first: a crash after it finds the original to put back.
                replace(c, t, head, orderClause(group, i), guardedBody);
                done.add(t.name() + " on " + t.table());
            }
        }
        if (!done.isEmpty()) {
            LOG.info("The application's triggers {} now skip VenomQA's undo (body wrapped in IF {} IS NULL THEN … END IF) "
                    + "until the journal is removed, when they are put back as they were.", done, GUARD_VARIABLE);
        }
        return done;
    }

    /**
     * Puts back every trigger {@link #guard} wrapped that is still as it left it; forgets the others
     * (the application replaced or dropped them). Nothing when the table does not exist. DDL: commits.
     */
    static void restoreAll(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from information_schema.tables "
                + "where table_schema = database() and table_name = '" + TABLE + "'")) {
            rs.next();
            if (rs.getLong(1) == 0) {
                return;
            }
        }
        record Saved(String name, String table, String head, String storedBody) {
        }
        Map<String, Saved> byName = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select trigger_name, table_name, head, "
                + "stored_body from " + TABLE + " order by trigger_name")) {
            while (rs.next()) {
                byName.put(rs.getString(1), new Saved(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
        List<String> changed = new ArrayList<>();
        for (List<Trigger> group : triggers(c).values()) {
            // Re-created without FOLLOWS/PRECEDES, because MariaDB then stores the text exactly as sent
            // (with one, it rewrites the blank between FOR EACH ROW and the body to one space). Each one
            // re-created goes last in its group, so from the first put back on, every trigger of the
            // group is re-created in turn, from its own text: the group ends in its original order.
            int first = -1;
            for (int k = 0; k < group.size(); k++) {
                // By name alone: trigger names are unique in a schema, and a table renamed during the run (gh-ost,
                // pt-osc) takes its triggers with it; matched on the table too, they stayed wrapped after disconnect().
                Saved x = byName.get(group.get(k).name());
                if (x != null && wrapped(group.get(k).body())) {
                    first = k;
                    break;
                }
            }
            for (int k = Math.max(first, 0); first >= 0 && k < group.size(); k++) {
                Trigger t = group.get(k);
                String text = originalStatement(c, t);
                int bodyStart = MySqlTriggerHead.bodyStart(text);
                if (bodyStart < 0) {
                    throw new SQLException("Could not put the application's trigger " + t.name() + " on " + t.table()
                            + " back as it was: its definition (" + text + ") could not be taken apart into head and "
                            + "body. Check it and the order of the table's triggers (information_schema.TRIGGERS.ACTION_ORDER).");
                }
                String head = text.substring("CREATE ".length(), bodyStart);
                String body = text.substring(bodyStart);
                Saved x = byName.get(t.name());
                if (x != null && wrapped(body)) {
                    // The body, definer, sql_mode and character set come from the wrapped trigger itself, never
                    // from the saved row: anyone with rights on the whole database can write that table, and a
                    // forged definition there must not be created with the trigger's definer. The saved head
                    // gives back only the blank before the body, and only when the rest of it is the same.
                    body = body.substring(WRAP_PREFIX.length(), body.length() - WRAP_SUFFIX.length());
                    String saved = x.head();
                    if (saved.stripTrailing().equals(head.stripTrailing()) && saved.substring(head.stripTrailing().length()).isBlank()) {
                        head = saved;
                    }
                    byName.remove(t.name());
                }
                replace(c, t, head, "", body);
            }
        }
        for (Saved x : byName.values()) {
            boolean neverWrapped = false; // the replacing DDL failed after the original was saved
            for (List<Trigger> group : triggers(c).values()) {
                for (Trigger t : group) {
                    neverWrapped |= t.name().equals(x.name()) && t.table().equals(x.table()) && t.body().equals(x.storedBody());
                }
            }
            if (!neverWrapped) {
                changed.add(x.name() + " on " + x.table());
            }
        }
        try (Statement st = c.createStatement()) {
            st.executeUpdate("delete from " + TABLE);
        }
        if (!changed.isEmpty()) {
            LOG.warn("The application's triggers {} were replaced or dropped during the run after VenomQA had wrapped them; "
                    + "they are left as the application made them.", changed);
        }
    }

    /**
     * The body skipping the undo. The same function of the text as sent and of the text as MariaDB
     * stores it ({@code information_schema.TRIGGERS.ACTION_STATEMENT}, where escapes in string
     * literals are already resolved), since the words around it have no escapes: so a stored body
     * shows whether it is still VenomQA's wrapping of the saved one. A line break before the closing
     * words: a body ending in a {@code -- comment} must not swallow them.
     */
    static String wrap(String body) {
        return WRAP_PREFIX + body + WRAP_SUFFIX;
    }

    private static final String WRAP_PREFIX = "begin if " + GUARD_VARIABLE + " is null then ";
    private static final String WRAP_SUFFIX = "\n; end if; end";

    /** Whether {@code body} (as sent or as stored: the wrapper has no escapes) is {@link #wrap} of some body. */
    static boolean wrapped(String body) {
        return body.startsWith(WRAP_PREFIX) && body.endsWith(WRAP_SUFFIX)
                && body.length() >= WRAP_PREFIX.length() + WRAP_SUFFIX.length();
    }

    /** {@code body} without VenomQA's {@link #wrap} around it, if it has one: the application's trigger as it made it. */
    static String unwrapped(String body) {
        return wrapped(body) ? body.substring(WRAP_PREFIX.length(), body.length() - WRAP_SUFFIX.length()) : body;
    }

    /** {@code FOLLOWS} the trigger before position {@code i} in its group, else {@code PRECEDES} the one after, else nothing. */
    private static String orderClause(List<Trigger> group, int i) {
        if (i > 0) {
            return "follows " + MySqlJournalSql.quoteName(group.get(i - 1).name()) + " ";
        }
        if (i + 1 < group.size()) {
            return "precedes " + MySqlJournalSql.quoteName(group.get(i + 1).name()) + " ";
        }
        return "";
    }

    /**
     * {@code CREATE OR REPLACE} {@code head order body}, under the trigger's own {@code sql_mode} and
     * character set (so that its text means what it meant and is stored as it was), the session's put
     * back afterwards.
     */
    private static void replace(Connection c, Trigger t, String head, String order, String body) throws SQLException {
        boolean utf8 = t.charset().toLowerCase(Locale.ROOT).startsWith("utf8");
        if (!utf8 && !(ascii(head) && ascii(body))) {
            throw refusal(t, "its text is stored in character set " + t.charset() + " and is not plain ASCII");
        }
        try (Statement st = c.createStatement()) {
            st.execute("set @venomqa_saved_sql_mode = @@session.sql_mode, @venomqa_saved_charset = @@session.character_set_client, "
                    + "@venomqa_saved_collation = @@session.collation_connection");
            try {
                st.execute("set session sql_mode = " + MySqlJournalSql.text(t.sqlMode()) + ", session character_set_client = "
                        + MySqlJournalSql.text(t.charset()) + ", session collation_connection = " + MySqlJournalSql.text(t.collation()));
                st.execute("create or replace " + head + order + body);
            } catch (SQLException e) {
                if (e.getErrorCode() == 1227) {
                    throw refusal(t, "the manager's user may not create a trigger with its definer (" + e.getMessage()
                            + "); connect as the definer, or as a user with SET USER / SUPER");
                }
                throw e;
            } finally {
                st.execute("set session sql_mode = @venomqa_saved_sql_mode, session character_set_client = "
                        + "@venomqa_saved_charset, session collation_connection = @venomqa_saved_collation");
            }
        }
    }

    private static void refuseOnMySql(Connection c, Trigger t) throws SQLException {
        if (!c.getMetaData().getDatabaseProductVersion().contains("MariaDB")) {
            throw refusal(t, "MySQL cannot replace a trigger atomically (no CREATE OR REPLACE TRIGGER)");
        }
    }

    private static String originalStatement(Connection c, Trigger t) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("show create trigger " + MySqlJournalSql.quoteName(t.name()))) {
            if (!rs.next()) {
                throw refusal(t, "it disappeared while being read");
            }
            return rs.getString("SQL Original Statement");
        }
    }

    private static SQLException refusal(Trigger t, String why) {
        return new SQLException("The application's trigger " + t.name() + " on " + t.table() + " would fire while the "
                + "journal puts rows back, so a rollback would not be exact, and VenomQA cannot make it skip the undo "
                + "by itself: " + why + ". Make it skip VenomQA's undo by wrapping its body in IF @venomqa_replaying "
                + "IS NULL THEN … END IF (the variable is set only in the undo's session and for its duration), or "
                + "leave the table out with exclude_tables.");
    }

    private static boolean ascii(String s) {
        return s.chars().allMatch(ch -> ch < 128);
    }
}
