package io.venomqa.state.sqlite;

import io.venomqa.state.WorkerDatabaseException;
import io.venomqa.state.WorkerSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Worker databases on SQLite: committed content copied into files next to the source, isolated,
 * deleted on close with their lock; leftovers of dead runs deleted, those of live runs kept.
 */
class SQLiteWorkerDatabasesTest {

    @TempDir
    Path dir;

    private Path source() throws SQLException {
        Path db = dir.resolve("shop_test.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("pragma journal_mode=wal");
            st.execute("create table users (id integer primary key autoincrement, name text)");
            st.execute("insert into users(name) values ('ada'), ('bob')");
        }
        return db;
    }

    @Test
    void copiesHoldTheCommittedRowsAreIsolatedAndDeletedOnClose() throws Exception {
        Path db = source();
        try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + db); Statement w = writer.createStatement()) {
            writer.setAutoCommit(false);
            w.execute("insert into users(name) values ('uncommitted')");
            try (WorkerSet set = new SQLiteStateManager("sqlite:///" + db).workerDatabases().orElseThrow().create(2)) {
                assertThat(set.configs().get(1).url()).isEqualTo("jdbc:sqlite:" + dir.resolve("shop_test_vqw_" + set.runId() + "_2.db"));
                try (Connection c = DriverManager.getConnection(set.configs().get(0).url()); Statement st = c.createStatement()) {
                    assertThat(single(st, "select group_concat(name) from users")).isEqualTo("ada,bob");
                    st.execute("insert into users(name) values ('carl')");
                    assertThat(single(st, "select max(id) from users")).isEqualTo("3");
                }
                try (Connection c = DriverManager.getConnection(set.configs().get(1).url()); Statement st = c.createStatement()) {
                    assertThat(single(st, "select count(*) from users")).isEqualTo("2");
                }
                assertThat(files()).contains("shop_test_vqw_" + set.runId() + "_1.db", ".shop_test_vqw_" + set.runId() + ".lock");
            }
            writer.rollback();
        }
        assertThat(files()).contains("shop_test.db").noneMatch(f -> f.contains("_vqw_"));
    }

    @Test
    void copiesMadeWhileTheApplicationWritesAllHoldTheSameState() throws Exception {
        Path db = source();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("create table pad (v text)"); // makes each copy take a while
            st.execute("insert into pad with recursive n(i) as (select 1 union all select i + 1 from n where i < 40000)"
                    + " select printf('%0100d', i) from n");
        }
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger commits = new java.util.concurrent.atomic.AtomicInteger();
        Thread writer = new Thread(() -> {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
                st.execute("pragma busy_timeout = 5000");
                while (!stop.get()) {
                    st.execute("insert into users(name) values ('w')");
                    commits.incrementAndGet();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        try {
            while (commits.get() < 20) {
                Thread.sleep(2);
            }
            try (WorkerSet set = new SQLiteStateManager("sqlite:///" + db).workerDatabases().orElseThrow().create(4)) {
                stop.set(true);
                java.util.List<String> counts = new java.util.ArrayList<>();
                for (var copy : set.configs()) {
                    try (Connection c = DriverManager.getConnection(copy.url()); Statement st = c.createStatement()) {
                        counts.add(single(st, "select count(*) || ':' || max(id) from users"));
                    }
                }
                assertThat(counts).as("rows in each copy").containsOnly(counts.get(0));
            }
        } finally {
            stop.set(true);
            writer.join(10_000);
        }
    }

    @Test
    void leftoversOfDeadRunsAreDeletedAndThoseOfLiveRunsKept() throws Exception {
        Path db = source();
        Files.writeString(dir.resolve("shop_test_vqw_deadrun1_1.db"), "");
        Files.writeString(dir.resolve("shop_test_vqw_deadrun1_1.db-wal"), "");
        Files.writeString(dir.resolve(".shop_test_vqw_deadrun1.lock"), ""); // its process died: nobody holds it
        Files.writeString(dir.resolve("shop_test_vqw_liverun1_1.db"), "");
        try (FileChannel live = FileChannel.open(dir.resolve(".shop_test_vqw_liverun1.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            live.lock(); // another run holding its lock
            try (WorkerSet set = new SQLiteStateManager("sqlite:///" + db).workerDatabases().orElseThrow().create(1)) {
                assertThat(set.droppedLeftovers()).containsExactly("shop_test_vqw_deadrun1_1");
            }
        }
        assertThat(files()).contains("shop_test_vqw_liverun1_1.db", ".shop_test_vqw_liverun1.lock")
                .noneMatch(f -> f.contains("deadrun1"));
    }

    @Test
    void inMemoryDatabasesHaveNoCopies() {
        assertThatThrownBy(() -> new SQLiteStateManager("sqlite::memory:").workerDatabases().orElseThrow().create(1))
                .isInstanceOf(WorkerDatabaseException.class)
                .hasMessageContaining("in-memory");
    }

    private java.util.List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
