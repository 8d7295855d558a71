package io.venomqa.state.h2.internal;

import io.venomqa.state.StateConfig;
import io.venomqa.state.WorkerDatabaseException;
import io.venomqa.state.jdbc.spi.ConnectionSpec;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcWorkerDatabases;
import io.venomqa.state.jdbc.spi.RunLockFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * H2 worker databases, made with H2's own {@code SCRIPT}: its statements (schema, rows, identity
 * counters, committed content only) run on a new database named {@code <name>_vqw_<run>_<n>}.
 * <ul>
 *   <li>Named in-memory databases ({@code jdbc:h2:mem:name}): each copy is an in-memory database of
 *       this JVM, kept open with {@code DB_CLOSE_DELAY=-1} and dropped with {@code SHUTDOWN}. They die
 *       with the JVM, so a killed run leaves nothing; a run is live while its set is open here.</li>
 *   <li>Embedded file databases ({@code jdbc:h2:file:./build/qa}, {@code jdbc:h2:./build/qa}): each copy
 *       is a database file next to the source, dropped with {@code SHUTDOWN} and deleting its files. The
 *       liveness lock of a run is an OS file lock on {@code .<name>_vqw_<run>.lock} in the same
 *       directory, released by the OS when the process dies.</li>
 *   <li>Server URLs ({@code tcp:}, {@code ssl:}) and unnamed in-memory databases are refused, saying
 *       why.</li>
 * </ul>
 */
public final class H2WorkerDatabases extends JdbcWorkerDatabases {

    private static final String PREFIX = "jdbc:h2:";
    private static final String FILE_SUFFIX = ".mv.db";
    /** H2's DATABASE_NOT_FOUND_WITH_IF_EXISTS_1: the copy is already gone. */
    private static final int NOT_FOUND = 90146;
    /** In-memory copies this JVM made and has not dropped yet: the only place such copies can be. */
    private static final Set<String> MEMORY_COPIES = ConcurrentHashMap.newKeySet();

    private final boolean memory;
    private final Path file;
    private final String name;
    private final String params;
    private final String refused;
    private final RunLockFiles locks = new RunLockFiles(run -> lockFile(run));

    public H2WorkerDatabases(StateConfig source, JdbcDialect dialect) {
        super(source, dialect, 200);
        String url = dialect.connectionSpec(source, Duration.ofSeconds(30)).jdbcUrl();
        String rest = url.substring(PREFIX.length());
        int semicolon = rest.indexOf(';');
        String location = semicolon < 0 ? rest : rest.substring(0, semicolon);
        this.params = copyParams(semicolon < 0 ? "" : rest.substring(semicolon + 1));
        String lower = location.toLowerCase(Locale.ROOT);
        this.memory = lower.startsWith("mem:");
        String path = memory ? location.substring(4) : lower.startsWith("file:") ? location.substring(5) : location;
        if (memory && path.isEmpty()) {
            refused = "an unnamed in-memory database lives in its one connection; name it (jdbc:h2:mem:qa;DB_CLOSE_DELAY=-1)";
        } else if (lower.matches("^(tcp|ssl|zip|split|nio[a-z]*|async|retry|memfs|memlzf)[:].*")) {
            refused = "worker copies of an H2 server or a special file system (" + location.substring(0, lower.indexOf(':'))
                    + ":) are not built; use an embedded file database (jdbc:h2:file:./build/qa) or a named in-memory one";
        } else {
            refused = null;
        }
        this.file = memory || refused != null ? null : Path.of(path.startsWith("~") ? System.getProperty("user.home")
                + path.substring(1) : path).toAbsolutePath();
        this.name = memory ? path : file == null ? "" : file.getFileName().toString();
    }

    /** The source's settings a copy keeps: without those that open an existing one; in-memory copies stay open. */
    private String copyParams(String sourceParams) {
        StringBuilder b = new StringBuilder();
        for (String p : sourceParams.split(";")) {
            String key = p.contains("=") ? p.substring(0, p.indexOf('=')).trim().toUpperCase(Locale.ROOT) : p.trim();
            if (!p.isBlank() && !key.equals("DB_CLOSE_DELAY") && !key.equals("IFEXISTS")) {
                b.append(';').append(p);
            }
        }
        return b.toString();
    }

    @Override
    protected String sourceName() {
        if (refused != null) {
            throw new WorkerDatabaseException("db_url '" + source().maskedUrl() + "': " + refused + ".");
        }
        return name;
    }

    @Override
    protected String copyUrl(String copy) {
        return memory ? PREFIX + "mem:" + copy + ";DB_CLOSE_DELAY=-1" + params : PREFIX + "file:" + file.resolveSibling(copy) + params;
    }

    private Connection open(String copy, boolean onlyIfItExists) throws SQLException {
        StateConfig config = source().toBuilder().url(copyUrl(copy) + (onlyIfItExists ? ";IFEXISTS=TRUE" : "")).build();
        ConnectionSpec spec = dialect().connectionSpec(config, Duration.ofSeconds(30));
        return dialect().openConnection(spec);
    }

    @Override
    protected List<String> list(Connection admin, String prefix) throws SQLException {
        if (memory) {
            return MEMORY_COPIES.stream().filter(n -> n.startsWith(prefix)).sorted().toList();
        }
        try (Stream<Path> files = Files.list(file.getParent())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix) && n.endsWith(FILE_SUFFIX))
                    .map(n -> n.substring(0, n.length() - FILE_SUFFIX.length())).sorted().toList();
        } catch (IOException e) {
            throw new SQLException("could not list " + file.getParent() + ": " + e.getMessage(), e);
        }
    }

    private Path lockFile(String run) {
        return file.resolveSibling("." + prefix() + run + ".lock");
    }

    @Override
    protected boolean tryLock(Connection admin, String run) throws SQLException {
        return memory || locks.tryLock(run); // in-memory copies die with the JVM: a run is live exactly while its set is open here
    }

    @Override
    protected void unlock(Connection admin, String run) throws SQLException {
        locks.unlock(run);
    }

    @Override
    protected void create(Connection admin, String copy) throws SQLException {
        if (memory) {
            MEMORY_COPIES.add(copy); // listed before it exists, so that a failure half-way still drops it
        }
        try (Connection to = open(copy, false); Statement read = admin.createStatement(); Statement write = to.createStatement();
             ResultSet script = read.executeQuery("script")) {
            while (script.next()) {
                write.execute(script.getString(1));
            }
        }
    }

    @Override
    protected void drop(Connection admin, String copy) throws SQLException {
        try (Connection c = open(copy, true); Statement st = c.createStatement()) {
            st.execute("shutdown"); // closes every session on it, as DROP DATABASE … WITH (FORCE) does
        } catch (SQLException e) {
            if (e.getErrorCode() != NOT_FOUND) {
                throw e;
            }
        }
        MEMORY_COPIES.remove(copy);
        if (!memory) {
            try {
                for (String suffix : List.of(FILE_SUFFIX, ".trace.db", ".lock.db")) {
                    Files.deleteIfExists(file.resolveSibling(copy + suffix));
                }
            } catch (IOException e) {
                throw new SQLException("could not delete " + file.resolveSibling(copy + FILE_SUFFIX) + ": " + e.getMessage(), e);
            }
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
