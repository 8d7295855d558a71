package io.venomqa.runner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How VenomQA starts one worker's API as a process of its own ({@link Workers#commands}): a command
 * whose arguments may hold {@code ${db_url}} (the worker database's URL as VenomQA writes it),
 * {@code ${jdbc_url}} (the same as a JDBC URL, user and password as parameters) and {@code ${port}} (a
 * free port chosen for the worker), substituted per worker; where the API listens
 * ({@code http://127.0.0.1:${port}} unless set) and which URL answers once it is up (the base URL
 * unless set; any HTTP status counts). Immutable.
 *
 * <p>Guarantees: the process is started without a shell (arguments are passed as they are, so no
 * quoting or globbing happens); its output goes to a file whose last lines are quoted when it ends
 * before answering or does not answer within {@link #startTimeout()}; {@link Workers#close()} stops
 * it and the processes it started, as does a JVM shutdown (Ctrl-C) before that.
 */
public final class WorkerCommand {

    private final List<String> command;
    private final String baseUrl;
    private final String healthUrl;
    private final Duration startTimeout;

    private WorkerCommand(List<String> command, String baseUrl, String healthUrl, Duration startTimeout) {
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw new IllegalArgumentException("A worker command needs at least the program to start.");
        }
        this.command = List.copyOf(command);
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.healthUrl = healthUrl;
        this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
    }

    /** The command as program and arguments, each may hold {@code ${db_url}}, {@code ${jdbc_url}}, {@code ${port}}. */
    public static WorkerCommand of(List<String> command) {
        return new WorkerCommand(command, "http://127.0.0.1:${port}", null, Duration.ofSeconds(60));
    }

    /** The command as one line, split at whitespace (no quoting: use {@link #of(List)} for arguments with spaces). */
    public static WorkerCommand parse(String line) {
        List<String> parts = new ArrayList<>(List.of(line.strip().split("\\s+")));
        parts.removeIf(String::isEmpty);
        return of(parts);
    }

    /** Where the worker's API listens, with {@code ${port}} (default {@code http://127.0.0.1:${port}}). */
    public WorkerCommand baseUrl(String template) {
        return new WorkerCommand(command, template, healthUrl, startTimeout);
    }

    /** The URL that answers once the API is up (default: the base URL); any HTTP status counts. */
    public WorkerCommand healthUrl(String template) {
        return new WorkerCommand(command, baseUrl, template, startTimeout);
    }

    /** How long to wait for the health URL to answer (default 60 s). */
    public WorkerCommand startTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("A worker's start timeout must be positive: " + timeout);
        }
        return new WorkerCommand(command, baseUrl, healthUrl, timeout);
    }

    public List<String> command() {
        return command;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The health URL template: the base URL's unless set. */
    public String healthUrl() {
        return healthUrl != null ? healthUrl : baseUrl;
    }

    public Duration startTimeout() {
        return startTimeout;
    }
}
