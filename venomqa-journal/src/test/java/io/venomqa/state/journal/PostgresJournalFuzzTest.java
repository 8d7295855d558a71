package io.venomqa.state.journal;

import io.venomqa.state.StateManager;
import io.venomqa.state.journal.JournalFuzz.Scenario;
import io.venomqa.state.journal.JournalFuzz.Step;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

import static io.venomqa.state.journal.JournalFuzz.pick;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JournalFuzz} on PostgreSQL: random schemas (keys of every kind, composite keys, keyless tables, the
 * column types applications use with their edge values, generated and defaulted columns, unique constraints
 * and partial or expression unique indexes, foreign keys with actions, application triggers) and random
 * workloads from the application's own JDBC connection. A few seeds in the default suite;
 * {@code -Dvenomqa.fuzz.seeds=500} (and {@code -Dvenomqa.fuzz.first=N}) runs many.
 */
class PostgresJournalFuzzTest {

    @RegisterExtension
    static final OwnPgDatabase DATABASE = new OwnPgDatabase();

    @RegisterExtension
    static final OwnPgDatabase ROLES_DATABASE = PgRolesDb.classDatabase();

    @Test
    @DisplayName("random schemas and writes: every rollback, tree restore and disconnect() that reports success gives back the server's exact dump")
    void randomWorkloadsAreUndoneExactly() throws Exception {
        String findings = JournalFuzz.fuzz(new Pg(false), JournalFuzz.seeds(1, 2, 3, 4));
        assertThat(findings).as("silent wrong rollbacks").isNull();
    }

    @Test
    @DisplayName("the same with VenomQA's role no superuser but a member of the tables' owner (foreign keys checked during the undo) and the application a role of its own")
    void randomWorkloadsAreUndoneExactlyWithoutSuperuser() throws Exception {
        String findings = JournalFuzz.fuzz(new Pg(true), JournalFuzz.seeds(1, 2, 3, 4));
        assertThat(findings).as("silent wrong rollbacks").isNull();
    }

    /** A column of a generated table: its SQL type and the literals the workload writes into it. */
    record Col(String name, String type, Function<Random, String> value, boolean writable) {
    }

    /** A generated table: its key columns (empty: keyless), whether the key is generated, its columns. */
    record Table(String name, List<Col> key, boolean generatedKey, List<Col> cols) {

        List<Col> writable() {
            List<Col> out = new ArrayList<>();
            for (Col c : cols) {
                if (c.writable()) {
                    out.add(c);
                }
            }
            return out;
        }
    }

    static final class Pg implements JournalFuzz.Backend {

        /** Whether VenomQA's role is a member of the tables' owner rather than the superuser ({@link PgRolesDb}). */
        private final boolean owner;

        Pg(boolean owner) {
            this.owner = owner;
        }

        @Override
        public boolean failedStatementAbortsTransaction() {
            return true;
        }

        @Override
        public JournalFuzz.Target fresh() {
            if (owner) {
                PgRolesDb db = new PgRolesDb(ROLES_DATABASE);
                return new JournalFuzz.Target() {
                    @Override
                    public Connection connect() throws SQLException {
                        return db.connect();
                    }

                    @Override
                    public void ddl(List<String> ddl) throws SQLException {
                        db.exec(ddl.toArray(String[]::new));
                    }

                    @Override
                    public StateManager manager() {
                        return db.manager();
                    }

                    @Override
                    public List<String> dump() throws SQLException {
                        try (Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://" + PgDb.HOST + ":" + PgDb.PORT
                                + "/" + db.database + "?currentSchema=shop", PgDb.USER, null)) {
                            return PgDb.dump(c);
                        }
                    }

                    @Override
                    public void close() throws Exception {
                        db.close();
                    }
                };
            }
            PgDb db = new PgDb(DATABASE);
            return new JournalFuzz.Target() {
                @Override
                public Connection connect() throws SQLException {
                    return db.connect();
                }

                @Override
                public StateManager manager() {
                    return db.manager();
                }

                @Override
                public List<String> dump() throws SQLException {
                    return db.dump();
                }

                @Override
                public void close() throws Exception {
                    db.close();
                }
            };
        }

