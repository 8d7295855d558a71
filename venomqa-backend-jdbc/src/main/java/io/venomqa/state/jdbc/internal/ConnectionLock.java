package io.venomqa.state.jdbc.internal;

import java.time.Duration;

/**
 * Serializes use of the manager's one connection between the manager and application threads
 * holding shared connections. Re-entrant per thread (a thread that holds a shared connection may
 * call the manager, or open a second shared connection). Unlike {@link java.util.concurrent.locks.ReentrantLock},
 * a hold may be given back from another thread: frameworks sometimes close a connection on a
 * different thread than the one that opened it. Not API.
 */
public final class ConnectionLock {

    private Thread owner;
    private int holds;
    private long generation;

    /**
     * Waits up to {@code timeout} for the lock.
     *
     * @return the generation of the hold, to give to {@link #release(long)}, or {@code -1} on timeout
     */
    public synchronized long acquire(Duration timeout) throws InterruptedException {
        Thread me = Thread.currentThread();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (owner != null && owner != me) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return -1;
            }
            long ms = Math.max(1, left / 1_000_000);
            wait(ms);
        }
        owner = me;
        holds++;
        return generation;
    }

    /** Gives one hold back; a hold from before {@link #forceReset()} is ignored. */
    public synchronized void release(long holdGeneration) {
        if (holdGeneration != generation || holds == 0) {
            return;
        }
        holds--;
        if (holds == 0) {
            owner = null;
            notifyAll();
        }
    }

    /** Drops every hold (a disconnect that could not wait for an application that never closed its connection). */
    public synchronized void forceReset() {
        owner = null;
        holds = 0;
        generation++;
        notifyAll();
    }

    /** {@code 30s} or {@code 200ms}, for messages. */
    public static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** The thread holding the lock, or {@code null}. */
    public synchronized Thread owner() {
        return owner;
    }
}
