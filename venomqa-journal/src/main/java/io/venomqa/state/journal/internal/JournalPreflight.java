package io.venomqa.state.journal.internal;

import io.venomqa.state.jdbc.spi.Finding;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.TableInfo;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;

/**
 * What the journal needs from a database, checked without changing anything (for
 * {@code venomqa doctor}): privileges to create its schema, tables and triggers, and a dead run's
 * leftovers in its own {@code venomqa.runs} table, which only this module may read. Not API.
 */
public final class JournalPreflight {

    private JournalPreflight() {
    }

    /** The findings for the session's dialect. */
    public static List<Finding> check(JdbcSession session) throws SQLException {
        return switch (session.dialect().name().toLowerCase(Locale.ROOT)) {
            case "postgresql", "postgres" -> postgres(session);
            case "mysql", "mariadb" -> mysql(session);
            case "sqlite" -> List.of(Finding.ok("journal: SQLite triggers need no privilege; the database file must be writable."));
            default -> List.of(Finding.problem("journal is not available for " + session.dialect().displayName() + ".",
                    "Use checkpoint_strategy: savepoint."));
        };
    }

    private static List<Finding> postgres(JdbcSession session) throws SQLException {
        List<Finding> out = new ArrayList<>();
        String user = string(session, "select current_user");
        boolean schemaExists = bool(session, "select exists(select 1 from pg_namespace where nspname = 'venomqa')");
        if (schemaExists && !bool(session, "select pg_has_role(nspowner, 'USAGE') from pg_namespace where nspname = 'venomqa'")) {
            // Installed by another role (an administrator ran venomqa journal-sql, or another user's run).
            String owner = string(session, "select pg_get_userbyid(nspowner) from pg_namespace where nspname = 'venomqa'");
            List<String> missing = new ArrayList<>();
            if (!bool(session, "select has_schema_privilege('venomqa', 'USAGE')")) {
                missing.add("USAGE on schema venomqa");
            } else {
                for (String[] need : new String[][] {{"venomqa.journal", "SELECT"}, {"venomqa.journal", "DELETE"},
                        {"venomqa.runs", "SELECT"}, {"venomqa.runs", "INSERT"}, {"venomqa.runs", "UPDATE"},
                        {"venomqa.runs", "DELETE"}}) {
                    if (!bool(session, "select to_regclass(?) is not null and has_table_privilege(?, ?)", need[0], need[0], need[1])) {
                        missing.add(need[1] + " on " + need[0]);
                    }
                }
                // The large objects' table (those at the run's start, copies of removed ones). An administrator's
                // journal of an older version has none: only a run whose tables name large objects needs it, and
                // says so then.
                for (String privilege : new String[] {"SELECT", "INSERT", "UPDATE", "DELETE"}) {
                    if (!bool(session, "select to_regclass('venomqa.large_objects') is null "
                            + "or has_table_privilege('venomqa.large_objects', ?)", privilege)) {
                        missing.add(privilege + " on venomqa.large_objects");
                    }
                }
                if (bool(session, "select exists(select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace where "
                        + "n.nspname = 'venomqa' and not has_function_privilege(p.oid, 'EXECUTE'))")) {
                    missing.add("EXECUTE on the functions of schema venomqa");
                }
            }
            if (missing.isEmpty()) {
                out.add(Finding.ok("journal: uses the journal " + owner + " installed (venomqa journal-sql); this user may read and clear it."));
            } else {
                out.add(Finding.problem("journal: the user may not create or use the journal: schema venomqa belongs to " + owner
                                + " and this user lacks " + missing + ".",
                        "Have " + owner + " run the SQL printed by 'venomqa journal-sql --role " + user
                                + "', or run VenomQA as " + owner + "."));
            }
        }
        if (schemaExists && bool(session, "select has_schema_privilege('venomqa', 'USAGE') and to_regclass('venomqa.runs') is not null"
                + " and has_table_privilege('venomqa.runs', 'SELECT')")) {
            // Another run may own the schema; read its runs only where this user may look.
            try (PreparedStatement ps = session.connection().prepareStatement(
                    "select owner, started_at::text from venomqa.runs where schema_name = ?")) {
                ps.setString(1, session.schemaName());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Finding.warning("journal: a run that did not end cleanly left its journal (owner "
                                + rs.getString(1) + ", started " + rs.getString(2) + "); the next connect restores the data"
                                + " to that run's start (or refuses with db_options: {" + Journal.OPTION_RECOVERY + ": refuse})."));
                    }
                }
            }
        } else if (!schemaExists && !bool(session, "select has_database_privilege(current_database(), 'CREATE')")) {
            out.add(Finding.problem("journal: the user may not create the schema 'venomqa' that holds the journal.",
                    "GRANT CREATE ON DATABASE " + string(session, "select current_database()") + " TO " + user
                            + "; or have an administrator install the journal once with the SQL printed by"
                            + " 'venomqa journal-sql --role " + user + "'."));
        }
        // PostgreSQL lets any holder of TRIGGER create a trigger, but only the table's owner drop it:
        // connect() refuses tables whose triggers it could not remove at disconnect().
        List<String> notOwned = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (TableInfo t : session.trackedTables()) {
            try (PreparedStatement ps = session.connection().prepareStatement("select pg_get_userbyid(c.relowner),"
                    + " pg_has_role(c.relowner, 'USAGE') from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                    + " where n.nspname = ? and c.relname = ?")) {
                ps.setString(1, session.schemaName());
                ps.setString(2, t.name());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && !rs.getBoolean(2)) {
                        notOwned.add(session.schemaName() + "." + t.name());
                        if (!owners.contains(rs.getString(1))) {
                            owners.add(rs.getString(1));
                        }
                    }
                }
            }
        }
        if (notOwned.isEmpty()) {
            out.add(Finding.ok("journal: the user may create the journal and triggers on all " + session.trackedTables().size()
                    + " tracked tables."));
        } else {
            boolean superOwner = false;
            for (String o : owners) {
                superOwner |= bool(session, "select rolsuper from pg_roles where rolname = ?", o);
            }
            out.add(Finding.problem("journal: the user does not own " + notOwned + ": PostgreSQL lets only a table's owner drop a"
                            + " trigger, so connect() would refuse to install any.",
                    (superOwner ? "The tables belong to a superuser: give them an owner role of their own (ALTER TABLE … OWNER"
                            + " TO app_owner) and GRANT app_owner TO " + user + ";"
                            : "GRANT " + String.join(", ", owners) + " TO " + user + "; (membership in the tables'"
                            + " owner role)") + " or connect as the owner, or list them in exclude_tables (then they are"
                            + " not rolled back)."));
        }
        return out;
    }

    /** What the journal does on MySQL/MariaDB, on the tracked database: its tables, triggers, undo, AUTO_INCREMENT. */
    static final List<String> MYSQL_JOURNAL_PRIVILEGES = List.of("SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP",
            "ALTER", "TRIGGER");

    private static List<Finding> mysql(JdbcSession session) throws SQLException {
        String database = session.schemaName();
        Set<String> held = new HashSet<>();
        boolean process = false; // global only: ALL on the database does not hold it
        try (PreparedStatement ps = session.connection().prepareStatement("show grants"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String grant = String.valueOf(rs.getString(1));
                String upper = grant.toUpperCase(Locale.ROOT);
                int on = upper.indexOf(" ON ");
                if (!upper.startsWith("GRANT ") || on < 0) {
                    continue;
                }
                String target = grant.substring(on + 4).trim().replace("\\_", "_").replace("\\%", "%");
                if (!target.startsWith("*.*") && !target.startsWith("`" + database + "`.*")) {
                    continue;
                }
                for (String p : upper.substring(6, on).split(",")) {
                    String priv = p.trim();
                    if (priv.startsWith("ALL")) {
                        held.addAll(MYSQL_JOURNAL_PRIVILEGES);
                        held.add("LOCK TABLES");
                    }
                    process |= target.startsWith("*.*") && (priv.startsWith("ALL") || priv.equals("PROCESS"));
                    held.add(priv);
                }
            }
        }
        List<String> missing = MYSQL_JOURNAL_PRIVILEGES.stream().filter(p -> !held.contains(p)).toList();
        List<Finding> out = new ArrayList<>();
        if (!process) {
            out.add(Finding.warning("journal: the user lacks the PROCESS privilege (global), so the journal cannot notice a"
                    + " TRUNCATE of a tracked table during the run: TRUNCATE fires no trigger, and a rollback after one would not"
                    + " bring the rows back and would not say so (disconnect() then fails, comparing every table's CHECKSUM TABLE"
                    + " with connect()'s). GRANT PROCESS ON *.* TO <user>; or make sure the application does not"
                    + " TRUNCATE the tracked tables (DELETE is journaled)."));
        }
        if (!held.contains("LOCK TABLES") && bool(session, "select version() like '%MariaDB%'")) {
            out.add(Finding.warning("journal: the user lacks LOCK TABLES on " + database + ", so an undo cannot keep the"
                    + " application's writes out while it runs: a rollback, restore or disconnect() during which the"
                    + " application commits (a scheduler, a queue consumer, any background job) is refused, with nothing"
                    + " changed, instead of waiting for the undo. GRANT LOCK TABLES ON `" + database + "`.* TO <user>; or"
                    + " keep the application idle while VenomQA rolls back."));
        }
        if (missing.isEmpty()) {
            out.add(0, Finding.ok("journal: the user holds the TRIGGER privilege and every other one the journal needs on "
                    + database + " (" + String.join(", ", MYSQL_JOURNAL_PRIVILEGES) + ")."));
            return out;
        }
        out.add(0, Finding.problem("journal: the user lacks " + String.join(", ", missing) + " on " + database
                        + " (SHOW GRANTS).",
                "GRANT " + String.join(", ", MYSQL_JOURNAL_PRIVILEGES) + " ON `" + database + "`.* TO <user>;"));
        return out;
    }

    private static boolean bool(JdbcSession session, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = session.connection().prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static String string(JdbcSession session, String sql) throws SQLException {
        try (PreparedStatement ps = session.connection().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : "?";
        }
    }
}
