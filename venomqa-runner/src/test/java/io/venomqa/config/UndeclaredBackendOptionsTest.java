package io.venomqa.config;

import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.spi.StateManagerProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A backend of the user's own whose provider declares no options ({@link StateManagerProvider#options()} empty):
 * its options are not checked, at the top level of {@code venomqa.yaml} as under {@code db_options}
 * (docs/configuration.md), but a typo of one of VenomQA's own keys is still reported.
 */
class UndeclaredBackendOptionsTest {

    /** Registered only through the class loader of these tests. */
    public static final class UndeclaredProvider implements StateManagerProvider {
        @Override
        public String name() {
            return "undeclared";
        }

        @Override
        public Set<String> aliases() {
            return Set.of();
        }

        @Override
        public StateManager create(StateConfig config) {
            throw new UnsupportedOperationException("not made in these tests");
        }
    }

    private static <T> T withProvider(Path dir, java.util.function.Supplier<T> body) throws Exception {
        return withProvider(dir, UndeclaredProvider.class, body);
    }

    /** Runs {@code body} with {@code provider} registered through a class loader of its own. */
    static <T> T withProvider(Path dir, Class<? extends StateManagerProvider> provider, java.util.function.Supplier<T> body)
            throws Exception {
        Path services = dir.resolve("META-INF/services/" + StateManagerProvider.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, provider.getName() + "\n");
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, before)) {
            t.setContextClassLoader(loader);
            return body.get();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    @Test
    void aTopLevelOptionOfABackendThatDeclaresNoneIsPassedToIt(@TempDir Path dir) throws Exception {
        VenomQAConfig c = withProvider(dir, () -> VenomQAConfig.loader().environment(Map.of()).parse("""
                db_backend: undeclared
                db_url: undeclared:/tmp/store
                pretty: true
                db_options:
                  indent: 2
                """));
        StateConfig sc = c.toStateConfig();
        assertThat(sc.optionBoolean("pretty", false)).isTrue();
        assertThat(sc.optionString("indent", null)).isEqualTo("2");
    }

    @Test
    void aTypoOfVenomQAsOwnKeysIsStillReported(@TempDir Path dir) {
        assertThatThrownBy(() -> withProvider(dir, () -> VenomQAConfig.loader().environment(Map.of()).parse("""
                db_backend: undeclared
                db_url: undeclared:/tmp/store
                tables_to_rest: [a]
                allow_remot: true
                pretty: true
                """))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("venomqa.yaml:3: unknown key 'tables_to_rest', did you mean 'tables_to_reset'?")
                .hasMessageContaining("venomqa.yaml:4: unknown key 'allow_remot', did you mean 'allow_remote'?")
                .hasMessageNotContaining("'pretty'")
                .hasMessageNotContaining("initial_state") // another backend's option is no help here
                .hasMessageContaining("db_backend 'undeclared' declares no options (its provider's options() is empty), "
                        + "so any other key is passed to it unchecked (an option of its own named like one of these goes "
                        + "under db_options)");
    }
}
