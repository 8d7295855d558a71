package io.venomqa.state.journal;

import io.venomqa.state.StateManager;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The journal's undo on column types and values that a lossy path would change: each case is a table
 * of its own, seeded, then updated, deleted from and inserted into by the application's connection
 * after a checkpoint; the rollback and the disconnect must give back every table exactly, as the
 * database prints its rows (a type's own text on PostgreSQL, the values and SQLite's storage class on
 * SQLite, bytes in hex). Tables without a key are among them: their rows are found again by every
 * column, which a type without equality (PostgreSQL's {@code json}, {@code point}) or a value that
 * reads back different from its literal (MySQL's single-precision {@code float}, padded
 * {@code binary(n)}) would break.
 */
abstract class JournalColumnTypesTests {

    /** A case: its table's DDL (the table is named {@code t}, renamed per case), seed rows and the application's writes. */
    record Case(String ddl, List<String> seed, List<String> writes) {
    }

    static Case table(String ddl, String seed, String... writes) {
        return new Case(ddl, List.of(seed), List.of(writes));
    }

    /**
     * A table of {@code columns} integer columns {@code c1 … cN} besides {@code id} (a key when {@code keyed}):
     * wider than the argument limits of the functions a journal might build its images with (PostgreSQL's 100,
     * SQLite's 127 by default). Seeded with two rows; every column updated, one row deleted, one inserted.
     */
    static Case wide(int columns, boolean keyed, String tableOptions) {
        StringBuilder ddl = new StringBuilder("create table t (id int" + (keyed ? " primary key" : ""));
        StringBuilder values1 = new StringBuilder("(1");
        StringBuilder values2 = new StringBuilder("(2");
        StringBuilder set = new StringBuilder("update t set ");
        for (int i = 1; i <= columns; i++) {
            ddl.append(", c").append(i).append(" int");
            values1.append(", ").append(i);
            values2.append(", ").append(i % 7 == 0 ? "null" : String.valueOf(-i));
            set.append(i > 1 ? ", " : "").append('c').append(i).append(" = c").append(i).append(" * 10 + 1");
        }
        return new Case(ddl.append(")").append(tableOptions).toString(),
                List.of("insert into t values " + values1 + "), " + values2 + ")"),
                List.of(set + " where id = 1", "delete from t where id = 2", "insert into t values " + values2.toString()
                        .replaceFirst("\\(2", "(3") + ")"));
    }

    /** A database of the test's own, empty. */
    abstract JournalDb newDb();

    /** Statements run before the cases' tables (types, domains). */
    List<String> prelude() {
        return List.of();
    }

    /** The cases by name; each names its table {@code t}. */
    abstract Map<String, Case> cases();

    /** Every row of {@code table}, as exactly as the database can print it, in a stable order. */
    abstract List<String> rows(JournalDb db, String table) throws SQLException;

    private JournalDb db;

    @AfterEach
    void dropDatabase() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    @Test
    @DisplayName("every case's table is as it was after the rollback and after the disconnect")
    void everyTypeComesBackExactly() throws Exception {
        db = newDb();
        db.exec(prelude().toArray(String[]::new));
        Map<String, String> tables = new LinkedHashMap<>();
        int n = 0;
        for (Map.Entry<String, Case> c : cases().entrySet()) {
            String table = "t" + n++;
            tables.put(c.getKey(), table);
            db.exec(renamed(c.getValue().ddl(), table));
            for (String s : c.getValue().seed()) {
                db.exec(renamed(s, table));
            }
        }
        Map<String, List<String>> before = dump(tables);

        StateManager m = db.manager();
        m.connect();
        try {
            m.checkpoint("start");
            for (Map.Entry<String, Case> c : cases().entrySet()) {
                for (String w : c.getValue().writes()) {
                    db.exec(renamed(w, tables.get(c.getKey())));
                }
            }
            Map<String, List<String>> during = dump(tables);
            SoftAssertions soft = new SoftAssertions();
            for (String name : tables.keySet()) {
                soft.assertThat(during.get(name)).as("%s: the application's writes changed the table", name)
                        .isNotEqualTo(before.get(name));
            }
            soft.assertAll();

            m.rollback("start");
            compare("after the rollback", before, dump(tables));

            for (Map.Entry<String, Case> c : cases().entrySet()) {
                for (String w : c.getValue().writes()) {
                    db.exec(renamed(w, tables.get(c.getKey())));
                }
            }
        } finally {
            m.disconnect();
        }
        compare("after the disconnect", before, dump(tables));
    }

    private Map<String, List<String>> dump(Map<String, String> tables) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> t : tables.entrySet()) {
            out.put(t.getKey(), rows(db, t.getValue()));
        }
        return out;
    }

    private static void compare(String when, Map<String, List<String>> before, Map<String, List<String>> now) {
        SoftAssertions soft = new SoftAssertions();
        for (String name : before.keySet()) {
            soft.assertThat(now.get(name)).as("%s, %s", name, when).isEqualTo(before.get(name));
        }
        soft.assertAll();
    }

    /** The case's SQL with its table {@code t} named {@code table} (the cases write {@code t} as a whole word). */
    private static String renamed(String sql, String table) {
        return sql.replaceAll("\\bt\\b", table);
    }
}
