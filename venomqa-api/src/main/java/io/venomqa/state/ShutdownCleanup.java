package io.venomqa.state;

import io.venomqa.core.CredentialMasker;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Puts the database back when the JVM shuts down in the middle of a run (Ctrl-C, SIGTERM,
 * {@code System.exit}): one JVM shutdown hook disconnects every state manager registered here and
 * not yet deregistered, which, by the {@code disconnect()} contract, leaves the database as
 * {@code connect()} found it (the journal strategy undoes the application's committed writes and
 * removes its triggers; the savepoint strategy rolls back its open transaction). The runner, the
 * JUnit extension and the {@code venomqa} command register the managers they connect; a program that
 * connects a manager itself can do the same:
 *
 * <pre>{@code
 * state.connect();
 * try (ShutdownCleanup.Registration cleanup = ShutdownCleanup.register(state, "my load script")) {
 *     ... // Ctrl-C here still puts the database back
 * }
 * state.disconnect();
 * }</pre>
 *
 * <p>Guarantees: the hook first stops new step actions from starting ({@link #duringAction} refuses
 * them) and waits up to 2 s for running ones, so that the
 * application is not sent a write after its undo; then it disconnects the managers in parallel and
 * waits at most the shutdown timeout ({@code -Dvenomqa.shutdown_timeout=SECONDS} or the environment
 * variable {@code VENOMQA_SHUTDOWN_TIMEOUT}, default 20 s), because the
 * process is being stopped and a supervisor will not wait forever. It always says on standard
 * error what it did, or what it could not do and what to do next; passwords are masked. A
 * {@code kill -9} runs no hook: the journal's next {@code connect()} recovers that case.
 */
public final class ShutdownCleanup {

    /** How long running step actions may finish before the managers are disconnected. */
    static final long ACTIONS_GRACE_MILLIS = 2_000;
    static final long DEFAULT_TIMEOUT_SECONDS = 20;

    private static final Object LOCK = new Object();
    /** Insertion order, so the messages follow the order the managers were connected in. */
    private static final Map<Registration, Boolean> REGISTERED = new LinkedHashMap<>();
    private static boolean hookInstalled;
    private static volatile boolean shuttingDown;
    private static int runningActions;

    private ShutdownCleanup() {
    }

    /** A manager registered for cleanup at shutdown; {@link #close()} takes it off the list. */
    public static final class Registration implements AutoCloseable {
        private final StateManager manager;
        private final String owner;

        private Registration(StateManager manager, String owner) {
            this.manager = manager;
            this.owner = owner;
        }

        /** Deregisters: call it right before disconnecting normally. Safe to call twice. */
        @Override
        public void close() {
            synchronized (LOCK) {
                REGISTERED.remove(this);
            }
        }
    }

    /**
     * Registers a connected manager: if the JVM shuts down before the registration is closed, the
     * hook disconnects it. {@code owner} says in the messages who connected it ("venomqa run",
     * "the JUnit class com.example.ShopTest").
     */
    public static Registration register(StateManager manager, String owner) {
        Registration r = new Registration(manager, owner);
        synchronized (LOCK) {
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(ShutdownCleanup::onShutdown, "venomqa-shutdown-cleanup"));
                hookInstalled = true;
            }
            REGISTERED.put(r, Boolean.TRUE);
        }
        return r;
    }

    /** True once the JVM has started shutting down with managers to clean up. */
    public static boolean shuttingDown() {
        return shuttingDown;
    }

    /**
     * Runs a step action unless the JVM is shutting down, in which case it throws
     * {@link IllegalStateException} without calling it: a request sent while the hook undoes the
     * database could write after the undo.
     */
    public static <T> T duringAction(Callable<T> action) throws Exception {
        synchronized (LOCK) {
            if (shuttingDown) {
                throw new IllegalStateException("The JVM is shutting down (Ctrl-C or SIGTERM): no new step is started"
                        + " while VenomQA puts the database back.");
            }
            runningActions++;
        }
        try {
            return action.call();
        } finally {
            synchronized (LOCK) {
                runningActions--;
                LOCK.notifyAll();
            }
        }
    }

    static Duration timeout() {
        String v = System.getProperty("venomqa.shutdown_timeout", System.getenv("VENOMQA_SHUTDOWN_TIMEOUT"));
        if (v != null && !v.isBlank()) {
            try {
                long s = Long.parseLong(v.trim());
                if (s > 0) {
                    return Duration.ofSeconds(s);
                }
            } catch (NumberFormatException e) {
                // fall through to the default: a shutdown is no time to fail on a typo
            }
        }
        return Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
    }

    private static void onShutdown() {
        List<Registration> todo;
        synchronized (LOCK) {
            shuttingDown = true;
            todo = new ArrayList<>(REGISTERED.keySet());
            REGISTERED.clear();
            if (todo.isEmpty()) {
                return;
            }
            long until = System.currentTimeMillis() + ACTIONS_GRACE_MILLIS;
            long left;
            while (runningActions > 0 && (left = until - System.currentTimeMillis()) > 0) {
                try {
                    LOCK.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        PrintStream err = System.err;
        Duration timeout = timeout();
        CountDownLatch done = new CountDownLatch(todo.size());
        String[] outcome = new String[todo.size()];
        for (int i = 0; i < todo.size(); i++) {
            Registration r = todo.get(i);
            String what = describe(r.manager);
            err.println("venomqa: the JVM is shutting down during a run of " + r.owner + "; putting the database back: "
                    + what + " ...");
            int index = i;
            Thread t = new Thread(() -> {
                long t0 = System.nanoTime();
                try {
                    r.manager.disconnect();
                    outcome[index] = "venomqa: database put back as found and disconnected (" + what + ", "
                            + (System.nanoTime() - t0) / 1_000_000 + " ms): what the run wrote was undone"
                            + " and nothing of VenomQA's is left behind.";
                } catch (Throwable e) {
                    outcome[index] = "venomqa: COULD NOT put the database back (" + what + "): "
                            + CredentialMasker.maskText(String.valueOf(e.getMessage()))
                            + "\n  What the run wrote may still be there. With the journal strategy the next connect()"
                            + " (venomqa run, or your tests) undoes it; with the savepoint strategy the server discards"
                            + " the open transaction when the connection drops. Or empty the tables with 'venomqa reset'.";
                } finally {
                    done.countDown();
                }
            }, "venomqa-shutdown-disconnect-" + i);
            t.setDaemon(true);
            t.start();
        }
        try {
            done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int i = 0; i < todo.size(); i++) {
            String o = outcome[i];
            err.println(o != null ? o : "venomqa: putting the database back (" + describe(todo.get(i).manager)
                    + ") did not finish within " + timeout.toSeconds() + " s (-Dvenomqa.shutdown_timeout or"
                    + " VENOMQA_SHUTDOWN_TIMEOUT); the JVM exits anyway. With the journal strategy the next connect()"
                    + " undoes what is left; with the savepoint strategy the server discards the open transaction"
                    + " when the connection drops.");
        }
        err.flush();
    }

    private static String describe(StateManager m) {
        try {
            return CredentialMasker.maskText(String.valueOf(m));
        } catch (RuntimeException e) {
            return m.getClass().getSimpleName();
        }
    }
}
