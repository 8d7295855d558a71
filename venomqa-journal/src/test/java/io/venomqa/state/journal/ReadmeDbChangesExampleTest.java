package io.venomqa.state.journal;

import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Client;
import io.venomqa.journey.Journey;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.runner.StepResult;
import io.venomqa.state.DbChanges;
import io.venomqa.state.postgres.PostgreSQLStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's "What did each step write?" example, run on PostgreSQL (savepoint strategy, the step
 * writing through the manager's shared DataSource as an application in the same JVM would). The
 * text between the {@code tag::} and {@code end::} markers must appear verbatim in README.md.
 */
class ReadmeDbChangesExampleTest {

    private final PgDb db = new PgDb();

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void theReadmeExampleReadsWhatTheStepWrote() throws Exception {
        db.exec("create table orders (id int primary key, status text)",
                "create table carts (id int primary key, state text)",
                "create table cart_items (id int primary key, cart_id int)",
                "insert into carts values (1, 'open')", "insert into cart_items values (1, 1), (2, 1)");
        PostgreSQLStateManager m = new PostgreSQLStateManager(db.config()
                .option("checkpoint_strategy", "savepoint").option("track_changes", true).build());
        Journey checkout = Journey.builder("checkout").step("pay", (client, context) -> {
            try (Connection c = m.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("insert into orders values (1, 'PAID')");
                st.execute("update carts set state = 'ordered' where id = 1");
                st.execute("delete from cart_items where cart_id = 1");
            }
            return "paid";
        }).build();
        ExecutionContext ctx = new ExecutionContext();
        JourneyResult result = JourneyRunner.builder(new Client("http://127.0.0.1:9")).stateManager(m).build().run(checkout, ctx);
        assertThat(result.passed()).as(String.valueOf(result.failures())).isTrue();

        // tag::db-changes[]
        DbChanges written = StepResult.of(ctx, "pay").dbChanges();   // or result.step("pay").dbChanges()
        written.summary();                 // "-2 cart_items  ~1 carts  +1 orders" (tables by name)
        written.inserted("orders");        // 1
        written.table("carts").orElseThrow().updated().get(0).before();  // column -> value, as text
        // end::db-changes[]

        assertThat(written.summary()).isEqualTo("-2 cart_items  ~1 carts  +1 orders");
        assertThat(written.inserted("orders")).isEqualTo(1);
        assertThat(written.table("carts").orElseThrow().updated().get(0).before()).containsEntry("state", "open");
        assertThat(result.step("pay").dbChanges()).isEqualTo(written);
    }

    @Test
    void readmeShowsTheExampleVerbatim() throws Exception {
        String source = Files.readString(Path.of("src/test/java/io/venomqa/state/journal/ReadmeDbChangesExampleTest.java"));
        Matcher tagged = Pattern.compile("// tag::db-changes\\[]\\n(.*?)\\n\\s*// end::db-changes\\[]", Pattern.DOTALL).matcher(source);
        assertThat(tagged.find()).isTrue();
        assertThat(Files.readString(Path.of("..", "README.md"))).contains(tagged.group(1).stripIndent().strip());
    }
}
