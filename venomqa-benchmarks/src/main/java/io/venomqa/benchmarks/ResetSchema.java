package io.venomqa.benchmarks;

import io.venomqa.state.jdbc.JdbcStateManager;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.StringJoiner;

/**
 * The schema of rows 2 and 3: {@value #TABLES} tables {@code t00 … t49} with an auto-numbered key,
 * each but the first referencing its parent {@code t((i-1)/2)} (a binary tree of foreign keys, so a
 * cascade from one table reaches many), plus what both sides of the comparison do.
 */
final class ResetSchema {

    static final int TABLES = 50;
    static final int ROWS = 100;

    private ResetSchema() {
    }

    static String table(int i) {
        return String.format("t%02d", i);
    }

    static void create(Db db) throws SQLException {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            for (int i = 0; i < TABLES; i++) {
                String fk = i == 0 ? "" : ", parent_id integer not null references " + table((i - 1) / 2) + " (id)";
                st.execute("create table " + table(i) + " (" + db.idColumn() + ", name varchar(50) not null" + fk + ")");
            }
        }
    }

    /** {@value #ROWS} rows in every table, each child row pointing at one parent row. */
    static void fill(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            StringJoiner values = new StringJoiner(", ", "insert into " + table(0) + " (name) values ", "");
            for (int r = 0; r < ROWS; r++) {
                values.add("('r" + r + "')");
            }
            st.execute(values.toString());
            for (int i = 1; i < TABLES; i++) {
                st.execute("insert into " + table(i) + " (name, parent_id) select name, id from " + table((i - 1) / 2));
            }
            c.commit();
        }
    }

    /**
     * What a user writes without VenomQA: one statement per table in one transaction. PostgreSQL:
     * {@code TRUNCATE t CASCADE} in table order; MariaDB and SQLite: {@code DELETE FROM t}, children
     * first (the reverse of the tree's numbering).
     */
    static void loop(Db db, Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            if (db.backend.equals(Db.PG)) {
                for (int i = 0; i < TABLES; i++) {
                    st.execute("truncate " + table(i) + " cascade");
                }
            } else {
                for (int i = TABLES - 1; i >= 0; i--) {
                    st.executeUpdate("delete from " + table(i));
                }
            }
        }
        c.commit();
    }

    static JdbcStateManager connectedManager(Db db) {
        JdbcStateManager m = db.manager(db.config().build());
        m.connect();
        return m;
    }
}
