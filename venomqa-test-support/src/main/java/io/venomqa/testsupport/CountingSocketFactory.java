package io.venomqa.testsupport;

import javax.net.SocketFactory;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * pgjdbc's {@code socketFactory}: plain sockets that count the writes to the server. pgjdbc buffers
 * a request and writes it with one flush before it waits for the answer, so the count is the
 * number of round trips (the way the profile of issue 14 counted them, JFR's socket writes).
 * A request whose answer the driver does not wait for (pgjdbc sends the release of its autosave
 * savepoint that way, and reads the answer with the next request's) is a write of its own but no
 * wait: {@link #ROUND_TRIPS} counts the waits, i.e. the first read after one or more writes.
 * Shared by every connection made with it: count only where one connection is busy. What was
 * written is also kept (the last {@value #KEPT} characters, bytes read as ISO-8859-1), so a test can
 * see which statements went to the server.
 */
public final class CountingSocketFactory extends SocketFactory {

    /** Writes to the server since the JVM started, over all counting sockets. */
    public static final AtomicLong WRITES = new AtomicLong();

    /** Times a client read the server's answer after writing since the JVM started: its waits for the server. */
    public static final AtomicLong ROUND_TRIPS = new AtomicLong();

    /** How many characters of what was written {@link #written()} keeps. */
    public static final int KEPT = 1 << 20;

    private static final StringBuilder WRITTEN = new StringBuilder();

    /** Bytes read from the server since the JVM started, over all counting sockets: how much an answer carried. */
    public static final AtomicLong BYTES_READ = new AtomicLong();

    /** What was written to the server through counting sockets since the last {@link #clearWritten()}. */
    public static String written() {
        synchronized (WRITTEN) {
            return WRITTEN.toString();
        }
    }

    /** Forgets what {@link #written()} holds. */
    public static void clearWritten() {
        synchronized (WRITTEN) {
            WRITTEN.setLength(0);
        }
    }

    private static void keep(byte[] b, int off, int len) {
        synchronized (WRITTEN) {
            WRITTEN.append(new String(b, off, len, StandardCharsets.ISO_8859_1));
            if (WRITTEN.length() > KEPT) {
                WRITTEN.delete(0, WRITTEN.length() - KEPT);
            }
        }
    }

    @Override
    public Socket createSocket() {
        return new Socket() {
            private OutputStream out;
            private InputStream in;
            private volatile boolean wrote;

            @Override
            public synchronized InputStream getInputStream() throws IOException {
                if (in == null) {
                    in = new FilterInputStream(super.getInputStream()) {
                        private void waited() {
                            if (wrote) {
                                wrote = false;
                                ROUND_TRIPS.incrementAndGet();
                            }
                        }

                        @Override
                        public int read() throws IOException {
                            waited();
                            int b = super.read();
                            if (b >= 0) {
                                BYTES_READ.incrementAndGet();
                            }
                            return b;
                        }

                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            waited();
                            int n = super.read(b, off, len);
                            if (n > 0) {
                                BYTES_READ.addAndGet(n);
                            }
                            return n;
                        }
                    };
                }
                return in;
            }

            @Override
            public synchronized OutputStream getOutputStream() throws IOException {
                if (out == null) {
                    out = new FilterOutputStream(super.getOutputStream()) {
                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            WRITES.incrementAndGet();
                            wrote = true;
                            keep(b, off, len);
                            super.out.write(b, off, len);
                        }

                        @Override
                        public void write(int b) throws IOException {
                            WRITES.incrementAndGet();
                            wrote = true;
                            keep(new byte[]{(byte) b}, 0, 1);
                            super.out.write(b);
                        }
                    };
                }
                return out;
            }
        };
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        throw new UnsupportedOperationException("pgjdbc uses createSocket() and connect()");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        throw new UnsupportedOperationException("pgjdbc uses createSocket() and connect()");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        throw new UnsupportedOperationException("pgjdbc uses createSocket() and connect()");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        throw new UnsupportedOperationException("pgjdbc uses createSocket() and connect()");
    }
}
