package io.venomqa.junit.support;

import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A JdbcDatabaseContainer that never starts Docker (there is none here): it says it is running and
 * points at the test PostgreSQL server, so the extension's Testcontainers path can be exercised
 * without a container. It proves what the extension reads from a container, not that Testcontainers
 * starts one.
 */
public final class FakeRunningContainer extends JdbcDatabaseContainer<FakeRunningContainer> {

    private final String jdbcUrl;
    private final String user;
    private final boolean running;

    public FakeRunningContainer(String jdbcUrl, String user, boolean running) {
        super(DockerImageName.parse("postgres:15"));
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.running = running;
    }

    @Override
    public String getDriverClassName() {
        return "org.postgresql.Driver";
    }

    @Override
    public String getJdbcUrl() {
        return jdbcUrl;
    }

    @Override
    public String getUsername() {
        return user;
    }

    @Override
    public String getPassword() {
        return "container-secret"; // trust auth ignores it; it must never be printed
    }

    @Override
    protected String getTestQueryString() {
        return "select 1";
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
