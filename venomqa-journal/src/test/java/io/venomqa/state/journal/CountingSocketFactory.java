package io.venomqa.state.journal;

import javax.net.SocketFactory;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * pgjdbc's {@code socketFactory}: plain sockets that count the writes to the server. pgjdbc buffers
 * a request and writes it with one flush before it waits for the answer, so the count is the
 * number of round trips (the way the profile of issue 14 counted them, JFR's socket writes).
 * Shared by every connection made with it: count only where one connection is busy.
 */
public final class CountingSocketFactory extends SocketFactory {

    /** Writes to the server since the JVM started, over all counting sockets. */
    public static final AtomicLong WRITES = new AtomicLong();

    @Override
    public Socket createSocket() {
        return new Socket() {
            private OutputStream out;

            @Override
            public synchronized OutputStream getOutputStream() throws IOException {
                if (out == null) {
                    out = new FilterOutputStream(super.getOutputStream()) {
                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            WRITES.incrementAndGet();
                            super.out.write(b, off, len);
                        }

                        @Override
                        public void write(int b) throws IOException {
                            WRITES.incrementAndGet();
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
