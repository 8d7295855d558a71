package io.venomqa.cli.support;

import io.venomqa.journey.Journey;
import io.venomqa.testsupport.DumpedDatabase;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The journey that gets interrupted: it writes (insert, update, delete, through "the application's"
 * own auto-commit connection, or the manager's shared DataSource when {@link #shared} is set), takes
 * a checkpoint, writes again, prints {@code READY} and waits to be stopped. Used by
 * {@code InterruptedRunTest} in a child JVM; the application connection is
 * {@link DumpedDatabase#applicationConnection()}.
 */
public final class InterruptedJourneys {

    /** The savepoint strategy's shared DataSource, when the child runs the application in-process. */
    public static volatile DataSource shared;

    private InterruptedJourneys() {
    }

    public static Journey interrupted() {
        return Journey.builder("interrupted")
                .step("write", (client, ctx) -> sql(
                        "insert into users(email) values ('written@example.com')",
                        "update users set email = 'changed@example.com' where id = 1",
                        "delete from orders where id = 2"))
                .checkpoint("written")
                .step("write_more", (client, ctx) -> sql("insert into orders(user_id) values (3)"))
                .step("wait", (client, ctx) -> {
                    System.out.println("READY");
                    System.out.flush();
                    Thread.sleep(120_000);
                    return "not reached: the test stops this JVM";
                })
                .build();
    }

    private static String sql(String... statements) throws SQLException {
        try (Connection c = connection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
            if (shared != null) {
                c.commit(); // the application's commit: inside the manager's transaction, as the savepoint strategy says
            }
        }
        return "ok";
    }

    private static Connection connection() throws SQLException {
        return shared != null ? shared.getConnection() : DumpedDatabase.applicationConnection();
    }
}
