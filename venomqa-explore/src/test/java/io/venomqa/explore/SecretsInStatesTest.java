package io.venomqa.explore;

import io.venomqa.http.Client;
import io.venomqa.state.memory.InMemoryStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

    private final InMemoryStateManager manager = new InMemoryStateManager();

    @BeforeEach
    void connect() {
        manager.connect();
    }

    @AfterEach
    void disconnect() {
        manager.disconnect();
    }

    private static final List<String> SECRETS = List.of("tok-S3CR3T-1", "pw-S3CR3T-2", "pw-S3CR3T-3", "pw-S3CR3T-4");

    @Test
    @DisplayName("secret context keys, secret store keys and secret fields of JSON in a state's projection are *** in the result and every report; a changed password is still another state")
    void secretsInTheProjectionAreMaskedInReports(@TempDir Path dir) throws Exception {
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
    }

    @Test
    @DisplayName("a move's arguments with secret names, top-level or nested, and a secret the context holds quoted by a move's exception, are *** everywhere: console summary, JSON, HTML, JUnit XML, toString")
    void secretArgumentsOfMovesAreMaskedInEveryReport(@TempDir Path dir) throws Exception {
        Move login = Move.builder("login").maxRuns(1).arg("user", "qa").arg("password", "argPw-S3CR3T-5")
                .arg("creds", java.util.Map.of("client_secret", "argCs-S3CR3T-6"))
                .action((client, ctx) -> {
                    ctx.set("session_token", "ctxTok-S3CR3T-7");
                    return manager.store().put("logged_in", true);
                }).build();
        Move quote = Move.builder("quote").maxRuns(1).requires("session_token")
                .action((client, ctx) -> {
                    throw new IllegalStateException("session " + ctx.get("session_token") + " refused");
                }).build();
        ExplorationResult r = Exploration.builder().name("args").client(new Client("http://127.0.0.1:9"))
                .stateManager(manager).moves(List.of(login, quote))
                .invariant(Invariant.of("never logged in", o -> !o.lastMove().map(m -> m.name().equals("login")).orElse(false)))
                .strategy(Strategy.breadthFirst()).maxDepth(2).build().run();
        assertThat(r.violations()).hasSizeGreaterThanOrEqualTo(2); // the invariant, and the move that threw
        StringBuilder everything = new StringBuilder(ExplorationConsole.summary(r)).append('\n').append(r).append('\n')
                .append(r.violations().get(0).path().get(0).args()).append('\n');
        for (Path p : ExplorationReports.writeAll(r, dir)) {
            everything.append(Files.readString(p, StandardCharsets.UTF_8)).append('\n');
        }
        assertThat(everything.toString()).doesNotContain("argPw-S3CR3T-5", "argCs-S3CR3T-6", "ctxTok-S3CR3T-7")
                .contains("user=qa").contains("refused");
    }

    @Test
    @DisplayName("an SQL invariant whose query answers a text shows its length, not the text (it may be a column's secret value); true/false answers read as they are")
    void anSqlInvariantAnsweringATextDoesNotShowIt() {
        assertThat(Invariant.shownValue("hunter2-S3CR3T")).isEqualTo("a text of 14 characters");
        assertThat(Invariant.shownValue(false)).isEqualTo("false");
        assertThat(Invariant.shownValue("f")).isEqualTo("'f'");
        assertThat(Invariant.shownValue(0L)).isEqualTo("0");
        assertThat(Invariant.shownValue(null)).isEqualTo("NULL");
    }
}
