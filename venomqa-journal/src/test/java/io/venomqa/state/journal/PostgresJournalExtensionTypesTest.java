package io.venomqa.state.journal;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link JournalColumnTypesTests} on PostgreSQL with the types of contrib extensions that applications use
 * ({@code hstore}, {@code citext}, {@code ltree}, {@code cube}, {@code isn}, {@code seg}), installed into the
 * test's own schema of a database of its own. Keyless tables among them: a row is found again by its whole
 * value, and {@code citext} calls 'Bob' and 'bob' equal, so two such rows must not be taken for one another.
 */
class PostgresJournalExtensionTypesTest extends JournalColumnTypesTests {

    private PgDb pg;

    @Override
    JournalDb newDb() {
        pg = new PgDb(true);
        return pg;
    }

    @Override
    List<String> prelude() {
        return List.of("create extension hstore schema " + pg.schema, "create extension citext schema " + pg.schema,
                "create extension ltree schema " + pg.schema, "create extension cube schema " + pg.schema,
                "create extension isn schema " + pg.schema, "create extension seg schema " + pg.schema);
    }

    @Override
    Map<String, Case> cases() {
        Map<String, Case> c = new LinkedHashMap<>();
        c.put("hstore", table("create table t (id int primary key, h hstore)",
                "insert into t values (1, 'a=>1, \"b c\"=>\"x,y\", n=>NULL'), (2, ''), (3, null)",
                "update t set h = h || 'z=>\"q\\\"uote\"' where id = 1", "update t set h = 'k=>v' where id = 2",
                "delete from t where id = 3", "insert into t values (4, 'new=>1')"));
        c.put("hstore, no key", table("create table t (h hstore, n int)",
                "insert into t values ('a=>1', 1), ('a=>1', 1), ('b=>2', 2)",
                "update t set n = 5 where n = 2", "delete from t where h = 'a=>1'"));
        c.put("citext as the key", table("create table t (email citext primary key, name text)",
                "insert into t values ('Bob@Example.com', 'Bob'), ('alice@example.com', 'Alice')",
                "update t set email = 'BOB@example.COM', name = 'B' where email = 'bob@example.com'",
                "delete from t where email = 'ALICE@EXAMPLE.COM'", "insert into t values ('Carol@x', 'C')"));
        c.put("citext, no key: rows equal but for case", table("create table t (c citext, n int)",
                "insert into t values ('Bob', 1), ('bob', 1), ('BOB', 2)",
                "update t set n = 7 where c::text = 'bob'", "delete from t where c::text = 'BOB'",
                "update t set c = 'bOb' where c::text = 'Bob'"));
        c.put("ltree, cube, isn, seg", table(
                "create table t (id int primary key, path ltree, box cube, code ean13, range seg)",
                "insert into t values (1, 'Top.Science.Astronomy', '(1,2),(3,4)', '978-0-306-40615-7', '1.5 .. 2.5'), "
                        + "(2, 'Top', '(0)', null, '<1')",
                "update t set path = 'Top.Hobbies', box = cube(array[1.5e-10, 2e30]), code = '978-1-4028-9462-6', "
                        + "range = '~5' where id = 1", "delete from t where id = 2",
                "insert into t values (3, '', '(1,1,1)', '9780306406157', '-1 .. 1')"));
        c.put("ltree, cube, seg, no key", table("create table t (path ltree, box cube, range seg)",
                "insert into t values ('a.b', '(1,2)', '1 .. 2'), ('a.b', '(1,2)', '1 .. 2'), ('a.c', '(1.0)', '1.0')",
                "update t set range = '3' where path = 'a.c'", "delete from t where path = 'a.b'"));
        return c;
    }

    @Override
    List<String> rows(JournalDb db, String table) throws SQLException {
        return db.rows("select r::text as row from " + table + " r order by 1");
    }
}
