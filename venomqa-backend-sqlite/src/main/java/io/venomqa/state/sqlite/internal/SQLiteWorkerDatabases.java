package io.venomqa.state.sqlite.internal;

import io.venomqa.state.StateConfig;
import io.venomqa.state.WorkerDatabaseException;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcWorkerDatabases;
import io.venomqa.state.jdbc.spi.RunLockFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * SQLite worker databases: files next to the database under test, {@code <name>_vqw_<run>_<n><ext>},
 * copy 1 made with {@code VACUUM INTO} (a consistent copy of the committed database even while other
 * connections use it, WAL mode included) and copies 2 to n copied from its file, so that all hold the
 * same state, dropped by deleting the file and its {@code -wal},
 * {@code -shm} and {@code -journal} companions. The liveness lock of a run is an OS file lock on
 * {@code .<name>_vqw_<run>.lock} in the same directory, which the OS releases when the process dies.
 * In-memory SQLite databases live inside their one connection and have no copies.
 */
public final class SQLiteWorkerDatabases extends JdbcWorkerDatabases {

    private static final String PREFIX = "jdbc:sqlite:";

    private final Path file;
    private final String extension;
    private final String query;
    private final RunLockFiles locks = new RunLockFiles(run -> lockFile(run));

    public SQLiteWorkerDatabases(StateConfig source, JdbcDialect dialect) {
        super(source, dialect, 200);
        String jdbcUrl = dialect.connectionSpec(source, Duration.ofSeconds(30)).jdbcUrl();
        String rest = jdbcUrl.substring(PREFIX.length());
        int q = rest.indexOf('?');
        this.query = q < 0 ? "" : rest.substring(q);
        String path = q < 0 ? rest : rest.substring(0, q);
        // Refused in create(), not here: the capability exists, this database cannot use it.
        boolean copyable = !(path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:"));
        this.file = copyable ? Path.of(path).toAbsolutePath() : null;
        String fileName = copyable ? file.getFileName().toString() : "";
        int dot = fileName.lastIndexOf('.');
        this.extension = dot > 0 ? fileName.substring(dot) : "";
    }

    @Override
    protected String sourceName() {
        if (file == null) {
            throw new WorkerDatabaseException("db_url '" + source().maskedUrl() + "' is not a SQLite file path: an in-memory"
                    + " database lives in its one connection and a file: URI is not copied. Worker databases need a file"
                    + " database such as sqlite:///build/qa.db.");
        }
        String fileName = file.getFileName().toString();
        return fileName.substring(0, fileName.length() - extension.length());
    }

    @Override
    protected String copyUrl(String copy) {
        return PREFIX + copyFile(copy) + query;
    }

    private Path copyFile(String copy) {
        return file.resolveSibling(copy + extension);
    }

    private Path lockFile(String run) {
        return file.resolveSibling("." + prefix() + run + ".lock");
    }

    @Override
    protected List<String> list(Connection admin, String prefix) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(file.getParent())) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(prefix) && n.endsWith(extension))
                    .map(n -> n.substring(0, n.length() - extension.length()))
                    .sorted()
                    .forEach(names::add);
        } catch (IOException e) {
            throw new SQLException("could not list " + file.getParent() + ": " + e.getMessage(), e);
        }
        return names;
    }

    @Override
    protected boolean tryLock(Connection admin, String run) throws SQLException {
        return locks.tryLock(run);
    }

    @Override
    protected void unlock(Connection admin, String run) throws SQLException {
        locks.unlock(run);
    }

    @Override
    protected void create(Connection admin, String copy) throws SQLException {
        String first = firstCopy(copy);
        if (first != null) {
            // Copy 1's file as VACUUM INTO wrote it (nobody has opened it yet): the same state in every copy,
            // where a copy of the source each would catch it at another moment while the application writes.
            try {
                Files.copy(copyFile(first), copyFile(copy));
            } catch (IOException e) {
                throw new SQLException("could not copy " + copyFile(first) + " to " + copyFile(copy) + ": " + e.getMessage(), e);
            }
            return;
        }
        try (Statement st = admin.createStatement()) {
            // VACUUM INTO writes the copy with the admin connection's synchronous setting. A copy lives for one run
            // and is dropped after it, so it needs no fsync (which costs milliseconds per copy, more on a busy disk).
            // The admin connection only reads the source, which this setting does not touch.
            st.execute("pragma synchronous = off");
            st.execute("vacuum into '" + copyFile(copy).toString().replace("'", "''") + "'");
        }
    }

    @Override
    protected void drop(Connection admin, String copy) throws SQLException {
        Path f = copyFile(copy);
        try {
            for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
                Files.deleteIfExists(f.resolveSibling(f.getFileName() + suffix));
            }
        } catch (IOException e) {
            throw new SQLException("could not delete " + f + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void closeAdmin(Connection admin) throws SQLException {
        try {
            locks.unlockAll();
        } finally {
            admin.close();
        }
    }
}
