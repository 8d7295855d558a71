package io.venomqa.runner.internal;

import io.venomqa.core.CredentialMasker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A file per worker process VenomQA started, so that a run killed with {@code kill -9} (which runs no
 * shutdown hook, and whose children the OS leaves running) does not leave APIs behind for good: the
 * next run that starts worker processes stops those whose owner is dead. Not API.
 *
 * <p>A record names the owning JVM and the worker process by process id <em>and</em> start time, so
 * a process id the OS has since handed to another program is never mistaken for either: a record is
 * acted on only when its owner is gone, and a process is stopped only when its start time is the one
 * recorded. A record whose process has already ended is just removed.
 */
public final class WorkerProcessRecords {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerProcessRecords.class);

    /** System property naming the directory of the records (default: {@code venomqa-worker-processes} in the temporary directory). */
    public static final String DIRECTORY_PROPERTY = "venomqa.worker_process_records";

    private static final String SUFFIX = ".worker";

    private WorkerProcessRecords() {
    }

    /** The directory holding the records of every VenomQA run of this user on this machine. */
    static Path directory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "venomqa-worker-processes");
    }

    /**
     * Records {@code process}, worker {@code number}'s API started by this JVM with {@code command}.
     *
     * @return the record, removed by {@link #forget} once the process is stopped; empty when it could not
     * be written (the run goes on: only a later {@code kill -9} would then leave the process behind, and
     * the log says so now)
     */
    public static Optional<Path> record(Process process, int number, List<String> command) {
        return record(process, number, command, directory());
    }

    static Optional<Path> record(Process process, int number, List<String> command, Path dir) {
        ProcessHandle self = ProcessHandle.current();
        Properties p = new Properties();
        p.setProperty("owner.pid", Long.toString(self.pid()));
        self.info().startInstant().ifPresent(t -> p.setProperty("owner.start", t.toString()));
        p.setProperty("pid", Long.toString(process.pid()));
        process.toHandle().info().startInstant().ifPresent(t -> p.setProperty("start", t.toString()));
        p.setProperty("worker", Integer.toString(number));
        p.setProperty("command", shortened(CredentialMasker.maskText(String.join(" ", command))));
        Path file = dir.resolve(self.pid() + "-" + process.pid() + SUFFIX);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "writing-", ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "A worker API process started by VenomQA; the next run stops it if its owner died without doing so");
            }
            // Whole or absent: a reader never sees a half-written record.
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return Optional.of(file);
        } catch (IOException e) {
            LOG.warn("Could not record worker {}'s process (pid {}) in {}: {}. If this JVM is killed with kill -9, stop"
                    + " that process by hand.", number, process.pid(), dir, e.getMessage());
            return Optional.empty();
        }
    }

    /** A command line fit for one log line: a long class path cut out of its middle. */
    static String shortened(String commandLine) {
        return commandLine.length() <= 300 ? commandLine
                : commandLine.substring(0, 100) + " … " + commandLine.substring(commandLine.length() - 180);
    }

    /** Removes a record whose process was stopped. */
    public static void forget(Optional<Path> record) {
        record.ifPresent(r -> {
            try {
                Files.deleteIfExists(r);
            } catch (IOException e) {
                // Harmless: the next run finds the process ended and removes the record.
                LOG.debug("Could not remove {}: {}", r, e.getMessage());
            }
        });
    }

    /**
     * Stops every recorded worker process whose owning JVM has ended (with what that process started),
     * removes their records, and returns one line per process stopped, each naming its pid and
     * command. Records of live owners are left alone, in this JVM or another.
     */
    public static List<String> stopLeftovers() {
        return stopLeftovers(directory());
    }

    static List<String> stopLeftovers(Path dir) {
        List<String> stopped = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return stopped;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                leftover(file).ifPresent(stopped::add);
            }
        } catch (IOException e) {
            LOG.warn("Could not read the worker process records in {}: {}", dir, e.getMessage());
        }
        if (!stopped.isEmpty()) {
            LOG.warn("Stopped {} worker API process(es) left running by a VenomQA run that ended without stopping them"
                    + " (killed or crashed): {}", stopped.size(), stopped);
        }
        return stopped;
    }

    /** Handles one record: empty when its owner lives or its process was already gone. */
    private static Optional<String> leftover(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            return Optional.empty(); // removed meanwhile by its owner
        }
        long ownerPid;
        long pid;
        try {
            ownerPid = Long.parseLong(p.getProperty("owner.pid", ""));
            pid = Long.parseLong(p.getProperty("pid", ""));
        } catch (NumberFormatException e) {
            LOG.warn("Ignoring {}: not a VenomQA worker process record.", file);
            return Optional.empty();
        }
        if (alive(ownerPid, p.getProperty("owner.start")).isPresent()) {
            return Optional.empty();
        }
        Optional<ProcessHandle> process = alive(pid, p.getProperty("start"));
        Optional<String> result = Optional.empty();
        if (process.isPresent() && p.getProperty("start") != null) {
            stopTree(process.get());
            result = Optional.of("pid " + pid + " (worker " + p.getProperty("worker", "?") + ": "
                    + p.getProperty("command", "?") + ")");
        } else if (process.isPresent()) {
            // Without a recorded start time, pid reuse cannot be ruled out: never kill on a guess.
            LOG.warn("A VenomQA run that ended without cleaning up started process {} ({}); this OS gives no start"
                    + " time to prove it is still that process, so it was not stopped: check it with ps.", pid,
                    p.getProperty("command", "?"));
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("Could not remove {}: {}", file, e.getMessage());
        }
        return result;
    }

    /**
     * The process {@code pid} if it runs and, when {@code start} is known, started then (the same
     * program, not a later one given the same id).
     */
    private static Optional<ProcessHandle> alive(long pid, String start) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (h.isEmpty() || start == null) {
            return h;
        }
        Optional<Instant> now = h.get().info().startInstant();
        return now.isPresent() && now.get().equals(Instant.parse(start)) ? h : Optional.empty();
    }

    /** Stops the process and what it started: politely, then by force after 10 s. */
    static void stopTree(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
        all.add(root);
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
    }
}
