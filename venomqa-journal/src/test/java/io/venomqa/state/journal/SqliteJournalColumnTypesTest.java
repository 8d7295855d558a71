package io.venomqa.state.journal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link JournalColumnTypesTests} on SQLite, where a column holds whatever storage class it was given:
 * every value compared as {@code typeof(v) || ':' || quote(v)}, so that {@code '1'}, {@code 1},
 * {@code 1.0} and {@code x'31'} stay apart; text by its bytes ({@code hex}) and a zero REAL with its sign.
 */
class SqliteJournalColumnTypesTest extends JournalColumnTypesTests {

    @Override
    JournalDb newDb() {
        return new SqliteDb();
    }

    @Override
    Map<String, Case> cases() {
        Map<String, Case> c = new LinkedHashMap<>();
        c.put("one column, four storage classes", table("create table t (id integer primary key, v)",
                "insert into t values (1, '1'), (2, 1), (3, 1.0), (4, x'31'), (5, null), (6, 9223372036854775807), (7, -0.0)",
                "update t set v = 2", "delete from t where id = 4"));
        c.put("four storage classes, no key", table("create table t (v, n)",
                "insert into t values ('1', 1), (1, 2), (1.0, 3), (x'31', 4)",
                "update t set n = 0", "delete from t where n = 0 and v = 1"));
        c.put("text holding NUL, REAL limits, NUMERIC affinity", table(
                "create table t (id integer primary key, s text, r real, n numeric)",
                "insert into t values (1, cast(x'610062' as text), '1e308', '1.50'), (2, 'é', 1e-320, 'abc')",
                "update t set s = 'x', r = 0, n = 0", "delete from t where id = 2"));
        c.put("STRICT table with ANY", table(
                "create table t (id integer primary key, i integer, r real, tx text, b blob, a any) strict",
                "insert into t values (1, 1, 1.5, 'x', x'00', '1'), (2, null, null, null, null, 1)",
                "update t set i = 2, a = 2.5", "delete from t where id = 2"));
        c.put("480 columns, with a key (SQLite: 500 at most, see ChangeTrackingTest)", wide(480, true, ""));
        c.put("480 columns, no key", wide(480, false, ""));
        return c;
    }

    @Override
    List<String> rows(JournalDb db, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select name from pragma_table_xinfo('" + table + "')")) {
            while (rs.next()) {
                String q = "\"" + rs.getString(1) + "\"";
                // text as its bytes: quote() ends it at a NUL; a zero REAL with its sign, which quote() drops
                columns.add("typeof(" + q + ") || ':' || case typeof(" + q + ") when 'text' then hex(" + q + ") "
                        + "when 'real' then iif(" + q + " = 0 and atan2(" + q + ", -1) < 0, '-0.0', quote(" + q + ")) "
                        + "else quote(" + q + ") end");
            }
        }
        // One result column per table column, joined here: a chain of || over 300 columns is deeper than SQLite's
        // expression limit.
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select " + String.join(", ", columns) + " from " + table)) {
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns.size(); i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(row.toString());
            }
        }
        java.util.Collections.sort(out);
        return out;
    }
}