        // ---- values ----

        static String ints(Random r) {
            return pick(r, "0", "1", "2", "3", "-1", "2147483647", "-2147483648", "7", "42", "null");
        }

        static String bigints(Random r) {
            return pick(r, "0", "1", "-1", "9223372036854775807", "-9223372036854775808", "4294967296", "null");
        }

        static String texts(Random r) {
            return pick(r, "''", "'a'", "'A'", "' a '", "'Ünïcødé ✓ 𝄞 日本'", "'it''s'", "'back\\slash'", "'line\nbreak\ttab'",
                    "'NULL'", "'{\"k\": 1}'", "repeat('x', 100001)", "repeat('é😀', 30000)", "'a' || chr(13) || 'b'", "null");
        }

        static String numerics(Random r) {
            return pick(r, "0", "-0.001", "123.456", "1.0005", "999999999.999", "-999999999.999", "'NaN'", "0.000", "null");
        }

        static String floats(Random r) {
            return pick(r, "'NaN'", "'Infinity'", "'-Infinity'", "'-0'", "0", "0.1", "1e-45", "3.4028235e38", "1.17549435e-38",
                    "0.3333333333333333", "1.7976931348623157e308", "5e-324", "-2.2250738585072014e-308", "123456789.123", "null");
        }

        static String dates(Random r) {
            return pick(r, "'2024-02-29'", "'infinity'", "'-infinity'", "'4713-01-01 BC'", "'5874897-12-31'", "'1970-01-01'", "null");
        }

        static String timestamps(Random r) {
            return pick(r, "'2024-01-01 12:34:56.789012'", "'infinity'", "'-infinity'", "'1999-12-31 23:59:59.999999'",
                    "'294276-12-31 23:59:59'", "'4713-01-01 00:00:00 BC'", "null");
        }

        static String timestamptzs(Random r) {
            return pick(r, "'2024-03-10 02:30:00+05:30'", "'infinity'", "'2000-01-01 00:00:00.000001+14'", "'1900-01-01 00:00:00-00:01:15'", "null");
        }

        static String intervals(Random r) {
            return pick(r, "'1 year 2 mons -3 days 04:05:06.789'", "'0'", "'1 day -1 second'", "'-178000000 years'",
                    "'P1Y2M3DT4H5M6.000007S'", "'36 hours'", "null");
        }

        static String times(Random r) {
            return pick(r, "'24:00:00'", "'00:00:00'", "'12:34:56.123456'", "'23:59:59.999999'", "null");
        }

        static String jsons(Random r) {
            return pick(r, "'null'", "'{\"a\":1,\"a\":2}'", "'{ \"b\" : [1, 2 ,3] }'", "'\"str\"'", "'1.000'", "'[]'",
                    "'{\"u\": \"\\u00e9x\"}'", "'1e400'", "'  {}  '", "null");
        }

        static String byteas(Random r) {
            return pick(r, "'\\x'", "'\\x00ff10'", "'\\x00'", "decode(repeat('00ff', 60000), 'hex')", "'abc\\\\'::bytea", "null");
        }

        static String intArrays(Random r) {
            return pick(r, "'{}'", "'{1,NULL,3}'", "'{{1,2},{3,4}}'", "'[0:1]={5,6}'", "'{-2147483648}'", "null");
        }

        static String textArrays(Random r) {
            return pick(r, "'{}'", "'{\"a b\",\"\",NULL,\"\\\"q\\\"\"}'", "'{NULL}'", "'{\"NULL\"}'", "ARRAY['é', ',']", "null");
        }

        static String moods(Random r) {
            return pick(r, "'sad'", "'ok'", "'happy'", "null");
        }

