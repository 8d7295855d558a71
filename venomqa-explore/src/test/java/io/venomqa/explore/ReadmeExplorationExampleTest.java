package io.venomqa.explore;

import io.venomqa.http.Client;
import io.venomqa.state.memory.InMemoryStateManager;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's exploration example, compiled and run here against {@link CartApi}; the text between
 * the {@code tag::} and {@code end::} markers must appear verbatim in README.md.
 */
class ReadmeExplorationExampleTest {

    @Test
    void theReadmeExampleFindsTheCartBugWithItsOneMovePath() throws IOException {
        InMemoryStateManager state = new InMemoryStateManager();
        try (CartApi api = new CartApi(state.store())) {
            // tag::exploration[]
            ExplorationResult result = Exploration.builder()
                    .name("cart")
                    .client(new Client(api.baseUrl()))
                    .stateManager(state)                 // the store the API keeps its cart in
                    .moves(Move.builder("add_item").action((client, ctx) -> client.post("/cart/items"))
                                    .expectStatus(201, 409).build(),
                            Move.builder("remove_item").action((client, ctx) -> client.delete("/cart/items"))
                                    .expectStatus(200, 409).build())
                    .invariant(Invariant.of("cart never below zero",
                            o -> o.client().get("/cart").json().get("count").asInt() >= 0))
                    .strategy(Strategy.breadthFirst())
                    .build()
                    .run();

            Violation bug = result.violationsOf("cart never below zero").get(0);
            System.out.println(ViolationText.describe(bug));    // remove_item on an empty cart, with its request and response
            // end::exploration[]
            assertThat(bug.moves()).containsExactly("remove_item");
            assertThat(bug.severity()).isEqualTo(Severity.HIGH);
            assertThat(ViolationText.describe(bug)).contains("DELETE " + api.baseUrl() + "/cart/items → 200",
                    "response: {\"count\":-1}");
            assertThat(result.restoreMode()).isEqualTo(RestoreMode.TREE);
            assertThat(result.violations()).hasSize(1);
            assertThat(state.isConnected()).as("connected for the run, disconnected after it").isFalse();
            assertThat(state.store().asMap()).as("the store as found").isEmpty();
        }
    }

    @Test
    void readmeShowsTheExampleVerbatim() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("README.md above the module").isNotNull();
        String readme = Files.readString(dir.resolve("README.md"));
        String source = Files.readString(Path.of("src/test/java/io/venomqa/explore/ReadmeExplorationExampleTest.java"));
        Matcher m = Pattern.compile("// tag::exploration\\[]\\n(.*?)\\n\\s*// end::exploration\\[]", Pattern.DOTALL).matcher(source);
        assertThat(m.find()).isTrue();
        assertThat(readme).as("README.md must show the exploration example verbatim").contains(m.group(1).stripIndent().strip());
    }
}
