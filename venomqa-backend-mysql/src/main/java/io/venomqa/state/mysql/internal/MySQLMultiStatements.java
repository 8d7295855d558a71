package io.venomqa.state.mysql.internal;

import com.mysql.cj.NativeSession;
import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.jdbc.JdbcConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Statements sent to MySQL/MariaDB as one text, in one round trip, with each statement's update
 * count. Connector/J's multi-statement mode is switched on for that one text only
 * ({@code COM_SET_OPTION}) and off again, so the application's own statements on a shared
 * connection never run with it (it would let an injected {@code ;} stack a second statement). The
 * server stops at the first statement that fails; its exception is thrown.
 */
public final class MySQLMultiStatements {

    private MySQLMultiStatements() {
    }

    /**
     * Runs {@code statements} together; their update counts (-1 for a statement without one, such as
     * {@code SET}), or null without running anything when the connection is not Connector/J's (then
     * the caller runs them one by one).
     */
    public static int[] run(Connection connection, List<String> statements) throws SQLException {
        JdbcConnection jc = unwrap(connection);
        if (jc == null || !(jc.getSession() instanceof NativeSession session)) {
            return null;
        }
        // Already on for the whole connection (allowMultiQueries in the URL): not ours to switch off.
        boolean switchOn = !jc.getPropertySet().getBooleanProperty(PropertyKey.allowMultiQueries).getValue();
        if (switchOn) {
            session.enableMultiQueries();
        }
        try (Statement s = connection.createStatement()) {
            List<Integer> counts = new ArrayList<>(statements.size());
            boolean result = s.execute(String.join(";\n", statements));
            while (true) {
                // Reads past every statement's answer, so that a failure further on surfaces here.
                int count = result ? -1 : s.getUpdateCount();
                if (!result && count == -1) {
                    break;
                }
                counts.add(count);
                result = s.getMoreResults();
            }
            return counts.stream().mapToInt(Integer::intValue).toArray();
        } finally {
            if (switchOn) {
                session.disableMultiQueries();
            }
        }
    }

    private static JdbcConnection unwrap(Connection connection) {
        try {
            return connection.isWrapperFor(JdbcConnection.class) ? connection.unwrap(JdbcConnection.class) : null;
        } catch (SQLException e) {
            return null;
        }
    }
}
