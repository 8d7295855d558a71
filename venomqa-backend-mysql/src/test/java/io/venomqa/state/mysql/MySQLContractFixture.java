package io.venomqa.state.mysql;

import io.venomqa.testkit.ContractFixture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The test kit's key/value data as a two-column InnoDB table {@code kv} in the test class's
 * database. While the manager is connected, reads and writes go through its shared DataSource,
 * the way an in-process application would (each write committed by the "application", which the
 * manager maps to its savepoints); while it is disconnected, through a separate autocommit
 * connection, so they are really committed.
 */
final class MySQLContractFixture implements ContractFixture {

    private final MySQLTestDatabase db;
    private final MySQLStateManager manager;

    MySQLContractFixture(MySQLTestDatabase db) {
        this.db = db;
        db.execute("DROP TABLE IF EXISTS kv",
                "CREATE TABLE kv (k VARCHAR(200) PRIMARY KEY, v TEXT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
        this.manager = new MySQLStateManager(db.config().build());
    }

    @Override
    public MySQLStateManager stateManager() {
        return manager;
    }

    @Override
    public void put(String key, String value) {
        write("INSERT INTO kv (k, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = VALUES(v)", key, value);
    }

    @Override
    public void remove(String key) {
        write("DELETE FROM kv WHERE k = ?", key);
    }

    @Override
    public Map<String, String> read() {
        try (Connection c = connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT k, v FROM kv ORDER BY k")) {
            Map<String, String> out = new LinkedHashMap<>();
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private void write(String sql, String... args) {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setString(i + 1, args[i]);
                }
                ps.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private Connection connection() throws SQLException {
        return manager.isConnected() ? manager.sharedDataSource().getConnection() : db.openConnection();
    }

    @Override
    public void close() {
        db.execute("DROP TABLE IF EXISTS kv");
    }
}
