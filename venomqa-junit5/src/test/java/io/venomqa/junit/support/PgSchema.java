package io.venomqa.junit.support;

import io.venomqa.core.CredentialMasker;
import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.spi.ConnectionSpec;
import io.venomqa.state.postgres.PostgreSQLDialect;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * A schema of its own on the test PostgreSQL server ({@code VENOMQA_TEST_POSTGRES_URL}, else
 * 127.0.0.1:5432, user postgres, database test) with a {@code users} table, dropped on close.
 * Unreachable: fails with a message saying what is missing; never skips.
 */
public final class PgSchema implements AutoCloseable {

    public static final String ENV = "VENOMQA_TEST_POSTGRES_URL";
    public static final String DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test";

    public final String url;
    public final String schema;
    private final ConnectionSpec spec;

    public PgSchema() {
        String env = System.getenv(ENV);
        this.url = env == null || env.isBlank() ? DEFAULT_URL : env.trim();
        this.schema = "vqjunit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        this.spec = new PostgreSQLDialect().connectionSpec(StateConfig.builder().url(url).build(), Duration.ofSeconds(10));
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("create schema " + schema);
            st.execute("create table " + schema + ".users (id serial primary key, name text not null unique)");
            st.execute("insert into " + schema + ".users(name) values ('seed')");
        } catch (SQLException e) {
            throw new AssertionError("These tests need a PostgreSQL server and none is reachable at "
                    + CredentialMasker.maskUrl(url) + " (" + e.getMessage() + "). Start PostgreSQL on 127.0.0.1:5432 "
                    + "(user postgres, trust auth, database test) or set " + ENV + " to a server you may create "
                    + "schemas on.", e);
        }
    }

    /** A new auto-commit connection (the way an API in another process writes). */
    public Connection connect() throws SQLException {
        Properties p = spec.properties();
        Connection c = DriverManager.getConnection(spec.jdbcUrl(), p);
        c.setAutoCommit(true);
        return c;
    }

    /** The user names, sorted, as a fresh connection sees them (committed data only). */
    public List<String> committedUsers() {
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select name from " + schema + ".users order by name")) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets the venomqa.* system properties that point a @VenomQATest class at this schema. */
    public void exportAsSystemProperties(String strategy) {
        System.setProperty("venomqa.db_url", url);
        System.setProperty("venomqa.db_options.schema", schema);
        System.setProperty("venomqa.db_options.allow_remote", "true");
        if (strategy != null) {
            System.setProperty("venomqa.checkpoint_strategy", strategy);
        }
    }

    public static void clearSystemProperties() {
        for (String k : List.copyOf(System.getProperties().stringPropertyNames())) {
            if (k.startsWith("venomqa.")) {
                System.clearProperty(k);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + schema + " cascade");
        }
    }
}
