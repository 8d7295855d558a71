package io.venomqa.testsupport;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started with the test's own class path: {@link #run} runs one to its end (with JVM options
 * such as a small {@code -Xmx}); {@link #start} starts one that runs until the test signals it, the way a user
 * presses Ctrl-C or an orchestrator sends SIGTERM. {@link #start} returns once the child printed a
 * line {@code READY} (the point where it has written and waits); {@link #signal} sends a signal,
 * waits for the JVM to end and returns everything it printed (stdout and stderr).
 */
public final class ChildJvm implements AutoCloseable {

    /** The JVM options for child JVMs, separated by spaces; see {@link #java()}. */
    public static final String OPTIONS_PROPERTY = "venomqa.test.child_jvm_options";

    private static final long READY_SECONDS = 60;
    private static final long END_SECONDS = 60;

    private final Process process;
    private final StringBuilder seen;
    private final CompletableFuture<Void> reader;

    private ChildJvm(Process process, StringBuilder seen, CompletableFuture<Void> reader) {
        this.process = process;
        this.seen = seen;
        this.reader = reader;
    }

    /**
     * Starts {@code java [systemProperties as -Dk=v] mainClass args} and waits for its {@code READY}.
     *
     * @throws AssertionError when the child ends or stays silent before it is ready, with its output
     */
    public static ChildJvm start(List<String> systemProperties, String mainClass, String... args) throws IOException {
        List<String> cmd = java();
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
        systemProperties.forEach(p -> cmd.add("-D" + p));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder seen = new StringBuilder();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (seen) {
                        seen.append(line).append('\n');
                    }
                    if (line.equals("READY")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                // the process is gone; what was read is kept
            }
            ready.complete(null);
        });
        ChildJvm child = new ChildJvm(p, seen, reader);
        try {
            ready.get(READY_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new AssertionError("The child JVM did not get ready:\n" + child.output(), e);
        }
        if (!child.output().contains("READY\n")) {
            throw new AssertionError("The child JVM ended before it was ready:\n" + child.output());
        }
        return child;
    }

    /**
     * This JVM's {@code java} launcher followed by the options of the build's test JVMs (system property
     * {@value #OPTIONS_PROPERTY}, set by Surefire from the parent POM's {@code venomqa.test.jvm.options}), and that
     * property again so that the child's own children get the same: a new mutable list, to add the rest to.
     */
    public static List<String> java() {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        String options = System.getProperty(OPTIONS_PROPERTY, "").trim();
        if (!options.isEmpty()) {
            cmd.addAll(List.of(options.split("\\s+")));
            cmd.add("-D" + OPTIONS_PROPERTY + "=" + options);
        }
        return cmd;
    }

    /** A child JVM that ran to its end: its exit code and everything it printed (stdout and stderr). */
    public record Finished(int exitCode, String output) {
    }

    /**
     * Runs {@code java jvmOptions… mainClass args} with the test's class path to its end, at most
     * {@code limitSeconds}, and returns its exit code and output.
     *
     * @throws AssertionError when it is still running after {@code limitSeconds} (it is then ended), with its output
     */
    public static Finished run(List<String> jvmOptions, String mainClass, long limitSeconds, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = java();
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output not readable: " + e + ")";
            }
        });
        if (!p.waitFor(limitSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("The child JVM " + mainClass + " did not end within " + limitSeconds + " s:\n"
                    + output.getNow("(nothing read)"));
        }
        try {
            return new Finished(p.exitValue(), output.get(10, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("The output of the child JVM " + mainClass + " was not read to its end", e);
        }
    }

    /**
     * Sends {@code SIG<name>} ({@code INT}, {@code TERM}; {@code KILL} ends it without any hook),
     * waits for the JVM to end and returns everything it printed.
     */
    public String signal(String name) throws IOException, InterruptedException {
        if (name.equals("KILL")) {
            process.destroyForcibly();
        } else {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
            }
        }
        if (!process.waitFor(END_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("The child JVM did not end after SIG" + name + ":\n" + output());
        }
        try {
            reader.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("The child's output was not read to its end:\n" + output(), e);
        }
        return output();
    }

    /** What the child printed so far. */
    public String output() {
        synchronized (seen) {
            return seen.toString();
        }
    }

    /** Ends the child if it still runs (a failed test must not leave it waiting). */
    @Override
    public void close() {
        process.destroyForcibly();
    }
}