        static String posints(Random r) {
            return pick(r, "1", "2", "5", "0", "null");
        }

        static String uuids(Random r) {
            return pick(r, "'00000000-0000-0000-0000-000000000000'", "'" + new UUID(r.nextLong(), r.nextLong()) + "'",
                    "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'", "null");
        }

        static String bools(Random r) {
            return pick(r, "true", "false", "null");
        }

        static String shortTexts(Random r) {
            return pick(r, "'x'", "'y'", "'X'", "'ä'", "''", "'abcdefghij'", "null");
        }

        static final List<Col> MENU = List.of(
                new Col("i", "int", Pg::ints, true),
                new Col("b", "bigint", Pg::bigints, true),
                new Col("s", "text", Pg::texts, true),
                new Col("v", "varchar(10)", Pg::shortTexts, true),
                new Col("n", "numeric(12,3)", Pg::numerics, true),
                new Col("f4", "float4", Pg::floats, true),
                new Col("f8", "float8", Pg::floats, true),
                new Col("ok", "boolean", Pg::bools, true),
                new Col("d", "date", Pg::dates, true),
                new Col("ts", "timestamp", Pg::timestamps, true),
                new Col("tz", "timestamptz", Pg::timestamptzs, true),
                new Col("iv", "interval", Pg::intervals, true),
                new Col("tm", "time", Pg::times, true),
                new Col("j", "json", Pg::jsons, true),
                new Col("jb", "jsonb", Pg::jsons, true),
                new Col("by", "bytea", Pg::byteas, true),
                new Col("ia", "int[]", Pg::intArrays, true),
                new Col("ta", "text[]", Pg::textArrays, true),
                new Col("m", "mood", Pg::moods, true),
                new Col("pi", "posint", Pg::posints, true),
                new Col("u", "uuid", Pg::uuids, true),
                new Col("ch", "char(5)", x -> pick(x, "'a'", "'a    '", "''", "'abcde'", "null"), true),
                new Col("pt", "point", x -> pick(x, "'(1,2)'", "'(-0,NaN)'", "'(1e300,-1e-300)'", "null"), true),
                new Col("rg", "int4range", x -> pick(x, "'[1,5)'", "'empty'", "'(,3]'", "'[2,2]'", "null"), true),
                new Col("tt", "timetz", x -> pick(x, "'12:00:00+05:30'", "'00:00:00-15:59'", "'24:00:00+00'", "null"), true),
                new Col("nu", "numeric", x -> pick(x, "1e-100", "123456789012345678901234567890.123456789", "'-Infinity'", "0.10", "null"), true),
                new Col("\"Odd Name\"", "text", x -> pick(x, "'q'", "'\"'", "null"), true),
                new Col("ip", "inet", x -> pick(x, "'::ffff:1.2.3.4'", "'10.0.0.1/8'", "'fe80::1%eth0'".replace("%eth0", ""), "null"), true),
                new Col("bv", "bit varying", x -> pick(x, "B''", "B'0101'", "null"), true),
                new Col("ma", "mood[]", x -> pick(x, "'{sad,NULL}'", "'{}'", "null"), true),
                new Col("mo", "money", x -> pick(x, "'12.34'", "'-92233720368547758.08'", "0", "'1,234.5'", "null"), true),
                new Col("x", "xml", x -> pick(x, "'<a b=\"1\">t</a>'", "'plain text'", "'<?xml version=\"1.0\"?><r/>'", "'<a/><b/>'", "null"), true),
                new Col("tv", "tsvector", x -> pick(x, "'a:1 b:2A'", "to_tsvector('simple', 'The quick fox')", "''", "'''q''''s'''", "null"), true),
                new Col("pr", "pair", x -> pick(x, "row(1, 'a b')", "row(null, null)", "row(2, '')", "row(3, '\"(,)\"')", "null"), true),
                new Col("bx", "box", x -> pick(x, "'(1,1),(0,0)'", "'(0,0),(1e-300,3.5)'", "null"), true),
                new Col("mac", "macaddr", x -> pick(x, "'08:00:2b:01:02:03'", "'0800.2b01.0204'", "null"), true),
                new Col("cd", "cidr", x -> pick(x, "'10.1/16'", "'2001:db8::/32'", "null"), true),
                new Col("fa", "float8[]", x -> pick(x, "'{0.1,NaN,-0,1e-320}'", "'{}'", "'{Infinity,NULL}'", "null"), true),
                new Col("tr", "tstzrange", x -> pick(x, "'[2024-01-01 00:00+02,2024-01-02 00:00+02)'", "'empty'", "'(,infinity]'", "null"), true),
                new Col("mr", "int4multirange", x -> pick(x, "'{[1,3),[5,7)}'", "'{}'", "'{(,2]}'", "null"), true),
                new Col("c1", "\"char\"", x -> pick(x, "'a'", "''", "'\\'", "null"), true),
                new Col("b3", "bit(3)", x -> pick(x, "B'101'", "B'000'", "null"), true),
                new Col("na", "numeric[]", x -> pick(x, "'{1.10,NaN,-Infinity}'", "'{{1},{2}}'", "null"), true),
                new Col("ja", "jsonb[]", x -> pick(x, "array['{\"a\": [1]}'::jsonb, 'null']", "'{}'", "null"), true),
                new Col("tza", "timestamptz[]", x -> pick(x, "array['2024-03-10 02:30:00+05:30'::timestamptz, 'infinity']", "null"), true));

