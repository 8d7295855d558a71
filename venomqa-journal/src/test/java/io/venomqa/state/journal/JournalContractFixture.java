package io.venomqa.state.journal;

import io.venomqa.state.StateManager;
import io.venomqa.testkit.ContractFixture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The test kit's fixture for {@code checkpoint_strategy: journal} on one {@link JournalDb}: a
 * {@code kv} table written by auto-commit connections other than the manager's. Only the DDL, the
 * upsert and the ordering differ between databases.
 */
final class JournalContractFixture implements ContractFixture {

    private final JournalDb db;
    private final String upsert;
    private final String selectAll;
    /** The application's connection, or null for a connection per call (SQLite: one writer at a time). */
    private final Connection shared;
    /** Inserts a row into a table with a generated key (see {@link #withIdentity}), or null. */
    private String identityInsert;

    /**
     * @param ddl       creates {@code kv (k, v)}
     * @param upsert    inserts {@code (?, ?)} into kv, or updates v when k is present
     * @param selectAll {@code select k, v from kv} in key order (binary collation where needed)
     * @param perCall   open a connection for each put/remove/read instead of holding one
     */
    JournalContractFixture(JournalDb db, String ddl, String upsert, String selectAll, boolean perCall) {
        this.db = db;
        this.upsert = upsert;
        this.selectAll = selectAll;
        try {
            db.exec(ddl);
            shared = perCall ? null : db.connect();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Adds a table with a generated key for {@link #insertWithGeneratedKey()}.
     *
     * @param ddl    creates the table (in the manager's reset set)
     * @param insert inserts one row, letting the database choose the key
     */
    JournalContractFixture withIdentity(String ddl, String insert) {
        try {
            db.exec(ddl);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        identityInsert = insert;
        return this;
    }

    @Override
    public java.util.OptionalLong insertWithGeneratedKey() {
        if (identityInsert == null) {
            return java.util.OptionalLong.empty();
        }
        return java.util.OptionalLong.of(onApp(app -> {
            try (PreparedStatement ps = app.prepareStatement(identityInsert, java.sql.Statement.RETURN_GENERATED_KEYS)) {
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        }));
    }

    @Override
    public StateManager stateManager() {
        return db.manager();
    }

    @Override
    public void put(String key, String value) {
        onApp(app -> {
            try (PreparedStatement ps = app.prepareStatement(upsert)) {
                ps.setString(1, key);
                ps.setString(2, value);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void remove(String key) {
        onApp(app -> {
            try (PreparedStatement ps = app.prepareStatement("delete from kv where k = ?")) {
                ps.setString(1, key);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Map<String, String> read() {
        return onApp(app -> {
            Map<String, String> m = new LinkedHashMap<>();
            try (PreparedStatement ps = app.prepareStatement(selectAll); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    m.put(rs.getString(1), rs.getString(2));
                }
            }
            return m;
        });
    }

    @Override
    public void close() {
        try {
            if (shared != null) {
                shared.close();
            }
            db.close();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private interface Work<T> {
        T run(Connection app) throws SQLException;
    }

    private <T> T onApp(Work<T> work) {
        try {
            if (shared != null) {
                return work.run(shared);
            }
            try (Connection app = db.connect()) {
                return work.run(app);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
