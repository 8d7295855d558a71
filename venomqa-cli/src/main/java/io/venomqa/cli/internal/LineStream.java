package io.venomqa.cli.internal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * A PrintStream whose text goes to a PrintWriter line by line, for reporters that print to a
 * stream while picocli hands commands a writer (which tests capture). Not API.
 */
public final class LineStream extends OutputStream {

    private final PrintWriter target;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    private LineStream(PrintWriter target) {
        this.target = target;
    }

    /** A UTF-8 print stream writing into {@code target}. */
    public static PrintStream to(PrintWriter target) {
        return new PrintStream(new LineStream(target), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        buffer.write(b);
        if (b == '\n') {
            flush();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    @Override
    public synchronized void flush() {
        byte[] bytes = buffer.toByteArray();
        // Only whole lines: a flush in the middle of a multi-byte character must not split it.
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end == 0) {
            return;
        }
        target.write(new String(bytes, 0, end, StandardCharsets.UTF_8));
        target.flush();
        buffer.reset();
        buffer.write(bytes, end, bytes.length - end);
    }

    @Override
    public synchronized void close() {
        if (buffer.size() > 0) {
            buffer.write('\n');
        }
        flush();
    }
}
