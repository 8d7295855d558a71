package io.venomqa.state.journal;

import io.venomqa.state.StateManager;
import io.venomqa.testkit.ContractFixture;
import io.venomqa.testkit.StateManagerContract;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The test kit with {@code checkpoint_strategy: journal} on MariaDB/MySQL; the data is written by a separate auto-commit connection. */
class MySqlJournalContractTest extends StateManagerContract {

    @Override
    protected ContractFixture createFixture() {
        return new Fixture();
    }

    static final class Fixture implements ContractFixture {
        final MyDb db = new MyDb();
        final Connection app;

        Fixture() {
            try {
                db.exec("create table kv (k varchar(100) primary key, v text not null)");
                app = db.connect();
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public StateManager stateManager() {
            return db.manager();
        }

        @Override
        public void put(String key, String value) {
            try (PreparedStatement ps = app.prepareStatement(
                    "insert into kv values (?, ?) on duplicate key update v = values(v)")) {
                ps.setString(1, key);
                ps.setString(2, value);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void remove(String key) {
            try (PreparedStatement ps = app.prepareStatement("delete from kv where k = ?")) {
                ps.setString(1, key);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public Map<String, String> read() {
            Map<String, String> m = new LinkedHashMap<>();
            try (PreparedStatement ps = app.prepareStatement("select k, v from kv order by k collate utf8mb4_bin");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    m.put(rs.getString(1), rs.getString(2));
                }
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
            return m;
        }

        @Override
        public void close() {
            try {
                app.close();
                db.close();
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        }
    }
}
