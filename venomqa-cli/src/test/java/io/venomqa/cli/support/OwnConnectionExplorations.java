package io.venomqa.cli.support;

import io.venomqa.explore.Exploration;
import io.venomqa.explore.Move;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An exploration whose "application" writes through a connection of its own, not the manager's shared
 * DataSource (what an API in another process does): with the savepoint strategy no rollback undoes its
 * row, which {@code venomqa explore} must report after the exploration's result.
 */
public final class OwnConnectionExplorations {

    private OwnConnectionExplorations() {
    }

    /** One move, run once: a sign-up committed on the test's own connection, then a call to the API. */
    public static Exploration.Builder signUpElsewhere() {
        return Exploration.builder().name("sign up elsewhere").maxSteps(5)
                .moves(Move.builder("sign up").maxRuns(1).expectStatus(200).action((client, ctx) -> {
                    PgDatabase db = OwnConnectionJourneys.database;
                    try (Connection c = db.connect(); Statement st = c.createStatement()) {
                        st.execute("insert into " + db.schema + ".users (email) values ('c@example.com')");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    return client.get("/ping");
                }).build());
    }
}
