package io.venomqa.state.journal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link JournalColumnTypesTests} on MariaDB/MySQL: values as the server prints them, binary ones in hex. */
class MySqlJournalColumnTypesTest extends JournalColumnTypesTests {

    @Override
    JournalDb newDb() {
        return new MyDb();
    }

    @Override
    Map<String, Case> cases() {
        Map<String, Case> c = new LinkedHashMap<>();
        c.put("single-precision float, no key", table("create table t (f float, n int) engine=InnoDB",
                "insert into t values (0.1, 1), (1e-38, 2), (3.4e38, 3)",
                "update t set n = 5 where n = 1", "delete from t where n = 2", "update t set f = 1 where n = 3"));
        c.put("rows of a table without a key that differ only in a FLOAT", table(
                "create table t (f float, n int) engine=InnoDB",
                "insert into t values (1.5, 1), (16777215, 1), (16777214, 1), (12345.67, 1), (12345.68, 1)",
                "update t set n = 2 where f = 16777214", "delete from t where f > 12345.675 and f < 12345.685",
                "update t set f = 1 where f = 16777215"));
        c.put("single-precision floats the server prints rounded to six digits", table(
                "create table t (id int primary key, f float, n int) engine=InnoDB",
                "insert into t values (1, 16777215, 1), (2, 12345.67, 2), (3, 1.0000001, 3), (4, -0.0, 4)",
                "update t set f = 0 where id = 1", "update t set f = f + 1 where id = 2", "delete from t where id = 3",
                "update t set n = 5 where id = 4"));
        c.put("float and double at their limits", table("create table t (id int primary key, f float, d double) engine=InnoDB",
                "insert into t values (1, 0.1, 0.1), (2, 1.17549e-38, 4.9e-324)",
                "update t set f = 0.3, d = 0.3", "delete from t where id = 2"));
        c.put("decimal(65,30), bit(64), set, enum, year, tinyint(1)", table(
                "create table t (id int primary key, d decimal(65,30), b bit(64), s set('a','b','c'), e enum('x','y'), "
                        + "y year, tb tinyint(1)) engine=InnoDB",
                "insert into t values (1, 12345678901234567890123456789012345.123456789012345678901234567891, "
                        + "b'1111111111111111111111111111111111111111111111111111111111111111', 'a,c', 'y', 1901, 1), "
                        + "(2, -0.000000000000000000000000000001, b'0', '', null, 2155, -128)",
                "update t set d = 0, b = b'1', s = 'b', e = 'x', y = 2000, tb = 0", "delete from t where id = 2"));
        c.put("padded binary(n), trailing zero bytes, char and varchar spaces", table(
                "create table t (id int primary key, b binary(16), vb varbinary(10), c char(5), v varchar(10)) engine=InnoDB",
                "insert into t values (1, x'0102', x'0100', 'ab', 'ab  '), (2, x'', x'', '', ' ')",
                "update t set b = x'ff', vb = x'ff', c = 'z', v = 'z'", "delete from t where id = 2"));
        c.put("padded binary(n) and char(n), no key", table("create table t (b binary(4), c char(5), n int) engine=InnoDB",
                "insert into t values (x'01', 'ab', 1), (x'0100', 'ab', 2)",
                "update t set n = 7 where n = 1", "delete from t where n = 2"));
        c.put("latin1 and utf8mb4 text, JSON with escapes and big numbers", table(
                "create table t (id int primary key, l varchar(20) character set latin1, u varchar(20) character set utf8mb4, "
                        + "j json) engine=InnoDB",
                "insert into t values (1, 'café ÿ', '\\u{1F600} \\\\ '' \"', '{\"a\": \"é\\\\u0000\", \"n\": 12345678901234567890}')"
                        .replace("\\u{1F600}", new String(Character.toChars(0x1F600))),
                "update t set l = 'x', u = 'y', j = '[]'"));
        c.put("temporal limits, negative time, ON UPDATE CURRENT_TIMESTAMP", table(
                "create table t (id int primary key, ts timestamp(6) not null default current_timestamp(6) "
                        + "on update current_timestamp(6), dt datetime(6), tm time(6), v int) engine=InnoDB",
                "insert into t values (1, '2001-01-01 00:00:00.000001', '1000-01-01 00:00:00', '-838:59:59', 1), "
                        + "(2, '2038-01-19 03:14:07.999999', '9999-12-31 23:59:59.999999', '838:59:59.000000', 2)",
                "update t set v = 9 where id = 1", "delete from t where id = 2"));
        c.put("virtual and stored generated columns", table(
                "create table t (id int primary key, a int, g int as (a * 2) virtual, s int as (a + 1) stored) engine=InnoDB",
                "insert into t (id, a) values (1, 1), (2, 2)",
                "update t set a = 10 where id = 1", "delete from t where id = 2", "insert into t (id, a) values (3, 3)"));
        c.put("invisible columns, with and without a key", table(
                "create table t (id int primary key, v int, h varchar(10) invisible default 'dflt', f float invisible) engine=InnoDB",
                "insert into t (id, v, h, f) values (1, 1, 'one', 16777215), (2, 2, 'two', 1.5)",
                "update t set h = 'changed', f = 0 where id = 1", "delete from t where id = 2"));
        c.put("spatial", table("create table t (id int primary key, p point, g geometry) engine=InnoDB",
                "insert into t values (1, point(1, 2), ST_GeomFromText('LINESTRING(0 0, 1 1)'))",
                "update t set p = point(3, 4), g = null"));
        // MariaDB's own types (10.7+ UUID, 10.5+ INET6, 10.10+ INET4): Hibernate 6 maps java.util.UUID to UUID there.
        c.put("MariaDB UUID as the key, INET6 and INET4", table(
                "create table t (id uuid primary key, a inet6, b inet4, n int) engine=InnoDB",
                "insert into t values ('123e4567-e89b-12d3-a456-426655440000', '::ffff:10.0.0.1', '10.0.0.1', 1), "
                        + "('00000000-0000-0000-0000-000000000000', '2001:db8::1', '255.255.255.255', 2), "
                        + "('ffffffff-ffff-ffff-ffff-ffffffffffff', null, null, 3)",
                "update t set id = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', a = '::', b = '0.0.0.0' where n = 1",
                "delete from t where n = 2", "insert into t values (uuid(), '::1', '127.0.0.1', 4)"));
        c.put("MariaDB UUID and INET6, no key", table("create table t (u uuid, a inet6, n int) engine=InnoDB",
                "insert into t values ('123e4567-e89b-12d3-a456-426655440000', '::1', 1), "
                        + "('123e4567-e89b-12d3-a456-426655440000', '::1', 1), (null, '::2', 2)",
                "update t set n = 5 where n = 2", "delete from t where a = '::1'"));
        c.put("600 columns, with a key", wide(600, true, " engine=InnoDB"));
        c.put("600 columns, no key", wide(600, false, " engine=InnoDB"));
        return c;
    }

