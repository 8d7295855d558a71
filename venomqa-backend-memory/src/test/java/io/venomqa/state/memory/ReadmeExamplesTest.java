package io.venomqa.state.memory;

import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first StateManager example, compiled and run here. The text between the
 * {@code tag::} and {@code end::} markers must appear verbatim in README.md, so the README never
 * shows code that does not compile or does not do what it says.
 */
class ReadmeExamplesTest {

    @Test
    void firstStateManagerExample() {
        // tag::first-state-manager[]
        StateConfig config = StateConfig.fromMap(Map.of("db_backend", "memory", "db_url", "memory://readme"));
        InMemoryStore store = InMemoryStore.named("readme");   // what the application writes to

        try (StateManager state = StateManagers.create(config)) {
            state.connect();
            store.put("user:1", Map.of("name", "Alice"));
            state.checkpoint("user_created");

            store.put("order:1", Map.of("user", 1, "total", 42));
            state.rollback("user_created");                     // the order is gone, the user stays

            assert !store.containsKey("order:1") && store.containsKey("user:1");
        }                                                        // disconnect: back to the state at connect
        // end::first-state-manager[]
        assertThat(store.containsKey("order:1")).isFalse();
        assertThat(store.containsKey("user:1")).isFalse();
        InMemoryStore.dropNamed("readme");
    }

    @Test
    void readmeShowsTheseExamplesVerbatim() throws IOException {
        String readme = Files.readString(findReadme());
        Pattern tagged = Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n\\s*// end::\\1\\[]", Pattern.DOTALL);
        int found = 0;
        for (String file : new String[] {"ReadmeExamplesTest.java", "InMemoryContractTest.java"}) {
            String source = Files.readString(Path.of("src/test/java/io/venomqa/state/memory", file));
            Matcher m = tagged.matcher(source);
            while (m.find()) {
                String snippet = m.group(2).stripIndent().strip();
                assertThat(readme).as("README.md must contain example '%s' of %s verbatim", m.group(1), file)
                        .contains(snippet);
                found++;
            }
        }
        assertThat(found).isEqualTo(2);
    }

    private static Path findReadme() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("README.md above the module").isNotNull();
        return dir.resolve("README.md");
    }
}
