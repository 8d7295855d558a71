package io.venomqa.state.sqlite;

import io.venomqa.state.StateConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A SQLite schema whose DDL jOOQ's parser cannot read ({@code unique collate nocase}) made jOOQ log an ERROR
 * with a stack trace and "Please report this error" on every connect, although VenomQA read the tables fine.
 * Run in a JVM of its own: jOOQ reads its log thresholds once.
 */
class SQLiteQuietLogsTest {

    @TempDir
    Path dir;

    /** The child: connect, checkpoint, an insert the capture sees, rollback. Args: the database file. */
    public static void main(String[] args) {
        SQLiteStateManager m = new SQLiteStateManager(StateConfig.builder().backend("sqlite").url("sqlite:" + args[0])
                .option("track_changes", "true").build());
        m.connect();
        m.checkpoint("c");
        var mark = m.changeTracker().orElseThrow().mark();
        try (Connection c = m.sharedDataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("insert into users (email) values ('A@x')");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        System.out.println("changes: " + m.changeTracker().orElseThrow().changesSince(mark).summary());
        m.rollback("c");
        m.disconnect();
        System.out.println("child done");
    }

    @Test
    @DisplayName("a table jOOQ's parser cannot read is tracked without jOOQ's ERROR and stack trace in the user's log")
    void noParserErrorInTheLog() throws Exception {
        Path file = dir.resolve("quiet_test.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("create table users (id integer primary key, email text unique collate nocase)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                SQLiteQuietLogsTest.class.getName(), file.toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("changes: +1 users", "child done")
                .doesNotContain("Please report this error")
                .doesNotContain("ParserException");
    }
}
