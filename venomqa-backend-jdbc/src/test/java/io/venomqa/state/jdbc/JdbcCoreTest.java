package io.venomqa.state.jdbc;

import io.venomqa.state.jdbc.spi.CheckpointStrategy;
import io.venomqa.state.jdbc.spi.CheckpointStrategyProvider;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.TableInfo;
import io.venomqa.state.CheckpointException;
import io.venomqa.state.StateConfig;
import io.venomqa.testsupport.Stderr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The core's seams and the shared DataSource's locking, on embedded H2 through a minimal dialect. */
class JdbcCoreTest {

    private final String url = "jdbc:h2:mem:core_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    private Connection keepAlive;
    private JdbcStateManager manager;

    @BeforeEach
    void createTable() throws SQLException {
        keepAlive = DriverManager.getConnection(url);
        try (Statement st = keepAlive.createStatement()) {
            st.execute("create table notes (id integer primary key, text varchar(100))");
            st.execute("create table venomqa_journal (id integer primary key)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        if (manager != null) {
            manager.disconnect();
        }
        keepAlive.close();
    }

    private JdbcStateManager manager(StateConfig.Builder config, TestH2Dialect dialect) {
        manager = new TestH2Dialect.Manager(config.url(url).build(), dialect);
        return manager;
    }

    private JdbcStateManager manager(StateConfig.Builder config) {
        return manager(config, new TestH2Dialect());
    }

    @Test
    @DisplayName("the savepoint strategy offers no checkpoint tree (savepoints are a stack), connected or not")
    void savepointStrategyHasNoCheckpointTree() {
        JdbcStateManager m = manager(StateConfig.builder().backend("h2"));
        assertThat(m.checkpointStrategy()).isEqualTo("savepoint");
        assertThat(m.checkpointTree()).as("before connect()").isEmpty();
        m.connect();
        m.checkpoint("a");
        assertThat(m.checkpointTree()).as("connected").isEmpty();
    }

    @Test
    @DisplayName("debug logging says which generated savepoint stands for which checkpoint name")
    void savepointNamesAreLogged() {
        JdbcStateManager m = manager(StateConfig.builder());
        m.connect();
        String log = Stderr.during(() -> {
            m.checkpoint("order created");
            m.rollback("order created");
            m.release("order created");
        });
        assertThat(log).containsPattern("SAVEPOINT venomqa_sp_\\d+ stands for checkpoint 'order created'")
                .containsPattern("ROLLBACK TO SAVEPOINT venomqa_sp_\\d+ \\(checkpoint 'order created'\\)")
                .containsPattern("RELEASE SAVEPOINT venomqa_sp_\\d+ \\(checkpoint 'order created'\\)");
    }

    @Test
    @DisplayName("a strategy registered with ServiceLoader is found by name and receives every hook")
    void serviceLoaderStrategy() {
        RecordingStrategyProvider.CALLS.clear();
        JdbcStateManager m = manager(StateConfig.builder().option("checkpoint_strategy", "recording"));
        assertThat(m.checkpointStrategy()).isEqualTo("recording");
        m.connect();
        m.checkpoint("a");
        m.checkpoint("b");
        m.rollback("a");
        m.checkpoint("c");
        m.release("c");
        m.reset();
        m.disconnect();
        assertThat(RecordingStrategyProvider.CALLS).containsExactly(
                "onConnect tracked=[NOTES]",
                "checkpoint a as venomqa_sp_1", "checkpoint b as venomqa_sp_2", "rollback a discarding [b]",
                "checkpoint c as venomqa_sp_3", "release [c]", "beforeReset", "afterReset", "onDisconnect");
    }

    @Test
    @DisplayName("a strategy the dialect brings wins over the built-in one; unsupported dialects do not see ServiceLoader ones")
    void dialectStrategy() {
        TestH2Dialect dialect = new TestH2Dialect();
        dialect.extra.add(new CheckpointStrategyProvider() {
            @Override
            public String name() {
                return "journal";
            }

            @Override
            public CheckpointStrategy create(JdbcDialect d, StateConfig c) {
                return new RecordingStrategyProvider().create(d, c);
            }
        });
        assertThat(manager(StateConfig.builder().option("checkpoint_strategy", "journal"), dialect).checkpointStrategy())
                .isEqualTo("journal");
        assertThatThrownBy(() -> manager(StateConfig.builder().option("checkpoint_strategy", "nope")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown checkpoint_strategy 'nope'")
                .hasMessageContaining("recording").hasMessageContaining("savepoint")
                .hasMessageContaining("journal: add io.venomqa:venomqa-journal");
    }

    @Test
    @DisplayName("a strategy that does not share its connection makes sharedDataSource() fail with the reason")
    void unsharedStrategy() {
        JdbcStateManager m = manager(StateConfig.builder().option("checkpoint_strategy", "recording"));
        m.connect();
        assertThatThrownBy(() -> m.sharedDataSource().getConnection()).isInstanceOf(SQLException.class)
                .hasMessageContaining("own connections");
    }

    @Test
    @DisplayName("applicationDataSource(): the shared DataSource while connected with savepoints, empty disconnected or unshared")
    void applicationDataSource() throws SQLException {
        JdbcStateManager m = manager(StateConfig.builder());
        assertThat(m.applicationDataSource()).as("not connected").isEmpty();
        m.connect();
        assertThat(m.applicationDataSource()).containsSame(m.sharedDataSource());
        m.checkpoint("before");
        try (Connection c = m.applicationDataSource().orElseThrow().getConnection(); Statement st = c.createStatement()) {
            st.execute("insert into notes values (1, 'through the application DataSource')");
        }
        m.rollback("before");
        assertThat(m.countRows("notes")).as("the rollback undoes what the application wrote").isZero();
        m.disconnect();
        assertThat(m.applicationDataSource()).isEmpty();

        JdbcStateManager unshared = manager(StateConfig.builder().option("checkpoint_strategy", "recording"));
        unshared.connect();
        assertThat(unshared.applicationDataSource()).as("a strategy that does not share its connection").isEmpty();
    }

    @Test
    @DisplayName("two threads never hold the shared connection at once: the second waits for the first's close()")
    void threadsTakeTurns() throws Exception {
        JdbcStateManager m = manager(StateConfig.builder());
        m.connect();
        AtomicBoolean secondGotIt = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch secondDone = new CountDownLatch(1);
        Thread second;
        try (Connection first = m.sharedDataSource().getConnection()) {
            first.createStatement().executeUpdate("insert into notes values (1, 'first')");
            second = new Thread(() -> {
                try (Connection c = m.sharedDataSource().getConnection()) {
                    secondGotIt.set(true);
                    c.createStatement().executeUpdate("insert into notes values (2, 'second')");
                } catch (Throwable t) {
                    failure.set(t);
                } finally {
                    secondDone.countDown();
                }
            }, "app-thread-2");
            second.start();
            while (second.getState() != Thread.State.TIMED_WAITING && second.getState() != Thread.State.WAITING) {
                Thread.onSpinWait(); // until the second thread is parked on the lock
            }
            assertThat(secondGotIt).isFalse();
        }
        secondDone.await();
        assertThat(failure.get()).isNull();
        assertThat(secondGotIt).isTrue();
        assertThat(m.countRows("notes")).isEqualTo(2);
    }

    @Test
    @DisplayName("a manager call waits for an application thread, then fails naming it and what to do")
    void managerWaitsThenFails() throws Exception {
        JdbcStateManager m = manager(StateConfig.builder().option("shared_connection_wait", "200ms"));
        m.connect();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread app = new Thread(() -> {
            try (Connection c = m.sharedDataSource().getConnection()) {
                holding.countDown();
                release.await();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "forgetful-app-thread");
        app.start();
        holding.await();
        try {
            assertThatThrownBy(() -> m.checkpoint("blocked")).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("forgetful-app-thread").hasMessageContaining("without closing it");
            assertThat(m.activeCheckpoints()).isEmpty();
        } finally {
            release.countDown();
            app.join();
        }
        m.checkpoint("now-free");
        assertThat(m.activeCheckpoints()).containsExactly("now-free");
    }

    @Test
    @DisplayName("disconnect() ends a session even while an application thread holds a shared connection")
    void disconnectWhileHeld() throws Exception {
        JdbcStateManager m = manager(StateConfig.builder().option("shared_connection_wait", "100ms"));
        m.connect();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> afterDisconnect = new AtomicReference<>();
        Thread app = new Thread(() -> {
            try (Connection c = m.sharedDataSource().getConnection()) {
                c.createStatement().executeUpdate("insert into notes values (1, 'x')");
                holding.countDown();
                release.await();
                c.createStatement().executeUpdate("insert into notes values (2, 'y')");
            } catch (Throwable t) {
                afterDisconnect.set(t);
            }
        });
        app.start();
        holding.await();
        m.disconnect();
        release.countDown();
        app.join();
        assertThat(afterDisconnect.get()).isInstanceOf(SQLException.class).hasMessageContaining("session that has ended");
        m.connect();
        assertThat(m.countRows("notes")).isZero();
        try (Connection c = m.sharedDataSource().getConnection()) {
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    @DisplayName("queryRows and countRows see the run's uncommitted rows; countRows names missing tables")
    void helpers() throws SQLException {
        JdbcStateManager m = manager(StateConfig.builder());
        m.connect();
        try (Connection c = m.sharedDataSource().getConnection()) {
            c.createStatement().executeUpdate("insert into notes values (1, 'a'), (2, 'b')");
        }
        assertThat(m.queryRows("select id, text from notes where id > ? order by id", 0))
                .extracting(r -> r.get("TEXT")).containsExactly("a", "b");
        assertThat(m.countRows("notes")).isEqualTo(2);
        assertThatThrownBy(() -> m.countRows("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nope' does not exist").hasMessageContaining("NOTES");
        assertThat(m.trackedTables()).extracting(TableInfo::name).containsExactly("NOTES");
        assertThat(m.resetPlan().tableNames()).containsExactly("NOTES");
        assertThat(m.resetPlan().excluded()).containsExactly("VENOMQA_JOURNAL");
        try (Connection other = DriverManager.getConnection(url); Statement st = other.createStatement()) {
            assertThat(st.executeQuery("select count(*) from notes").next()).isTrue();
        }
        assertThat(List.of(m.schemaName())).containsExactly("PUBLIC");
    }
}
