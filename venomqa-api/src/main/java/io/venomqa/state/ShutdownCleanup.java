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
 * removes its triggers; the savepoint strategy rolls back its open transaction), and runs every other
 * cleanup registered with {@link #register(String, String, AutoCloseable, String)} (parallel
 * workers: their processes stopped, their databases dropped). The runner, the
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

    /** A manager (or another cleanup) registered for shutdown; {@link #close()} takes it off the list. */
    public static final class Registration implements AutoCloseable {
        private final StateManager manager;
        private final String owner;
        /** For a cleanup that is not a manager's disconnect: what it does, the action, what to do when it fails. */
        private final String what;
        private final AutoCloseable action;
        private final String ifNotDone;

        /** Whether the owner is in the middle of its work; null: always (a run ends by deregistering). */
        private final java.util.function.BooleanSupplier busy;

        private Registration(StateManager manager, String owner, java.util.function.BooleanSupplier busy) {
            this.manager = manager;
            this.owner = owner;
            this.what = null;
            this.action = null;
            this.ifNotDone = null;
            this.busy = busy;
        }

        private Registration(String owner, String what, AutoCloseable action, String ifNotDone) {
            this.manager = null;
            this.owner = owner;
            this.what = what;
            this.action = action;
            this.ifNotDone = ifNotDone;
            this.busy = null;
        }

        /** Whether the JVM's exit interrupts the owner's work, rather than ending an owner that stays open until then. */
        private boolean interrupted() {
            try {
                return busy == null || busy.getAsBoolean();
            } catch (RuntimeException e) {
                return true;
            }
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
        return add(new Registration(manager, owner, null));
    }

    /**
     * As {@link #register(StateManager, String)}, for an owner that keeps its manager connected until the
     * JVM exits by design (a Spring test context, which Spring closes at exit): when {@code busy} says no
     * work of the owner is under way at shutdown, the messages say the JVM is exiting with the owner still
     * open instead of "during a run", which would read like an interruption of a run that ended normally.
     */
    public static Registration register(StateManager manager, String owner, java.util.function.BooleanSupplier busy) {
        return add(new Registration(manager, owner, java.util.Objects.requireNonNull(busy, "busy")));
    }

    /**
     * Registers another cleanup a run must not skip when the JVM shuts down, such as stopping the
     * worker processes it started and dropping its worker databases: if the JVM shuts down before the
     * registration is closed, the hook runs {@code action} with the same guarantees as a manager's
     * disconnect (after running step actions, in parallel with the others, within the timeout) and
     * prints {@code what} and how it ended; {@code ifNotDone} tells the user what to do when it failed
     * or did not finish in time.
     */
    public static Registration register(String owner, String what, AutoCloseable action, String ifNotDone) {
        return add(new Registration(owner, what, java.util.Objects.requireNonNull(action, "action"), ifNotDone));
    }

    private static Registration add(Registration r) {
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
            int index = i;
            if (r.action != null) {
                err.println("venomqa: the JVM is shutting down during a run of " + r.owner + "; " + r.what + " ...");
                start(() -> {
                    long t0 = System.nanoTime();
                    try {
                        r.action.close();
                        outcome[index] = "venomqa: done (" + r.what + ", " + (System.nanoTime() - t0) / 1_000_000 + " ms).";
                    } catch (Throwable e) {
                        outcome[index] = "venomqa: COULD NOT finish (" + r.what + "): "
                                + CredentialMasker.maskText(String.valueOf(e.getMessage())) + "\n  " + r.ifNotDone;
                    } finally {
                        done.countDown();
                    }
                }, i);
                continue;
            }
            String what = describe(r.manager);
            err.println(r.interrupted()
                    ? "venomqa: the JVM is shutting down during a run of " + r.owner + "; putting the database back: " + what + " ..."
                    : "venomqa: the JVM is exiting with " + r.owner + " still open (no test running); putting the database "
                            + "back: " + what + " ...");
            start(() -> {
                long t0 = System.nanoTime();
                try {
                    r.manager.disconnect();
                    outcome[index] = "venomqa: database put back as found and disconnected (" + describe(r.manager) + ", "
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
            }, i);
        }
        try {
            done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int i = 0; i < todo.size(); i++) {
            String o = outcome[i];
            Registration r = todo.get(i);
            if (r.action != null) {
                err.println(o != null ? o : "venomqa: " + r.what + " did not finish within " + timeout.toSeconds()
                        + " s (-Dvenomqa.shutdown_timeout or VENOMQA_SHUTDOWN_TIMEOUT); the JVM exits anyway. " + r.ifNotDone);
                continue;
            }
            err.println(o != null ? o : "venomqa: putting the database back (" + describe(r.manager)
                    + ") did not finish within " + timeout.toSeconds() + " s (-Dvenomqa.shutdown_timeout or"
                    + " VENOMQA_SHUTDOWN_TIMEOUT); the JVM exits anyway. With the journal strategy the next connect()"
                    + " undoes what is left; with the savepoint strategy the server discards the open transaction"
                    + " when the connection drops.");
        }
        err.flush();
    }

    private static void start(Runnable cleanup, int index) {
        Thread t = new Thread(cleanup, "venomqa-shutdown-cleanup-" + index);
        t.setDaemon(true);
        t.start();
    }

    private static String describe(StateManager m) {
        try {
            return CredentialMasker.maskText(String.valueOf(m));
        } catch (RuntimeException e) {
            return m.getClass().getSimpleName();
        }
    }
}
