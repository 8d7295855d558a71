package io.venomqa.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What a call wrote to {@code System.err}: the tests' SLF4J binding (slf4j-simple) writes its log lines there and looks
 * the stream up at each line, so a test reads a warning it expects from this. {@code System.err} is put back
 * afterwards, also when the call throws.
 */
public final class Stderr {

    private Stderr() {
    }

    /** Runs {@code call} with {@code System.err} captured and returns what it wrote, as UTF-8 text. */
    public static String during(Runnable call) {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            call.run();
        } finally {
            System.setErr(saved);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
