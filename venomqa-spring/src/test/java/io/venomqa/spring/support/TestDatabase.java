package io.venomqa.spring.support;

import io.venomqa.core.CredentialMasker;
import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.spi.ConnectionSpec;
import io.venomqa.state.mysql.MySQLDialect;
import io.venomqa.state.postgres.PostgreSQLDialect;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A database of one application context's own, with a random name: an in-memory H2 database, a
 * schema on the test PostgreSQL server ({@code VENOMQA_TEST_POSTGRES_URL}, else 127.0.0.1:5432 user
 * postgres) or a database on the test MariaDB ({@code VENOMQA_TEST_MYSQL_URL}, else 127.0.0.1:3306
 * root). The nested initializers create it before the context starts, point {@code spring.datasource.*}
 * at it, publish it as the bean {@code testDatabase}, and drop it when the context is closed, after every
 * other bean (VenomQA's manager included) is gone. Unreachable servers fail with what to start; never skip.
 */
public final class TestDatabase implements DisposableBean {

    /** The committed state seen right before each database was dropped, by {@link #name()}. */
    public static final Map<String, String> STATE_AT_DROP = new ConcurrentHashMap<>();

    private final String kind;
    private final String name;
    private final String appUrl;
    private final String serverUrl;
    private final Properties credentials;
    /** Whether this object created the database and so drops it; a {@link GivenPostgresSchema} is someone else's. */
    private final boolean owned;

    private TestDatabase(String kind, String name, String appUrl, String serverUrl, Properties credentials) {
        this(kind, name, appUrl, serverUrl, credentials, true);
    }

    private TestDatabase(String kind, String name, String appUrl, String serverUrl, Properties credentials, boolean owned) {
        this.kind = kind;
        this.name = name;
        this.appUrl = appUrl;
        this.serverUrl = serverUrl;
        this.credentials = credentials;
        this.owned = owned;
    }

    /** An in-memory H2 database. */
    public static final class H2 implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            String name = randomName();
            install(context, new TestDatabase("h2", name, "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", null, new Properties()));
        }
    }

    /** A schema on the test PostgreSQL server. */
    public static final class Postgres implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            install(context, newPostgresSchema());
        }
    }

    /**
     * The PostgreSQL schema named by the system property {@value #SCHEMA_PROPERTY}, made by another process
     * (a test that starts this JVM): used as it is, neither created nor dropped.
     */
    public static final class GivenPostgresSchema implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            String name = System.getProperty(SCHEMA_PROPERTY);
            if (name == null || !name.matches("vqspring_[0-9a-f]{12}")) {
                throw new IllegalStateException("Set -D" + SCHEMA_PROPERTY + " to a schema made by TestDatabase.newPostgresSchema()"
                        + " (got " + name + ")");
            }
            install(context, postgres(name, false));
        }
    }

    /** The system property {@link GivenPostgresSchema} reads. */
    public static final String SCHEMA_PROPERTY = "venomqa.test.spring.schema";

    /** A new schema with a random name on the test PostgreSQL server; {@link #destroy()} drops it. */
    public static TestDatabase newPostgresSchema() {
        TestDatabase db = postgres(randomName(), true);
        db.onServer("create schema " + db.name, "Start PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth, database "
                + "test) or set VENOMQA_TEST_POSTGRES_URL to a server where you may create schemas.");
        return db;
    }

    private static TestDatabase postgres(String name, boolean owned) {
        String env = System.getenv("VENOMQA_TEST_POSTGRES_URL");
        String url = env == null || env.isBlank() ? "postgresql://postgres@127.0.0.1:5432/test" : env.trim();
        ConnectionSpec spec = new PostgreSQLDialect().connectionSpec(StateConfig.builder().url(url).build(), Duration.ofSeconds(10));
        String appUrl = spec.jdbcUrl() + (spec.jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=" + name;
        return new TestDatabase("postgresql", name, appUrl, spec.jdbcUrl(), credentials(spec), owned);
    }

    /** A database on the test MariaDB (or MySQL) server. */
    public static final class MariaDb implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            String env = System.getenv("VENOMQA_TEST_MYSQL_URL");
            String url = env == null || env.isBlank() ? "mysql://root@127.0.0.1:3306/test" : env.trim();
            ConnectionSpec spec = new MySQLDialect().connectionSpec(StateConfig.builder().url(url).build(), Duration.ofSeconds(10));
            String name = randomName();
            String appUrl = spec.jdbcUrl().replaceFirst("(jdbc:mysql://[^/]*/)[^?]*", "$1" + name);
            TestDatabase db = new TestDatabase("mysql", name, appUrl, spec.jdbcUrl(), credentials(spec));
            db.onServer("create database " + name, "Start MariaDB on 127.0.0.1:3306 (user root, empty password) or set "
                    + "VENOMQA_TEST_MYSQL_URL to a server where you may create databases.");
            install(context, db);
        }
    }

    private static Properties credentials(ConnectionSpec spec) {
        Properties p = new Properties();
        for (String k : List.of("user", "password")) {
            String v = spec.properties().getProperty(k);
            if (v != null) {
                p.setProperty(k, v);
            }
        }
        return p;
    }

    private static String randomName() {
        return "vqspring_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static void install(ConfigurableApplicationContext context, TestDatabase db) {
        TestPropertyValues.of("spring.datasource.url=" + db.appUrl,
                "spring.datasource.username=" + db.credentials.getProperty("user", "sa"),
                "spring.datasource.password=" + db.credentials.getProperty("password", "")).applyTo(context);
        context.getBeanFactory().registerSingleton("testDatabase", db);
        // Registered before any bean of the context exists, so destroyed after all of them.
        ((DefaultSingletonBeanRegistry) context.getBeanFactory()).registerDisposableBean("testDatabase", db);
    }

    public String name() {
        return name;
    }

    /** {@code h2}, {@code postgresql} or {@code mysql}. */
    public String kind() {
        return kind;
    }

    /** A new auto-commit connection of its own: it sees what is committed, nothing of VenomQA's open transaction. */
    public Connection connect() throws SQLException {
        Properties p = new Properties();
        p.putAll(credentials);
        p.putIfAbsent("user", "sa"); // as install() tells the application (H2's in-memory databases have no other user)
        return DriverManager.getConnection(appUrl, p);
    }

    /**
     * The committed rows of the sample app's tables and the next id of each, as text: what another
     * process would see.
     */
    public String committedState() {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String t : List.of("products", "orders", "audit_log", "notifications")) {
                try (ResultSet rs = st.executeQuery("select * from " + t + " order by id")) {
                    StringBuilder sb = new StringBuilder(t).append(':');
                    while (rs.next()) {
                        sb.append(" [");
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            sb.append(rs.getString(i)).append(i < rs.getMetaData().getColumnCount() ? "," : "]");
                        }
                    }
                    out.add(sb.toString());
                }
            }
            if (kind.equals("postgresql")) {
                // The next value each sequence hands out (setval(s, n, false) and setval(s, n - 1, true) agree).
                List<String> sequences = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("select sequencename from pg_sequences where schemaname = '" + name
                        + "' order by 1")) {
                    while (rs.next()) {
                        sequences.add(rs.getString(1));
                    }
                }
                for (String seq : sequences) {
                    try (ResultSet rs = st.executeQuery("select case when is_called then last_value + 1 else last_value end from "
                            + name + "." + seq)) {
                        rs.next();
                        out.add("next id " + seq + "=" + rs.getLong(1));
                    }
                }
            } else {
                String ids = kind.equals("mysql")
                        ? "select table_name, auto_increment from information_schema.tables where table_schema = '"
                        + name + "' and table_name <> 'flyway_schema_history' order by 1"
                        : "select sequence_name, base_value from information_schema.sequences order by 1";
                try (ResultSet rs = st.executeQuery(ids)) {
                    while (rs.next()) {
                        out.add("next id " + rs.getString(1) + "=" + rs.getString(2));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return String.join("\n", out);
    }

    /** Records the committed state and drops the database (unless it is someone else's). */
    @Override
    public void destroy() throws SQLException {
        STATE_AT_DROP.put(name, committedState());
        if (!owned) {
            return;
        }
        switch (kind) {
            case "postgresql" -> onServer("drop schema if exists " + name + " cascade", "");
            case "mysql" -> onServer("drop database if exists " + name, "");
            default -> {
                try (Connection c = connect(); Statement st = c.createStatement()) {
                    st.execute("shutdown");
                }
            }
        }
    }

    private void onServer(String sql, String advice) {
        Properties p = new Properties();
        p.putAll(credentials);
        try (Connection c = DriverManager.getConnection(serverUrl, p); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("These tests need a " + kind + " server and none is usable at "
                    + CredentialMasker.maskUrl(serverUrl) + " (" + CredentialMasker.maskText(e.getMessage()) + "). " + advice, e);
        }
    }
}
