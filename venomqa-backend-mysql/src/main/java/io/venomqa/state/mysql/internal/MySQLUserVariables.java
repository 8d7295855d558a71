package io.venomqa.state.mysql.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * MariaDB's user variables ({@code @name}) of a session, as session settings the savepoint strategy puts back at a
 * rollback: {@code ROLLBACK TO SAVEPOINT} leaves them, so a variable an application set through
 * {@code sharedDataSource()} in one path ({@code SET @skip_audit = 1}, which its own triggers read) was still set in
 * the next. Keyed {@value #PREFIX}{@code name}; a variable that did not exist at the checkpoint is set to
 * {@code NULL}, which is what reading one that was never set gives.
 *
 * <p>The names come from {@code information_schema.USER_VARIABLES} (MariaDB's {@code user_variables} plugin, loaded
 * by default since 10.2); the values from {@code SELECT @a, @b, …}, so that each comes back as the driver reads it
 * (a {@code DOUBLE} with every digit, a binary string as bytes, a {@code DECIMAL} with its scale), where the table's
 * text would round or re-encode them. A string is put back in the connection's character set, not the one it was
 * set in. Where the plugin is not loaded, and on MySQL, they are not read (MySQL keeps them in
 * {@code performance_schema}, not read here). VenomQA's own ({@code @venomqa_…}) are left out.
 */
public final class MySQLUserVariables {

    /** How a user variable's name is written among the session settings. */
    public static final String PREFIX = "@";

    private MySQLUserVariables() {
    }

    /** Whether a session setting's name is a user variable's. */
    public static boolean isUserVariable(String setting) {
        return setting.startsWith(PREFIX);
    }

    /** The session's user variables, {@value #PREFIX}{@code name} to value; empty where they cannot be listed. */
    public static Map<String, Object> read(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT variable_name FROM information_schema.user_variables")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (!name.toLowerCase(Locale.ROOT).startsWith("venomqa_")) {
                    names.add(name);
                }
            }
        } catch (SQLException pluginNotLoaded) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < names.size(); i++) {
            select.append(i == 0 ? "" : ", ").append(reference(names.get(i)));
        }
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(select.toString())) {
            rs.next();
            for (int i = 0; i < names.size(); i++) {
                out.put(PREFIX + names.get(i), rs.getObject(i + 1));
            }
        }
        return out;
    }

    /** {@code @`name`}: the variable as a statement names it. */
    public static String reference(String name) {
        return "@`" + name.replace("`", "``") + "`";
    }
}
