package io.venomqa.state.journal.internal;

import io.venomqa.state.jdbc.spi.Finding;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.TableInfo;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
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
        if (bool(session, "select exists(select 1 from pg_namespace where nspname = 'venomqa')")) {
            if (!bool(session, "select has_schema_privilege('venomqa', 'CREATE') and has_schema_privilege('venomqa', 'USAGE')")) {
                out.add(Finding.problem("journal: the user may not create objects in the schema 'venomqa' (its journal lives there).",
                        "GRANT USAGE, CREATE ON SCHEMA venomqa TO " + user + ";"));
            }
            // Another run may own the schema; read its runs only where this user may look.
            if (bool(session, "select has_schema_privilege('venomqa', 'USAGE') and to_regclass('venomqa.runs') is not null"
                    + " and has_table_privilege('venomqa.runs', 'SELECT')")) {
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
            }
        } else if (!bool(session, "select has_database_privilege(current_database(), 'CREATE')")) {
            out.add(Finding.problem("journal: the user may not create the schema 'venomqa' that holds the journal.",
                    "GRANT CREATE ON DATABASE " + string(session, "select current_database()") + " TO " + user
                            + "; (or create the schema venomqa once as its owner)."));
        }
        List<String> noTrigger = new ArrayList<>();
        for (TableInfo t : session.trackedTables()) {
            try (PreparedStatement ps = session.connection().prepareStatement("select has_table_privilege(c.oid, 'TRIGGER')"
                    + " from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ? and c.relname = ?")) {
                ps.setString(1, session.schemaName());
                ps.setString(2, t.name());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && !rs.getBoolean(1)) {
                        noTrigger.add(session.schemaName() + "." + t.name());
                    }
                }
            }
        }
        if (noTrigger.isEmpty()) {
            out.add(Finding.ok("journal: the user may create the journal and triggers on all " + session.trackedTables().size()
                    + " tracked tables."));
        } else {
            out.add(Finding.problem("journal: no TRIGGER privilege on " + noTrigger + ".",
                    "GRANT TRIGGER ON " + String.join(", ", noTrigger) + " TO " + user
                            + "; or list them in exclude_tables (then they are not rolled back)."));
        }
        return out;
    }

    private static List<Finding> mysql(JdbcSession session) throws SQLException {
        boolean may = false;
        try (PreparedStatement ps = session.connection().prepareStatement("show grants"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String grant = String.valueOf(rs.getString(1)).toUpperCase(Locale.ROOT);
                if (grant.contains("ALL PRIVILEGES") || grant.contains("TRIGGER")) {
                    may = true;
                }
            }
        }
        return List.of(may ? Finding.ok("journal: the user holds the TRIGGER privilege.")
                : Finding.problem("journal: the user has no TRIGGER privilege (SHOW GRANTS).",
                "GRANT TRIGGER, CREATE, INSERT, DELETE, UPDATE ON " + session.schemaName() + ".* TO <user>;"));
    }

    private static boolean bool(JdbcSession session, String sql) throws SQLException {
        try (PreparedStatement ps = session.connection().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static String string(JdbcSession session, String sql) throws SQLException {
        try (PreparedStatement ps = session.connection().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : "?";
        }
    }
}
