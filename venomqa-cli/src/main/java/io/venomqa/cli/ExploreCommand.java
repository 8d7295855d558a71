package io.venomqa.cli;

import io.venomqa.cli.internal.LineStream;
import io.venomqa.config.ConfigException;
import io.venomqa.config.VenomQAConfig;
import io.venomqa.core.CredentialMasker;
import io.venomqa.explore.Exploration;
import io.venomqa.explore.ExplorationConsole;
import io.venomqa.explore.ExplorationReports;
import io.venomqa.explore.ExplorationResult;
import io.venomqa.explore.Strategy;
import io.venomqa.http.Client;
import io.venomqa.http.HttpRequestException;
import io.venomqa.openapi.OpenApiDocument;
import io.venomqa.openapi.OpenApiDocumentException;
import io.venomqa.openapi.OpenApiExploration;
import io.venomqa.runner.Workers;
import io.venomqa.state.ShutdownCleanup;
import io.venomqa.state.StateManager;
import io.venomqa.state.jdbc.JdbcStateManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code venomqa explore}: runs the explorations of the classes named with {@code --class} (public
 * static methods without parameters, or fields, giving an {@link Exploration.Builder} or an
 * {@link Exploration}), prints each summary with the violations' minimal paths, writes the HTML, JSON
 * and JUnit XML reports, and exits 1 when an invariant was violated, 0 when none was.
 *
 * <p>A builder gets the client and the state manager of {@code venomqa.yaml} (as journeys of
 * {@code run} do); an {@code Exploration} already built keeps its own. {@code --strategy},
 * {@code --seed} and {@code --max-steps} override what the class set. The state manager is connected
 * before the run (a database that cannot be reached is exit 4) and disconnected after it: the
 * exploration leaves the database as it found it. A disconnect that finds it not as found (rows another
 * connection committed, which the savepoint strategy cannot undo) is reported after that exploration's
 * summary and reports, with exit 1; the explorations after it do not run.
 *
 * <p>With {@code --openapi FILE|URL} (or {@code openapi.document} of the file, when no {@code --class}
 * is given) the exploration is made from an OpenAPI document by venomqa-openapi, with the
 * {@code openapi} section of {@code venomqa.yaml}, {@code --include}/{@code --exclude} and
 * {@code --base-url} applied; an unusable document is exit 3 (its line and reason printed), a
 * document server or API that cannot be reached exit 4, and the warnings of checks set to
 * {@code warning} are printed after the summary. docs/openapi.md has the details.
 */
@Command(name = "explore", mixinStandardHelpOptions = true,
        description = {"Explore an API's states automatically; exit 1 if an invariant is violated.",
                "With --openapi FILE|URL: one move per operation of an OpenAPI 3.0/3.1 document and checks that need no code"
                        + " (no 5xx, declared status, response schema, read-back, deleted stays gone, not-found consistency, safe method"
                        + " writes nothing with track_changes: true, invalid body refused with --invalid-bodies);"
                        + " exit 3 for an unusable document (with its line), 4 when the API, the document's server or the database cannot be reached.",
                "Explorations come from the classes named with --class: public static methods or fields giving an"
                        + " Exploration.Builder (which gets venomqa.yaml's client and state manager) or an Exploration."},
        footer = ExitCodes.HELP_FOOTER)
