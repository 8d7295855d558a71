package io.venomqa.state.journal;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A database of one test class's own on the test PostgreSQL server, handed to its tests one after the
 * other ({@code @RegisterExtension static final OwnPgDatabase DATABASE = ...}; {@link PgDb#PgDb(OwnPgDatabase)},
 * {@link PgRolesDb#PgRolesDb(OwnPgDatabase)}) and dropped after the class. Each test gets it as a new
 * database would be: {@link #giveBack()} ends the sessions still on it (as {@code drop database ... with (force)}
 * did), drops every schema but {@code public} (the test's, the journal's shared {@code venomqa}, any other),
 * and then the catalog must hold exactly what it held when the database was made: every catalog row with a
 * user oid (tables, types, functions, extensions, foreign servers, event triggers, large objects, ...), the
 * database's grants (a grant revoked again is no change) and settings, the {@code public} schema's owner and
 * grants, the comment count, and the rows of the constructor's {@code fingerprint}. Anything else left and
 * the database is dropped: the next test gets a new one. So a test sees what it saw with a database made for
 * it alone.
 *
 * <p>Why: {@code create database} copies the template through the WAL, and a new database's first sessions
 * build its catalog caches; with the three roles of {@link PgRolesDb} that was most of the time of a
 * least-privilege contract test.
 */
final class OwnPgDatabase implements AfterAllCallback {

    /** SQL run in the database, as the superuser, on a name of this database. */
    interface Work {
        void run(String database, Statement st) throws SQLException;
    }

    private static final String TEMP_SCHEMA = "^pg_(toast_)?temp_[0-9]+$";

    private final String prefix;
    private final Work created;
    private final Work dropped;
    private final UnaryOperator<String> fingerprint;

    private String name;
    private List<String> asMade;
    private boolean fresh;

    /** A plain database, named {@code vqj_} and a random part. */
    OwnPgDatabase() {
        this("vqj_", (db, st) -> { }, (db, st) -> { }, db -> null);
    }

    /**
     * @param prefix      the database's name before its random part
     * @param created     run in each new database (roles, grants), before what it holds is recorded
     * @param dropped     run in database {@code test} after each drop (the roles of {@code created})
     * @param fingerprint a query whose rows must be the same after each test as when the database was made
     *                    (roles of {@code created}), or null
     */
    OwnPgDatabase(String prefix, Work created, Work dropped, UnaryOperator<String> fingerprint) {
        this.prefix = prefix;
        this.created = created;
        this.dropped = dropped;
        this.fingerprint = fingerprint;
    }

    /** The database's name, for one test: as a new one, made if there is none. Give it back with {@link #giveBack()}. */
    synchronized String take() {
        try {
            if (name != null && !fresh) {
                giveBack();
            }
            if (name == null) {
                name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
                try (Connection c = connect(PgDb.DATABASE); Statement st = c.createStatement()) {
                    st.execute("create database " + name);
                }
                try (Connection c = connect(name); Statement st = c.createStatement()) {
                    created.run(name, st);
                    asMade = contents(st);
                }
            }
            fresh = false;
            return name;
        } catch (SQLException e) {
            throw new AssertionError("The journal tests need PostgreSQL at " + PgDb.HOST + ":" + PgDb.PORT + " (user "
                    + PgDb.USER + ", database " + PgDb.DATABASE + ") and none is reachable: " + e.getMessage(), e);
        }
    }

    /** Puts the database back as it was made for the next test, or drops it when that cannot be shown. */
    synchronized void giveBack() throws SQLException {
        if (name == null || fresh) {
            return;
        }
        boolean asNew;
        try (Connection c = connect(name); Statement st = c.createStatement()) {
            asNew = endOtherSessions(st);
            if (asNew) {
                List<String> schemas = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("select nspname from pg_catalog.pg_namespace where nspname not in "
                        + "('public', 'information_schema') and nspname not like 'pg\\_%'")) {
                    while (rs.next()) {
                        schemas.add(rs.getString(1));
                    }
                }
                for (String s : schemas) {
                    st.execute("drop schema \"" + s.replace("\"", "\"\"") + "\" cascade");
                }
                List<String> now = contents(st);
                asNew = now.equals(asMade);
                if (!asNew) {
                    List<String> left = new ArrayList<>(now);
                    left.removeAll(asMade);
                    List<String> gone = new ArrayList<>(asMade);
                    gone.removeAll(now);
                    System.err.println("Database " + name + " is not as new after the test (left: " + left + ", gone: " + gone
                            + "); the next test gets a new one.");
                }
            }
        } catch (SQLException e) {
            asNew = false; // whatever stopped the clean-up, the drop below ends it
        }
        if (asNew) {
            fresh = true;
        } else {
            drop();
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws SQLException {
        drop();
    }

    private void drop() throws SQLException {
        if (name == null) {
            return;
        }
        try (Connection c = connect(PgDb.DATABASE); Statement st = c.createStatement()) {
            st.execute("drop database if exists " + name + " with (force)");
            dropped.run(name, st);
        } finally {
            name = null;
            fresh = false;
        }
    }

    /** Ends every other session on the database; whether they are all gone within 30 s. */
    private static boolean endOtherSessions(Statement st) throws SQLException {
        String others = "from pg_catalog.pg_stat_activity where datname = current_database() and pid <> pg_catalog.pg_backend_pid()";
        st.execute("select pg_catalog.pg_terminate_backend(pid) " + others);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try (ResultSet rs = st.executeQuery("select count(*) " + others)) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return true;
                }
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** What the database holds beyond a new one's system catalogs, one line each, sorted (see the class comment). */
    private List<String> contents(Statement st) throws SQLException {
        List<String> catalogs = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("select c.relname from pg_catalog.pg_class c join pg_catalog.pg_attribute a "
                + "on a.attrelid = c.oid and a.attname = 'oid' where c.relnamespace = 'pg_catalog'::pg_catalog.regnamespace "
                + "and c.relkind = 'r' and not c.relisshared order by 1")) {
            while (rs.next()) {
                catalogs.add(rs.getString(1));
            }
        }
        StringBuilder q = new StringBuilder();
        for (String catalog : catalogs) {
            q.append("select '").append(catalog).append(" ' || oid from pg_catalog.").append(catalog).append(" where oid >= 16384");
            if (catalog.equals("pg_namespace")) {
                // A session's temporary schemas stay in the catalog, empty, after it ends: a new database's next
                // session makes them too.
                q.append(" and nspname !~ '").append(TEMP_SCHEMA).append("'");
            }
            q.append(" union all ");
        }
        q.append("select 'database ' || coalesce(datacl, pg_catalog.acldefault('d', datdba))::text || ' ' || datconnlimit || ' ' || datallowconn || ' ' "
                        + "|| datistemplate from pg_catalog.pg_database where datname = current_database() ")
                .append("union all select 'setting ' || setrole || ' ' || setconfig::text from pg_catalog.pg_db_role_setting "
                        + "where setdatabase = (select oid from pg_catalog.pg_database where datname = current_database()) ")
                .append("union all select 'public ' || nspowner || ' ' || coalesce(nspacl, pg_catalog.acldefault('n', nspowner))::text from pg_catalog.pg_namespace "
                        + "where nspname = 'public' ")
                .append("union all select 'comments ' || count(*) from pg_catalog.pg_description");
        String extra = fingerprint.apply(name);
        if (extra != null) {
            q.append(" union all ").append(extra);
        }
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("select x from (" + q + ") f(x) order by 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + PgDb.HOST + ":" + PgDb.PORT + "/" + database, PgDb.USER, null);
    }
}
