package io.venomqa.cli.support;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Speaks just enough of the PostgreSQL wire protocol to refuse a login the way a server with
 * password authentication does: it declines SSL, asks for a clear-text password, and answers
 * whatever comes with FATAL 28P01 "password authentication failed for user ...". The machine's
 * PostgreSQL trusts 127.0.0.1 and so never rejects a password; this lets the real JDBC driver go
 * through a real rejection. It proves how VenomQA reports a refused password, not PostgreSQL's own
 * password checking.
 */
public final class PasswordDemandingServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Thread thread;
    /** The passwords clients sent (to prove one was sent). */
    public final java.util.List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();

    public PasswordDemandingServer() throws IOException {
        socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "fake-postgres");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                handle(s);
            } catch (IOException e) {
                // closed, or the client went away: next one
            }
        }
    }

    private void handle(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        String user = "?";
        while (true) {
            int len = in.readInt();
            int code = in.readInt();
            byte[] rest = new byte[len - 8];
            in.readFully(rest);
            if (code == 80877103 || code == 80877104) { // SSLRequest, GSSENCRequest: not here
                out.writeByte('N');
                out.flush();
                continue;
            }
            String[] params = new String(rest, StandardCharsets.UTF_8).split("\0");
            for (int i = 0; i + 1 < params.length; i += 2) {
                if (params[i].equals("user")) {
                    user = params[i + 1];
                }
            }
            break;
        }
        out.writeByte('R');
        out.writeInt(8);
        out.writeInt(3); // AuthenticationCleartextPassword
        out.flush();
        int type = in.readByte();
        int len = in.readInt();
        byte[] pw = new byte[len - 4];
        in.readFully(pw);
        if (type == 'p') {
            received.add(new String(pw, 0, Math.max(0, pw.length - 1), StandardCharsets.UTF_8));
        }
        byte[] fields = ("SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user \"" + user + "\"\0\0")
                .getBytes(StandardCharsets.UTF_8);
        out.writeByte('E');
        out.writeInt(4 + fields.length);
        out.write(fields);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
