package io.venomqa.state.journal;

import io.venomqa.state.StateConfig;
import io.venomqa.state.sqlite.SQLiteStateManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** A database file of its own in a temporary directory, deleted by {@link #close()}. */
final class SqliteDb implements JournalDb {

    final Path dir;
    final Path file;

    SqliteDb() {
        try {
            dir = Files.createTempDirectory("vqj-sqlite");
            file = dir.resolve("app.db");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    String url() {
        return "sqlite:///" + file;
    }

    String jdbcUrl() {
        return "jdbc:sqlite:" + file;
    }

    @Override
    public StateConfig.Builder config() {
        return StateConfig.builder().backend("sqlite").url(url()).option("checkpoint_strategy", "journal");
    }

    @Override
    public SQLiteStateManager manager() {
        return new SQLiteStateManager(config().build());
    }

    /** An auto-commit connection with foreign keys enforced: the "application". */
    @Override
    public Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl());
        try (Statement st = c.createStatement()) {
            st.execute("pragma foreign_keys = on");
            st.execute("pragma busy_timeout = 5000");
        }
        return c;
    }

    /** Runs SQL in the sqlite3 command-line client (another process), foreign keys on. */
    String cli(String sql) {
        return Cli.run(List.of("sqlite3", "-bail", file.toString()),
                ".timeout 5000\npragma foreign_keys = on;\n" + sql);
    }

    @Override
    public void close() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }
}
