package io.venomqa.state.jdbc.spi;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The liveness locks of worker runs for file databases (SQLite, H2 files): an OS file lock per run on
 * a lock file next to the database, which the OS releases when the process dies, so a run whose lock
 * can be taken is dead (or this JVM's own, which {@link io.venomqa.state.spi.WorkerDatabaseSupport}
 * tells apart). For {@link JdbcWorkerDatabases#tryLock}, {@code unlock} and {@code closeAdmin}.
 */
public final class RunLockFiles {

    private final Function<String, Path> lockFile;
    private final Map<String, FileChannel> held = new HashMap<>();

    /** @param lockFile the lock file of a run, from its id */
    public RunLockFiles(Function<String, Path> lockFile) {
        this.lockFile = lockFile;
    }

    /** Takes run {@code run}'s lock; false when another process (or this JVM) holds it. */
    public synchronized boolean tryLock(String run) throws SQLException {
        Path lock = lockFile.apply(run);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock taken = channel.tryLock();
            if (taken == null) {
                channel.close();
                return false;
            }
            held.put(run, channel);
            return true;
        } catch (OverlappingFileLockException e) {
            close(channel);
            return false; // this JVM holds it
        } catch (IOException e) {
            close(channel);
            throw new SQLException("could not lock " + lock + ": " + e.getMessage(), e);
        }
    }

    /** Releases run {@code run}'s lock and deletes its file; nothing when it is not held here. */
    public synchronized void unlock(String run) throws SQLException {
        FileChannel channel = held.remove(run);
        if (channel != null) {
            try {
                Files.deleteIfExists(lockFile.apply(run)); // while still locked, so no run takes a stale file for a live one
                channel.close();
            } catch (IOException e) {
                throw new SQLException("could not remove " + lockFile.apply(run) + ": " + e.getMessage(), e);
            }
        }
    }

    /** Releases every lock held here. */
    public synchronized void unlockAll() throws SQLException {
        for (String run : new ArrayList<>(held.keySet())) {
            unlock(run);
        }
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was locked through it
            }
        }
    }
}
