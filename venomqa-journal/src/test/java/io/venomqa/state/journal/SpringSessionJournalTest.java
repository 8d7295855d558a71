package io.venomqa.state.journal;

import io.venomqa.state.CheckpointTree;
import io.venomqa.state.StateManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.Session;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A third-party application's own schema and writes: Spring Session's JDBC session store (the schema scripts its jar
 * ships, unchanged), used through its repository on connections of its own. Its attribute table has a composite key
 * and an {@code ON DELETE CASCADE} foreign key to the session table, and holds serialized Java objects in a binary
 * column; sessions are created, changed, deleted one by one and in bulk by its expiry cleanup, whose deletes cascade.
 * Each test compares the server's full dump after every rollback, tree restore and {@code disconnect()} with the state
 * it must give back.
 */
class SpringSessionJournalTest {

    @RegisterExtension
    static final OwnPgDatabase DATABASE = new OwnPgDatabase();

    @Test
    @DisplayName("PostgreSQL: Spring Session's own schema and writes, cascading deletes included, undone exactly")
    void postgres() throws Exception {
        try (PgDb db = new PgDb(DATABASE)) {
            exercise(db, "postgresql", db::dump);
        }
    }

    @Test
    @DisplayName("MariaDB: Spring Session's own schema and writes, cascading deletes included, undone exactly")
    void mariadb() throws Exception {
        try (MyDb db = new MyDb()) {
            exercise(db, "mysql", db::dump);
        }
    }

    @Test
    @DisplayName("SQLite: Spring Session's own schema and writes, cascading deletes included, undone exactly")
    void sqlite() throws Exception {
        try (SqliteDb db = new SqliteDb()) {
            exercise(db, "sqlite", () -> SqliteJournalFuzzTest.Lite.dump(db));
        }
    }

    private void exercise(JournalDb db, String script, ThirdPartyApps.Dump dump) throws Exception {
        db.exec(ThirdPartyApps.script(JdbcIndexedSessionRepository.class, "/org/springframework/session/jdbc/schema-" + script + ".sql").toArray(String[]::new));
        DataSource dataSource = ThirdPartyApps.dataSource(db);
        JdbcIndexedSessionRepository store = new JdbcIndexedSessionRepository(new JdbcTemplate(dataSource),
                new TransactionTemplate(new JdbcTransactionManager(dataSource)));
        store.setCleanupCron("-"); // no cleanup thread: the test calls the cleanup itself
        store.afterPropertiesSet();
        // Through the interface applications use (the repository's session class is not public).
        @SuppressWarnings({"unchecked", "rawtypes"})
        FindByIndexNameSessionRepository<Session> sessions = (FindByIndexNameSessionRepository) store;
        try {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.add(login(sessions, "user" + i, i));
            }
            List<String> before = dump.take();
            StateManager manager = db.manager();
            manager.connect();
            try {
                manager.checkpoint("start");
                Session s = sessions.findById(ids.get(0));
                s.setAttribute("cart", new ArrayList<>(List.of("book", "pen", "ünïcode ✓")));
                s.removeAttribute("theme");
                sessions.save(s);
                sessions.deleteById(ids.get(1)); // its attributes go by the cascade
                String fresh = login(sessions, "user9", 9);
                List<String> a = dump.take();
                manager.checkpoint("a");

                // Two sessions expired long ago, removed by the store's own cleanup (one DELETE, cascading).
                for (String id : List.of(ids.get(2), fresh)) {
                    Session e = sessions.findById(id);
                    e.setMaxInactiveInterval(Duration.ofSeconds(1));
                    e.setLastAccessedTime(Instant.now().minusSeconds(3600));
                    sessions.save(e);
                }
                store.cleanUpExpiredSessions();
                assertThat(sessions.findById(fresh)).isNull();
                List<String> b = dump.take();
                manager.checkpoint("b");

                CheckpointTree tree = manager.checkpointTree().orElseThrow();
                tree.restore("a");
                assertThat(dump.take()).as("after restore(a)").isEqualTo(a);
                assertThat(sessions.findById(fresh).<List<String>>getAttribute("cart")).containsExactly("item 9");
                Session again = sessions.findById(ids.get(3));
                again.setAttribute("cart", new ArrayList<>(List.of("other")));
                sessions.save(again);
                List<String> c = dump.take();
                manager.checkpoint("c");

                ThirdPartyApps.acrossTheTree(manager, dump, a, b, c);
                tree.restore("start");
                assertThat(dump.take()).as("after restore(start)").isEqualTo(before);
                sessions.deleteById(ids.get(3));
            } finally {
                manager.disconnect();
            }
            assertThat(dump.take()).as("after disconnect()").isEqualTo(before);
            assertThat(sessions.findByIndexNameAndIndexValue(
                    FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, "user3")).hasSize(1);
        } finally {
            store.destroy();
        }
    }

    /** A new session of {@code user} with a few attributes (serialized into the attribute table), saved; its id. */
    private static String login(FindByIndexNameSessionRepository<Session> sessions, String user, int n) {
        Session s = sessions.createSession();
        s.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, user);
        s.setAttribute("cart", new ArrayList<>(List.of("item " + n)));
        s.setAttribute("theme", "dark");
        Map<String, Object> prefs = new LinkedHashMap<>();
        prefs.put("bytes", new byte[] {0, (byte) 0xff, 0x27, 0x5c});
        prefs.put("ratio", n / 3.0);
        s.setAttribute("prefs", prefs);
        sessions.save(s);
        return s.getId();
    }

}
