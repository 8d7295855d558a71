package io.venomqa.state.journal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a database command-line client as a separate process, feeding it SQL on stdin. */
final class Cli {

    private Cli() {
    }

    /** Runs {@code command} with {@code sql} on stdin; fails with the client's output unless it exits 0. */
    static String run(List<String> command, String sql) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(sql.getBytes(StandardCharsets.UTF_8));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream s = p.getInputStream()) {
                s.transferTo(out);
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command.get(0) + " did not finish within 60 s");
            }
            String text = out.toString(StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new AssertionError(command.get(0) + " exited with " + p.exitValue() + ":\n" + text + "\nSQL:\n" + sql);
            }
            return text;
        } catch (IOException e) {
            throw new AssertionError("Could not run " + command.get(0) + " (is the client installed and on PATH?): "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