        @Override
        public Scenario generate(long seed) {
            Random r = JournalFuzz.random(seed);
            List<String> ddl = new ArrayList<>();
            ddl.add("create type mood as enum ('sad', 'ok', 'happy')");
            ddl.add("create domain posint as int check (value > 0)");
            ddl.add("create type pair as (x int, y text)");
            List<Table> tables = new ArrayList<>();
            int n = 1 + r.nextInt(4);
            for (int t = 0; t < n; t++) {
                String name = "t" + t;
                List<Col> key = new ArrayList<>();
                boolean generatedKey = false;
                List<String> defs = new ArrayList<>();
                String keyDef = null;
                boolean partitioned = false;
                switch (r.nextInt(8)) {
                    case 7 -> {
                        // partitioned by the first key column: changing it moves the row to another partition
                        defs.add("k int not null");
                        defs.add("id int not null");
                        key.add(new Col("k", "int", x -> String.valueOf(1 + x.nextInt(4)), true));
                        key.add(new Col("id", "int", x -> String.valueOf(1 + x.nextInt(6)), true));
                        keyDef = "primary key (k, id)";
                        partitioned = true;
                    }
                    case 0 -> {
                        defs.add("id serial primary key");
                        key.add(new Col("id", "int", x -> String.valueOf(1 + x.nextInt(8)), true));
                        generatedKey = true;
                    }
                    case 1 -> {
                        defs.add("id bigint generated " + pick(r, "always", "by default") + " as identity primary key");
                        key.add(new Col("id", "bigint", x -> String.valueOf(1 + x.nextInt(8)), true));
                        generatedKey = true;
                    }
                    case 2 -> {
                        defs.add("id int primary key");
                        key.add(new Col("id", "int", x -> String.valueOf(1 + x.nextInt(8)), true));
                    }
                    case 3 -> {
                        defs.add("id bigint primary key");
                        key.add(new Col("id", "bigint", x -> pick(x, "1", "2", "3", "4", "9223372036854775807", "-5"), true));
                    }
                    case 4 -> {
                        defs.add("ka int not null");
                        defs.add("kb text not null");
                        key.add(new Col("ka", "int", x -> String.valueOf(1 + x.nextInt(3)), true));
                        key.add(new Col("kb", "text", x -> pick(x, "'x'", "'y'", "'Ä'", "'x '"), true));
                        keyDef = "primary key (ka, kb)";
                    }
                    default -> {
                        // no key: duplicate rows allowed
                    }
                }
                List<Col> cols = new ArrayList<>();
                int m = 1 + r.nextInt(5);
                List<Col> menu = new ArrayList<>(MENU);
                java.util.Collections.shuffle(menu, r);
                for (int c = 0; c < m; c++) {
                    Col col = menu.get(c);
                    cols.add(col);
                    String def = col.name() + " " + col.type();
                    if (r.nextInt(6) == 0 && col.name().equals("s")) {
                        def += " default 'dflt'";
                    }
                    defs.add(def);
                }
                // a parent to reference: an earlier table with a single-column key
                if (t > 0 && r.nextBoolean()) {
                    Table parent = tables.get(r.nextInt(t));
                    if (parent.key().size() == 1) {
                        Col pk = parent.key().get(0);
                        Col fk = new Col("p", pk.type(), x -> x.nextInt(4) == 0 ? "null" : pk.value().apply(x), true);
                        cols.add(fk);
                        defs.add("p " + pk.type() + " references " + parent.name() + " on delete "
                                + pick(r, "cascade", "set null", "no action", "cascade") + " on update "
                                + pick(r, "cascade", "no action", "set null", "cascade"));
                    }
                }
                if (t > 0 && r.nextInt(3) == 0) {
                    Table parent = tables.get(r.nextInt(t));
                    if (parent.key().size() == 2 && parent.key().get(0).name().equals("ka")) {
                        List<Col> pk = parent.key();
                        cols.add(new Col("pa", "int", x -> x.nextInt(4) == 0 ? "null" : pk.get(0).value().apply(x), true));
                        cols.add(new Col("pb", "text", x -> x.nextInt(4) == 0 ? "null" : pk.get(1).value().apply(x), true));
                        defs.add("pa int");
                        defs.add("pb text");
                        defs.add("foreign key (pa, pb) references " + parent.name() + " on delete "
                                + pick(r, "cascade", "set null", "no action") + " on update " + pick(r, "cascade", "no action", "set null"));
                    }
                }
                if (key.size() == 1 && key.get(0).type().equals("int") && r.nextInt(4) == 0) {
                    Col k = key.get(0);
                    cols.add(new Col("up", "int", x -> x.nextInt(3) == 0 ? "null" : k.value().apply(x), true));
                    defs.add("up int references " + name + " on delete " + pick(r, "cascade", "set null") + " on update "
                            + pick(r, "cascade", "set null", "no action") + pick(r, "", " deferrable initially deferred"));
                }
                Col intCol = cols.stream().filter(c -> c.name().equals("i")).findFirst().orElse(null);
                if (intCol != null && r.nextInt(3) == 0) {
                    defs.add("g bigint generated always as (i::bigint * 2 + 1) stored");
                }
                if (r.nextInt(4) == 0 && cols.stream().anyMatch(c -> c.name().equals("v"))) {
                    defs.add("unique (v)" + pick(r, "", " deferrable initially deferred", " deferrable"));
                }
                if (keyDef != null) {
                    defs.add(keyDef);
                }
                boolean dropped = r.nextInt(4) == 0;
                if (dropped) {
                    defs.add(1 + r.nextInt(defs.size()) - 1, "gone text default 'x'");
                }
                if (partitioned) {
                    // a unique constraint must hold the partition key
                    defs.removeIf(d -> d.startsWith("unique (v)"));
                }
                ddl.add("create table " + name + " (" + String.join(", ", defs) + ")" + (partitioned ? " partition by list (k)" : ""));
                if (partitioned) {
                    ddl.add("create table " + name + "_a partition of " + name + " for values in (1, 2)");
                    ddl.add("create table " + name + "_b partition of " + name + " for values in (3)");
                    ddl.add("create table " + name + "_d partition of " + name + " default");
                }
                if (dropped) {
                    // a dropped column among the live ones, as a table that had a migration has
                    ddl.add("alter table " + name + " drop column gone");
                }
                if (partitioned) {
                    tables.add(new Table(name, key, false, cols));
                    continue;
                }
                if (cols.stream().anyMatch(c -> c.name().equals("s")) && r.nextInt(4) == 0) {
                    ddl.add("create unique index on " + name + " (lower(left(s, 50)))");
                }
                if (cols.stream().anyMatch(c -> c.name().equals("v")) && intCol != null && r.nextInt(4) == 0) {
                    ddl.add("create unique index on " + name + " (v) where i > 0");
                }
                tables.add(new Table(name, key, generatedKey, cols));
            }
            // application triggers
            if (r.nextInt(3) == 0) {
                ddl.add("create table audit (id bigserial primary key, tab text, op text, r text)");
                ddl.add("create function audit_row() returns trigger language plpgsql as $$ begin "
                        + "insert into audit (tab, op, r) values (TG_TABLE_NAME, TG_OP, case when TG_OP = 'DELETE' then old::text "
                        + "else new::text end); return null; end $$");
                Table t = pick(r, tables);
                ddl.add("create trigger app_audit after insert or update or delete on " + t.name()
                        + " for each row execute function audit_row()");
            }
            for (Table t : tables) {
                if (r.nextInt(5) == 0 && t.cols().stream().anyMatch(c -> c.name().equals("s"))) {
                    ddl.add("create function stamp_" + t.name() + "() returns trigger language plpgsql as $$ begin "
                            + "if new.s = 'a' then return null; end if; new.s := left(coalesce(new.s, '') || '~', 120); return new; end $$");
                    ddl.add("create trigger app_stamp before insert or update on " + t.name()
                            + " for each row execute function stamp_" + t.name() + "()");
                }
            }
            List<Step> writes = new ArrayList<>();
            // the application's session settings, which change the text of values in its session (not a DateStyle
            // other than ISO: pgjdbc closes the connection then)
            int settings = r.nextInt(4);
            for (int i = 0; i < settings; i++) {
                writes.add(Step.write(pick(r, "set extra_float_digits = 0", "set extra_float_digits = -15", "set datestyle = 'ISO, DMY'",
                        "set lc_monetary = 'C'", "set xmloption = content", "set intervalstyle = 'sql_standard'", "set intervalstyle = 'iso_8601'",
                        "set bytea_output = 'escape'", "set timezone = 'Pacific/Chatham'", "set timezone = 'America/St_Johns'",
                        "set session_replication_role = replica", "set standard_conforming_strings = off")));
            }
            JournalFuzz.addWrites(r, writes, () -> write(r, pick(r, tables)));
            return new Scenario(seed, ddl, JournalFuzz.interleave(r, writes, true));
        }

