package io.venomqa.state.postgres.internal;

import io.venomqa.core.DatabaseUrl;
import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.JdbcWorkerDatabases;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL worker databases: {@code CREATE DATABASE <copy> TEMPLATE <source>}, a file-level copy
 * that costs about as much as the database's size on disk, and {@code DROP DATABASE … WITH (FORCE)}
 * (PostgreSQL 13 and later; plain {@code DROP DATABASE} before). The admin session connects to the
 * maintenance database {@code postgres}, because PostgreSQL copies a database only while no session
 * is connected to it. The liveness lock is a session-level advisory lock keyed on the run.
 */
public final class PostgreSQLWorkerDatabases extends JdbcWorkerDatabases {

    /** PostgreSQL's identifier limit (NAMEDATALEN - 1), in bytes. */
    private static final int MAX_NAME = 63;

    public PostgreSQLWorkerDatabases(StateConfig source, JdbcDialect dialect) {
        super(source, dialect, MAX_NAME);
    }

    @Override
    protected String adminUrl() {
        return DatabaseUrl.parse(source().url()).withDatabase("postgres");
    }

    @Override
    protected List<String> list(Connection admin, String prefix) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = admin.prepareStatement(
                "select datname from pg_catalog.pg_database where left(datname, length(?)) = ? order by datname")) {
            ps.setString(1, prefix);
            ps.setString(2, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    @Override
    protected boolean tryLock(Connection admin, String run) throws SQLException {
        return advisory(admin, "pg_try_advisory_lock", run);
    }

    @Override
    protected void unlock(Connection admin, String run) throws SQLException {
        advisory(admin, "pg_advisory_unlock", run);
    }

    private static boolean advisory(Connection admin, String function, String run) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement(
                "select " + function + "(hashtext('venomqa.workers'), hashtext(?))")) {
            ps.setString(1, run);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    @Override
    protected void create(Connection admin, String copy) throws SQLException {
        try (Statement st = admin.createStatement()) {
            st.execute("create database " + dialect().quote(copy) + " template " + dialect().quote(sourceName()));
        }
    }

    @Override
    protected void drop(Connection admin, String copy) throws SQLException {
        boolean force = admin.getMetaData().getDatabaseMajorVersion() >= 13;
        try (Statement st = admin.createStatement()) {
            st.execute("drop database if exists " + dialect().quote(copy) + (force ? " with (force)" : ""));
        }
    }

    @Override
    protected String explain(Exception e) {
        String state = e instanceof SQLException s ? s.getSQLState() : null;
        if ("55006".equals(state)) {
            return e.getMessage() + ". PostgreSQL copies a database (CREATE DATABASE … TEMPLATE) only while no other"
                    + " session is connected to it: stop the API, psql sessions and any VenomQA manager connected to '"
                    + sourceName() + "' while the worker databases are made, then connect them to the copies.";
        }
        if ("42501".equals(state)) {
            return e.getMessage() + ". The user of db_url needs the CREATEDB privilege to make worker databases"
                    + " (ALTER ROLE <user> CREATEDB), or run with one worker.";
        }
        return e.getMessage();
    }
}
