package io.venomqa.cli;

import io.venomqa.cli.internal.LineStream;
import io.venomqa.config.ConfigException;
import io.venomqa.config.VenomQAConfig;
import io.venomqa.journey.Journey;
import io.venomqa.report.ConsoleReporter;
import io.venomqa.runner.JourneyProvider;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.runner.Workers;
import io.venomqa.runner.Shard;
import io.venomqa.core.CredentialMasker;
import io.venomqa.state.StateManager;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.core.VenomQAException;
import io.venomqa.state.ShutdownCleanup;
import io.venomqa.core.DidYouMean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code venomqa run}: runs the journeys a class path exposes, with the console tree and the
 * reports, and exits 0 only when every journey passed. Journeys come from the classes named with
 * {@code --class} (a {@link JourneyProvider}, or public static methods/fields giving journeys), or,
 * when none is named, from every {@link JourneyProvider} registered through {@link ServiceLoader}.
 * Each journey connects the configured state manager for its run and disconnects after it, so the
 * database ends as it was.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run journeys with the console tree and reports; exit 1 if any fails.",
                "Journeys come from the classes named with --class, else from every JourneyProvider registered in META-INF/services/io.venomqa.runner.JourneyProvider on the class path."},
        footer = ExitCodes.HELP_FOOTER)
public final class RunCommand implements Callable<Integer> {

    private static final String SAVEPOINT = "savepoint";