        private static String keyPredicate(Random r, Table t) {
            if (t.key().isEmpty()) {
                List<Col> w = t.writable();
                Col c = pick(r, w);
                String v = c.value().apply(r);
                return v.equals("null") ? c.name() + " is null" : c.name() + " = " + v + (r.nextBoolean() ? "" : " or true");
            }
            StringBuilder b = new StringBuilder();
            for (Col k : t.key()) {
                b.append(b.length() == 0 ? "" : " and ").append(k.name()).append(" = ").append(k.value().apply(r));
            }
            return b.toString();
        }

        private static String row(Random r, Table t, List<Col> cols) {
            List<String> v = new ArrayList<>();
            for (Col c : cols) {
                v.add(c.value().apply(r));
            }
            return "(" + String.join(", ", v) + ")";
        }

        static String write(Random r, Table t) {
            List<Col> cols = new ArrayList<>();
            boolean explicitKey = !t.generatedKey() || r.nextInt(4) == 0;
            if (explicitKey) {
                cols.addAll(t.key());
            }
            cols.addAll(t.writable());
            String names = cols.stream().map(Col::name).reduce((a, b) -> a + ", " + b).orElse("");
            String overriding = explicitKey && t.generatedKey() ? " overriding system value" : "";
            int op = r.nextInt(14);
            switch (op) {
                case 0, 1, 2 -> {
                    int rows = 1 + (r.nextInt(3) == 0 ? r.nextInt(4) : 0);
                    List<String> vs = new ArrayList<>();
                    for (int i = 0; i < rows; i++) {
                        vs.add(row(r, t, cols));
                    }
                    return "insert into " + t.name() + " (" + names + ")" + overriding + " values " + String.join(", ", vs);
                }
                case 3 -> {
                    if (t.key().isEmpty() || !explicitKey) {
                        return "insert into " + t.name() + " (" + names + ")" + overriding + " values " + row(r, t, cols);
                    }
                    String keys = t.key().stream().map(Col::name).reduce((a, b) -> a + ", " + b).orElseThrow();
                    Col c = pick(r, t.writable());
                    return "insert into " + t.name() + " (" + names + ")" + overriding + " values " + row(r, t, cols)
                            + " on conflict (" + keys + ") do " + (r.nextInt(4) == 0 ? "nothing"
                            : "update set " + c.name() + " = excluded." + c.name());
                }
                case 4, 5, 6 -> {
                    Col c = pick(r, t.writable());
                    return "update " + t.name() + " set " + c.name() + " = " + c.value().apply(r) + " where " + keyPredicate(r, t);
                }
                case 7 -> {
                    if (t.key().isEmpty() || t.generatedKey() && !t.key().get(0).type().equals("int")) {
                        Col c = pick(r, t.writable());
                        return "update " + t.name() + " set " + c.name() + " = " + c.value().apply(r);
                    }
                    Col k = t.key().get(0);
                    return "update " + t.name() + " set " + k.name() + " = " + pick(r, k.name() + " + 1", "-" + k.name(),
                            k.value().apply(r), k.name() + " + 10") + " where " + pick(r, "true", k.name() + " > 2", keyPredicate(r, t));
                }
                case 8, 9 -> {
                    return "delete from " + t.name() + " where " + keyPredicate(r, t);
                }
                case 10 -> {
                    Col c = pick(r, t.writable());
                    return "delete from " + t.name() + " where " + c.name() + " is " + pick(r, "", "not ") + "null";
                }
                case 11 -> {
                    if (t.key().isEmpty()) {
                        return "with d as (delete from " + t.name() + " where " + keyPredicate(r, t) + " returning *) insert into "
                                + t.name() + " (" + names + ") select " + names + " from d";
                    }
                    Col c = pick(r, t.writable());
                    return "with u as (update " + t.name() + " set " + c.name() + " = " + c.value().apply(r) + " where "
                            + keyPredicate(r, t) + " returning *) delete from " + t.name() + " where " + keyPredicate(r, t);
                }
                case 12 -> {
                    if (t.generatedKey() && t.key().get(0).type().equals("int")) {
                        return pick(r, "select setval(pg_get_serial_sequence('" + t.name() + "', 'id'), " + pick(r, "1", "50", "3") + ", "
                                + pick(r, "true", "false") + ")", "select nextval(pg_get_serial_sequence('" + t.name() + "', 'id'))",
                                "insert into " + t.name() + " default values");
                    }
                    return "insert into " + t.name() + " default values";
                }
                default -> {
                    return r.nextInt(3) == 0 ? "truncate " + t.name() + pick(r, "", " restart identity") + " cascade"
                            : "insert into " + t.name() + " (" + names + ")" + overriding + " select " + String.join(", ",
                            cols.stream().map(c -> "x." + c.name()).toList()) + " from " + t.name() + " x limit 2";
                }
            }
        }
    }

}
