package io.venomqa.cli;

import io.venomqa.cli.support.BuiltWallet;
import io.venomqa.cli.support.Cli;
import io.venomqa.cli.support.Cli.Result;
import io.venomqa.cli.support.WalletApi;
import io.venomqa.cli.support.WalletExplorations;
import io.venomqa.state.memory.InMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code venomqa explore} against {@link WalletApi} (in this JVM, its balance in a named in-memory
 * store that {@code db_url: memory://…} checkpoints): finding explorations in classes, the options
 * that override them, the reports, and the exit codes.
 */
class ExploreCommandTest {

    private static final String OVERDRAFT = "io.venomqa.cli.support.WalletExplorations";
    private static final String SAFE = "io.venomqa.cli.support.SafeWallet";

    WalletApi api;
    Path config;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        api = new WalletApi();
        config = dir.resolve("venomqa.yaml");
        Files.writeString(config, "base_url: " + api.url() + "\ndb_url: memory://" + api.store() + "\n");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Result explore(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "explore";
        all[1] = "-c";
        all[2] = config.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return Cli.run(all);
    }

    @Test
    void aViolationIsExit1WithTheMinimalPathAndTheStoreIsPutBack() {
        InMemoryStore.named(api.store()).put("balance", 0);

        Result r = explore("--class", OVERDRAFT);

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out())
                .contains("Exploring 'overdraft' (bfs, max 1000 steps, depth 8)")
                .contains("VIOLATION CRITICAL " + WalletExplorations.NEVER_NEGATIVE)
                .contains("path: 1 move (already minimal)")
                .contains("1. withdraw\n         POST " + api.url() + "/withdraw → 200")
                .contains("restore: TREE")
                .contains("1 exploration: 0 passed, 1 with violations");
        assertThat(InMemoryStore.named(api.store()).asMap()).as("the store as found").containsExactlyEntriesOf(
                java.util.Map.of("balance", 0));
    }

    @Test
    void withoutAViolationItIsExit0AndAStaticFieldHoldingABuilderIsFound() {
        Result r = explore("--class", SAFE);

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("explore 'safe' (bfs)").contains("stopped: EXHAUSTED").contains("PASSED")
                .contains("1 exploration: 1 passed, 0 with violations");
        assertThat(InMemoryStore.named(api.store()).asMap()).isEmpty();
    }

    @Test
    void theStrategySeedAndMaxStepsOptionsOverrideTheClass() {
        Result dfs = explore("--class", SAFE, "--strategy", "dfs");
        Result random = explore("--class", SAFE, "--strategy", "random", "--seed", "7");
        Result again = explore("--class", SAFE, "--strategy", "random", "--seed", "7");
        Result capped = explore("--class", OVERDRAFT, "--max-steps", "1");

        assertThat(dfs.code()).as(dfs.toString()).isEqualTo(ExitCodes.OK);
        assertThat(dfs.out()).contains("Exploring 'safe' (dfs,").contains("explore 'safe' (dfs)");
        assertThat(random.code()).as(random.toString()).isEqualTo(ExitCodes.OK);
        assertThat(random.out()).contains("explore 'safe' (random, seed 7)");
        assertThat(graph(again.out())).as("same seed, same run").isEqualTo(graph(random.out()));
        // One step: deposit comes first and breaks nothing, so the limit hides the bug.
        assertThat(capped.code()).as(capped.toString()).isEqualTo(ExitCodes.OK);
        assertThat(capped.out()).contains("Exploring 'overdraft' (bfs, max 1 step,").contains("1 step, 0 violations, stopped: MAX_STEPS");
    }

    /** The summary line of a run, without its duration. */
    private static String graph(String out) {
        return out.lines().filter(l -> l.startsWith("explore '")).map(l -> l.replaceAll(" in [0-9.]+m?s$", "")).toList().toString();
    }

    @Test
    void theSeedWithAnotherStrategyOrAnUnknownStrategyIsAnError() {
        Result seedWithDfs = explore("--class", SAFE, "--strategy", "dfs", "--seed", "7");
        Result seedWithTheClassBfs = explore("--class", SAFE, "--seed", "7");
        Result unknown = explore("--class", SAFE, "--strategy", "widest");

        // Wrong on the command line alone: a usage error (2); against the class's own strategy: the configuration (3).
        assertThat(seedWithDfs.code()).as(seedWithDfs.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(seedWithDfs.err()).contains("--seed applies to --strategy random only");
        assertThat(seedWithTheClassBfs.code()).as(seedWithTheClassBfs.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(seedWithTheClassBfs.err()).contains("uses bfs. Add --strategy random.");
        assertThat(unknown.code()).as(unknown.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("Unknown exploration strategy 'widest'. Valid strategies: bfs, dfs, random, coverage.");
        assertThat(seedWithDfs.out() + seedWithTheClassBfs.out() + unknown.out()).doesNotContain("Exploring");
    }

    @Test
    void badLimitsAndOpenApiOnlyOptionsWithClassAreUsageErrorsNamingTheOption() {
        Result steps = explore("--class", SAFE, "--max-steps", "-1");
        Result depth = explore("--class", SAFE, "--max-depth", "0");
        Result baseUrl = explore("--class", SAFE, "--base-url", "http://127.0.0.1:1");
        Result invalidBodies = explore("--class", SAFE, "--invalid-bodies");

        assertThat(steps.code()).as(steps.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(steps.err()).contains("--max-steps must be at least 1, got -1").doesNotContain("maxSteps");
        assertThat(depth.code()).as(depth.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(depth.err()).contains("--max-depth must be at least 1, got 0").doesNotContain("maxDepth");
        assertThat(baseUrl.code()).as(baseUrl.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(baseUrl.err()).contains("--base-url applies to --openapi only, not to --class");
        assertThat(invalidBodies.code()).as(invalidBodies.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(invalidBodies.err()).contains("--invalid-bodies applies to --openapi only, not to --class");
        assertThat(steps.out() + depth.out() + baseUrl.out() + invalidBodies.out()).doesNotContain("Exploring");
        assertThat(Cli.run("explore", "--help").out()).contains("With --openapi: the API's base URL");
    }

    @Test
    void aConfigFileNamedWithDashCThatDoesNotExistIsSaidPlainly() {
        Path missing = dir.resolve("nonexistent.yaml");
        Result r = Cli.run("explore", "-c", missing.toString(), "--class", SAFE);

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("venomqa explore: Configuration file " + missing + " not found (-c).");
    }

    @Test
    void withoutAReportDirectoryItSaysThatNoReportsWereWritten() {
        Result r = explore("--class", SAFE);

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("No reports written: no report directory is set. Pass --report-dir DIR, or set report_dir:"
                + " in venomqa.yaml").doesNotContain("reports: [");
    }

    @Test
    void theReportDirGetsTheJsonJUnitXmlAndHtmlReports() throws IOException {
        Path reports = dir.resolve("reports");

        Result r = explore("--class", OVERDRAFT, "--report-dir", reports.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("reports: [explore-overdraft.json, TEST-venomqa-explore-overdraft.xml, explore-overdraft.html] in "
                + reports).doesNotContain("No reports written");
        assertThat(Files.readString(reports.resolve("explore-overdraft.json"))).contains(WalletExplorations.NEVER_NEGATIVE);
        assertThat(Files.readString(reports.resolve("TEST-venomqa-explore-overdraft.xml")))
                .contains("<testcase", WalletExplorations.NEVER_NEGATIVE, "<failure");
        assertThat(Files.readString(reports.resolve("explore-overdraft.html"))).contains("<svg");
    }

    @Test
    void theReportDirOfTheFileIsUsedWithoutTheOption() throws IOException {
        Path reports = dir.resolve("from-file");
        Files.writeString(config, Files.readString(config) + "report_dir: " + reports + "\n");

        Result r = explore("--class", SAFE);

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(reports.resolve("explore-safe.json")).exists();
        assertThat(reports.resolve("TEST-venomqa-explore-safe.xml")).exists();
        assertThat(reports.resolve("explore-safe.html")).exists();
    }

    @Test
    void listNamesTheExplorationsFoundAndRunsNothing() {
        Result r = Cli.run("explore", "--list", "--class", OVERDRAFT, "--class", SAFE, "--class", "io.venomqa.cli.support.BuiltWallet");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).isEqualTo(OVERDRAFT + ".overdraft()\n" + SAFE + ".SAFE\n"
                + "io.venomqa.cli.support.BuiltWallet.built()  (built: keeps its own client and state manager)\n");
        assertThat(InMemoryStore.named(api.store()).asMap()).isEmpty();
    }

    @Test
    void aBuiltExplorationKeepsItsOwnClientAndStateManagerAndTheOptionsStillApply() throws IOException {
        System.setProperty(BuiltWallet.URL, api.url());
        System.setProperty(BuiltWallet.STORE, api.store());
        try {
            // No db_url: a built exploration brings its own state manager (and client: this base_url is wrong).
            Path other = dir.resolve("other.yaml");
            Files.writeString(other, "base_url: http://127.0.0.1:9\n");
            Result r = Cli.run("explore", "-c", other.toString(), "--class", "io.venomqa.cli.support.BuiltWallet");
            Result bfs = Cli.run("explore", "-c", config.toString(), "--class", "io.venomqa.cli.support.BuiltWallet", "--strategy", "bfs");

            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
            assertThat(r.out()).contains("explore 'built' (dfs)").contains("PASSED");
            assertThat(bfs.code()).as(bfs.toString()).isEqualTo(ExitCodes.OK);
            assertThat(bfs.out()).contains("explore 'built' (bfs)");
        } finally {
            System.clearProperty(BuiltWallet.URL);
            System.clearProperty(BuiltWallet.STORE);
        }
    }

    @Test
    void aFieldHoldingABuilderRunsAgainWithoutTheListenersOfEarlierRuns() {
        Result first = explore("--class", SAFE);
        Result second = explore("--class", SAFE);

        assertThat(first.code()).as(first.toString()).isEqualTo(ExitCodes.OK);
        // The field's builder is shared by both runs: the first run's console must not be added to it.
        assertThat(first.out().split("Exploring 'safe'", -1)).as(first.toString()).hasSize(2);
        assertThat(second.out().split("Exploring 'safe'", -1)).as(second.toString()).hasSize(2);
    }

    @Test
    void aBadClassIsExit3AndNothingRuns() {
        Result unknown = explore("--class", "com.example.Nope");
        Result none = explore("--class", "io.venomqa.cli.support.StaticJourneys");
        Result broken = explore("--class", "io.venomqa.cli.support.BrokenExplorations");

        assertThat(unknown.code()).as(unknown.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(unknown.err()).contains("Class com.example.Nope not found. No --class-path was given: add the jar or directory holding it with --class-path");
        assertThat(none.code()).as(none.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(none.err()).contains("Class io.venomqa.cli.support.StaticJourneys exposes no explorations");
        assertThat(broken.code()).as(broken.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(broken.err()).contains("io.venomqa.cli.support.BrokenExplorations.broken() failed: "
                        + "java.lang.IllegalStateException: no moves configured for the shop")
                .contains("nothing was explored");
        assertThat(unknown.out() + none.out() + broken.out()).doesNotContain("Exploring");
        assertThat(InMemoryStore.named(api.store()).asMap()).isEmpty();
    }

    @Test
    void withoutADatabaseInTheFileABuilderIsAConfigurationError() throws IOException {
        Files.writeString(config, "base_url: " + api.url() + "\n");

        Result r = explore("--class", SAFE);

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("venomqa explore needs a database to return to earlier states: set db_url in");
    }

    @Test
    void anUnreachableDatabaseIsExit4WithTheMaskedUrlAndNoCallIsMade() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Files.writeString(config, "base_url: " + api.url() + "\ndb_url: postgresql://qa:Secret-Pa55@127.0.0.1:" + closedPort
                + "/qa_test\ncheckpoint_strategy: journal\n");

        Result r = explore("--class", OVERDRAFT);

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.DATABASE);
        assertThat(r.err()).contains("postgresql://qa:***@127.0.0.1:" + closedPort + "/qa_test").doesNotContain("Secret-Pa55");
        assertThat(r.out()).doesNotContain("Exploring").doesNotContain("Secret-Pa55");
        assertThat(InMemoryStore.named(api.store()).asMap()).isEmpty();
    }
}
