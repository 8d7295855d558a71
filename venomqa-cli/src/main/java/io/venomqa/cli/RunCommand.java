package io.venomqa.cli;

import io.venomqa.cli.internal.LineStream;
import io.venomqa.config.ConfigException;
import io.venomqa.config.VenomQAConfig;
import io.venomqa.journey.Journey;
import io.venomqa.report.ConsoleReporter;
import io.venomqa.runner.JourneyProvider;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
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

    @Override
    public Integer call() throws Exception {
        return classPath.with(this::runWithClassPath);
    }

    private Integer runWithClassPath() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        List<Journey> found = discover(loader);
        List<Journey> selected = select(found);
        if (list) {
            for (Journey j : selected) {
                out.println(j.name() + (j.tags().isEmpty() ? "" : "  [" + String.join(", ", j.tags()) + "]")
                        + (j.description().isEmpty() ? "" : "  " + j.description()));
            }
            out.flush();
            return ExitCodes.OK;
        }
        VenomQAConfig cfg = config.load();
        JourneyRunner.Builder b = cfg.runnerBuilder().failFast(failFast);
        if (reportDir != null) {
            b.reportDir(reportDir);
        }
        PrintStream console = LineStream.to(out);
        b.listener(new ConsoleReporter(console, false));
        JourneyRunner runner = b.build();
        List<JourneyResult> results = runner.runAll(selected);
        console.flush();
        long failed = results.stream().filter(JourneyResult::failed).count();
        out.println();
        out.println(results.size() + " journey" + (results.size() == 1 ? "" : "s") + ": " + (results.size() - failed)
                + " passed, " + failed + " failed" + (results.size() < selected.size()
                ? ", " + (selected.size() - results.size()) + " not run (fail-fast)" : ""));
        for (JourneyResult r : results) {
            if (r.failed()) {
                out.println("  ✗ " + r.name() + ": " + r.failures().size() + " failure" + (r.failures().size() == 1 ? "" : "s"));
            }
        }
        out.flush();
        return failed == 0 && results.size() == selected.size() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private List<Journey> discover(ClassLoader loader) throws Exception {
        List<Journey> out = new ArrayList<>();
        if (!classes.isEmpty()) {
            for (String name : classes) {
                out.addAll(fromClass(name, loader));
            }
        } else {
            for (JourneyProvider p : ServiceLoader.load(JourneyProvider.class, loader)) {
                out.addAll(p.journeys());
            }
            if (out.isEmpty()) {
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
        return out;
    }

    private static List<Journey> fromClass(String name, ClassLoader loader) throws Exception {
        Class<?> c;
        try {
            c = Class.forName(name, true, loader);
        } catch (ClassNotFoundException e) {
            throw new ConfigException("Class " + name + " not found. Add the jar or directory holding it with --class-path.");
        }
        List<Journey> out = new ArrayList<>();
        if (JourneyProvider.class.isAssignableFrom(c)) {
            out.addAll(((JourneyProvider) c.getConstructor().newInstance()).journeys());
            return out;
        }
        for (Method m : c.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0) {
                if (Journey.class.isAssignableFrom(m.getReturnType())) {
                    out.add((Journey) m.invoke(null));
                } else if (Collection.class.isAssignableFrom(m.getReturnType())
                        && m.getGenericReturnType().getTypeName().contains(Journey.class.getName())) {
                    for (Object o : (Collection<?>) m.invoke(null)) {
                        out.add((Journey) o);
                    }
                }
            }
        }
        for (Field f : c.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && Journey.class.isAssignableFrom(f.getType())) {
                out.add((Journey) f.get(null));
            }
        }
        if (out.isEmpty()) {
            throw new ConfigException("Class " + name + " exposes no journeys: implement " + JourneyProvider.class.getName()
                    + ", or give it public static methods (without parameters) or fields of type Journey.");
        }
        return out;
    }

    private List<Journey> select(List<Journey> found) {
        if (tags.isEmpty()) {
            return found;
        }
        List<Journey> out = found.stream().filter(j -> j.tags().stream().anyMatch(tags::contains)).toList();
        if (out.isEmpty()) {
            Set<String> all = new TreeSet<>();
            found.forEach(j -> all.addAll(j.tags()));
            throw new ConfigException("No journey has the tag" + (tags.size() == 1 ? " " : "s ") + tags + ". Tags found: "
                    + (all.isEmpty() ? "none" : String.join(", ", all)) + ".");
        }
        return out;
    }
}
