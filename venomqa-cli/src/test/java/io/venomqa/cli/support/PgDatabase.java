package io.venomqa.cli.support;

import io.venomqa.core.CredentialMasker;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A schema of its own on the test PostgreSQL server (VENOMQA_TEST_POSTGRES_URL as a
 * postgresql://user@host:port/db URL, else 127.0.0.1:5432, user postgres, database test) with
 * users, orders (→ users), countries and flyway_schema_history, dropped on close. Unreachable: fails
 * saying so, never skips.
 */
public final class PgDatabase implements AutoCloseable {

    public static final String ENV = "VENOMQA_TEST_POSTGRES_URL";

    /** postgresql://user@host:port/db, without password. */
    public final String url;
    public final String host;
    public final int port;
    public final String database;
    public final String user;
    public final String schema = "vqcli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    public PgDatabase() {
        String env = System.getenv(ENV);
        String u = env == null || env.isBlank() ? "postgresql://postgres@127.0.0.1:5432/test" : env.trim();
        java.net.URI uri = java.net.URI.create(u.replaceFirst("^jdbc:", "").replaceFirst("^postgres://", "postgresql://"));
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? 5432 : uri.getPort();
        this.database = uri.getPath().substring(1);
        this.user = uri.getUserInfo() == null ? "postgres" : uri.getUserInfo().split(":")[0];
        this.url = "postgresql://" + user + "@" + host + ":" + port + "/" + database;
        try {
            exec("create schema " + schema,
                    "create table " + schema + ".users (id serial primary key, email text not null)",
                    "create table " + schema + ".orders (id serial primary key, user_id int not null references " + schema + ".users(id))",
                    "create table " + schema + ".countries (code text primary key)",
                    "create table " + schema + ".flyway_schema_history (version text)",
                    "insert into " + schema + ".users(email) values ('a@example.com'), ('b@example.com')",
                    "insert into " + schema + ".orders(user_id) values (1), (2)",
                    "insert into " + schema + ".countries values ('FR'), ('DE')",
                    "insert into " + schema + ".flyway_schema_history values ('1')");
        } catch (SQLException e) {
            throw new AssertionError("These tests need a PostgreSQL server and none is reachable at "
                    + CredentialMasker.maskUrl(u) + " (" + e.getMessage() + "). Start PostgreSQL on 127.0.0.1:5432 (user"
                    + " postgres, trust auth, database test) or set " + ENV + ".", e);
        }
    }

    public Connection connect() throws SQLException {
        String password = System.getenv(ENV) == null ? null : passwordOf(System.getenv(ENV));
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, user, password);
    }

    private static String passwordOf(String url) {
        java.net.URI uri = java.net.URI.create(url.replaceFirst("^jdbc:", ""));
        String info = uri.getUserInfo();
        return info != null && info.contains(":") ? info.substring(info.indexOf(':') + 1) : null;
    }

    public void exec(String... sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    public long count(String table) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from " + schema + "." + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public List<String> column(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    @Override
    public void close() throws SQLException {
        exec("drop schema if exists " + schema + " cascade");
    }
}
