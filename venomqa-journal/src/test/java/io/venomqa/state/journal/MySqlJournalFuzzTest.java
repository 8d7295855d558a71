package io.venomqa.state.journal;

import io.venomqa.core.VenomQAException;
import io.venomqa.state.CheckpointTree;
import io.venomqa.state.mysql.MySQLStateManager;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * A seeded, randomized differential test of the journal on MariaDB: per seed, a random schema from
 * a menu of what applications have (auto-increment, composite and missing keys, case-insensitive
 * unique keys, large and emoji text, DECIMAL, FLOAT/DOUBLE extremes, BIT, dates, JSON, binary,
 * ENUM/SET, generated columns, defaults, foreign keys with actions, an audit trigger into another
 * tracked table, a BEFORE trigger rewriting NEW, a SEQUENCE), then a random workload written from
 * another JDBC connection (auto-commit, and transactions committed or rolled back) between random
 * checkpoints, rollbacks, tree restores and disconnect/connect cycles.
 *
 * <p>Oracle: an exact dump of every application table, taken at each checkpoint and at
 * {@code connect()}, compared after each rollback, restore and {@code disconnect()}. Exact means:
 * every value but floats as {@code HEX(CAST(col AS BINARY))} (the stored bytes of strings in their
 * own character set, so {@code 'a'}/{@code 'A'} and trailing spaces differ; the full text of
 * DECIMAL and temporal values, fractional digits included; the label of ENUM/SET; the bytes of
 * BIT); FLOAT and DOUBLE read through the binary protocol ({@code useServerPrepStmts}), which sends
 * the IEEE bytes, compared as their raw bits ({@code -0.0} differs from {@code 0.0}); rows sorted
 * in Java, so duplicates count; plus each table's {@code AUTO_INCREMENT} from {@code SHOW CREATE
 * TABLE} (read from the engine, not the cached statistics); a {@code NOCACHE} sequence's
 * {@code next_not_cached_value}, and for any sequence the value {@code NEXTVAL} hands out right
 * after each checkpoint and after each return to it (an application's use, which the journal undoes
 * like any write; a cached sequence's row holds the end of the server's block, not the next value).
 * A mismatch after VenomQA reported success fails the test; a VenomQA exception (a loud refusal)
 * ends the seed and is printed, not failed.
 *
 * <p>By default three seeds run; {@code -Dvenomqa.fuzz.seeds=500} runs seeds 1..500 (from
 * {@code -Dvenomqa.fuzz.first=N} on, when given), {@code -Dvenomqa.fuzz.seed=N} runs seed N alone,
 * {@code -Dvenomqa.fuzz.log=FILE} appends progress to a file as it happens, and
 * {@code -Dvenomqa.fuzz.reduceRefusals=true} reduces refusals too. On a mismatch the failing step
 * list is reduced (steps, then statements of transactions, removed while it still fails; at most
 * {@code venomqa.fuzz.reduceMillis}, 5 minutes by default) and printed with the seed and schema.
 */
class MySqlJournalFuzzTest {

    private static final int DEFAULT_SEEDS = 3;

