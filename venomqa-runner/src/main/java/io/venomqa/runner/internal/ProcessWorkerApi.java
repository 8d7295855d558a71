package io.venomqa.runner.internal;

import io.venomqa.core.CredentialMasker;
import io.venomqa.runner.WorkerApi;
import io.venomqa.runner.WorkerCommand;
import io.venomqa.state.WorkerDatabaseException;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts one worker's API from a {@link WorkerCommand}: picks a free port, substitutes
 * {@code ${db_url}}, {@code ${jdbc_url}}, {@code ${port}}, starts the process (output to a temporary
 * file), waits (when asked, so that several start at once) until the health URL answers, and stops
 * the process tree when closed or when the JVM shuts down first. Each process is recorded ({@link WorkerProcessRecords}) until it is stopped, so that
 * after a {@code kill -9} of this JVM the next run stops it. Not API.
 */
public final class ProcessWorkerApi {

    private static final Duration POLL = Duration.ofMillis(100);

    private ProcessWorkerApi() {
    }

    /**
     * A worker process started and not yet known to answer: {@link #api()} stops it when closed, and
     * {@link #awaitReady()} waits for its health URL. Starting every worker's process before waiting
     * for any lets them start in about the time of one.
     */
    public static final class Launched {
        private final Process process;
        private final Path log;
        private final String health;
        private final Duration timeout;
        private final int number;
        private final WorkerApi api;

        private Launched(Process process, Optional<Path> record, Thread hook, Path log, String health, Duration timeout,
                         int number, String baseUrl) {
            this.process = process;
            this.log = log;
            this.health = health;
            this.timeout = timeout;
            this.number = number;
            this.api = WorkerApi.of(baseUrl, () -> {
                stop(process, record);
                removeHook(hook);
                Files.deleteIfExists(log);
            });
        }

        /** The worker's API; closing it stops the process tree. */
        public WorkerApi api() {
            return api;
        }

        /**
         * Waits until the health URL answers (any status).
         *
         * @throws WorkerDatabaseException when the process ends first or does not answer in time (the caller closes {@link #api()})
         */
        public void awaitReady() {
            awaitHealth(process, health, timeout, number, log);
        }
    }

    /**
     * Starts worker {@code number}'s API over the database at {@code dbUrl} without waiting for it.
     *
     * @throws WorkerDatabaseException when the process cannot start
     */
    public static Launched launch(WorkerCommand command, int number, String dbUrl) {
        int port = freePort();
        String jdbc = JdbcUrls.of(dbUrl).orElse(null);
        Map<String, String> vars = new java.util.HashMap<>();
        vars.put("db_url", dbUrl);
        vars.put("port", Integer.toString(port));
        if (jdbc != null) {
            vars.put("jdbc_url", jdbc);
        }
        List<String> args = new ArrayList<>();
        for (String a : command.command()) {
            args.add(substitute(a, vars, dbUrl));
        }
        String baseUrl = substitute(command.baseUrl(), vars, dbUrl);
        String health = substitute(command.healthUrl(), vars, dbUrl);
        Path log;
        Process process;
        try {
            log = Files.createTempFile("venomqa-worker-" + number + "-", ".log");
            process = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new WorkerDatabaseException("Worker " + number + "'s command could not start (" + command.command().get(0)
                    + "): " + e.getMessage() + ". Check worker_command.", e);
        }
        // A kill -9 of this JVM leaves the process running; the record lets the next run stop it.
        Optional<Path> record = WorkerProcessRecords.record(process, number, args);
        Thread hook = new Thread(() -> stop(process, record), "venomqa-worker-" + number + "-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return new Launched(process, record, hook, log, health, command.startTimeout(), number, baseUrl);
    }

    private static String substitute(String template, Map<String, String> vars, String dbUrl) {
        String out = template;
        for (String name : List.of("db_url", "jdbc_url", "port")) {
            String key = "${" + name + "}";
            if (out.contains(key)) {
                String v = vars.get(name);
                if (v == null) {
                    throw new WorkerDatabaseException("worker_command uses ${" + name + "}, but the worker database "
                            + CredentialMasker.maskUrl(dbUrl) + " has no JDBC URL; use ${db_url}.");
                }
                out = out.replace(key, v);
            }
        }
        return out;
    }

    private static void awaitHealth(Process process, String health, Duration timeout, int number, Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new WorkerDatabaseException("Worker " + number + "'s API ended (exit code " + process.exitValue()
                        + ") before " + CredentialMasker.maskUrl(health) + " answered. Its last output:\n" + tail(log));
            }
            try {
                http.send(HttpRequest.newBuilder(URI.create(health)).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                return; // any status: the server is up
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WorkerDatabaseException("Interrupted while waiting for worker " + number + "'s API.", e);
            }
            if (System.nanoTime() > deadline) {
                throw new WorkerDatabaseException("Worker " + number + "'s API did not answer at " + CredentialMasker.maskUrl(health)
                        + " within " + timeout.toSeconds() + " s. Check worker_health_url and the command; its last output:\n" + tail(log));
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WorkerDatabaseException("Interrupted while waiting for worker " + number + "'s API.", e);
            }
        }
    }

    /** The last lines of the process's output, masked. */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return CredentialMasker.maskText(String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
        } catch (IOException e) {
            return "(its output could not be read: " + e.getMessage() + ")";
        }
    }

    /** Stops the process and what it started, then removes its record. */
    private static void stop(Process process, Optional<Path> record) {
        WorkerProcessRecords.stopTree(process.toHandle());
        WorkerProcessRecords.forget(record);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    /** Ports handed out lately, by when: processes started together have not bound theirs yet. */
    private static final Map<Integer, Long> HANDED_OUT = new java.util.HashMap<>();

    /**
     * A port free now and not handed to another worker in the last two minutes: the OS may give a
     * port back as soon as the probe closes it, before the worker started just before binds it.
     */
    private static synchronized int freePort() {
        long now = System.nanoTime();
        HANDED_OUT.values().removeIf(t -> now - t > Duration.ofMinutes(2).toNanos());
        for (int attempt = 0; ; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new WorkerDatabaseException("No free port for a worker's API: " + e.getMessage(), e);
            }
            if (!HANDED_OUT.containsKey(port) || attempt == 20) {
                HANDED_OUT.put(port, now);
                return port;
            }
        }
    }
}
