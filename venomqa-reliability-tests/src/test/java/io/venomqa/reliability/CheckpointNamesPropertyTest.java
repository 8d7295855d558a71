package io.venomqa.reliability;

import io.venomqa.state.spi.BaseStateManager;
import io.venomqa.state.CheckpointException;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.memory.InMemoryStateManager;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Checkpoint names thrown at every backend by jqwik: any string (lone surrogates, controls, NUL,
 * quotes, backslashes, {@code ;}, SQL comments, emoji, right-to-left marks and text, 0 to 70
 * characters, plus 63, 64, 1000 and 1001). A name the contract accepts (1–1000 code points, not blank, no control character) must
 * save and restore the data exactly; any other is an {@link IllegalArgumentException} naming the
 * problem, with the data and the checkpoint stack unchanged. Every try runs against the same
 * connected manager, so a name that slipped into SQL and broke the session would fail every later
 * try. The fixed awkward names of the contract (quotes, {@code x'; DROP TABLE users; --}, emoji, 64
 * and 1000 characters, and empty/blank/1001/NUL/null refused) run on every backend in {@code StateManagerContract}.
 */
class CheckpointNamesPropertyTest {

    /** One connected manager per backend, with a value to change and read back. */
    private interface Target {
        StateManager manager();

        void write(int value) throws Exception;

        int read() throws Exception;
    }

    private static final Map<String, Target> TARGETS = new LinkedHashMap<>();
    private static final List<AutoCloseable> CLEANUP = new ArrayList<>();

    private static synchronized Target target(String backend) throws Exception {
        Target t = TARGETS.get(backend);
        if (t == null) {
            t = backend.equals("memory") ? memory() : sql(backend);
            t.manager().connect();
            t.write(7);
            t.manager().checkpoint("base");
            TARGETS.put(backend, t);
        }
        return t;
    }

    private static Target memory() {
        InMemoryStateManager m = new InMemoryStateManager(StateConfig.builder().backend("memory").build());
        return new Target() {
            public StateManager manager() {
                return m;
            }

            public void write(int value) {
                m.store().put("v", value);
            }

            public int read() {
                return (Integer) m.store().get("v");
            }
        };
    }

    private static Target sql(String backend) throws Exception {
        StateConfig config;
        switch (backend) {
            case "postgresql", "mysql" -> {
                TestDb db = backend.equals("postgresql") ? TestDb.postgres() : TestDb.mysql();
                CLEANUP.add(db);
                db.exec("create table kv (id int primary key, v int)", "insert into kv values (1, 0)");
                config = db.config().build();
            }
            case "sqlite" -> {
                Path file = Files.createDirectories(Path.of("target", "sqlite-tests")).resolve("names-" + UUID.randomUUID() + ".db");
                CLEANUP.add(() -> Files.deleteIfExists(file));
                try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
                    st.execute("create table kv (id int primary key, v int)");
                    st.execute("insert into kv values (1, 0)");
                }
                config = StateConfig.builder().url("sqlite:///" + file.toAbsolutePath()).build();
            }
            case "h2" -> {
                String url = "jdbc:h2:mem:names_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
                Connection keep = java.sql.DriverManager.getConnection(url);
                CLEANUP.add(keep);
                try (Statement st = keep.createStatement()) {
                    st.execute("create table kv (id int primary key, v int)");
                    st.execute("insert into kv values (1, 0)");
                }
                config = StateConfig.builder().url(url).build();
            }
            default -> throw new IllegalArgumentException(backend);
        }
        JdbcStateManager m = (JdbcStateManager) StateManagers.create(config);
        return new Target() {
            public StateManager manager() {
                return m;
            }

            public void write(int value) throws Exception {
                try (Connection c = m.sharedDataSource().getConnection();
                     PreparedStatement ps = c.prepareStatement("update kv set v = ? where id = 1")) {
                    ps.setInt(1, value);
                    ps.executeUpdate();
                }
            }

            public int read() {
                return ((Number) m.queryRows("select v from kv where id = 1").get(0).values().iterator().next()).intValue();
            }
        };
    }

    @AfterContainer
    static void closeAll() throws Exception {
        for (Target t : TARGETS.values()) {
            t.manager().disconnect();
        }
        TARGETS.clear();
        for (AutoCloseable c : CLEANUP) {
            c.close();
        }
        CLEANUP.clear();
    }

    /** The contract's rule, written out independently of BaseStateManager. */
    static boolean valid(String name) {
        if (name == null) {
            return false;
        }
        int n = name.codePointCount(0, name.length());
        return n >= 1 && n <= 1000 && !name.isBlank() && name.codePoints().noneMatch(Character::isISOControl);
    }

    private static void check(String backend, String name) throws Exception {
        Target t = target(backend);
        StateManager m = t.manager();
        int before = t.read();
        if (valid(name) && !name.equals("base")) {
            m.checkpoint(name);
            t.write(before + 1);
            assertThat(t.read()).isEqualTo(before + 1);
            m.rollback(name);
            assertThat(t.read()).as("restored exactly after checkpoint %s", printable(name)).isEqualTo(before);
            assertThat(m.activeCheckpoints()).containsExactly("base", name);
            m.release(name);
        } else if (valid(name)) {
            assertThatThrownBy(() -> m.checkpoint(name)).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("already active");
        } else {
            assertThatThrownBy(() -> m.checkpoint(name)).as("checkpoint(%s)", printable(name))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Checkpoint name");
        }
        assertThat(m.activeCheckpoints()).containsExactly("base");
        assertThat(t.read()).isEqualTo(before);
    }

    private static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("'");
        s.codePoints().forEach(cp -> b.append(cp < 0x20 || cp > 0x7e ? String.format("\\u{%X}", cp) : Character.toString(cp)));
        return b.append("'").toString();
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> any = Arbitraries.strings().all().ofMinLength(0).ofMaxLength(70);
        Arbitrary<String> sqlish = Arbitraries.strings().withChars("'\";\\-/*`$ \u0000\t\nabcDROP").ofMinLength(0).ofMaxLength(66);
        Arbitrary<String> emojiAndRtl = Arbitraries.oneOf(Arbitraries.integers().between(0x1F300, 0x1FAFF),
                        Arbitraries.integers().between(0x0590, 0x06FF), Arbitraries.of(0x200F, 0x202E, 0x2067, 0x200D, 0x20))
                .list().ofMinSize(0).ofMaxSize(66)
                .map(cps -> cps.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString());
        Arbitrary<String> edges = Arbitraries.of("", " ", "\t", "\u3000", "a".repeat(63), "a".repeat(64), "a".repeat(1000),
                "a".repeat(1001), "🚀".repeat(1000), "🚀".repeat(1001), "x'; DROP TABLE kv; --", "/* comment */", "-- comment", ";", "\\", "'", "\"",
                "a\u0000b", "\u202Eevil\u202C", "שלום עולם", "مرحبا", "venomqa_sp_1", "base");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, any), net.jqwik.api.Tuple.of(3, sqlish),
                net.jqwik.api.Tuple.of(3, emojiAndRtl), net.jqwik.api.Tuple.of(1, edges));
    }

    @Property(tries = 3000)
    void memory(@ForAll("names") String name) throws Exception {
        check("memory", name);
    }

    @Property(tries = 1000)
    void sqlite(@ForAll("names") String name) throws Exception {
        check("sqlite", name);
    }

    @Property(tries = 600)
    void h2(@ForAll("names") String name) throws Exception {
        check("h2", name);
    }

    @Property(tries = 600)
    void postgresql(@ForAll("names") String name) throws Exception {
        check("postgresql", name);
    }

    @Property(tries = 600)
    void mysql(@ForAll("names") String name) throws Exception {
        check("mysql", name);
    }

    @Example
    void invalidNamesSayWhatIsWrong() throws Exception {
        StateManager m = target("memory").manager();
        assertThatThrownBy(() -> m.checkpoint("")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> m.checkpoint("  ")).hasMessageContaining("must not be blank");
        assertThatThrownBy(() -> m.checkpoint("🚀".repeat(1001))).hasMessageContaining("1001 characters long; the limit is 1000");
        assertThatThrownBy(() -> m.checkpoint("a\u0000b")).hasMessageContaining("control characters: found U+0000 at index 1");
        assertThatThrownBy(() -> m.checkpoint(null)).hasMessageContaining("must not be null");
        assertThat(BaseStateManager.MAX_CHECKPOINT_NAME_LENGTH).isEqualTo(1000);
    }
}
