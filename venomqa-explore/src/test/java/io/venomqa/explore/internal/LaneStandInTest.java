package io.venomqa.explore.internal;

import com.sun.net.httpserver.HttpServer;
import io.venomqa.context.ContextSnapshot;
import io.venomqa.context.ExecutionContext;
import io.venomqa.explore.Exploration;
import io.venomqa.explore.Move;
import io.venomqa.explore.StateProjection;
import io.venomqa.http.Client;
import io.venomqa.state.memory.InMemoryStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker reaches a state another worker found by another path than the one it took itself ("a" then
 * "b" there, "b" then "a" here): when its own checkpoint after that path holds the state with a context
 * the same to the moves, it restores that checkpoint instead of replaying the state's path; when the
 * contexts differ (here a trail of the moves made, outside the projection), it replays.
 */
class LaneStandInTest {

    private static final int A = 0;
    private static final int B = 1;
    private static final int FINISH = 2;

    private HttpServer api;
    private final List<WorkerLanes.Lane> lanes = new ArrayList<>();

    @BeforeEach
    void api() throws IOException {
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        api.start();
    }

    @AfterEach
    void stop() {
        lanes.forEach(WorkerLanes.Lane::close);
        api.stop(0);
    }

    /** Two counters raised once each, then "finish"; with {@code trail}, each move also appends its name to a list. */
    private Exploration exploration(boolean trail) {
        ExecutionContext start = new ExecutionContext().set("a", 0).set("b", 0).set("done", false);
        if (trail) {
            start.set("trail", new ArrayList<String>());
        }
        Exploration.Builder b = Exploration.builder().name("stand-in").client(client()).context(start).shrink(false)
                .stateManager(new InMemoryStateManager()).projection(StateProjection.contextKeys("a", "b", "done"));
        for (String k : List.of("a", "b")) {
            b.move(Move.builder("raise_" + k).when(k + " is 0", (ctx, db) -> (Integer) ctx.get(k) == 0).action((c, ctx) -> {
                ctx.set(k, 1);
                if (trail) {
                    @SuppressWarnings("unchecked")
                    List<String> t = new ArrayList<>((List<String>) ctx.get("trail"));
                    t.add(k);
                    ctx.set("trail", t);
                }
                return c.get("/raise");
            }).build());
        }
        b.move(Move.builder("finish").when("both raised", (ctx, db) -> (Integer) ctx.get("a") == 1 && (Integer) ctx.get("b") == 1)
                .action((c, ctx) -> {
                    ctx.set("done", true);
                    return c.get("/finish");
                }).build());
        return b.build();
    }

    private Client client() {
        return new Client("http://127.0.0.1:" + api.getAddress().getPort());
    }

    private WorkerLanes.Lane lane(Exploration ex, int number, Node root) {
        InMemoryStateManager m = new InMemoryStateManager();
        m.connect();
        WorkerLanes.Lane l = new WorkerLanes.Lane(ex, number, client(), m, "vqtest-w" + number + "-");
        lanes.add(l);
        l.startAt(root);
        return l;
    }

    private static Node root(Exploration ex) {
        Node root = new Node(0, "root", "start", 0);
        root.snapshot = ex.context().orElseThrow().snapshot();
        return root;
    }

    /** The state {@code move} reached from {@code from} on {@code lane}, as the explorer would record it. */
    private static Node found(WorkerLanes.Lane lane, Node from, int move, int index) throws InterruptedException {
        WorkerLanes.Outcome o = lane.make(new Frontier.Pair(from, move));
        assertThat(o.unreachable()).isNull();
        Node n = new Node(index, o.step().fingerprint(), o.step().shown(), index);
        n.parent = from;
        n.via = move;
        n.snapshot = o.step().after();
        return n;
    }

    /** The state both counters raised, found by the first worker ("a" then "b"), and the second worker, which reached it by "b" then "a". */
    private record TwoPaths(Node both, WorkerLanes.Lane other) {
    }

    private TwoPaths twoPaths(boolean trail) throws InterruptedException {
        Exploration ex = exploration(trail);
        Node root = root(ex);
        WorkerLanes.Lane finder = lane(ex, 1, root);
        WorkerLanes.Lane other = lane(ex, 2, root);
        Node a = found(finder, root, A, 1);
        Node both = found(finder, a, B, 2);
        Node b = found(other, root, B, 3);
        Node bothHere = found(other, b, A, 4);
        assertThat(bothHere.fingerprint).isEqualTo(both.fingerprint);
        return new TwoPaths(both, other);
    }

    @Test
    void aCheckpointOfTheSameStateAndContextStandsInForIt() throws InterruptedException {
        TwoPaths paths = twoPaths(false);
        Node both = paths.both();
        WorkerLanes.Lane other = paths.other();

        assertThat(other.cost(both)).as("the other worker holds the state through its own path").isZero();
        int replayedBefore = other.replayed;
        WorkerLanes.Outcome done = other.make(new Frontier.Pair(both, FINISH));
        assertThat(done.unreachable()).isNull();
        assertThat(other.replayed).as("no move replayed").isEqualTo(replayedBefore);
        assertThat(done.step().after()).satisfies(s -> assertThat(values(s)).containsEntry("done", true)
                .containsEntry("a", 1).containsEntry("b", 1));
    }

    @Test
    void aCheckpointWithAnotherContextDoesNotStandIn() throws InterruptedException {
        TwoPaths paths = twoPaths(true);                     // trails [a, b] and [b, a]: one state, two contexts
        Node both = paths.both();
        WorkerLanes.Lane other = paths.other();

        assertThat(other.cost(both)).as("the path's two moves are replayed").isEqualTo(2);
        int replayedBefore = other.replayed;
        WorkerLanes.Outcome done = other.make(new Frontier.Pair(both, FINISH));
        assertThat(done.unreachable()).isNull();
        assertThat(other.replayed - replayedBefore).isEqualTo(2);
        assertThat(values(done.step().after())).containsEntry("trail", List.of("a", "b"));
    }

    private static java.util.Map<String, Object> values(ContextSnapshot s) {
        ExecutionContext c = new ExecutionContext();
        c.restore(s);
        return c.toMap();
    }
}
