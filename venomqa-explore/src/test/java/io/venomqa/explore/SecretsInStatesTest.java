package io.venomqa.explore;

import io.venomqa.http.Client;
import io.venomqa.state.memory.InMemoryStateManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A state's projection is shown in every report (the state list, the graph's tooltips, the JSON): the values
 * of secret-looking context keys and columns, and secret fields of JSON values, are masked there, while the
 * state's identity still tells a changed password from the old one.
 */
class SecretsInStatesTest {

    private static final List<String> SECRETS = List.of("tok-S3CR3T-1", "pw-S3CR3T-2", "pw-S3CR3T-3", "pw-S3CR3T-4");

    @Test
    @DisplayName("secret context keys, secret store keys and secret fields of JSON in a state's projection are *** in the result and every report; a changed password is still another state")
    void secretsInTheProjectionAreMaskedInReports(@TempDir Path dir) throws Exception {
        InMemoryStateManager manager = new InMemoryStateManager();
        manager.connect();
        try {
            Move login = Move.builder("login").maxRuns(1).action((client, ctx) -> ctx.set("api_token", SECRETS.get(0))).build();
            Move profile = Move.builder("profile").maxRuns(1).action((client, ctx) -> {
                manager.store().put("profile", "{\"name\": \"qa\", \"login\": {\"password\": \"" + SECRETS.get(1) + "\"}}");
                return manager.store().put("password", SECRETS.get(2));
            }).build();
            Move change = Move.builder("changePassword").maxRuns(1).requires("api_token")
                    .action((client, ctx) -> manager.store().put("password", SECRETS.get(3))).build();
            ExplorationResult r = Exploration.builder().name("secrets").client(new Client("http://127.0.0.1:9"))
                    .stateManager(manager).moves(List.of(login, profile, change))
                    .projection(StateProjection.of(StateProjection.memoryStore(), StateProjection.contextKeys("api_token")))
                    .strategy(Strategy.breadthFirst()).maxDepth(4).build().run();

            assertThat(r.states()).as("the password change is a state of its own")
                    .anySatisfy(s -> assertThat(s.path()).endsWith("changePassword"));
            assertThat(r.states()).extracting(StateNode::summary).anySatisfy(s -> assertThat(s).contains("***"));
            StringBuilder everything = new StringBuilder();
            r.states().forEach(s -> everything.append(s.summary()).append('\n'));
            for (Path p : ExplorationReports.writeAll(r, dir)) {
                everything.append(Files.readString(p, StandardCharsets.UTF_8)).append('\n');
            }
            everything.append(ExplorationConsole.summary(r));
            for (String secret : SECRETS) {
                assertThat(everything.toString()).as("the summaries and reports").doesNotContain(secret);
            }
        } finally {
            manager.disconnect();
        }
    }
}
