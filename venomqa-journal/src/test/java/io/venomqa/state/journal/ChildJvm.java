package io.venomqa.state.journal;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@link CrashChild} in a JVM of its own, waits for READY, then kills it with no chance to clean up. */
final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * This JVM's {@code java} and the build's options for test JVMs (system property
     * {@code venomqa.test.child_jvm_options}, set by Surefire): a new mutable list.
     */
    static List<String> java() {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        String options = System.getProperty("venomqa.test.child_jvm_options", "").trim();
        if (!options.isEmpty()) {
            cmd.addAll(List.of(options.split("\\s+")));
        }
        return cmd;
    }

    static void runAndKill(String... args) throws IOException, InterruptedException {
        List<String> cmd = java();
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CrashChild.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder seen = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean ready = false;
            while ((line = r.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.equals("READY")) {
                    ready = true;
                    break;
                }
            }
            if (!ready) {
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("The child JVM ended before it was ready:\n" + seen);
            }
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no disconnect()
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("The child JVM did not die");
            }
        }
    }
}