    @TestFactory
    Stream<DynamicTest> seeds() {
        String one = System.getProperty("venomqa.fuzz.seed");
        LongStream seeds = one != null ? LongStream.of(Long.parseLong(one))
                : LongStream.rangeClosed(Long.getLong("venomqa.fuzz.first", 1),
                        Long.getLong("venomqa.fuzz.first", 1) - 1 + Long.getLong("venomqa.fuzz.seeds", DEFAULT_SEEDS));
        return seeds.mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> runSeed(seed)));
    }

    /** Where a long run's progress goes as it happens (surefire keeps a test's output until it ends): property {@code venomqa.fuzz.log}. */
    private static void log(String line) {
        System.out.println("[fuzz] " + line);
        String file = System.getProperty("venomqa.fuzz.log");
        if (file != null) {
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of(file), "[fuzz] " + line + "\n", java.nio.charset.StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    static void runSeed(long seed) throws Exception {
        Scenario sc = Scenario.generate(seed);
        Outcome out = sc.run(sc.steps);
        log("seed " + seed + ": " + sc.tables.size() + " tables, " + out.stats);
        if (out.refusal != null) {
            log("seed " + seed + ": refused loudly at step " + out.step + ": " + out.refusal);
            if (Boolean.getBoolean("venomqa.fuzz.reduceRefusals")) {
                String head = refusalHead(out.refusal);
                List<Step> minimal = reduce(sc, sc.steps, o -> o.refusal != null && refusalHead(o.refusal).equals(head));
                log("seed " + seed + ": refusal reduced to\n" + String.join(";\n", sc.ddl) + ";\n-- connect()\n"
                        + minimal.stream().map(Step::toString).collect(java.util.stream.Collectors.joining("\n"))
                        + "\n-- " + sc.run(minimal).refusal);
            }
        }
        if (out.mismatch == null) {
            return;
        }
        log("seed " + seed + ": MISMATCH " + out.mismatch + "; reducing");
        List<Step> minimal = reduce(sc, sc.steps, o -> o.mismatch != null);
        Outcome again = sc.run(minimal);
        StringBuilder b = new StringBuilder("seed " + seed + ": " + out.mismatch + "\n-- schema:\n");
        for (String s : sc.ddl) {
            b.append(s).append(";\n");
        }
        b.append("-- connect()\n");
        for (Step s : minimal) {
            b.append(s).append('\n');
        }
        b.append("-- minimal sequence: ").append(again.mismatch);
        log(b.toString());
        throw new AssertionError(b.toString());
    }

    /** A refusal's message without the database's name and the figures, to tell the same refusal again. */
    private static String refusalHead(String refusal) {
        String r = refusal.replaceAll("vqj_[0-9a-f]+", "db").replaceAll("[0-9]+", "N");
        return r.substring(0, Math.min(140, r.length()));
    }

    /** Removes chunks of steps, then single steps and statements, while the run still mismatches. */
    private static List<Step> reduce(Scenario sc, List<Step> steps, java.util.function.Predicate<Outcome> still) throws Exception {
        long deadline = System.currentTimeMillis() + Long.getLong("venomqa.fuzz.reduceMillis", 300_000L);
        List<Step> cur = new ArrayList<>(steps);
        for (int chunk = Math.max(1, cur.size() / 2); chunk >= 1; chunk /= 2) {
            for (int i = cur.size() - chunk; i >= 0 && System.currentTimeMillis() < deadline; i -= chunk) {
                List<Step> tryIt = new ArrayList<>(cur.subList(0, i));
                tryIt.addAll(cur.subList(Math.min(cur.size(), i + chunk), cur.size()));
                if (still.test(sc.run(tryIt))) {
                    cur = tryIt;
                }
            }
        }
        for (int i = cur.size() - 1; i >= 0 && System.currentTimeMillis() < deadline; i--) {
            Step s = cur.get(i);
            if (s.sql.size() > 1) {
                for (int j = s.sql.size() - 1; j >= 0; j--) {
                    List<String> fewer = new ArrayList<>(cur.get(i).sql);
                    fewer.remove(j);
                    List<Step> tryIt = new ArrayList<>(cur);
                    tryIt.set(i, new Step(s.kind, s.name, fewer, s.commit));
                    if (still.test(sc.run(tryIt))) {
                        cur = tryIt;
                    }
                }
            }
        }
        return cur;
    }

    enum Kind { SQL, CHECKPOINT, ROLLBACK, RESTORE, RECONNECT }

    /** One step of a run: application SQL (auto-commit when one statement and commit null), or a manager call. */
    record Step(Kind kind, String name, List<String> sql, Boolean commit) {
        @Override
        public String toString() {
            return switch (kind) {
                case SQL -> commit == null ? String.join(";\n", sql) + ";"
                        : "begin;\n" + String.join(";\n", sql) + ";\n" + (commit ? "commit;" : "rollback;");
                case CHECKPOINT -> "-- checkpoint " + name;
                case ROLLBACK -> "-- rollback " + name;
                case RESTORE -> "-- tree restore " + name;
                case RECONNECT -> "-- disconnect(), compare with connect(), connect()";
            };
        }
    }

    record Outcome(String mismatch, String refusal, int step, String stats) {
        Outcome(String mismatch, String refusal, int step) {
            this(mismatch, refusal, step, "");
        }
    }

    // ---- schema ---------------------------------------------------------------------------

    enum Col {
        VC_CI("varchar(20) collate utf8mb4_general_ci"), VC_BIN("varchar(20) collate utf8mb4_bin"),
        VC_UCI("varchar(20) collate utf8mb4_unicode_ci"), CHR("char(5) collate utf8mb4_general_ci"),
        TXT("text"), LTXT("longtext"), DEC("decimal(12,4)"), FLT("float"), DBL("double"), BOOL("tinyint(1)"),
        BITS("bit(10)"), DT("date"), DTM("datetime(6)"), TS("timestamp(6) null default null"), TM("time(3)"),
        JSN("json"), BLB("blob"), VBIN("varbinary(16)"), ENM("enum('x','y','Z')"), SETC("set('a','b','c')"),
        INT_DEF("int not null default 7"), STAMP("datetime(6) default current_timestamp(6) on update current_timestamp(6)"),
        UBIG("bigint unsigned"), YR("year"), BIN4("binary(4)"), PT("point"), GEO("geometry"), DEC65("decimal(65,30)"),
        UID("uuid"), IP6("inet6"), MINT("mediumint unsigned"), TTXT("tinytext collate utf8mb4_bin"), BIT64("bit(64)");

        final String type;

        Col(String type) {
            this.type = type;
        }
    }

    enum Key { AUTO_INT, AUTO_BIGINT, PLAIN_INT, COMPOSITE, NONE }

    static final class Table {
        final String name;
        final Key key;
        final Map<String, Col> cols = new LinkedHashMap<>();
        String uniqueCol;
        String fkCol;
        Table parent;
        String generated;
        String seqDefault;
        String selfFk;
        String lowerOf;

        Table(String name, Key key) {
            this.name = name;
            this.key = key;
        }

        boolean singleIntKey() {
            return key == Key.AUTO_INT || key == Key.AUTO_BIGINT || key == Key.PLAIN_INT;
        }

        String keyType() {
            return key == Key.AUTO_BIGINT ? "bigint" : "int";
        }
    }

    static final class Scenario {
        final long seed;
        final List<Table> tables = new ArrayList<>();
        final List<String> ddl = new ArrayList<>();
        final List<Step> steps = new ArrayList<>();
        boolean sequence;

        Scenario(long seed) {
            this.seed = seed;
        }

        static Scenario generate(long seed) {
            Scenario sc = new Scenario(seed);
            Random r = new Random(seed);
            sc.schema(r);
            sc.workload(r);
            return sc;
        }

        private void schema(Random r) {
            sequence = r.nextInt(4) == 0;
            if (sequence) {
                ddl.add("create sequence s start with 100 increment by 3 " + (r.nextBoolean() ? "nocache" : "cache 5"));
            }
            int n = 2 + r.nextInt(3);
            for (int i = 0; i < n; i++) {
                Key key = Key.values()[r.nextInt(Key.values().length)];
                Table t = new Table("t" + i, key);
                t.cols.put("n", Col.INT_DEF);
                int k = 2 + r.nextInt(4);
                for (int c = 0; c < k; c++) {
                    Col col = Col.values()[r.nextInt(Col.values().length)];
                    if (col == Col.INT_DEF) {
                        continue;
                    }
                    t.cols.put("c" + c, col);
                }
                for (Map.Entry<String, Col> e : t.cols.entrySet()) {
                    if ((e.getValue() == Col.VC_CI || e.getValue() == Col.VC_BIN || e.getValue() == Col.VC_UCI || e.getValue() == Col.VBIN)
                            && r.nextInt(2) == 0) {
                        t.uniqueCol = e.getKey();
                        break;
                    }
                }
                List<Table> parents = new ArrayList<>();
                for (Table p : tables) {
                    if (p.singleIntKey()) {
                        parents.add(p);
                    }
                }
                if (!parents.isEmpty() && r.nextInt(3) > 0) {
                    t.parent = parents.get(r.nextInt(parents.size()));
                    t.fkCol = "p";
                }
                if (r.nextInt(3) == 0) {
                    t.generated = r.nextBoolean() ? "virtual" : "stored";
                }
                for (Map.Entry<String, Col> e : t.cols.entrySet()) {
                    if (e.getValue() == Col.VC_BIN && r.nextInt(2) == 0 && !e.getKey().equals(t.uniqueCol)) {
                        t.lowerOf = e.getKey();
                    }
                }
                if (t.singleIntKey() && r.nextInt(4) == 0) {
                    t.selfFk = r.nextBoolean() ? "cascade" : "set null";
                }
                if (sequence && r.nextInt(2) == 0) {
                    t.seqDefault = "sq";
                }
                tables.add(t);
                ddl.add(createTable(t, r));
            }
            if (sequence && tables.stream().noneMatch(t -> t.seqDefault != null)) {
                // No column takes from it: stepping by 3 it would be an application's id pool, which rollbacks leave
                // ahead (PooledSequences) and the dump would tell apart; the same draws, so each seed stays as it was.
                ddl.replaceAll(d -> d.startsWith("create sequence s ") ? d.replace("increment by 3", "increment by 1") : d);
            }
            if (r.nextInt(3) == 0) {
                Table audit = new Table("aud", Key.AUTO_INT);
                audit.cols.put("n", Col.INT_DEF);
                audit.cols.put("what", Col.VC_BIN);
                ddl.add("create table aud (id int auto_increment primary key, n int not null default 7, what varchar(20) collate utf8mb4_bin)");
                Table on = tables.get(r.nextInt(tables.size()));
                for (String ev : new String[] {"insert", "update", "delete"}) {
                    if (r.nextBoolean()) {
                        String row = ev.equals("delete") ? "old" : "new";
                        ddl.add("create trigger aud_" + ev + " after " + ev + " on " + on.name + " for each row insert into aud (what) values (concat('"
                                + ev + " ', coalesce(" + row + ".n, '-')))");
                    }
                }
                tables.add(audit);
            }
            if (r.nextInt(3) == 0) {
                Table on = tables.get(r.nextInt(tables.size()));
                ddl.add("create trigger bump before " + (r.nextBoolean() ? "insert" : "update") + " on " + on.name
                        + " for each row set new.n = new.n + 1000");
            }
            for (Table t : tables) {
                if (t.name.equals("aud")) {
                    continue;
                }
                int rows = r.nextInt(6);
                for (int i = 0; i < rows; i++) {
                    ddl.add(insert(t, r, "insert ignore", 1));
                }
            }
        }

        private String createTable(Table t, Random r) {
            StringBuilder b = new StringBuilder("create table " + t.name + " (");
            List<String> parts = new ArrayList<>();
            switch (t.key) {
                case AUTO_INT -> parts.add("id int auto_increment primary key");
                case AUTO_BIGINT -> parts.add("id bigint auto_increment primary key");
                case PLAIN_INT -> parts.add("id int primary key");
                case COMPOSITE -> {
                    parts.add("a int not null");
                    parts.add("b varchar(8) collate utf8mb4_general_ci not null");
                }
                case NONE -> { }
            }
            for (Map.Entry<String, Col> e : t.cols.entrySet()) {
                String type = e.getValue().type;
                if (e.getValue() == Col.JSN) {
                    type = "json check (json_valid(" + e.getKey() + "))";
                }
                parts.add(e.getKey() + " " + type);
            }
            if (t.fkCol != null) {
                parts.add("p " + t.parent.keyType() + " null");
            }
            if (t.selfFk != null) {
                parts.add("sp " + t.keyType() + " null");
            }
            if (t.lowerOf != null) {
                parts.add("gl varchar(20) as (lower(" + t.lowerOf + ")) " + (r.nextBoolean() ? "virtual" : "stored"));
                parts.add("unique key (gl)");
            }
            if (t.generated != null) {
                parts.add("g bigint as (n * 2 + 1) " + t.generated);
            }
            if (t.seqDefault != null) {
                parts.add("sq bigint default (next value for s)");
            }
            if (t.key == Key.COMPOSITE) {
                parts.add("primary key (a, b)");
            }
            if (t.uniqueCol != null) {
                parts.add("unique key (" + t.uniqueCol + ")");
            }
            if (t.fkCol != null) {
                String[] del = {"cascade", "set null", "restrict"};
                String[] upd = {"cascade", "set null", "restrict"};
                parts.add("foreign key (p) references " + t.parent.name + " (id) on delete " + del[r.nextInt(3)]
                        + " on update " + upd[r.nextInt(3)]);
            }
            if (t.selfFk != null) {
                parts.add("foreign key (sp) references " + t.name + " (id) on delete " + t.selfFk + " on update cascade");
            }
            b.append(String.join(", ", parts)).append(") engine=InnoDB");
            return b.toString();
        }

        // ---- values ------------------------------------------------------------------------

        private static final String[] STRINGS = {"'a'", "'A'", "'a '", "'b'", "'é'", "'E'", "'😀'", "'😁'", "'x😀y'", "''", "'Ab'",
                "'ab'", "'ß'", "'ss'", "'it''s'", "'back\\\\slash'", "null"};

        static String value(Col c, Random r) {
            if (c != Col.INT_DEF && r.nextInt(10) == 0) {
                return "null";
            }
            return switch (c) {
                case VC_CI, VC_BIN, VC_UCI, CHR -> STRINGS[r.nextInt(STRINGS.length)];
                case TXT -> r.nextInt(5) == 0 ? "repeat('é😀', 10000)" : STRINGS[r.nextInt(STRINGS.length)];
                // 100-250 kB: the shared test server was killed for memory (20 GB) during a run that copied rows of
                // megabyte values with unlimited INSERT … SELECT; the cause was not pinned down, so values stay smaller
                case LTXT -> r.nextInt(4) == 0 ? "repeat(" + pick(r, "'x😀y'", "'é😀'", "'back\\\\slash'", "'it''s'") + ", " + (20_000 + r.nextInt(20_000)) + ")"
                        : STRINGS[r.nextInt(STRINGS.length)];
                case DEC -> pick(r, "0", "-0.0001", "12345678.1234", "99999999.9999", "-99999999.9999", "1.5", "-1.50");
                case FLT -> pick(r, "0", "-0e0", "0.1", "16777217", "3.4028234e38", "-1.17549435e-38", "12345.67", "1e-45", "-7.5");
                case DBL -> pick(r, "0", "-0e0", "0.1", "1.7976931348623157e308", "-2.2250738585072014e-308", "4.9e-324",
                        "9007199254740993", "0.30000000000000004", "-1e-300", "123456789.123456789");
                case BOOL -> pick(r, "0", "1", "true", "5", "-1");
                case BITS -> pick(r, "b'0'", "b'1111111111'", "b'1000000001'", "5", "0");
                case DT -> pick(r, "'2020-02-29'", "'1000-01-01'", "'9999-12-31'", "'2024-06-01'");
                case DTM -> pick(r, "'2020-01-01 12:34:56.123456'", "'1000-01-01 00:00:00'", "'9999-12-31 23:59:59.999999'",
                        "'2024-06-01 00:00:00.000001'");
                case TS -> pick(r, "'2020-01-01 12:34:56.123456'", "'1970-01-02 00:00:00'", "'2038-01-01 00:00:00.999999'");
                case TM -> pick(r, "'-838:59:59'", "'838:59:59'", "'12:00:00.5'", "'00:00:00.001'");
                case JSN -> pick(r, "'{\"a\": 1}'", "'[1, 2.50, \"😀\"]'", "'null'", "'\"x\"'", "'{\"b\":{\"c\":[true,false,null]}}'");
                case BLB -> pick(r, "x''", "x'00'", "x'00ff00ff'", "x'5c27'", "unhex(sha2('k', 256))", "repeat(x'00ff', 30000)",
                        "x'e28098'");
                case VBIN -> pick(r, "x'61'", "x'6100'", "x'41'", "x'ff'", "x''", "x'0000'");
                case ENM -> pick(r, "'x'", "'y'", "'Z'", "'z'", "2");
                case SETC -> pick(r, "'a'", "'a,c'", "'c,a'", "''", "'b,c'", "7");
                case INT_DEF -> String.valueOf(r.nextInt(5));
                case STAMP -> pick(r, "'2020-01-01 00:00:00'", "default");
                case UBIG -> pick(r, "18446744073709551615", "9223372036854775808", "0", "1");
                case YR -> pick(r, "1901", "2155", "0", "'0000'", "69", "70");
                case BIN4 -> pick(r, "x'00'", "x'61000000'", "'ab'", "x''", "x'ffffffff'");
                case PT -> pick(r, "point(0, 0)", "point(-1.5, 1e300)", "ST_GeomFromText('POINT(0.1 0.2)')", "point(-0e0, 5e-324)");
                case GEO -> pick(r, "point(1, 2)", "ST_GeomFromText('LINESTRING(0 0, 1 1, 2 0.5)')",
                        "ST_GeomFromText('POLYGON((0 0, 1 0, 1 1, 0 0))')", "ST_GeomFromText('POINT(1 2)', 4326)",
                        "ST_GeomFromText('GEOMETRYCOLLECTION EMPTY')");
                case DEC65 -> pick(r, "'99999999999999999999999999999999999.999999999999999999999999999999'", "0.000000000000000000000000000001",
                        "-1", "'-0.0'");
                case UID -> pick(r, "'00000000-0000-0000-0000-000000000000'", "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'",
                        "'ffffffff-ffff-ffff-ffff-ffffffffffff'");
                case IP6 -> pick(r, "'::'", "'::ffff:1.2.3.4'", "'2001:db8::1'", "'1.2.3.4'");
                case MINT -> pick(r, "16777215", "0", "5");
                case TTXT -> pick(r, "''", "'a '", "'a'", "'😀'", "repeat('x', 255)", "'\\0'");
                case BIT64 -> pick(r, "b'1'", "18446744073709551615", "x'8000000000000000'", "0");
            };
        }

        static String pick(Random r, String... options) {
            return options[r.nextInt(options.length)];
        }

        /** The key columns an insert names: none for an auto-increment key left to the server. */
        private static List<String> keyColumns(Table t, Random r) {
            return switch (t.key) {
                case AUTO_INT, AUTO_BIGINT -> r.nextInt(3) > 0 ? List.of("id") : List.of();
                case PLAIN_INT -> List.of("id");
                case COMPOSITE -> List.of("a", "b");
                case NONE -> List.of();
            };
        }

        private static String keyValue(String col, Random r) {
            return switch (col) {
                case "id" -> r.nextInt(6) == 0 ? "null" : String.valueOf(1 + r.nextInt(12));
                case "a" -> String.valueOf(1 + r.nextInt(3));
                default -> pick(r, "'k'", "'K'", "'k '", "'é'", "'e'", "'😀'", "'😁'");
            };
        }

        String insert(Table t, Random r, String verb, int rows) {
            List<String> cols = new ArrayList<>(keyColumns(t, r));
            int keys = cols.size();
            for (String c : t.cols.keySet()) {
                if (r.nextInt(5) > 0) {
                    cols.add(c);
                }
            }
            if (t.fkCol != null && r.nextInt(4) > 0) {
                cols.add("p");
            }
            if (t.selfFk != null && r.nextInt(2) > 0) {
                cols.add("sp");
            }
            List<String> rowsSql = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                List<String> v = new ArrayList<>();
                for (int j = 0; j < cols.size(); j++) {
                    String c = cols.get(j);
                    v.add(j < keys ? keyValue(c, r) : c.equals("p") || c.equals("sp") ? (r.nextInt(5) == 0 ? "null" : String.valueOf(1 + r.nextInt(12)))
                            : value(t.cols.get(c), r));
                }
                rowsSql.add("(" + String.join(", ", v) + ")");
            }
            return verb + " into " + t.name + " (" + String.join(", ", cols) + ") values " + String.join(", ", rowsSql);
        }

        private String pred(Table t, Random r) {
            int k = 1 + r.nextInt(12);
            return switch (r.nextInt(6)) {
                case 0, 1 -> t.singleIntKey() ? "id = " + k : t.key == Key.COMPOSITE ? "a = " + (1 + r.nextInt(3)) : "n = " + r.nextInt(5);
                case 2 -> t.singleIntKey() ? "id between " + k + " and " + (k + 3) : "n between " + r.nextInt(3) + " and " + (2 + r.nextInt(4));
                case 3 -> "n % 2 = " + r.nextInt(2);
                case 4 -> t.fkCol != null ? "p = " + k : "n = " + r.nextInt(1005);
                default -> r.nextInt(4) == 0 ? "1 = 1" : "n > " + r.nextInt(1003);
            };
        }

        private String assignment(Table t, Random r) {
            List<String> cs = new ArrayList<>(t.cols.keySet());
            String c = cs.get(r.nextInt(cs.size()));
            int w = r.nextInt(10);
            if (w == 0 && t.singleIntKey()) {
                return "id = id + " + (1 + r.nextInt(3));
            }
            if (w == 1 && t.key == Key.COMPOSITE) {
                return r.nextBoolean() ? "b = upper(b)" : "a = a + 1";
            }
            if (w == 2 && t.fkCol != null) {
                return "p = " + (r.nextInt(5) == 0 ? "null" : String.valueOf(1 + r.nextInt(12)));
            }
            if (w == 3) {
                return t.selfFk != null && r.nextBoolean() ? "sp = " + (1 + r.nextInt(12)) : "n = n + 1";
            }
            if (w == 4 && t.uniqueCol != null) {
                return t.uniqueCol + " = " + value(t.cols.get(t.uniqueCol), r);
            }
            return c + " = " + value(t.cols.get(c), r);
        }

        String statement(Table t, Random r) {
            return switch (r.nextInt(16)) {
                case 0, 1 -> insert(t, r, "insert", 1 + (r.nextInt(3) == 0 ? r.nextInt(4) : 0));
                case 2 -> insert(t, r, "insert", 1 + r.nextInt(3)) + " on duplicate key update " + assignment(t, r).replace("id = id +", "n = n +");
                case 3 -> insert(t, r, "replace", 1 + r.nextInt(2));
                case 4 -> insert(t, r, "insert ignore", 1 + r.nextInt(3));
                case 5, 6, 7 -> "update " + t.name + " set " + assignment(t, r) + (r.nextInt(3) == 0 ? ", " + assignment(t, r) : "")
                        + " where " + pred(t, r) + orderLimit(t, r);
                case 8 -> "update ignore " + t.name + " set " + assignment(t, r) + " where " + pred(t, r) + orderLimit(t, r);
                case 9, 10 -> "delete from " + t.name + " where " + pred(t, r) + orderLimit(t, r);
                case 11 -> "delete ignore from " + t.name + " where " + pred(t, r);
                case 12 -> t.singleIntKey() ? "update " + t.name + " set id = id + 1 order by id desc"
                        : "update " + t.name + " set n = n + 1 where " + pred(t, r);
                case 13 -> insertSelect(t, r);
                case 14 -> multiTable(t, r);
                default -> sequence && r.nextBoolean() ? "select nextval(s)" : "update " + t.name + " set n = n + 2 where " + pred(t, r);
            };
        }

        private String insertSelect(Table t, Random r) {
            if (t.key == Key.PLAIN_INT || t.key == Key.COMPOSITE) {
                return "insert ignore into " + t.name + " (" + (t.key == Key.PLAIN_INT ? "id" : "a, b") + ", n) select "
                        + (t.key == Key.PLAIN_INT ? "id + 5" : "a + 1, b") + ", n + 1 from " + t.name + " where " + pred(t, r) + " limit 2";
            }
            List<String> cs = new ArrayList<>(t.cols.keySet());
            return (r.nextBoolean() ? "insert" : "insert ignore") + " into " + t.name + " (" + String.join(", ", cs) + ") select "
                    + String.join(", ", cs) + " from " + t.name + " where " + pred(t, r) + " limit 2";
            // limited: repeated unlimited copies of rows holding 100 kB values doubled a table until the shared server ran out of memory
        }

        private String multiTable(Table t, Random r) {
            if (t.parent == null) {
                return "update " + t.name + " set n = n + 1 where " + pred(t, r);
            }
            Table p = t.parent;
            return switch (r.nextInt(3)) {
                case 0 -> "delete c from " + t.name + " c join " + p.name + " q on c.p = q.id where q.n % 2 = " + r.nextInt(2);
                case 1 -> "update " + t.name + " c join " + p.name + " q on c.p = q.id set c.n = q.n + 1, q.n = q.n + 3 where q.id < "
                        + (2 + r.nextInt(10));
                default -> "delete c, q from " + t.name + " c join " + p.name + " q on c.p = q.id where q.id = " + (1 + r.nextInt(12));
            };
        }

        private static String orderLimit(Table t, Random r) {
            if (r.nextInt(4) != 0) {
                return "";
            }
            String order = t.singleIntKey() ? " order by id desc" : t.key == Key.COMPOSITE ? " order by a, b" : "";
            return order + " limit " + (1 + r.nextInt(2));
        }

        private void workload(Random r) {
            List<Table> writable = new ArrayList<>();
            for (Table t : tables) {
                if (!t.name.equals("aud")) {
                    writable.add(t);
                }
            }
            int cps = 0;
            List<String> held = new ArrayList<>();
            int n = 25 + r.nextInt(30);
            for (int i = 0; i < n; i++) {
                int w = r.nextInt(20);
                if (w < 3 || held.isEmpty() && w < 8) {
                    String name = "c" + (++cps);
                    steps.add(new Step(Kind.CHECKPOINT, name, List.of(), null));
                    held.add(name);
                } else if (w < 5 && !held.isEmpty()) {
                    String name = held.get(r.nextInt(held.size()));
                    steps.add(new Step(Kind.ROLLBACK, name, List.of(), null));
                    held = new ArrayList<>(held.subList(0, held.indexOf(name) + 1));
                } else if (w < 7 && !held.isEmpty()) {
                    steps.add(new Step(Kind.RESTORE, held.get(r.nextInt(held.size())), List.of(), null));
                } else if (w == 7 && r.nextInt(3) == 0) {
                    steps.add(new Step(Kind.RECONNECT, null, List.of(), null));
                    held.clear();
                } else if (w < 11) {
                    List<String> sql = new ArrayList<>();
                    int k = 1 + r.nextInt(4);
                    int savepoint = r.nextInt(4) == 0 ? r.nextInt(k) : -1;
                    for (int j = 0; j < k; j++) {
                        if (j == savepoint) {
                            sql.add("savepoint sp1");
                        }
                        sql.add(statement(writable.get(r.nextInt(writable.size())), r));
                    }
                    if (savepoint >= 0) {
                        sql.add("rollback to savepoint sp1");
                    }
                    steps.add(new Step(Kind.SQL, null, sql, r.nextInt(3) > 0));
                } else if (w == 11 && r.nextInt(3) == 0) {
                    steps.add(new Step(Kind.SQL, null, List.of("set time_zone = " + pick(r, "'+05:30'", "'-08:00'", "'SYSTEM'")), null));
                } else {
                    steps.add(new Step(Kind.SQL, null, List.of(statement(writable.get(r.nextInt(writable.size())), r)), null));
                }
            }
        }

        // ---- running ------------------------------------------------------------------------

        Outcome run(List<Step> run) throws Exception {
            MyDb db = new MyDb();
            try {
                try (Connection c = db.connect(); Statement st = c.createStatement()) {
                    for (String s : ddl) {
                        if (s.startsWith("insert")) {
                            try {
                                st.execute(s);
                            } catch (SQLException ignored) {
                                // a generated seed row may break a key or a foreign key: it is skipped, as in the workload
                            }
                        } else {
                            st.execute(s);
                        }
                    }
                }
                MySQLStateManager m = db.trackedManager();
                Map<String, List<String>> expected = new HashMap<>();
                List<String> held = new ArrayList<>();
                List<String> atConnect = dump(db);
                int at = 0;
                int ok = 0;
                int failed = 0;
                int compared = 0;
                try {
                    m.connect();
                    CheckpointTree tree = m.checkpointTree().orElseThrow();
                    try (Connection app = db.connect(); Statement st = app.createStatement()) {
                        Map<String, String> nextValue = new HashMap<>();
                        String nextAtConnect = probeSequence(st);
                        for (Step s : run) {
                            at++;
                            switch (s.kind) {
                                case SQL -> {
                                    app.setAutoCommit(s.commit == null);
                                    for (String q : s.sql) {
                                        try {
                                            st.execute(q);
                                            ok++;
                                        } catch (SQLException e) {
                                            failed++;
                                            // the application's statement failed (a key, a foreign key, a value): the server undid it
                                        }
                                    }
                                    if (s.commit != null) {
                                        if (s.commit) {
                                            app.commit();
                                        } else {
                                            app.rollback();
                                        }
                                        app.setAutoCommit(true);
                                    }
                                }
                                case CHECKPOINT -> {
                                    expected.put(s.name, dump(db));
                                    m.checkpoint(s.name);
                                    held.add(s.name);
                                    nextValue.put(s.name, probeSequence(st));
                                }
                                case ROLLBACK -> {
                                    if (!held.contains(s.name)) {
                                        continue;
                                    }
                                    m.rollback(s.name);
                                    held = new ArrayList<>(held.subList(0, held.indexOf(s.name) + 1));
                                    compared++;
                                    String diff = diff(expected.get(s.name), dump(db), nextValue.get(s.name), probeSequence(st));
                                    if (diff != null) {
                                        return new Outcome("after rollback(" + s.name + ") at step " + at + ": " + diff, null, at);
                                    }
                                }
                                case RESTORE -> {
                                    if (!held.contains(s.name)) {
                                        continue;
                                    }
                                    tree.restore(s.name);
                                    compared++;
                                    String diff = diff(expected.get(s.name), dump(db), nextValue.get(s.name), probeSequence(st));
                                    if (diff != null) {
                                        return new Outcome("after restore(" + s.name + ") at step " + at + ": " + diff, null, at);
                                    }
                                }
                                case RECONNECT -> {
                                    m.disconnect();
                                    held.clear();
                                    String diff = diff(atConnect, dump(db), nextAtConnect, probeSequence(st));
                                    if (diff != null) {
                                        return new Outcome("after disconnect() at step " + at + ": " + diff, null, at);
                                    }
                                    atConnect = dump(db);
                                    m.connect();
                                    nextAtConnect = probeSequence(st);
                                }
                            }
                        }
                        m.disconnect();
                        String diff = diff(atConnect, dump(db), nextAtConnect, probeSequence(st));
                        if (diff != null) {
                            return new Outcome("after the final disconnect(): " + diff, null, at);
                        }
                    }
                    return new Outcome(null, null, at, ok + " statements ran, " + failed + " failed, " + compared
                            + " rollbacks/restores compared");
                } catch (VenomQAException loud) {
                    return new Outcome(null, loud.getClass().getSimpleName() + ": " + loud.getMessage(), at,
                            ok + " statements ran, " + failed + " failed, " + compared + " compared before the refusal");
                }
            } finally {
                db.close();
            }
        }
    }

    /**
     * The next value of sequence {@code s}, taken (an application's use of it, which the journal
     * undoes like any other): equal each time the state is the same, cached or not; null without one.
     */
    static String probeSequence(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("select count(*) from information_schema.tables where table_schema = database() "
                + "and table_name = 's' and table_type = 'SEQUENCE'")) {
            rs.next();
            if (rs.getInt(1) == 0) {
                return null;
            }
        }
        try (ResultSet rs = st.executeQuery("select nextval(s)")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static String diff(List<String> expected, List<String> actual, String expectedNext, String actualNext) {
        String d = diff(expected, actual);
        if (d == null && !java.util.Objects.equals(expectedNext, actualNext)) {
            return "sequence s hands out " + actualNext + " next, expected " + expectedNext;
        }
        return d;
    }

    /** The first difference of two dumps, or null. */
    static String diff(List<String> expected, List<String> actual) {
        if (expected.equals(actual)) {
            return null;
        }
        List<String> missing = new ArrayList<>(expected);
        List<String> extra = new ArrayList<>(actual);
        for (String e : expected) {
            extra.remove(e);
        }
        for (String a : actual) {
            missing.remove(a);
        }
        return "expected but missing " + abbreviate(missing) + "; present but not expected " + abbreviate(extra);
    }

    private static String abbreviate(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            out.add(l.length() > 400 ? l.substring(0, 400) + "…(" + l.length() + " chars)" : l);
        }
        return out.toString();
    }

    private static final Pattern AUTO_INCREMENT = Pattern.compile("AUTO_INCREMENT=(\\d+)");

    /**
     * Every row of every application table in the exact form described on the class, sorted; then
     * each table's next AUTO_INCREMENT value and each sequence's next value.
     */
    static List<String> dump(MyDb db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(MyDb.jdbc(db.name) + "&useServerPrepStmts=true", MyDb.props());
             Statement st = c.createStatement()) {
            Map<String, List<String[]>> tables = new LinkedHashMap<>();
            List<String> sequences = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("select t.table_name, t.table_type, c.column_name, c.data_type from information_schema.tables t "
                    + "left join information_schema.columns c on c.table_schema = database() and c.table_name = t.table_name "
                    + "where t.table_schema = database() and t.table_name not like 'venomqa%' order by t.table_name, c.ordinal_position")) {
                while (rs.next()) {
                    if (rs.getString(2).equals("SEQUENCE")) {
                        if (!sequences.contains(rs.getString(1))) {
                            sequences.add(rs.getString(1));
                        }
                        continue;
                    }
                    tables.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new String[] {rs.getString(3), rs.getString(4)});
                }
            }
            for (Map.Entry<String, List<String[]>> t : tables.entrySet()) {
                List<String> exprs = new ArrayList<>();
                for (String[] col : t.getValue()) {
                    boolean fl = col[1].equals("float") || col[1].equals("double");
                    exprs.add(fl ? "`" + col[0] + "`" : "hex(cast(`" + col[0] + "` as binary))");
                }
                List<String> rows = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("select " + String.join(", ", exprs) + " from `" + t.getKey() + "`");
                     ResultSet rs = ps.executeQuery()) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder b = new StringBuilder(t.getKey());
                        for (int i = 1; i <= n; i++) {
                            int type = rs.getMetaData().getColumnType(i);
                            String v;
                            if (type == Types.REAL) {
                                float f = rs.getFloat(i);
                                v = rs.wasNull() ? "NULL" : "f" + Integer.toHexString(Float.floatToRawIntBits(f));
                            } else if (type == Types.DOUBLE || type == Types.FLOAT) {
                                double d = rs.getDouble(i);
                                v = rs.wasNull() ? "NULL" : "d" + Long.toHexString(Double.doubleToRawLongBits(d));
                            } else {
                                v = rs.getString(i);
                                v = v == null ? "NULL" : "'" + v + "'";
                            }
                            b.append(' ').append(t.getValue().get(i - 1)[0]).append('=').append(v);
                        }
                        rows.add(b.toString());
                    }
                }
                Collections.sort(rows);
                out.addAll(rows);
                try (ResultSet rs = st.executeQuery("show create table `" + t.getKey() + "`")) {
                    rs.next();
                    Matcher mt = AUTO_INCREMENT.matcher(rs.getString(2));
                    out.add("auto_increment " + t.getKey() + " " + (mt.find() ? mt.group(1) : "-"));
                }
            }
            for (String s : sequences) {
                    try (ResultSet rs = st.executeQuery("select next_not_cached_value, cache_size from `" + s + "`")) {
                    rs.next();
                    // cached: the row holds the end of the server's block, not the next value; probeSequence() reads that
                    out.add("sequence " + s + " " + (rs.getLong(2) == 0 ? rs.getString(1) : "cached"));
                }
            }
        }
        return out;
    }
}
