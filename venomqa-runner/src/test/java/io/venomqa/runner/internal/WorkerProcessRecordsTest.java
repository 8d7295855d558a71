package io.venomqa.runner.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the next run does with the records of worker processes: it stops a dead owner's process and
 * what that process started, and leaves alone a live owner's process and a process whose id now
 * belongs to another program. Real processes ({@code sh}, {@code sleep}); a dead owner is a process
 * that has ended.
 */
class WorkerProcessRecordsTest {

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killStarted() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void aDeadOwnersProcessIsStoppedWithWhatItStarted() throws Exception {
        Process api = start("sleep 300 & wait");
        List<ProcessHandle> children = awaitChildren(api);
        Path record = WorkerProcessRecords.record(api, 2, List.of("sh", "-c", "the script"), dir).orElseThrow();
        edit(record, "owner.pid", Long.toString(endedPid()));

        List<String> stopped = WorkerProcessRecords.stopLeftovers(dir);

        assertThat(stopped).singleElement().asString().isEqualTo("pid " + api.pid() + " (worker 2: sh -c the script)");
        assertThat(api.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(children).allSatisfy(c -> assertThat(c.isAlive()).as("child %s", c.pid()).isFalse());
        assertThat(record).doesNotExist();
    }

    @Test
    void aLiveOwnersProcessIsLeftAlone() throws Exception {
        Process api = start("sleep 300");
        Path record = WorkerProcessRecords.record(api, 1, List.of("sh", "-c", "the script"), dir).orElseThrow();

        assertThat(WorkerProcessRecords.stopLeftovers(dir)).isEmpty();

        assertThat(api.isAlive()).isTrue();
        assertThat(record).exists();
        WorkerProcessRecords.forget(java.util.Optional.of(record));
        assertThat(record).doesNotExist();
    }

    @Test
    void aProcessIdNowUsedByAnotherProgramIsNotStopped() throws Exception {
        Process other = start("sleep 300");
        Path record = WorkerProcessRecords.record(other, 1, List.of("sh", "-c", "the script"), dir).orElseThrow();
        edit(record, "owner.pid", Long.toString(endedPid()));
        // The recorded process started at another time: the id was handed on.
        edit(record, "start", Instant.parse(read(record).getProperty("start")).minusSeconds(3600).toString());

        assertThat(WorkerProcessRecords.stopLeftovers(dir)).isEmpty();

        assertThat(other.isAlive()).isTrue();
        assertThat(record).as("acted on once, then removed").doesNotExist();
    }

    @Test
    void aRecordWhoseProcessHasEndedIsRemoved() throws Exception {
        Process api = start("exit 0");
        Path record = WorkerProcessRecords.record(api, 1, List.of("sh", "-c", "the script"), dir).orElseThrow();
        api.waitFor();
        edit(record, "owner.pid", Long.toString(endedPid()));

        assertThat(WorkerProcessRecords.stopLeftovers(dir)).isEmpty();
        assertThat(record).doesNotExist();
    }

    @Test
    void aLongCommandLineIsCutInItsMiddle() {
        String line = "java -cp " + "x".repeat(5000) + " io.example.Api jdbc:postgresql://h/db_vqw_abc_1";
        assertThat(WorkerProcessRecords.shortened(line)).hasSizeLessThan(300).startsWith("java -cp xxx")
                .endsWith("io.example.Api jdbc:postgresql://h/db_vqw_abc_1").contains(" … ");
        assertThat(WorkerProcessRecords.shortened("java -jar api.jar")).isEqualTo("java -jar api.jar");
    }

    @Test
    void noDirectoryNoLeftovers() {
        assertThat(WorkerProcessRecords.stopLeftovers(dir.resolve("absent"))).isEmpty();
    }

    private Process start(String script) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", script).start();
        started.add(p);
        return p;
    }

    private static List<ProcessHandle> awaitChildren(Process p) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            List<ProcessHandle> c = p.descendants().toList();
            if (!c.isEmpty()) {
                return c;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("sh started no child");
    }

    /** The id of a process that has ended. */
    private static long endedPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private static Properties read(Path record) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(record)) {
            p.load(r);
        }
        return p;
    }

    private static void edit(Path record, String key, String value) throws IOException {
        Properties p = read(record);
        p.setProperty(key, value);
        try (Writer w = Files.newBufferedWriter(record)) {
            p.store(w, null);
        }
    }
}
