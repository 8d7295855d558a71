package io.venomqa.state.postgres;

import io.venomqa.core.CredentialMasker;
import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.spi.ConnectionSpec;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;

/**
 * A schema of its own on the test PostgreSQL server, for one test class: {@code VENOMQA_TEST_POSTGRES_URL}
 * when set, else the local server (127.0.0.1:5432, user postgres, database test). When neither is
 * reachable, creating it fails with a message saying what is missing: these tests never skip.
 */
final class PostgresTestDatabase implements AutoCloseable {

    static final String ENV = "VENOMQA_TEST_POSTGRES_URL";
    static final String DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test";

    final String url;
    final String schema;
    private final ConnectionSpec spec;

    PostgresTestDatabase() {
        String env = System.getenv(ENV);
        this.url = env == null || env.isBlank() ? DEFAULT_URL : env.trim();
        this.schema = "vqtest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        this.spec = new PostgreSQLDialect().connectionSpec(StateConfig.builder().url(url).build(), Duration.ofSeconds(10));
        try (Connection c = connect(null); Statement st = c.createStatement()) {
            st.execute("create schema " + schema);
        } catch (SQLException e) {
            throw new AssertionError("These tests need a PostgreSQL server and none is reachable at "
                    + CredentialMasker.maskUrl(url) + " (" + e.getMessage() + "). Start PostgreSQL on 127.0.0.1:5432 "
                    + "(user postgres, trust auth, database test) or set " + ENV + " to a server you may create "
                    + "schemas on.", e);
        }
    }

    /** The configuration of a manager working in this schema. */
    StateConfig.Builder config() {
        // allow_remote: VENOMQA_TEST_POSTGRES_URL may name a test server on another host
        return StateConfig.builder().backend("postgresql").url(url).option("schema", schema).option("allow_remote", true);
    }

    /**
     * A {@code jdbc:postgresql:} URL of the test server with its credentials in the query, then
     * {@code extraQuery} ({@code k=v&k=v}), for tests that set driver properties through the URL.
     */
    String jdbcUrl(String extraQuery) {
        Properties p = spec.properties();
        StringBuilder sb = new StringBuilder(spec.jdbcUrl()).append(spec.jdbcUrl().contains("?") ? '&' : '?');
        sb.append("user=").append(java.net.URLEncoder.encode(p.getProperty("user"), java.nio.charset.StandardCharsets.UTF_8));
        if (p.getProperty("password") != null) {
            sb.append("&password=").append(java.net.URLEncoder.encode(p.getProperty("password"), java.nio.charset.StandardCharsets.UTF_8));
        }
        return sb.append('&').append(extraQuery).toString();
    }

    /** An auto-commit connection whose search_path is this schema ({@code null}: the server default). */
    Connection connect(String searchSchema) throws SQLException {
        Properties p = spec.properties();
        if (searchSchema != null) {
            p.setProperty("currentSchema", searchSchema);
        }
        return DriverManager.getConnection(spec.jdbcUrl(), p);
    }

    Connection connect() throws SQLException {
        return connect(schema);
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = connect(null); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + schema + " cascade");
        }
    }
}
