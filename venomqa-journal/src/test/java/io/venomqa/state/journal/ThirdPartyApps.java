package io.venomqa.state.journal;

import io.venomqa.state.CheckpointTree;
import io.venomqa.state.StateManager;
import org.springframework.jdbc.datasource.AbstractDataSource;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the tests of third-party applications' schemas share: their shipped scripts, their connections, the dump. */
final class ThirdPartyApps {

    private ThirdPartyApps() {
    }

    /** A full dump of the database under test, as the journal tests' helpers take it. */
    interface Dump {
        List<String> take() throws SQLException;
    }

    /**
     * The statements of the SQL script {@code path} shipped in the jar of {@code anchor}, unchanged: split at
     * semicolons, lines of comments ({@code --}, {@code #}) and a closing {@code COMMIT} left out.
     */
    static List<String> script(Class<?> anchor, String path) throws IOException {
        String text;
        try (InputStream in = anchor.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            text = out.toString(StandardCharsets.UTF_8);
        }
        StringBuilder cleaned = new StringBuilder();
        for (String line : text.split("\n")) {
            String t = line.trim();
            if (!t.startsWith("--") && !t.startsWith("#")) {
                cleaned.append(line).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        for (String s : cleaned.toString().split(";")) {
            if (!s.isBlank() && !s.trim().equalsIgnoreCase("commit")) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /**
     * From checkpoint {@code c} (the head) to {@code b} on another branch and back by tree restores, then a rollback
     * to {@code a}, their common ancestor: after each, the dump is the one taken at that checkpoint.
     */
    static void acrossTheTree(StateManager manager, Dump dump, List<String> a, List<String> b, List<String> c)
            throws SQLException {
        CheckpointTree tree = manager.checkpointTree().orElseThrow();
        tree.restore("b");
        assertThat(dump.take()).as("after restore(b)").isEqualTo(b);
        tree.restore("c");
        assertThat(dump.take()).as("after restore(c)").isEqualTo(c);
        manager.rollback("a");
        assertThat(dump.take()).as("after rollback(a)").isEqualTo(a);
    }

    /** The application's connections: a new one from {@code db} each time, as a pool would hand them out. */
    static DataSource dataSource(JournalDb db) {
        return new AbstractDataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                return db.connect();
            }

            @Override
            public Connection getConnection(String username, String password) throws SQLException {
                return db.connect();
            }
        };
    }
}
