package io.venomqa.runner;

import com.sun.net.httpserver.HttpServer;
import io.venomqa.http.Client;
import io.venomqa.journey.Journey;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Child JVM of {@link LongJourneyMemoryTest}: a journey of {@code steps} GETs to a JDK HttpServer in
 * this JVM, each answered with {@code bodyBytes} of text, the last one with HTTP 500; run with
 * {@code keep_responses} = {@code mode}. Prints one line {@code RESULT …} with what the result
 * kept, and the heap still in use after a GC while the result is held.
 *
 * <p>Arguments: {@code all|failures steps bodyBytes}.
 */
public final class LongJourneyChild {

    private LongJourneyChild() {
    }

    public static void main(String[] args) throws Exception {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
        // delayed ACK: each call would take ~40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        KeepResponses mode = KeepResponses.fromConfig(args[0]);
        int steps = Integer.parseInt(args[1]);
        byte[] body = "x".repeat(Integer.parseInt(args[2])).getBytes(StandardCharsets.UTF_8);
        byte[] broken = "the last step broke".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            boolean fail = ex.getRequestURI().getPath().equals("/broken");
            byte[] b = fail ? broken : body;
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(fail ? 500 : 200, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.start(); // no executor: the dispatcher thread answers, one thread hand-off less per call
        try {
            Journey.Builder j = Journey.builder("long");
            for (int i = 0; i < steps - 1; i++) {
                j.step("step_" + i, (client, ctx) -> client.get("/item"));
            }
            j.step("broken", (client, ctx) -> client.get("/broken"));
            JourneyRunner runner = JourneyRunner.builder(Client.builder("http://127.0.0.1:" + server.getAddress().getPort())
                    .build()).keepResponses(mode).build();

            JourneyResult result = runner.run(j.build());

            long passingWithBodies = result.steps().stream().filter(s -> s.passed() && s.bodiesKept()).count();
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            double usedMiB = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
            System.out.println("RESULT steps=" + result.steps().size() + " passed=" + result.stepCount(Status.PASSED)
                    + " failed=" + result.stepCount(Status.FAILED) + " passingWithBodies=" + passingWithBodies
                    + " failedBody=" + result.step("broken").response().body()
                    + String.format(Locale.ROOT, " heapAfterGcMiB=%.1f", usedMiB));
        } finally {
            server.stop(0);
        }
    }
}
