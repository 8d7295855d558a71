package io.venomqa.state.journal;

import io.venomqa.state.StateManager;
import io.venomqa.state.journal.JournalFuzz.Kind;
import io.venomqa.state.journal.JournalFuzz.Scenario;
import io.venomqa.state.journal.JournalFuzz.Step;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static io.venomqa.state.journal.JournalFuzz.pick;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JournalFuzz} on SQLite: random schemas (rowid aliases with and without {@code AUTOINCREMENT},
 * composite and text keys with and without {@code WITHOUT ROWID}, keyless tables, typed and untyped columns
 * mixing storage classes, generated columns, unique constraints and partial or expression unique indexes,
 * foreign keys with actions, application triggers) and random workloads ({@code REPLACE}, {@code OR IGNORE},
 * upserts, key changes) from the application's own JDBC connection, foreign keys on. The dump is every value's
 * storage class and exact bytes, the rowid of rowid tables and {@code sqlite_sequence}. A few seeds in the
 * default suite; {@code -Dvenomqa.fuzz.seeds=500} (and {@code -Dvenomqa.fuzz.first=N}) runs many.
 */
class SqliteJournalFuzzTest {

    @Test
    @DisplayName("random schemas and writes: every rollback, tree restore and disconnect() that reports success gives back the exact dump")
    void randomWorkloadsAreUndoneExactly() throws Exception {
        String findings = JournalFuzz.fuzz(new Lite(), JournalFuzz.seeds(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        assertThat(findings).as("silent wrong rollbacks").isNull();
    }

    @Test
    @DisplayName("the oracle sees a wrong rollback: a row a REPLACE deletes through a unique index on an expression (a known limit, "
            + "docs/journal.md) is reported with the step and the missing row")
    void oracleSeesAKnownSilentLimit() throws Exception {
        Scenario known = new Scenario(0, List.of("create table t (id integer primary key, s text)",
                "create unique index t_ls on t (lower(s))", "insert into t values (1, 'x')"),
                List.of(Step.call(Kind.CHECKPOINT, "c0"), Step.write("replace into t values (2, 'X')"), Step.call(Kind.ROLLBACK, "c0")));
        JournalFuzz.Outcome o = JournalFuzz.run(new Lite(), known);
        assertThat(o.found()).as("if this limit was fixed, make the oracle's self-check use another silent change").isTrue();
        assertThat(o.mismatch()).contains("manager.rollback(\"c0\") reported success").contains("expected, missing: t rowid=1");
    }

    record Table(String name, List<String> key, boolean rowidKey, List<String> cols) {
    }

    static final class Lite implements JournalFuzz.Backend {

        @Override
        public boolean failedStatementAbortsTransaction() {
            return false;
        }

        @Override
        public JournalFuzz.Target fresh() {
            SqliteDb db = new SqliteDb();
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
                    return Lite.dump(db);
                }

                @Override
                public void close() throws Exception {
                    db.close();
                }
            };
        }

        /** Every table's rows (rowid first for rowid tables), each value as storage class and exact bytes; then sqlite_sequence. */
        static List<String> dump(SqliteDb db) throws SQLException {
            List<String> out = new ArrayList<>();
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                List<String> tables = new ArrayList<>();
                List<Boolean> rowid = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("select name, wr from pragma_table_list where schema = 'main' and type = 'table' "
                        + "and name not like 'sqlite\\_%' escape '\\' and lower(name) not like 'venomqa%' order by name")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                        rowid.add(rs.getInt(2) == 0);
                    }
                }
                for (int i = 0; i < tables.size(); i++) {
                    String t = tables.get(i);
                    List<String> values = new ArrayList<>();
                    List<String> names = new ArrayList<>();
                    try (ResultSet rs = st.executeQuery("select name from pragma_table_xinfo('" + t + "')")) {
                        while (rs.next()) {
                            values.add(exact("\"" + rs.getString(1) + "\""));
                            names.add(rs.getString(1).toLowerCase(Locale.ROOT));
                        }
                    }
                    if (rowid.get(i)) {
                        String name = java.util.stream.Stream.of("rowid", "_rowid_", "oid").filter(n -> !names.contains(n))
                                .findFirst().orElseThrow();
                        values.add(0, "'rowid=' || " + name);
                    }
                    try (ResultSet rs = st.executeQuery("select " + String.join(" || ' | ' || ", values) + " from \"" + t
                            + "\" order by 1")) {
                        while (rs.next()) {
                            out.add(t + " " + rs.getString(1));
                        }
                    }
                }
                try (ResultSet rs = st.executeQuery("select count(*) from sqlite_master where name = 'sqlite_sequence'")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        try (ResultSet q = st.executeQuery("select name || ' ' || typeof(seq) || ':' || seq from sqlite_sequence "
                                + "where lower(name) not like 'venomqa%' order by name")) {
                            while (q.next()) {
                                out.add("sequence " + q.getString(1));
                            }
                        }
                    }
                }
            }
            return out;
        }

        private static String exact(String v) {
            return "typeof(" + v + ") || ':' || case typeof(" + v + ") when 'text' then hex(" + v + ") "
                    + "when 'real' then case when " + v + " = 0 and atan2(" + v + ", -1) < 0 then '-0.0' else quote(" + v
                    + ") end else quote(" + v + ") end";
        }

        static String value(Random r) {
            return pick(r, "0", "-1", "1", "7", "9223372036854775807", "-9223372036854775808", "1.5", "-0.0", "1e308", "9e999",
                    "-9e999", "4.9e-324", "0.1", "'text'", "'Ünïcødé ✓ 𝄞 日本'", "''", "' 12 '", "'12'", "'12.0'", "'0x10'",
                    "'1e3'", "x'00ff'", "x''", "null", "null", "'a' || char(0) || 'b'", "replace(hex(zeroblob(50001)), '00', 'xy')",
                    "zeroblob(100001)", "cast(x'c3' as text)", "'X'", "'x'", "'it''s'", "char(10, 9, 13)");
        }

        static String keyValue(Random r, String key) {
            return key.equals("kb") || key.equals("tk") ? pick(r, "'x'", "'X'", "'y'", "'ä'", "'Ä'", "'x '", "2")
                    : pick(r, "1", "2", "3", "4", "5", "6", "7", "8", "'3'", "-1");
        }

        @Override
        public Scenario generate(long seed) {
            Random r = JournalFuzz.random(seed);
            List<String> ddl = new ArrayList<>();
            List<Table> tables = new ArrayList<>();
            int n = 1 + r.nextInt(4);
            for (int t = 0; t < n; t++) {
                String name = "t" + t;
                List<String> defs = new ArrayList<>();
                List<String> key = new ArrayList<>();
                boolean rowidKey = false;
                String tail = "";
                String keyDef = null;
                switch (r.nextInt(8)) {
                    case 7 -> {
                        // not an alias of the rowid: an ordinary column with a unique index
                        defs.add("id integer primary key desc");
                        key.add("id");
                    }
                    case 0 -> {
                        defs.add("id integer primary key");
                        key.add("id");
                        rowidKey = true;
                    }
                    case 1 -> {
                        defs.add("id integer primary key autoincrement");
                        key.add("id");
                        rowidKey = true;
                    }
                    case 2, 3 -> {
                        defs.add("ka integer not null");
                        defs.add("kb text not null");
                        key.add("ka");
                        key.add("kb");
                        keyDef = "primary key (ka, kb)";
                        tail = r.nextBoolean() ? " without rowid" : "";
                    }
                    case 4 -> {
                        defs.add("tk text primary key" + pick(r, "", " collate nocase") + (r.nextBoolean() ? " not null" : ""));
                        key.add("tk");
                        tail = r.nextBoolean() && defs.get(0).contains("not null") ? " without rowid" : "";
                    }
                    default -> {
                        // no key
                    }
                }
                List<String> cols = new ArrayList<>();
                List<String> menu = new ArrayList<>(List.of("i integer", "r real", "s text", "bl blob", "nm numeric", "u",
                        "nc text collate nocase", "dv text default 'dflt'"));
                java.util.Collections.shuffle(menu, r);
                int m = 1 + r.nextInt(4);
                for (int c = 0; c < m; c++) {
                    defs.add(menu.get(c));
                    cols.add(menu.get(c).split(" ")[0]);
                }
                if (t > 0 && r.nextBoolean()) {
                    Table parent = tables.get(r.nextInt(t));
                    if (parent.key().size() == 1) {
                        defs.add("p references " + parent.name() + " (" + parent.key().get(0) + ") on delete "
                                + pick(r, "cascade", "set null", "no action", "cascade") + " on update "
                                + pick(r, "cascade", "no action", "set null", "cascade"));
                        cols.add("p:" + parent.key().get(0));
                    }
                }
                if (cols.contains("i") && r.nextInt(3) == 0) {
                    defs.add("g generated always as (i * 2) " + pick(r, "stored", "virtual"));
                }
                if (cols.contains("nc") && r.nextInt(2) == 0) {
                    defs.add("unique (nc)");
                }
                if (keyDef != null) {
                    defs.add(keyDef);
                }
                ddl.add("create table " + name + " (" + String.join(", ", defs) + ")" + tail);
                // No unique index on an expression: a row a REPLACE deletes through one is not journaled, a known
                // limit that connect() warns about (docs/journal.md, SQLite limits; SqliteJournalReplaceTest.expressionIndexWarned).
                boolean expressionIndex = Boolean.getBoolean("venomqa.fuzz.sqliteExpressionIndexes");
                if (expressionIndex && cols.contains("s") && r.nextInt(4) == 0) {
                    ddl.add("create unique index " + name + "_ls on " + name + " (lower(s))");
                }
                if (cols.contains("s") && cols.contains("i") && r.nextInt(4) == 0) {
                    ddl.add("create unique index " + name + "_ps on " + name + " (s) where i > 0");
                }
                tables.add(new Table(name, key, rowidKey, cols));
            }
            if (r.nextInt(3) == 0) {
                ddl.add("create table audit (id integer primary key autoincrement, tab text, op text, r)");
                Table t = pick(r, tables);
                String c = t.cols().get(0).split(":")[0];
                ddl.add("create trigger app_audit_i after insert on " + t.name() + " begin insert into audit (tab, op, r) values ('"
                        + t.name() + "', 'I', new." + c + "); end");
                ddl.add("create trigger app_audit_d after delete on " + t.name() + " begin insert into audit (tab, op, r) values ('"
                        + t.name() + "', 'D', old." + c + "); end");
                ddl.add("create trigger app_audit_u after update on " + t.name() + " begin insert into audit (tab, op, r) values ('"
                        + t.name() + "', 'U', old." + c + "); end");
            }
            for (Table t : tables) {
                if (r.nextInt(6) == 0) {
                    String c = t.cols().get(0).split(":")[0];
                    ddl.add("create trigger app_skip_" + t.name() + " before insert on " + t.name() + " when new." + c
                            + " = 7 begin select raise(ignore); end");
                }
                if (r.nextInt(5) == 0 && t.cols().contains("s") && t.rowidKey()) {
                    ddl.add("create trigger app_stamp_" + t.name() + " after update of " + t.cols().get(0).split(":")[0] + " on " + t.name()
                            + " begin update " + t.name() + " set s = substr(coalesce(s, '') || '~', 1, 100) where id = new.id; end");
                }
            }
            List<Step> writes = new ArrayList<>();
            int settings = r.nextInt(3);
            for (int i = 0; i < settings; i++) {
                writes.add(Step.write(pick(r, "pragma recursive_triggers = on", "pragma foreign_keys = off", "pragma defer_foreign_keys = on",
                        "pragma reverse_unordered_selects = on")));
            }
            JournalFuzz.addWrites(r, writes, () -> write(r, pick(r, tables)));
            return new Scenario(seed, ddl, JournalFuzz.interleave(r, writes, true));
        }

        private static String val(Random r, String col) {
            if (col.startsWith("p:")) {
                return r.nextInt(4) == 0 ? "null" : keyValue(r, col.substring(2));
            }
            return value(r);
        }

        private static String keyPredicate(Random r, Table t) {
            if (t.key().isEmpty()) {
                String c = pick(r, t.cols()).split(":")[0];
                String v = value(r);
                return v.equals("null") ? c + " is null" : c + " = " + v + (r.nextBoolean() ? "" : " or rowid % 2 = 0");
            }
            StringBuilder b = new StringBuilder();
            for (String k : t.key()) {
                b.append(b.length() == 0 ? "" : " and ").append(k).append(" = ").append(keyValue(r, k));
            }
            return b.toString();
        }

        static String write(Random r, Table t) {
            List<String> cols = new ArrayList<>();
            boolean explicitKey = !t.rowidKey() || r.nextInt(3) > 0;
            if (explicitKey) {
                cols.addAll(t.key());
            }
            cols.addAll(t.cols());
            String names = String.join(", ", cols.stream().map(c -> c.split(":")[0]).toList());
            List<String> vals = new ArrayList<>();
            int rows = 1 + (r.nextInt(3) == 0 ? r.nextInt(4) : 0);
            for (int i = 0; i < rows; i++) {
                List<String> v = new ArrayList<>();
                for (String c : cols) {
                    v.add(t.key().contains(c) ? keyValue(r, c) : val(r, c));
                }
                vals.add("(" + String.join(", ", v) + ")");
            }
            String c = pick(r, t.cols()).split(":")[0];
            String cv = c.equals("p") ? val(r, pick(r, t.cols().stream().filter(x -> x.startsWith("p:")).toList())) : value(r);
            switch (r.nextInt(15)) {
                case 0, 1 -> {
                    return "insert into " + t.name() + " (" + names + ") values " + String.join(", ", vals);
                }
                case 2 -> {
                    return pick(r, "insert or replace", "replace", "insert or ignore") + " into " + t.name() + " (" + names
                            + ") values " + String.join(", ", vals);
                }
                case 3 -> {
                    if (t.key().isEmpty() || !explicitKey) {
                        return "insert into " + t.name() + " (" + names + ") values " + vals.get(0);
                    }
                    return "insert into " + t.name() + " (" + names + ") values " + vals.get(0) + " on conflict (" + String.join(", ",
                            t.key()) + ") do " + (r.nextInt(4) == 0 ? "nothing" : "update set " + c + " = excluded." + c);
                }
                case 4, 5, 6 -> {
                    return "update " + pick(r, "", "", "or replace ", "or ignore ") + t.name() + " set " + c + " = " + cv
                            + " where " + keyPredicate(r, t);
                }
                case 7 -> {
                    if (t.key().isEmpty()) {
                        return "update " + t.name() + " set " + c + " = " + cv;
                    }
                    String k = t.key().get(0);
                    return "update " + pick(r, "", "or replace ", "or ignore ") + t.name() + " set " + k + " = "
                            + pick(r, k + " + 1", "-" + k, keyValue(r, k), k + " || ''", "upper(" + k + ")") + " where "
                            + pick(r, "1", k + " > 2", keyPredicate(r, t));
                }
                case 8, 9 -> {
                    return "delete from " + t.name() + " where " + keyPredicate(r, t);
                }
                case 10 -> {
                    return "delete from " + t.name() + " where " + c + " is " + pick(r, "", "not ") + "null";
                }
                case 11 -> {
                    return pick(r, "insert", "insert or replace", "insert or ignore") + " into " + t.name() + " (" + names
                            + ") select " + names + " from " + t.name() + " limit 2";
                }
                case 12 -> {
                    if (t.rowidKey() || t.key().isEmpty() && !t.name().isEmpty()) {
                        return r.nextBoolean() ? "update " + pick(r, "", "or replace ", "or ignore ") + t.name() + " set rowid = "
                                + pick(r, "rowid + 1", "rowid + 100", "-rowid", "9223372036854775807") + " where " + keyPredicate(r, t)
                                : "insert " + pick(r, "", "or replace ") + "into " + t.name() + " (rowid, " + names + ") values ("
                                + pick(r, "1", "2", "100", "-5") + ", " + vals.get(0).substring(1);
                    }
                    return "delete from " + t.name() + " where " + keyPredicate(r, t) + " returning *";
                }
                default -> {
                    return pick(r, "delete from " + t.name(), "insert into " + t.name() + " default values",
                            "update sqlite_sequence set seq = seq + 100 where name = '" + t.name() + "'",
                            "delete from sqlite_sequence where name = '" + t.name() + "'");
                }
            }
        }
    }
}
