package io.venomqa.cli.support;

import io.venomqa.journey.Journey;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A journey whose "application" writes through a connection of its own, not the manager's shared
 * DataSource: what an API in another process does. With the savepoint strategy no rollback undoes
 * that row, which {@code venomqa run} must report.
 */
public final class OwnConnectionJourneys {

    /** The database the step writes to on its own connection; set by the test before the run. */
    public static volatile PgDatabase database;

    public static final Journey SIGN_UP = Journey.builder("sign up elsewhere")
            .step("sign up", (client, ctx) -> {
                try (Connection c = database.connect(); Statement st = c.createStatement()) {
                    st.execute("insert into " + database.schema + ".users (email) values ('c@example.com')");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                return client.get("/ping");
            })
            .build();

    private OwnConnectionJourneys() {
    }
}
