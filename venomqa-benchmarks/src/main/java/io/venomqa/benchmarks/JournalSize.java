package io.venomqa.benchmarks;

import io.venomqa.state.jdbc.JdbcStateManager;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Journal bytes per changed row: the growth of the journal's storage when another connection
 * updates {@value #ROWS} rows of a small table ({@code id integer, name varchar(100)} holding
 * 10-character names, {@code qty integer}), divided by {@value #ROWS}. PostgreSQL:
 * {@code pg_total_relation_size} of {@code venomqa.journal} (table, TOAST, indexes); MariaDB:
 * {@code data_length + index_length} of {@code venomqa_journal} after {@code ANALYZE TABLE} (InnoDB
 * counts whole pages, so it is coarse); SQLite: growth of the file ({@code page_count × page_size}),
 * the updated table keeping its size.
 */
final class JournalSize {

    static final int ROWS = 10_000;

    private JournalSize() {
    }

    static String measure(String backend) {
        try (Db db = Db.create(backend)) {
            db.exec("create table items (id integer primary key, name varchar(100) not null, qty integer not null)");
            try (Connection c = db.open(); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                for (int i = 1; i <= ROWS; i++) {
                    st.addBatch("insert into items values (" + i + ", 'item " + (100000 + i) + "', 1)");
                }
                st.executeBatch();
                c.commit();
            }
            JdbcStateManager m = db.manager(db.config().option("checkpoint_strategy", "journal").build());
            m.connect();
            try (Connection app = db.open()) {
                m.checkpoint("start");
                long before = size(db, app);
                try (Statement st = app.createStatement()) {
                    st.executeUpdate("update items set qty = qty + 1");
                }
                long after = size(db, app);
                return String.format(Locale.ROOT, "%.0f bytes per updated row", (after - before) / (double) ROWS);
            } finally {
                m.disconnect();
            }
        } catch (SQLException | RuntimeException e) {
            return "failed: " + e.getMessage();
        }
    }

    private static long size(Db db, Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            switch (db.backend) {
                case Db.PG -> {
                    return one(st, "select pg_total_relation_size('venomqa.journal')");
                }
                case Db.MARIADB -> {
                    st.execute("analyze table venomqa_journal");
                    return one(st, "select data_length + index_length from information_schema.tables "
                            + "where table_schema = database() and table_name = 'venomqa_journal'");
                }
                default -> {
                    return one(st, "pragma page_count") * one(st, "pragma page_size");
                }
            }
        }
    }

    private static long one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
