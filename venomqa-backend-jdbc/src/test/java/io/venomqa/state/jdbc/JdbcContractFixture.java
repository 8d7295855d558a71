package io.venomqa.state.jdbc;

import io.venomqa.state.StateManager;
import io.venomqa.testkit.ContractFixture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The test kit's fixture for any {@link JdbcStateManager} with the savepoint strategy: the data is a
 * two-column table ({@code item_key} primary key, {@code item_value}) in the test's own schema or
 * database. While the manager is connected, writes and reads go through its
 * {@link JdbcStateManager#sharedDataSource()}, as an in-JVM application's would; while it is
 * disconnected, through a separate auto-commit connection (committed data).
 */
public final class JdbcContractFixture implements ContractFixture {

    /** Opens an auto-commit connection to the test's schema or database. */
    @FunctionalInterface
    public interface AdminConnections {
        Connection open() throws SQLException;
    }

    /** The fixture's table. */
    public static final String TABLE = "contract_items";

    private final JdbcStateManager manager;
    private final AdminConnections admin;

    /**
     * Creates the table afresh (dropping a leftover) and wraps {@code manager}, which must not be connected.
     *
     * @param textType a text type usable in a primary key, such as {@code varchar(200)}
     */
    public JdbcContractFixture(JdbcStateManager manager, AdminConnections admin, String textType) {
        this.manager = manager;
        this.admin = admin;
        try (Connection c = admin.open(); Statement st = c.createStatement()) {
            st.execute("drop table if exists " + TABLE);
            st.execute("create table " + TABLE + " (item_key " + textType + " primary key, item_value " + textType + ")");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the contract table: " + e.getMessage(), e);
        }
    }

    @Override
    public StateManager stateManager() {
        return manager;
    }

    private Connection connection() throws SQLException {
        return manager.isConnected() ? manager.sharedDataSource().getConnection() : admin.open();
    }

    @Override
    public void put(String key, String value) {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement("delete from " + TABLE + " where item_key = ?");
                 PreparedStatement ins = c.prepareStatement("insert into " + TABLE + " (item_key, item_value) values (?, ?)")) {
                del.setString(1, key);
                del.executeUpdate();
                ins.setString(1, key);
                ins.setString(2, value);
                ins.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("put(" + key + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void remove(String key) {
        try (Connection c = connection(); PreparedStatement del = c.prepareStatement("delete from " + TABLE + " where item_key = ?")) {
            del.setString(1, key);
            del.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("remove(" + key + "): " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, String> read() {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select item_key, item_value from " + TABLE)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("read(): " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void close() {
        try (Connection c = admin.open(); Statement st = c.createStatement()) {
            st.execute("drop table if exists " + TABLE);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop the contract table: " + e.getMessage(), e);
        }
    }
}
