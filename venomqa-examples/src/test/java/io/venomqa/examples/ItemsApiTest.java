package io.venomqa.examples;

// tag::items-api[]
import com.sun.net.httpserver.HttpServer;
import io.venomqa.http.Client;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Path;
import io.venomqa.junit.JourneyTests;
import io.venomqa.junit.VenomQAExtension;
import io.venomqa.junit.VenomQATest;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import javax.sql.DataSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

@VenomQATest
class ItemsApiTest {

    static HttpServer app;

    // venomqa.yaml names the database; the app's port is only known once it runs.
    @RegisterExtension
    static VenomQAExtension venomqa = VenomQAExtension.builder()
            .config("items-api.yaml")
            .baseUrl(() -> "http://127.0.0.1:" + app.getAddress().getPort())
            .build();

    /** The app writes through VenomQA's DataSource: inside its transaction, so every rollback undoes it. */
    @BeforeAll
    static void startApp(JdbcStateManager db) throws IOException {
        app = ItemsApp.start(db.sharedDataSource());
    }

    @AfterAll
    static void stopApp() {
        app.stop(0);
    }

    /** One test per path; each path starts from the checkpoint's rows. */
    @TestFactory
    DynamicContainer items(JourneyRunner runner) {
        Journey journey = Journey.builder("items")
                .step("add_pen", (client, ctx) -> client.post("/items?name=pen"))
                .checkpoint("one_item")
                .branch("one_item",
                        Path.builder("add_another")
                                .step("add_ink", (client, ctx) -> client.post("/items?name=ink"),
                                        s -> s.checkSql("select count(*) from items", ctx -> java.util.List.of(), "2"))
                                .build(),
                        Path.builder("remove_it")
                                .step("remove_pen", (client, ctx) -> client.delete("/items?name=pen"),
                                        s -> s.expectDb(db -> db.deleted("items", 1)))
                                .build())
                .build();
        return JourneyTests.of(runner, journey);
    }

    /** Whatever ran before, every test method starts from the rows the database had. */
    @Test
    void startsEmpty(Client client) {
        assertThat(client.get("/items/count").body()).isEqualTo("0");
        assertThat(client.post("/items?name=cup").statusCode()).isEqualTo(201);
        assertThat(client.get("/items/count").body()).isEqualTo("1");
    }

    /** Your application; here two endpoints on the JDK's HTTP server, writing through a DataSource. */
    static final class ItemsApp {
        static HttpServer start(DataSource db) throws IOException {
            // Without it the JDK's server answers each call after TCP's delayed ACK, about 40 ms late.
            System.setProperty("sun.net.httpserver.nodelay", "true");
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/items", exchange -> { // POST or DELETE /items?name=…
                boolean add = exchange.getRequestMethod().equals("POST");
                String sql = add ? "insert into items (name) values (?)" : "delete from items where name = ?";
                int status;
                try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, exchange.getRequestURI().getQuery().replace("name=", ""));
                    status = ps.executeUpdate() == 0 ? 404 : add ? 201 : 204;
                } catch (SQLException e) {
                    status = 500;
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.createContext("/items/count", exchange -> {
                byte[] body;
                try (Connection c = db.getConnection(); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("select count(*) from items")) {
                    rs.next();
                    body = rs.getString(1).getBytes(StandardCharsets.UTF_8);
                } catch (SQLException e) {
                    body = e.getMessage().getBytes(StandardCharsets.UTF_8);
                }
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        }
    }
}
// end::items-api[]
