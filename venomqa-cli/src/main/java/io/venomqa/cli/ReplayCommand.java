package io.venomqa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.venomqa.config.ConfigException;
import io.venomqa.config.VenomQAConfig;
import io.venomqa.core.CredentialMasker;
import io.venomqa.explore.Exploration;
import io.venomqa.explore.Invariant;
import io.venomqa.explore.Move;
import io.venomqa.explore.RecordedCalls;
import io.venomqa.explore.ReplayResult;
import io.venomqa.explore.Severity;
import io.venomqa.http.Client;
import io.venomqa.http.HttpExchange;
import io.venomqa.openapi.Check;
import io.venomqa.openapi.OpenApiDocument;
import io.venomqa.openapi.OpenApiDocumentException;
import io.venomqa.openapi.OpenApiExploration;
import io.venomqa.state.ShutdownCleanup;
import io.venomqa.state.StateManager;
import io.venomqa.state.jdbc.JdbcStateManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code venomqa replay REPORT --violation N}: proves whether a violation an exploration found still
 * happens. It takes the violation's minimal path from the exploration's JSON report, connects the
 * state manager of {@code venomqa.yaml} and takes a checkpoint (the start state), repeats the path's
 * HTTP calls as recorded ({@link RecordedCalls}: ids the API hands out this time replace the recorded
 * ones; masked credentials are replaced by the authentication of {@code venomqa.yaml}'s
 * {@code openapi} section or by the token of the path's own login step), re-runs after every move the
 * checks the report allows (the statuses each move expected, the SQL invariants whose queries the
 * report holds, and, for a report of {@code explore --openapi} whose document can be read, the
 * OpenAPI checks), prints every call, rolls back to the checkpoint and disconnects, so the database
 * is left as found.
 *
 * <p>Exit codes: 0 every move completed and the violated invariant held after each (fixed), 1 it failed
 * again after a move that got an answer (still there), 3 the report, the violation number or the
 * configuration cannot be used, the violated invariant cannot be re-run from the report (a check written
 * in Java) or could not judge a move of the path ({@code Invariant.NotRun}: the OpenAPI check of safe methods without
 * {@code track_changes: true}), or a move was answered but did not complete, 4 the database cannot be
 * reached or a move got no answer from the API (connection refused, unknown host, timeout: cannot tell,
 * see {@link ReplayResult#verdict(String)}). A disconnect that finds the database not as found (rows another connection committed
 * during the replay, which the savepoint strategy cannot undo) is reported after the moves and the verdict,
 * with exit 1.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay a violation's minimal path from an exploration report, from the start state, and re-run its checks:"
                + " exit 0 if the violation no longer happens (fixed), 1 if it still does.",
                "The database is put back as found afterwards (checkpoint before, rollback after)."},
        footer = ExitCodes.HELP_FOOTER)
