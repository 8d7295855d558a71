package io.venomqa.state.jdbc.spi;

import io.venomqa.core.DatabaseUrl;
import io.venomqa.state.StateConfig;
import io.venomqa.state.WorkerDatabaseException;
import io.venomqa.state.spi.WorkerDatabaseSupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * {@link io.venomqa.state.WorkerDatabases} of a SQL backend: the admin session is one auto-commit
 * connection opened through the backend's {@link JdbcDialect} (so URL, credentials and driver are
 * the manager's), and the dialect module supplies the SQL of each operation. Copies are databases of
 * the same server named in the source URL's path ({@link DatabaseUrl#withDatabase(String)}); file
 * databases override {@link #sourceName()} and {@link #copyUrl(String)}.
 */
public abstract class JdbcWorkerDatabases extends WorkerDatabaseSupport {

    private final JdbcDialect dialect;

    /**
     * @param source        the configuration of the database under test
     * @param dialect       the backend's dialect, which opens the admin connection
     * @param maxNameLength the longest database name the server accepts
     */
    protected JdbcWorkerDatabases(StateConfig source, JdbcDialect dialect, int maxNameLength) {
        super(source, maxNameLength);
        this.dialect = dialect;
    }

    /** The backend's dialect. */
    protected final JdbcDialect dialect() {
        return dialect;
    }

    /** The URL the admin connection opens; default the database under test itself. */
    protected String adminUrl() {
        return source().url();
    }

    /** Names of the server's databases (or files) starting with {@code prefix}. */
    protected abstract List<String> list(Connection admin, String prefix) throws SQLException;

    /** Takes run {@code run}'s liveness lock for the admin session; false when held elsewhere. */
    protected abstract boolean tryLock(Connection admin, String run) throws SQLException;

    /** Releases run {@code run}'s liveness lock. */
    protected abstract void unlock(Connection admin, String run) throws SQLException;

    /** Makes copy {@code copy} of the database under test. */
    protected abstract void create(Connection admin, String copy) throws SQLException;

    /**
     * What copy {@code copy} is made from, for a backend that copies by reading: null for copy 1 (the
     * source), else copy 1's name. Copies 2 to n then hold exactly copy 1's state, which nobody writes
     * yet, even while the source is being written (each copy taken from the source would catch it at
     * another moment).
     */
    protected static String firstCopy(String copy) {
        return copy.endsWith("_1") ? null : copy.substring(0, copy.lastIndexOf('_') + 1) + "1";
    }

    /** Drops copy {@code copy} if it exists. */
    protected abstract void drop(Connection admin, String copy) throws SQLException;

    @Override
    protected String sourceName() {
        String name = DatabaseUrl.parse(source().url()).database();
        if (name == null || name.isBlank()) {
            throw new WorkerDatabaseException("db_url '" + source().maskedUrl() + "' names no database; worker databases"
                    + " are copies of a named one: write it as scheme://host:port/database");
        }
        return name;
    }

    @Override
    protected String copyUrl(String copy) {
        return DatabaseUrl.parse(source().url()).withDatabase(copy);
    }

    @Override
    protected final Admin openAdmin() throws SQLException {
        StateConfig adminConfig = source().toBuilder().url(adminUrl()).build();
        ConnectionSpec spec = dialect.connectionSpec(adminConfig, Duration.ofSeconds(30));
        Connection c = dialect.openConnection(spec);
        c.setAutoCommit(true);
        return new Admin() {
            @Override
            public List<String> list(String prefix) throws SQLException {
                return JdbcWorkerDatabases.this.list(c, prefix);
            }

            @Override
            public boolean tryLock(String run) throws SQLException {
                return JdbcWorkerDatabases.this.tryLock(c, run);
            }

            @Override
            public void unlock(String run) throws SQLException {
                JdbcWorkerDatabases.this.unlock(c, run);
            }

            @Override
            public void create(String copy) throws SQLException {
                JdbcWorkerDatabases.this.create(c, copy);
            }

            @Override
            public void drop(String copy) throws SQLException {
                JdbcWorkerDatabases.this.drop(c, copy);
            }

            @Override
            public void close() throws SQLException {
                JdbcWorkerDatabases.this.closeAdmin(c);
            }
        };
    }

    /** Ends the admin session (and so its locks); default closes the connection. */
    protected void closeAdmin(Connection admin) throws SQLException {
        admin.close();
    }
}
