package io.venomqa.state.mysql.internal;

import io.venomqa.state.jdbc.spi.JdbcSession;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The writes of one MySQL/MariaDB reset, sent in <b>one round trip</b>: the session settings saved
 * and set (lock time-outs, {@code FOREIGN_KEY_CHECKS = 0}), the {@code DELETE}s, the
 * {@code TRUNCATE}s, and the settings put back. Connector/J's multi-statement mode is switched on
 * for this one statement only ({@code COM_SET_OPTION}) and off again, so the application's own
 * statements on the shared connection never run with it (it would let an injected {@code ;} stack
 * a second statement); a connection that cannot be unwrapped runs them one by one.
 *
 * <p>Every table statement is followed by {@code SET @venomqa_reset_done = n}: when the server
 * stops at a failing statement, that variable says exactly how many tables were emptied, which the
 * error message needs because each {@code TRUNCATE} commits at once. The saved settings live in
 * user variables of the session, put back and cleared in every case the connection survives.
 */
public final class MySQLResetStatements {

    private static final String RESTORE = "SET FOREIGN_KEY_CHECKS = @venomqa_fk, SESSION lock_wait_timeout = @venomqa_lwt,"
            + " SESSION innodb_lock_wait_timeout = @venomqa_ilwt";
    private static final String CLEAR = "SET @venomqa_fk = NULL, @venomqa_lwt = NULL, @venomqa_ilwt = NULL,"
            + " @venomqa_reset_done = NULL";

    private final Connection connection;
    private final List<String> tables = new ArrayList<>();
    private final int deletes;
    private final List<String> statements = new ArrayList<>();

    /**
     * @param lockTimeout seconds a statement may wait for another connection's lock
     * @param toDelete    tables to empty with {@code DELETE}, in this order, before any {@code TRUNCATE}
     * @param toTruncate  tables to empty with {@code TRUNCATE TABLE}, in this order
     * @param versioned   MariaDB system-versioned tables, which refuse {@code TRUNCATE} (error 4137): those of
     *                    {@code toTruncate} are emptied with {@code DELETE}, {@code DELETE HISTORY} and
     *                    {@code ALTER TABLE … AUTO_INCREMENT = 1} (which commits, as a {@code TRUNCATE} would)
     */
    public MySQLResetStatements(JdbcSession session, long lockTimeout, List<String> toDelete, List<String> toTruncate,
                                java.util.Set<String> versioned) {
        this.connection = session.connection();
        this.deletes = toDelete.size();
        tables.addAll(toDelete);
        tables.addAll(toTruncate);
        statements.add("SET @venomqa_fk = @@SESSION.foreign_key_checks, @venomqa_lwt = @@SESSION.lock_wait_timeout,"
                + " @venomqa_ilwt = @@SESSION.innodb_lock_wait_timeout, @venomqa_reset_done = 0");
        // TRUNCATE needs an exclusive metadata lock and DELETE row locks; another connection with an
        // open transaction on the table would make them wait lock_wait_timeout (a day on MariaDB, a
        // year on MySQL) or innodb_lock_wait_timeout.
        statements.add("SET SESSION lock_wait_timeout = " + lockTimeout + ", SESSION innodb_lock_wait_timeout = "
                + lockTimeout + ", FOREIGN_KEY_CHECKS = 0");
        for (int i = 0; i < tables.size(); i++) {
            String table = session.qualified(tables.get(i));
            if (i >= deletes && versioned.contains(tables.get(i))) {
                statements.add("DELETE FROM " + table);
                statements.add("DELETE HISTORY FROM " + table);
                statements.add("ALTER TABLE " + table + " AUTO_INCREMENT = 1");
            } else {
                statements.add((i < deletes ? "DELETE FROM " : "TRUNCATE TABLE ") + table);
            }
            statements.add("SET @venomqa_reset_done = " + (i + 1));
        }
        statements.add(RESTORE);
        statements.add(CLEAR);
    }

    /**
     * Runs the statements. On failure the session settings are put back (unless the connection is
     * gone) and the exception is rethrown; {@link #completed()} then says how far it got.
     */
    public void run() throws SQLException {
        if (MySQLMultiStatements.run(connection, statements) == null) {
            try (Statement s = connection.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
        }
    }

    /**
     * After a failed {@link #run()}: puts the session settings back and returns how many tables
     * (in the order delete-then-truncate) were emptied before the failure; -1 if unknown.
     */
    public int completed() {
        try (Statement s = connection.createStatement()) {
            int done;
            try (ResultSet rs = s.executeQuery("SELECT @venomqa_reset_done, @venomqa_fk IS NULL")) {
                rs.next();
                done = rs.getInt(1);
                if (rs.wasNull()) {
                    done = -1;
                }
                if (!rs.getBoolean(2)) {
                    s.execute(RESTORE);
                }
            }
            s.execute(CLEAR);
            return done;
        } catch (SQLException e) {
            return -1;
        }
    }

    /** How many {@code TRUNCATE}s had started given {@code completed} finished tables (one more may have failed). */
    public boolean anyTruncateStarted(int completed) {
        return tables.size() > deletes && (completed < 0 || completed >= deletes);
    }

    /** The tables empty for good after a failure: every {@code DELETE} (the first {@code TRUNCATE} committed them) and the finished {@code TRUNCATE}s. */
    public List<String> emptied(int completed) {
        return completed < 0 ? List.of() : List.copyOf(tables.subList(0, Math.max(completed, deletes)));
    }
}