public final class ReplayCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "REPORT", description = "The exploration's JSON report (explore-<name>.json).")
    Path report;

    @Option(names = "--violation", paramLabel = "N", defaultValue = "1",
            description = "Which violation of the report, from 1 as printed (default: 1).")
    int violation;

    @Option(names = "--base-url", paramLabel = "URL", description = "The API's base URL (default: base_url of venomqa.yaml).")
    String baseUrl;

    @Option(names = "--openapi", paramLabel = "FILE|URL",
            description = "The OpenAPI document, to re-run its checks (default: the one the report names, if any).")
    String openapi;

    @Override
    public Integer call() {
        config.requireNamedFile();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JsonNode root = readReport();
        String startJourney = root.path("attributes").path(Exploration.START_JOURNEY_ATTRIBUTE).asText(null);
        if (startJourney != null) {
            // Replaying from the database as it is would judge the path from another state: refuse rather
            // than say FIXED or STILL THERE about a run that never happened.
            throw new ConfigException("The exploration started from journey '" + startJourney + "' at checkpoint '"
                    + root.path("attributes").path(Exploration.START_CHECKPOINT_ATTRIBUTE).asText() + "', which a report cannot"
                    + " replay (its steps are Java). Export the violation as a JUnit test with ViolationExport.startFrom(…),"
                    + " which runs the journey first, or replay it in Java with Exploration.replay(path) on the same builder.");
        }
        RecordedCalls calls = RecordedCalls.fromReport(root, violation);
        JsonNode v = root.path("violations").get(violation - 1);
        String invariant = v.path("invariant").asText();
        String name = root.path("name").asText("exploration");

        VenomQAConfig cfg = config.load();
        if (!cfg.hasDatabase()) {
            throw new ConfigException("venomqa replay needs the database to put back to the start state: set db_url in "
                    + config.describe() + ".");
        }
        VenomQAConfig withUrl = baseUrl == null ? cfg : cfg.overlay(VenomQAConfig.builder().baseUrl(baseUrl).build());
        Client client = withUrl.createClient();

        Map<String, Invariant> invariants = new LinkedHashMap<>();
        OpenApiExploration oa = openApi(root, cfg, invariant, err);
        if (oa != null && calls.moveNames().stream().anyMatch(m -> m.contains(OpenApiExploration.INVALID_BODY_MOVE))) {
            // The path sends bodies that break their schema (explored with --invalid-bodies): the check that judges them
            // must know those moves, whatever this configuration says, or it held for them and the replay said FIXED
            // while the API still took the invalid body (found 2026-12-05).
            oa.invalidBodies(true);
        }
        if (oa != null) {
            oa.invariants().forEach(i -> invariants.putIfAbsent(i.name(), i));
            calls.adapter(oa.replayAdapter());
            oa.auth().secrets().forEach(client::addSecret);
        }
        for (JsonNode i : root.path("invariants")) {
            if (i.path("sql").isTextual()) {
                invariants.put(i.path("name").asText(), Invariant.sql(i.path("name").asText(),
                        Severity.valueOf(i.path("severity").asText("HIGH")), i.path("sql").asText()));
            }
        }
        boolean builtIn = invariant.equals(Invariant.EXPECTED_STATUS) || invariant.equals(Invariant.MOVE_COMPLETES);
        if (!builtIn && !invariants.containsKey(invariant)) {
            throw new ConfigException("The violated invariant '" + invariant + "' cannot be re-run from the report: "
                    + (isOpenApiCheck(invariant) ? "it is a check of the OpenAPI document, which is not available (give --openapi FILE|URL)."
                    : "it is checked in Java, and only SQL invariants, OpenAPI checks and expected statuses travel in the report."
                    + " Export the path as a JUnit test (ViolationExport) and add the check there."));
        }
        if (oa == null && calls.steps().stream().flatMap(s -> s.calls().stream())
                .anyMatch(c -> c.headers().values().stream().anyMatch(h -> h.contains(CredentialMasker.MASK)))) {
            err.println("venomqa replay: warning: some recorded headers were masked (***) and are not sent again; the calls"
                    + " go out with the client's own headers from " + config.describe() + ".");
        }
        if (calls.maskedBodies()) {
            err.println("venomqa replay: warning: some recorded request bodies hold masked values (***) and are sent as recorded;"
                    + " name the login operation under openapi.login in " + config.describe() + " to send the real ones.");
        }

        List<Move> path = calls.moves();
        Map<String, Move> distinct = new LinkedHashMap<>();
        path.forEach(m -> distinct.putIfAbsent(m.name(), m));
        StateManager state = cfg.createStateManager();
        Exploration e = Exploration.builder().name(name).client(client).stateManager(state)
                .moves(distinct.values()).invariants(invariants.values()).build();

        out.println("replaying violation " + violation + " of '" + name + "': '" + invariant + "' (" + v.path("severity").asText()
                + ") after " + v.path("lastMove").asText() + " — " + CredentialMasker.maskText(v.path("message").asText()));
        out.println("  path: " + String.join(" → ", calls.moveNames()) + "; checks: expected status, move completes"
                + (invariants.isEmpty() ? "" : ", " + String.join(", ", invariants.keySet())));
        out.flush();
        Replayed replayed = replayConnected(e, path, err);
        ReplayResult result = replayed.result();
        for (ReplayResult.Step s : result.steps()) {
            out.println("  " + s.step().index() + ". " + s.step().move());
            for (HttpExchange x : s.step().exchanges()) {
                out.println("       " + x.summary());
            }
            if (s.step().error() != null) {
                out.println("       error: " + s.step().error());
            }
            for (ReplayResult.Failure f : s.failures()) {
                out.println("     " + (f.invariant().equals(invariant) ? "✗ " : "! ") + f.invariant() + ": " + f.message());
            }
        }
        ReplayResult.Verdict verdict = result.verdict(invariant);
        int exit;
        switch (verdict.kind()) {
            case STILL_THERE -> {
                out.println("STILL THERE: '" + invariant + "' failed again: " + verdict.reason());
                exit = ExitCodes.FAILED;
            }
            case NO_ANSWER -> {
                // The checks after such a move judge an API that did not answer: neither fixed nor still there.
                out.println("CANNOT TELL: move " + verdict.step().step().index() + " '" + verdict.step().step().move()
                        + "' did not reach the API: " + verdict.reason() + ". Check that the API is running at "
                        + (client.baseUrl() == null ? "base_url" : CredentialMasker.maskUrl(client.baseUrl()))
                        + " (--base-url or base_url in " + config.describe() + ") and replay again.");
                exit = ExitCodes.DATABASE;
            }
            case DID_NOT_COMPLETE -> {
                out.println("CANNOT TELL: move " + verdict.step().step().index() + " '" + verdict.step().step().move()
                        + "' did not complete (" + verdict.reason() + "), so the path was not repeated as recorded.");
                exit = ExitCodes.CONFIG;
            }
            case NOT_RUN -> {
                // Not failing is not holding: a check that could not run must not report the violation fixed.
                out.println("CANNOT TELL: '" + invariant + "' could not run: " + CredentialMasker.maskText(verdict.reason()));
                exit = ExitCodes.CONFIG;
            }
            default -> {
                out.println("FIXED: '" + invariant + "' held after every move of the path"
                        + (replayed.notPutBack() == null ? " (the database was put back as found)." : "."));
                exit = ExitCodes.OK;
            }
        }
        out.flush();
        if (replayed.notPutBack() != null) {
            throw replayed.notPutBack(); // after the verdict, which it does not change; printed masked, exit 1
        }
        return exit;
    }

    private JsonNode readReport() {
        if (!Files.isRegularFile(report)) {
            throw new ConfigException("No report at " + report.toAbsolutePath() + ": give the explore-<name>.json that venomqa explore"
                    + " wrote in its --report-dir.");
        }
        try {
            return JSON.readTree(Files.readString(report));
        } catch (IOException e) {
            throw new ConfigException("The report " + report + " is not JSON: " + e.getMessage());
        }
    }

    /**
     * The OpenAPI exploration whose checks and adapter the replay uses: the document of
     * {@code --openapi}, else the one the report names; null when the report did not come from a
     * document and none was given.
     */
    private OpenApiExploration openApi(JsonNode root, VenomQAConfig cfg, String invariant, PrintWriter err) {
        String location = openapi;
        String fromReport = root.path("attributes").path(OpenApiExploration.DOCUMENT_ATTRIBUTE).asText(null);
        if (location == null) {
            location = fromReport;
        }
        if (location == null) {
            return null;
        }
        try {
            return OpenApiExploration.from(OpenApiDocument.read(location)).configure(cfg);
        } catch (OpenApiDocumentException ex) {
            if (isOpenApiCheck(invariant)) {
                throw new ConfigException("The OpenAPI document cannot be read, so '" + invariant + "' cannot be re-run: "
                        + ex.getMessage() + ". Give it with --openapi FILE|URL.");
            }
            err.println("venomqa replay: warning: the OpenAPI document cannot be read (" + CredentialMasker.maskText(ex.getMessage())
                    + "): its checks and authentication are left out.");
            return null;
        }
    }

    private static boolean isOpenApiCheck(String invariant) {
        return Arrays.stream(Check.values()).anyMatch(c -> c.invariantName().equals(invariant));
    }

    /**
     * A replay's result, and the failure of the disconnect after it when the database was not put back as
     * found (reported after the result, as {@code explore} does, instead of losing it).
     */
    private record Replayed(ReplayResult result, RuntimeException notPutBack) {
    }

    /** Connects first (unreachable: exit 4), replays (checkpoint, path, rollback), disconnects. */
    private static Replayed replayConnected(Exploration e, List<Move> path, PrintWriter err) {
        StateManager state = e.stateManager();
        if (state instanceof JdbcStateManager jdbc && "savepoint".equals(jdbc.checkpointStrategy())) {
            err.println("venomqa replay: warning: checkpoint_strategy is savepoint, which puts back only what goes through"
                    + " VenomQA's own connection; an API in another process needs checkpoint_strategy: journal.");
            err.flush();
        }
        state.connect();
        ReplayResult result;
        try (ShutdownCleanup.Registration cleanup = ShutdownCleanup.register(state, "venomqa replay")) {
            result = e.replay(path);
        } catch (RuntimeException | Error failed) {
            try { // as a finally would, without replacing the failure
                state.disconnect();
            } catch (RuntimeException alsoFailed) {
                failed.addSuppressed(alsoFailed);
            }
            throw failed;
        }
        try {
            state.disconnect();
        } catch (RuntimeException notPutBack) {
            return new Replayed(result, notPutBack);
        }
        return new Replayed(result, null);
    }
}