    /**
     * Said once per run: the API that {@code venomqa run} calls is always another process, which a
     * savepoint on VenomQA's own connection cannot reach.
     */
    static final String SAVEPOINT_WARNING = "venomqa run: warning: checkpoint_strategy is savepoint, which rolls back"
            + " only what goes through VenomQA's own database connection. The API this command calls runs in another"
            + " process with its own connections, so what it commits is NOT rolled back between paths. Set"
            + " checkpoint_strategy: journal in venomqa.yaml to roll back what the API commits.";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = {"-t", "--tag"}, paramLabel = "TAG",
            description = "Run only journeys with this tag (repeatable: any of them).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--class", paramLabel = "CLASS",
            description = "A class exposing journeys: a JourneyProvider, or public static methods/fields of type Journey (repeatable).")
    List<String> classes = new ArrayList<>();

    @Mixin
    ClassPathOption classPath;

    @Option(names = "--report-dir", paramLabel = "DIR", description = "Write reports here (default: report_dir of the file).")
    Path reportDir;

    @Option(names = "--fail-fast", description = "Stop at the first failure.")
    boolean failFast;

    @Option(names = "--list", description = "List the journeys that would run, and do not run them.")
    boolean list;

    @Option(names = "--shard", paramLabel = "I/N", description = "Run only part I of N of the journeys (chosen by a hash of"
            + " each journey's name: shards 1/N … N/N together run every journey once), for a CI matrix; merge the"
            + " shards' report directories with 'venomqa merge-reports'.")
    String shard;

    @Option(names = "--reset", description = "Before the first journey, empty the reset tables and checkpoint"
            + " clean_state (as reset: before_run in venomqa.yaml).")
    boolean reset;

    /** {@link #shard} read, or null. */
    private Shard part;

    /** Said after the results of run and explore when no report directory is set, instead of writing none in silence. */
    static final String NO_REPORTS = "No reports written: no report directory is set. Pass --report-dir DIR, or set"
            + " report_dir: in venomqa.yaml, for JSON, JUnit XML and HTML reports.";

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // The command line first (exit 2), then the file it names (exit 3), before looking for journeys.
        part = shard == null ? null : parseShard(shard);
        config.requireNamedFile();
        ClassLoader parent = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = classPath.loader(parent);
        Thread.currentThread().setContextClassLoader(loader);
        try {
            Discovery found = discover(loader);
            // A journey that cannot be built is a configuration error (3), said in its own words; the
            // others are still listed, so one typo does not hide what else is there.
            for (String problem : found.problems()) {
                err.println("venomqa run: " + CredentialMasker.maskText(problem));
            }
            err.flush();
            if (!found.problems().isEmpty() && !list) {
                err.println("venomqa run: nothing was run: fix the journey" + (found.problems().size() == 1 ? "" : "s")
                        + " above first (list the others with --list).");
                err.flush();
                return ExitCodes.CONFIG;
            }
            List<Journey> selected = found.journeys().isEmpty() ? List.of() : select(found.journeys());
            if (part != null) {
                int all = selected.size();
                selected = part.select(selected);
                err.println("venomqa run: shard " + part + ": " + selected.size() + " of " + all + " journeys.");
                err.flush();
            }
            if (list) {
                for (Journey j : selected) {
                    out.println(j.name() + (j.tags().isEmpty() ? "" : "  [" + String.join(", ", j.tags()) + "]")
                            + (j.description().isEmpty() ? "" : "  " + j.description()));
                }
                out.flush();
                return found.problems().isEmpty() ? ExitCodes.OK : ExitCodes.CONFIG;
            }
            VenomQAConfig cfg = config.load();
            boolean resetFirst = reset || cfg.resetBeforeRun();
            if (resetFirst && (cfg.workers() > 1 || !cfg.workerEndpoints().isEmpty())) {
                throw new ConfigException("--reset (reset: before_run) does not apply to workers (" + VenomQAConfig.WORKERS
                        + ": " + cfg.workers() + "): each worker's database is used as it is found. Reset them before the run,"
                        + " or run with workers: 1.");
            }
            try (WorkersHandle workers = new WorkersHandle(cfg.createWorkers().orElse(null))) {
                return runSelected(cfg, selected, resetFirst, workers.workers(), out, err);
            }
        } finally {
            Thread.currentThread().setContextClassLoader(parent);
        }
    }

    private int runSelected(VenomQAConfig cfg, List<Journey> selected, boolean resetFirst, Workers workers,
                            PrintWriter out, PrintWriter err) {
        {
            JourneyRunner.Builder b = (workers == null ? cfg.runnerBuilder() : workerRunnerBuilder(cfg, workers)).failFast(failFast);
            if (reportDir != null) {
                b.reportDir(reportDir);
            }
            PrintStream console = LineStream.to(out);
            b.listener(new ConsoleReporter(console, false));
            JourneyRunner runner = b.build();
            List<JourneyResult> results = new ArrayList<>();
            RuntimeException unreachable = null;
            RuntimeException notPutBack = null;
            StateManager state = runner.stateManager();
            if (resetFirst && state == null) {
                throw new ConfigException("--reset (reset: before_run) needs a database: set db_url in venomqa.yaml.");
            }
            if (state instanceof JdbcStateManager jdbc && SAVEPOINT.equals(jdbc.checkpointStrategy())) {
                err.println(SAVEPOINT_WARNING);
                err.flush();
            }
            for (Journey j : selected) {
                // The command connects for each journey itself (the runner would turn a refused connection
                // into a failed journey): a database that cannot be reached is exit 4, not "journey failed".
                ShutdownCleanup.Registration cleanup = null;
                if (state != null) {
                    try {
                        state.connect();
                    } catch (RuntimeException e) {
                        unreachable = e;
                        break;
                    }
                    cleanup = ShutdownCleanup.register(state, "venomqa run");
                    if (resetFirst && results.isEmpty()) {
                        try {
                            // Committed; every journey's disconnect then comes back to this state.
                            state.reset();
                            state.checkpoint(VenomQAConfig.CLEAN_STATE);
                        } catch (RuntimeException e) {
                            cleanup.close();
                            state.disconnect();
                            throw e; // refused (5), unreachable (4) or failed (1), printed masked
                        }
                        out.println("reset: the reset tables were emptied; checkpoint " + VenomQAConfig.CLEAN_STATE
                                + " taken before the first journey.");
                    }
                }
                JourneyResult r;
                try {
                    r = runner.run(j);
                } finally {
                    if (state != null) {
                        cleanup.close();
                        try {
                            state.disconnect();
                        } catch (RuntimeException e) {
                            notPutBack = e; // the database is not as found: reported after the results, exit 1
                        }
                    }
                }
                if (notPutBack != null) {
                    // The reports the run wrote said the paths were isolated: they were not.
                    r = r.databaseNotPutBack(CredentialMasker.maskText(String.valueOf(notPutBack.getMessage())));
                    runner.writeReports(r);
                }
                results.add(r);
                if (notPutBack != null || failFast && r.failed()) {
                    break;
                }
            }
            console.flush();
            Path reports = runner.reportDir();
            if (part != null && reports != null) {
                // Also for a shard that got no journey: its directory then exists and merge-reports takes it.
                try {
                    io.venomqa.report.ReportMerge.writeShardSummary(reports, part.index(), part.count(),
                            selected.stream().map(Journey::name).toList());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("Could not write the shard summary to " + reports.toAbsolutePath()
                            + ": " + e.getMessage(), e);
                }
            }
            long failed = results.stream().filter(JourneyResult::failed).count();
            if (!results.isEmpty() || unreachable == null) {
                out.println();
                out.println(results.size() + " journey" + (results.size() == 1 ? "" : "s") + ": " + (results.size() - failed)
                        + " passed, " + failed + " failed" + (results.size() < selected.size()
                        ? ", " + (selected.size() - results.size()) + " not run (" + (unreachable != null
                        ? "database unreachable" : notPutBack != null ? "the database was not put back as found" : "fail-fast") + ")" : ""));
                for (JourneyResult r : results) {
                    if (r.failed()) {
                        out.println("  ✗ " + r.name() + ": " + r.failures().size() + " failure" + (r.failures().size() == 1 ? "" : "s"));
                    }
                }
                if (reports == null) {
                    out.println(NO_REPORTS);
                }
            }
            out.flush();
            if (unreachable != null) {
                throw unreachable; // mapped to its exit code (4 for a connection) and printed masked
            }
            if (notPutBack != null) {
                throw notPutBack; // after the journeys' results, which it does not change; printed masked
            }
            return failed == 0 && results.size() == selected.size() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    /**
     * With workers the journeys run on the workers' APIs and databases: the runner gets a client like
     * base_url's (a model for the workers' clients) and no state manager of its own.
     */
    private static JourneyRunner.Builder workerRunnerBuilder(VenomQAConfig cfg, Workers workers) {
        VenomQAConfig.Builder c = cfg.toBuilder();
        if (cfg.baseUrl().isEmpty()) {
            c.baseUrl(workers.baseUrls().get(0)); // base_url may be left out when every worker has its own
        }
        JourneyRunner.Builder b = JourneyRunner.builder(c.build().createClient()).workers(workers);
        cfg.reportDir().ifPresent(b::reportDir);
        return b;
    }

    /** The journeys that could be built, and one message per source that could not. */
    private record Discovery(List<Journey> journeys, List<String> problems) {
    }

    private Discovery discover(ClassLoader loader) {
        List<Journey> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!classes.isEmpty()) {
            for (String name : classes) {
                fromClass(name, loader, classPath.entries, out, problems);
            }
        } else {
            Iterator<JourneyProvider> it = ServiceLoader.load(JourneyProvider.class, loader).iterator();
            while (true) {
                JourneyProvider p;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    p = it.next();
                } catch (ServiceConfigurationError e) {
                    problems.add("A JourneyProvider registered in META-INF/services/" + JourneyProvider.class.getName()
                            + " could not be loaded: " + describe(e.getCause() != null ? e.getCause() : e));
                    continue;
                }
                fromProvider(p, out, problems);
            }
            if (out.isEmpty() && problems.isEmpty()) {
                throw new ConfigException("No journeys found: no JourneyProvider is registered in META-INF/services/"
                        + JourneyProvider.class.getName() + " on the class path. Add your journeys' jar or classes with"
                        + " --class-path, and register a provider or name a class with --class.");
            }
        }
        Set<String> names = new LinkedHashSet<>();
        for (Journey j : out) {
            if (!names.add(j.name())) {
                throw new ConfigException("Two journeys are named '" + j.name() + "'; reports are named after journeys,"
                        + " so names must be unique.");
            }
        }
        return new Discovery(out, problems);
    }

    private static void fromProvider(JourneyProvider p, List<Journey> out, List<String> problems) {
        try {
            List<Journey> journeys = p.journeys();
            if (journeys != null) {
                journeys.stream().filter(Objects::nonNull).forEach(out::add);
            }
        } catch (RuntimeException | LinkageError e) {
            problems.add(p.getClass().getName() + ".journeys() failed: " + describe(e));
        }
    }

    private static void fromClass(String name, ClassLoader loader, List<java.nio.file.Path> searched, List<Journey> out,
            List<String> problems) {
        Class<?> c;
        try {
            c = Class.forName(name, true, loader);
        } catch (ClassNotFoundException e) {
            throw new ConfigException(io.venomqa.cli.internal.MissingClass.message(name, searched));
        } catch (ExceptionInInitializerError e) {
            // A static Journey field whose builder threw: the whole class is unusable, but other classes are not.
            problems.add("Class " + name + " could not be initialised (a static field or initialiser threw): "
                    + describe(e.getCause() != null ? e.getCause() : e));
            return;
        } catch (LinkageError e) {
            problems.add("Class " + name + " could not be loaded: " + describe(e));
            return;
        }
        if (JourneyProvider.class.isAssignableFrom(c)) {
            JourneyProvider p;
            try {
                p = (JourneyProvider) c.getConstructor().newInstance();
            } catch (NoSuchMethodException | IllegalAccessException | InstantiationException e) {
                problems.add("Class " + name + " is a JourneyProvider without a public no-argument constructor.");
                return;
            } catch (InvocationTargetException e) {
                problems.add("new " + name + "() failed: " + describe(e.getCause()));
                return;
            }
            fromProvider(p, out, problems);
            return;
        }
        int before = out.size() + problems.size();
        for (Method m : c.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0) {
                boolean single = Journey.class.isAssignableFrom(m.getReturnType());
                boolean many = Collection.class.isAssignableFrom(m.getReturnType())
                        && m.getGenericReturnType().getTypeName().contains(Journey.class.getName());
                if (!single && !many) {
                    continue;
                }
                Object value;
                try {
                    value = m.invoke(null);
                } catch (InvocationTargetException e) {
                    problems.add(name + "." + m.getName() + "() failed: " + describe(e.getCause()));
                    continue;
                } catch (IllegalAccessException e) {
                    problems.add(name + "." + m.getName() + "() cannot be called: " + describe(e));
                    continue;
                }
                if (single && value != null) {
                    out.add((Journey) value);
                } else if (many && value != null) {
                    for (Object o : (Collection<?>) value) {
                        out.add((Journey) o);
                    }
                }
            }
        }
        for (Field f : c.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && Journey.class.isAssignableFrom(f.getType())) {
                try {
                    Object value = f.get(null);
                    if (value != null) {
                        out.add((Journey) value);
                    }
                } catch (IllegalAccessException e) {
                    problems.add(name + "." + f.getName() + " cannot be read: " + describe(e));
                }
            }
        }
        if (out.size() + problems.size() == before) {
            throw new ConfigException("Class " + name + " exposes no journeys: implement " + JourneyProvider.class.getName()
                    + ", or give it public static methods (without parameters) or fields of type Journey.");
        }
    }

    /**
     * An exception as the user needs it: VenomQA's own (such as an invalid journey: "… Did you mean
     * 'order_created'?") by its message, anything else with its type and where it was thrown.
     */
    static String describe(Throwable e) {
        if (e == null) {
            return "(no cause)";
        }
        if (e instanceof VenomQAException && e.getMessage() != null) {
            return e.getMessage();
        }
        StringBuilder sb = new StringBuilder(e.getClass().getName());
        if (e.getMessage() != null) {
            sb.append(": ").append(e.getMessage());
        }
        StackTraceElement[] trace = e.getStackTrace();
        if (trace.length > 0) {
            sb.append(" (at ").append(trace[0]).append(')');
        }
        return sb.toString();
    }

    private Shard parseShard(String text) {
        try {
            return Shard.parse(text);
        } catch (IllegalArgumentException e) {
            throw VenomQACommand.usageError(spec, "--shard: " + e.getMessage());
        }
    }

    /** Journeys with any of the tags, compared ignoring case ("Smoke" selects "smoke"). */
    private List<Journey> select(List<Journey> found) {
        if (tags.isEmpty()) {
            return found;
        }
        List<Journey> out = found.stream()
                .filter(j -> j.tags().stream().anyMatch(t -> tags.stream().anyMatch(t::equalsIgnoreCase)))
                .toList();
        if (out.isEmpty()) {
            Set<String> all = new TreeSet<>();
            found.forEach(j -> all.addAll(j.tags()));
            String hint = tags.stream().map(t -> DidYouMean.nearest(t, all)).flatMap(Optional::stream).findFirst()
                    .map(n -> " Did you mean '" + n + "'?").orElse("");
            throw new ConfigException("No journey has the tag" + (tags.size() == 1 ? " " : "s ") + tags + "." + hint
                    + " Tags found: " + (all.isEmpty() ? "none" : String.join(", ", all)) + ".");
        }
        return out;
    }
}