    @Override
    List<String> rows(JournalDb db, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(exactSelect(c, table))) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    int type = md.getColumnType(i);
                    boolean binary = type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY
                            || type == Types.BLOB;
                    byte[] bytes = binary ? rs.getBytes(i) : null;
                    row.append(i > 1 ? "|" : "").append(md.getColumnLabel(i)).append('=')
                            .append(!binary ? rs.getString(i) : bytes == null ? "NULL" : "0x" + HexFormat.of().formatHex(bytes));
                }
                out.add(row.toString());
            }
        }
        Collections.sort(out);
        return out;
    }

    /**
     * Every column of {@code table}, FLOAT ones as DOUBLE: the server prints a FLOAT with six significant
     * digits (16777215 as 16777200), which would hide a value the journal did not put back exactly.
     */
    private static String exactSelect(Connection c, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select column_name, data_type from information_schema.columns where table_schema = database()"
                     + " and table_name = '" + table + "' order by ordinal_position")) {
            while (rs.next()) {
                String name = "`" + rs.getString(1).replace("`", "``") + "`";
                columns.add(rs.getString(2).equalsIgnoreCase("float") ? "cast(" + name + " as double) as " + name : name);
            }
        }
        return columns.isEmpty() ? "select * from " + table : "select " + String.join(", ", columns) + " from " + table;
    }
}
