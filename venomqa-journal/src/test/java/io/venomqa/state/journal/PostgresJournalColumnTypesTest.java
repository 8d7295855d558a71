package io.venomqa.state.journal;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link JournalColumnTypesTests} on PostgreSQL: each row compared as its own text ({@code row::text}). */
class PostgresJournalColumnTypesTest extends JournalColumnTypesTests {

    @Override
    JournalDb newDb() {
        return new PgDb(true);
    }

    @Override
    List<String> prelude() {
        return List.of("create type mood as enum ('sad', 'ok', 'happy')", "create domain posint as int check (value > 0)",
                "create type pair as (a int, b text)");
    }

    @Override
    Map<String, Case> cases() {
        Map<String, Case> c = new LinkedHashMap<>();
        c.put("json kept as written", table("create table t (id int primary key, j json)",
                "insert into t values (1, '{\"b\":1,  \"a\":2, \"a\":3}'), (2, '[1.0, 1e2]')",
                "update t set j = '{}' where id = 1", "delete from t where id = 2", "insert into t values (3, 'null')"));
        c.put("json, no key (json has no equality)", table("create table t (j json, n int)",
                "insert into t values ('{\"b\":1,  \"a\":2}', 1), ('[1.0]', 2)",
                "update t set n = 5 where n = 1", "delete from t where n = 2"));
        c.put("point, no key (point has no equality)", table("create table t (p point, n int)",
                "insert into t values ('(1,2)', 1), ('(3,4)', 2)", "update t set n = 5 where n = 1", "delete from t where n = 2"));
        c.put("enum, domain, composite, ranges", table(
                "create table t (id int primary key, m mood, d posint, c pair, r int4range, z tstzrange)",
                "insert into t values (1, 'ok', 5, row(1, 'x,y\"z'), '[1,5)', '[2020-01-01 00:00+02, infinity)'), "
                        + "(2, 'sad', 1, null, 'empty', null)",
                "update t set m = 'happy', d = 7, c = row(2, null), r = '(,3]' where id = 1", "delete from t where id = 2"));
        c.put("NaN, infinities, -0, long numeric, money", table(
                "create table t (id int primary key, f4 real, f8 float8, n numeric, mo money)",
                "insert into t values (1, 'NaN', '-0', 'NaN', 1.5), "
                        + "(2, 0.1, 1e-320, 1234567890123456789012345678901234567890.000000000000000000001, -2), "
                        + "(3, '-Infinity', 'Infinity', 0.00000, 0)",
                "update t set f4 = 1, f8 = 2, n = 3, mo = 4", "delete from t where id = 2"));
        c.put("uuid, network, bits, tsvector, xml, timetz, interval, char(n)", table(
                "create table t (id int primary key, u uuid, i inet, cd cidr, mac macaddr, b bit(8), vb varbit(20), "
                        + "ts tsvector, x xml, tt timetz, iv interval, ch char(5))",
                "insert into t values (1, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '10.0.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03', "
                        + "B'10101010', B'1', 'a fat cat', '<a b=\"1\">x</a>', '12:00+05', '1 mon 2 days 00:00:00.000001', 'ab')",
                "update t set u = 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', i = '::1', b = B'00000000', vb = B'', ts = '', "
                        + "x = '<b/>', tt = '00:00Z', iv = '0', ch = 'x'"));
        c.put("arrays: 2-D, lower bound, NULL and \"NULL\", jsonb[]", table(
                "create table t (id int primary key, a int[][], s text[], j jsonb[])",
                "insert into t values (1, '{{1,2},{3,NULL}}', '{\"a,b\",\"c\\\"d\",NULL,\"NULL\"}', array['{\"k\":1}'::jsonb]), "
                        + "(2, '[0:1]={7,8}', '{}', null)",
                "update t set a = '{1}', s = null, j = '{}'", "delete from t where id = 2"));
        c.put("text: escapes, emoji, 100 000 characters, quoted column names", table(
                "create table t (id int primary key, s text, \"Select\" text, \"a\"\"b\" text)",
                "insert into t values (1, E'tab\\there\\nnew \\\\ back '' quote \\U0001F600 \\u00e9', 'x', 'y'), "
                        + "(2, repeat('z', 100000), null, '')",
                "update t set s = 'plain', \"Select\" = null, \"a\"\"b\" = 'q'", "delete from t where id = 2"));
        c.put("timestamps at their limits", table(
                "create table t (id int primary key, a timestamptz, b timestamp, c date, d time)",
                "insert into t values (1, '2020-02-29 23:59:59.999999+14', '-infinity', '4713-01-01 BC', '24:00'), "
                        + "(2, 'infinity', '294276-12-31 23:59:59.999999', 'epoch', '00:00:00.000001')",
                "update t set a = now(), b = now(), c = now(), d = now()", "delete from t where id = 2"));
        c.put("600 columns, with a key", wide(600, true, ""));
        c.put("600 columns, no key", wide(600, false, ""));
        return c;
    }

    @Override
    List<String> rows(JournalDb db, String table) throws SQLException {
        return db.rows("select r::text as row from " + table + " r order by 1");
    }
}