public final class ExploreCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--class", paramLabel = "CLASS",
            description = "A class exposing explorations: public static methods/fields of type Exploration.Builder or Exploration (repeatable).")
    List<String> classes = new ArrayList<>();

    @Option(names = "--openapi", paramLabel = "FILE|URL",
            description = "Explore from an OpenAPI 3.0/3.1 document instead of --class (default: openapi.document of venomqa.yaml when no --class).")
    String openapi;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "With --openapi: the API's base URL (default: base_url of venomqa.yaml).")
    String baseUrl;

    @Option(names = "--include", paramLabel = "SELECTOR", split = ",",
            description = "With --openapi: explore only these operations (operationId, tag:NAME, /path/glob/**, 'METHOD /path').")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "SELECTOR", split = ",", description = "With --openapi: leave these operations out.")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--invalid-bodies",
            description = "With --openapi: also send request bodies that break their schema, one rule each; an API answering 2xx to one "
                    + "fails the check invalid_body_refused (default: openapi.invalid_bodies of venomqa.yaml, else off).")
    boolean invalidBodies;

    @Mixin
    ClassPathOption classPath;

    @Option(names = "--strategy", paramLabel = "NAME", description = "bfs, dfs, random or coverage (default: the class's).")
    String strategy;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the random strategy: the same seed gives the same run.")
    Long seed;

    @Option(names = "--max-steps", paramLabel = "N", description = "Most moves per exploration (default: the class's).")
    Integer maxSteps;

    @Option(names = "--max-depth", paramLabel = "N", description = "States this many moves from the start are not expanded (default: the class's).")
    Integer maxDepth;

    @Option(names = "--report-dir", paramLabel = "DIR", description = "Write reports here (default: report_dir of the file).")
    Path reportDir;

    @Option(names = "--list", description = "List the explorations found, and do not run them.")
    boolean list;

    /**
     * One exploration found: its source, and either a builder or a built exploration; {@code openapi}
     * is set for one made from a document (its builder has its client and manager already).
     */
    private record Found(String source, Exploration.Builder builder, Exploration built, OpenApiExploration openapi) {
        Found(String source, Exploration.Builder builder, Exploration built) {
            this(source, builder, built, null);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkCommandLine(); // exit 2
        config.requireNamedFile(); // exit 3
        ClassLoader parent = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = classPath.loader(parent);
        Thread.currentThread().setContextClassLoader(loader);
        try {
            List<String> problems = new ArrayList<>();
            List<Found> found = new ArrayList<>();
            VenomQAConfig fromFile = null;
            if (openapi != null || classes.isEmpty()) {
                fromFile = config.load();
                Found f = fromOpenApi(fromFile, err);
                if (f == null) {
                    return documentExit;
                }
                found.add(f);
            }
            for (String name : classes) {
                fromClass(name, loader, classPath.entries, found, problems);
            }
            for (String p : problems) {
                err.println("venomqa explore: " + CredentialMasker.maskText(p));
            }
            err.flush();
            if (!problems.isEmpty()) {
                err.println("venomqa explore: nothing was explored: fix the exploration" + (problems.size() == 1 ? "" : "s")
                        + " above first.");
                err.flush();
                return ExitCodes.CONFIG;
            }
            if (list) {
                found.forEach(f -> out.println(f.source() + (f.built() != null ? "  (built: keeps its own client and state manager)" : "")));
                out.flush();
                return ExitCodes.OK;
            }
            VenomQAConfig cfg = fromFile != null ? fromFile : config.load();
            // workers: N, worker_apis or worker_command: made once for all explorations, only when one can use them
            boolean onWorkers = found.stream().anyMatch(f -> f.builder() != null && f.openapi() == null);
            if (cfg.workers() > 1) {
                // Said here too: without an exploration that can use them no workers are made, and prepare() would not say it.
                for (Found f : found) {
                    if (f.openapi() != null) {
                        err.println("venomqa explore: warning: " + f.source() + " runs serially on base_url and db_url: the "
                                + cfg.workers() + " workers of " + config.describe() + " apply to explorations given as an "
                                + "Exploration.Builder (--class), not to --openapi ones.");
                    }
                }
                err.flush();
            }
            try (WorkersHandle workers = new WorkersHandle(onWorkers ? cfg.createWorkers().orElse(null) : null)) {
                return explore(found, cfg, workers.workers(), out, err);
            }
        } finally {
            Thread.currentThread().setContextClassLoader(parent);
        }
    }

    private int explore(List<Found> found, VenomQAConfig cfg, Workers workers, PrintWriter out, PrintWriter err) {
        {
            Path reports = reportDir != null ? reportDir : cfg.reportDir().orElse(null);
            PrintStream console = LineStream.to(out);
            List<Exploration> explorations = new ArrayList<>();
            for (Found f : found) {
                explorations.add(prepare(f, cfg, console, workers, err));
            }
            Set<String> names = new LinkedHashSet<>();
            for (Exploration e : explorations) {
                if (!names.add(e.name())) {
                    throw new ConfigException("Two explorations are named '" + e.name() + "'; reports are named after"
                            + " explorations, so names must be unique.");
                }
            }
            int violated = 0;
            int ran = 0;
            RuntimeException notPutBack = null;
            for (Exploration e : explorations) {
                Ran outcome = runConnected(e, err);
                ExplorationResult r = outcome.result();
                notPutBack = outcome.notPutBack();
                ran++;
                console.flush();
                if (reports != null) {
                    List<Path> files = ExplorationReports.writeAll(r, reports);
                    out.println("  reports: " + files.stream().map(p -> p.getFileName().toString()).toList() + " in " + reports);
                }
                if (r.hasViolations()) {
                    violated++;
                }
                for (Found f : found) {
                    if (f.openapi() != null && e.name().equals(f.source())) {
                        f.openapi().warnings().forEach(w -> out.println("  " + CredentialMasker.maskText(w.toString())));
                        // One line per (check, operation) a warning-level check found; the summary above has one per
                        // check ("warned: …", "not run: …"), from the result, as in the reports.
                    }
                }
                if (notPutBack != null) {
                    break; // the next exploration would start from a database that is not as found
                }
            }
            out.println();
            out.println(ran + (ran == 1 ? " exploration: " : " explorations: ")
                    + (ran - violated) + " passed, " + violated + " with violations"
                    + (ran < explorations.size() ? ", " + (explorations.size() - ran) + " not run (the database was not put back as found)" : ""));
            if (reports == null) {
                out.println(RunCommand.NO_REPORTS);
            }
            out.flush();
            if (notPutBack != null) {
                throw notPutBack; // after the results, which it does not change; printed masked, exit 1
            }
            return violated == 0 ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    /** The exploration to run: the class's settings, then venomqa.yaml's client and manager (builders), then the options. */
    private Exploration prepare(Found f, VenomQAConfig cfg, PrintStream console, Workers workers, PrintWriter err) {
        Exploration base;
        if (f.openapi() != null) {
            base = f.builder().build(); // built from the document with the configuration's client and manager
        } else if (f.builder() != null && workers != null) {
            // On the workers' APIs and databases: the client is a model for the workers' clients, no manager of its own.
            VenomQAConfig.Builder c = cfg.toBuilder();
            if (cfg.baseUrl().isEmpty()) {
                c.baseUrl(workers.baseUrls().get(0)); // base_url may be left out when every worker has its own
            }
            base = f.builder().client(c.build().createClient()).workers(workers).build();
        } else if (f.builder() != null) {
            if (!cfg.hasDatabase()) {
                throw new ConfigException("venomqa explore needs a database to return to earlier states: set db_url in "
                        + config.describe() + ".");
            }
            Client client = cfg.createClient();
            base = f.builder().client(client).stateManager(cfg.createStateManager()).build();
        } else {
            base = f.built();
        }
        if (workers != null && base.workers().isEmpty() && f.openapi() == null) {
            err.println("venomqa explore: warning: " + f.source() + " runs serially: workers apply to explorations given as an"
                    + " Exploration.Builder, not to " + (f.openapi() != null ? "--openapi ones" : "one built by the class") + ".");
            err.flush();
        }
        // The options and the console go on a copy: a builder held in a static field is shared by every
        // run in this JVM, and must not keep one run's strategy, limits or listener for the next.
        Exploration.Builder b = copy(base);
        Strategy current = base.strategy();
        if (strategy != null) {
            b.strategy(Strategy.parse(strategy, seed));
        } else if (seed != null) {
            if (current.kind() != Strategy.Kind.RANDOM) {
                throw new ConfigException("--seed applies to the random strategy only; " + f.source() + " uses " + current.name()
                        + ". Add --strategy random.");
            }
            b.strategy(Strategy.random(seed));
        }
        if (maxSteps != null) {
            b.maxSteps(maxSteps);
        }
        if (maxDepth != null) {
            b.maxDepth(maxDepth);
        }
        b.listener(new ExplorationConsole(console, Duration.ofSeconds(2)));
        return b.build();
    }

    /**
     * What the options' types let through but the command does not take: a usage error (exit 2) naming
     * the option as typed, before anything is read or connected.
     */
    private void checkCommandLine() {
        if (maxSteps != null && maxSteps < 1) {
            throw VenomQACommand.usageError(spec, "--max-steps must be at least 1, got " + maxSteps + ".");
        }
        if (maxDepth != null && maxDepth < 1) {
            throw VenomQACommand.usageError(spec, "--max-depth must be at least 1, got " + maxDepth + ".");
        }
        if (!classes.isEmpty() && openapi != null) {
            throw VenomQACommand.usageError(spec, "Give either --class or --openapi, not both.");
        }
        if (strategy != null) {
            try {
                Strategy.parse(strategy, seed);
            } catch (IllegalArgumentException e) {
                throw VenomQACommand.usageError(spec, "--strategy: " + e.getMessage());
            }
            if (seed != null && !"random".equalsIgnoreCase(strategy.trim())) {
                throw VenomQACommand.usageError(spec, "--seed applies to --strategy random only (got --strategy " + strategy + ").");
            }
        }
        if (!classes.isEmpty()) {
            List<String> openapiOnly = new ArrayList<>();
            if (!include.isEmpty()) {
                openapiOnly.add("--include");
            }
            if (!exclude.isEmpty()) {
                openapiOnly.add("--exclude");
            }
            if (baseUrl != null) {
                openapiOnly.add("--base-url");
            }
            if (invalidBodies) {
                openapiOnly.add("--invalid-bodies");
            }
            if (!openapiOnly.isEmpty()) {
                throw VenomQACommand.usageError(spec, String.join(", ", openapiOnly) + (openapiOnly.size() == 1 ? " applies"
                        : " apply") + " to --openapi only, not to --class (an exploration class sets its own client and"
                        + " moves): leave " + (openapiOnly.size() == 1 ? "it" : "them") + " out, or explore with --openapi FILE|URL.");
            }
        }
    }

    /** Exit code when {@link #fromOpenApi} returned null: 3 for an unusable document, 4 for one that cannot be fetched. */
    private int documentExit = ExitCodes.CONFIG;

    /**
     * The exploration of {@code --openapi} (or {@code openapi.document}): the document read, the
     * {@code openapi} section and the options applied, the API probed. Null, with the reason printed
     * and {@link #documentExit} set, when the document or the API cannot be used.
     */
    private Found fromOpenApi(VenomQAConfig cfg, PrintWriter err) {
        String location = openapi;
        if (location == null) {
            Object doc = cfg.openapi().map(m -> m.get("document")).orElse(null);
            if (doc == null) {
                throw new ConfigException("Nothing to explore: give --class CLASS, or --openapi FILE|URL (or openapi.document in "
                        + config.describe() + ").");
            }
            location = String.valueOf(doc);
            if (!location.matches("(?i)^(https?|file):.*") && cfg.source().isPresent() && !Path.of(location).isAbsolute()) {
                Path dir = cfg.source().get().toAbsolutePath().getParent();
                location = (dir == null ? Path.of(location) : dir.resolve(location)).toString();
            }
        }
        if (!cfg.hasDatabase()) {
            throw new ConfigException("venomqa explore needs a database to return to earlier states: set db_url in "
                    + config.describe() + ".");
        }
        VenomQAConfig withUrl = baseUrl == null ? cfg : cfg.overlay(VenomQAConfig.builder().baseUrl(baseUrl).build());
        Client client = withUrl.createClient();
        OpenApiDocument document;
        try {
            document = OpenApiDocument.read(location);
        } catch (OpenApiDocumentException e) {
            err.println("venomqa explore: " + CredentialMasker.maskText(e.getMessage()));
            err.flush();
            documentExit = e.unreachable() ? ExitCodes.DATABASE : ExitCodes.CONFIG;
            return null;
        }
        document.problems().forEach(p -> err.println("venomqa explore: " + document.location() + ": warning: " + p));
        OpenApiExploration oa = OpenApiExploration.from(document).configure(cfg);
        if (!include.isEmpty()) {
            oa.include(include.toArray(String[]::new));
        }
        if (!exclude.isEmpty()) {
            oa.exclude(exclude.toArray(String[]::new));
        }
        if (invalidBodies) {
            oa.invalidBodies(true);
        }
        try {
            client.get("/");
        } catch (HttpRequestException e) {
            err.println("venomqa explore: the API at " + CredentialMasker.maskUrl(client.baseUrl()) + " cannot be reached ("
                    + CredentialMasker.maskText(e.getMessage()) + "). Start it, or set --base-url / base_url.");
            err.flush();
            documentExit = ExitCodes.DATABASE;
            return null;
        }
        client.clearHistory();
        Exploration.Builder b = oa.explorationBuilder(client, cfg.createStateManager());
        String name = b.build().name();
        return new Found(name, b, null, oa);
    }

    /** A builder holding everything of {@code e}, to override strategy and limits. */
    private static Exploration.Builder copy(Exploration e) {
        Exploration.Builder b = Exploration.builder().name(e.name()).client(e.client()).stateManager(e.stateManager())
                .moves(e.moves()).invariants(e.invariants()).projection(e.projection()).strategy(e.strategy())
                .maxSteps(e.limits().maxSteps()).maxDepth(e.limits().maxDepth()).maxStates(e.limits().maxStates())
                .budget(e.limits().budget()).moveTimeout(e.limits().moveTimeout()).shrink(e.shrink());
        e.context().ifPresent(b::context);
        e.startJourney().ifPresent(j -> b.startFrom(j, e.startCheckpoint().orElseThrow()));
        e.listeners().forEach(b::listener);
        e.attributes().forEach(b::attribute);
        e.workers().ifPresent(b::workers);
        return b;
    }

    /**
     * An exploration's result, and the failure of the disconnect after it when the database was not put
     * back as found (reported after the result, as {@code run} does, instead of losing it).
     */
    private record Ran(ExplorationResult result, RuntimeException notPutBack) {
    }

    /** Connects first (unreachable: exit 4, as run), runs, disconnects: the database ends as it was found. */
    private Ran runConnected(Exploration e, PrintWriter err) {
        StateManager state = e.stateManager();
        if (state instanceof JdbcStateManager jdbc && "savepoint".equals(jdbc.checkpointStrategy())) {
            err.println("venomqa explore: warning: checkpoint_strategy is savepoint, which returns to earlier states only"
                    + " what goes through VenomQA's own connection. An API in another process commits through its own"
                    + " connections: set checkpoint_strategy: journal in venomqa.yaml.");
            err.flush();
        }
        if (e.workers().isPresent()) {
            return new Ran(e.run(), null); // the workers' managers are connected, and disconnected when the workers close
        }
        boolean connectedHere = !state.isConnected();
        if (connectedHere) {
            state.connect(); // a StateConnectionException becomes exit 4
        }
        ExplorationResult result;
        try (ShutdownCleanup.Registration cleanup = ShutdownCleanup.register(state, "venomqa explore")) {
            result = e.run();
        } catch (RuntimeException | Error failed) {
            if (connectedHere) { // as a finally would, without replacing the failure
                try {
                    state.disconnect();
                } catch (RuntimeException alsoFailed) {
                    failed.addSuppressed(alsoFailed);
                }
            }
            throw failed;
        }
        if (connectedHere) {
            try {
                state.disconnect();
            } catch (RuntimeException notPutBack) {
                return new Ran(result, notPutBack);
            }
        }
        return new Ran(result, null);
    }

    private static void fromClass(String name, ClassLoader loader, List<java.nio.file.Path> searched, List<Found> out,
            List<String> problems) {
        Class<?> c;
        try {
            c = Class.forName(name, true, loader);
        } catch (ClassNotFoundException e) {
            throw new ConfigException(io.venomqa.cli.internal.MissingClass.message(name, searched));
        } catch (ExceptionInInitializerError e) {
            problems.add("Class " + name + " could not be initialised (a static field or initialiser threw): "
                    + RunCommand.describe(e.getCause() != null ? e.getCause() : e));
            return;
        } catch (LinkageError e) {
            problems.add("Class " + name + " could not be loaded: " + RunCommand.describe(e));
            return;
        }
        int before = out.size() + problems.size();
        for (Method m : c.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0 || !isExploration(m.getReturnType())) {
                continue;
            }
            try {
                add(name + "." + m.getName() + "()", m.invoke(null), out);
            } catch (InvocationTargetException e) {
                problems.add(name + "." + m.getName() + "() failed: " + RunCommand.describe(e.getCause()));
            } catch (IllegalAccessException e) {
                problems.add(name + "." + m.getName() + "() cannot be called: " + RunCommand.describe(e));
            }
        }
        for (Field f : c.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && isExploration(f.getType())) {
                try {
                    add(name + "." + f.getName(), f.get(null), out);
                } catch (IllegalAccessException e) {
                    problems.add(name + "." + f.getName() + " cannot be read: " + RunCommand.describe(e));
                }
            }
        }
        if (out.size() + problems.size() == before) {
            throw new ConfigException("Class " + name + " exposes no explorations: give it public static methods (without"
                    + " parameters) or fields of type " + Exploration.Builder.class.getCanonicalName() + " or "
                    + Exploration.class.getName() + ".");
        }
    }

    private static boolean isExploration(Class<?> type) {
        return Exploration.class.isAssignableFrom(type) || Exploration.Builder.class.isAssignableFrom(type);
    }

    private static void add(String source, Object value, List<Found> out) {
        if (value instanceof Exploration.Builder b) {
            out.add(new Found(source, b, null));
        } else if (value instanceof Exploration e) {
            out.add(new Found(source, null, e));
        }
    }
}
