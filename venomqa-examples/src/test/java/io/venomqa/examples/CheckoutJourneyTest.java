package io.venomqa.examples;

import io.venomqa.examples.shop.ShopApp;
import io.venomqa.http.Client;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checkout journey as JUnit tests: {@code @VenomQATest} connects a state manager for the class,
 * the shop writes through its shared DataSource, and {@link JourneyTests} turns the journey into a
 * tree of dynamic tests, one per path, so the IDE and Surefire's XML list every path by name. Each
 * test method is rolled back after it, the journey included.
 */
// tag::junit5-sample[]
@VenomQATest
class CheckoutJourneyTest {

    /** A fresh SQLite file with the shop's schema, committed before VenomQA connects: the state every test starts from. */
    static final Path DATABASE = freshDatabase();

    static ShopApp shop;

    // The shop's port is only known once it runs, so the base URL is given as a supplier.
    @RegisterExtension
    static VenomQAExtension venomqa = VenomQAExtension.builder()
            .dbUrl("jdbc:sqlite:" + DATABASE)
            .baseUrl(() -> shop.baseUrl())
            .build();

    @BeforeAll
    static void startShop(JdbcStateManager db) throws IOException {
        shop = ShopApp.start(db.sharedDataSource(), 0);
    }

    @AfterAll
    static void stopShop() {
        shop.close();
    }

    /** The journey factory: one container for the journey, one test per path. */
    @TestFactory
    DynamicContainer checkout(JourneyRunner runner) {
        return JourneyTests.of(runner, CheckoutJourney.build());
    }
    // end::junit5-sample[]

    /** Whatever the journey or another test did, this one starts from the empty shop. */
    @Test
    void everyTestStartsWithoutUsersOrOrders(Client client) {
        assertThat(client.get("/stats").json().get("users").asInt()).isZero();
        assertThat(client.post("/users", java.util.Map.of("email", "x@example.com", "name", "X", "password", "long enough pw"))
                .statusCode()).isEqualTo(201);
        assertThat(client.get("/stats").json().get("users").asInt()).isEqualTo(1);
    }

    private static Path freshDatabase() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "venomqa-junit5-sample"));
            Path db = Files.createTempFile(dir, "shop-", ".db").toAbsolutePath();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                ShopApp.createSchema(c);
            }
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
