package io.venomqa.reliability;

import io.venomqa.state.jdbc.JdbcStateManager;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An items API running in this JVM and writing through the state manager's
 * {@link JdbcStateManager#sharedDataSource()} (the savepoint strategy's way of covering an
 * in-process application): {@code POST /items} with a name as body, {@code GET /count}, and {@code GET /garbage} (200 with a body that is not JSON).
 */
final class ItemsApp implements AutoCloseable {

    final Api api;

    ItemsApp(JdbcStateManager manager) throws IOException {
        api = new Api()
                .route("POST /items", r -> {
                    try (Connection c = manager.sharedDataSource().getConnection();
                         PreparedStatement ps = c.prepareStatement("insert into items (name) values (?)")) {
                        ps.setString(1, r.body());
                        ps.executeUpdate();
                        return new Api.Reply(201, "{}");
                    } catch (SQLException e) {
                        return new Api.Reply(500, "{\"error\":\"database\"}");
                    }
                })
                .route("GET /garbage", r -> new Api.Reply(200, "<html>upstream proxy error</html"))
                .route("GET /count", r -> {
                    try (Connection c = manager.sharedDataSource().getConnection(); Statement st = c.createStatement();
                         ResultSet rs = st.executeQuery("select count(*) from items")) {
                        rs.next();
                        return new Api.Reply(200, "{\"count\":" + rs.getLong(1) + "}");
                    }
                });
    }

    String baseUrl() {
        return api.baseUrl();
    }

    @Override
    public void close() {
        api.close();
    }
}
