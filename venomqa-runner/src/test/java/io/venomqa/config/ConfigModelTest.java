package io.venomqa.config;

import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import io.venomqa.state.spi.OptionSpec;
import io.venomqa.state.spi.StateManagerProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one configuration model: layering, toBuilder, and options checked against the chosen backend's declarations. */
class ConfigModelTest {

    private static VenomQAConfig.Loader noEnv() {
        return VenomQAConfig.loader().environment(Map.of());
    }

    @Test
    void anOptionTheChosenBackendDoesNotDeclareIsAnErrorWithTheNearestDeclaredOne() {
        assertThatThrownBy(() -> noEnv().parse("""
                db_url: memory://shop
                db_options:
                  initial_stat: {a: 1}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("venomqa.yaml:3: db_options: unknown option 'initial_stat' for db_backend 'memory',"
                        + " did you mean 'initial_state'?")
                .hasMessageContaining("options of db_backend 'memory': allow_remote, allowed_databases, allowed_hosts, environment, initial_state");
        assertThatThrownBy(() -> noEnv().parse("""
                db_url: memory://shop
                bogus_option: 42
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("venomqa.yaml:2: unknown key 'bogus_option'.\n")
                .hasMessageContaining("options of db_backend 'memory': allow_remote, allowed_databases, allowed_hosts, environment, initial_state, track_changes.");
        // A declared option is accepted at the top level and under db_options.
        VenomQAConfig ok = noEnv().parse("""
                db_url: memory://shop
                allow_remote: true
                db_options:
                  initial_state: {a: 1}
                """);
        assertThat(ok.dbOptions()).containsKeys("allow_remote", "initial_state");
    }

    @Test
    void aValueItsDeclaredTypeDoesNotReadIsAnErrorWithItsLineBeforeAnythingIsMade() {
        assertThatThrownBy(() -> noEnv().parse("""
                db_url: memory://shop
                track_changes: maybe
                db_options:
                  allowed_hosts: {a: 1}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("venomqa.yaml:2: track_changes must be true or false (also yes/no, on/off, 1/0), got 'maybe'"
                        + " (an option of db_backend 'memory'); correct it, or remove it to use the default (false).\n"
                        + "venomqa.yaml:4: db_options: allowed_hosts must be a list, or comma-separated text, got '{a=1}'"
                        + " (an option of db_backend 'memory'); correct it, or remove it to use the default.");
        // Set in code, the value is refused when the manager is made, not when it is first read.
        VenomQAConfig inCode = VenomQAConfig.builder().dbUrl("memory://shop").dbOption("allow_remote", "nope").build();
        assertThatThrownBy(inCode::createStateManager)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Option allow_remote must be true or false (also yes/no, on/off, 1/0), got 'nope'"
                        + " (db_backend 'memory').");
        // Every form the type reads passes.
        assertThat(noEnv().parse("db_url: memory://shop\ntrack_changes: 'off'\nallowed_hosts: a, b\n").dbOptions())
                .containsEntry("track_changes", "off");
    }

    @Test
    void theValueOfAnOptionOfOnesOwnBackendIsCheckedAgainstItsDeclaration(@TempDir Path dir) throws Exception {
        String yaml = """
                db_backend: declared
                db_url: declared:/tmp/store
                db_options:
                  fsync: maybe
                """;
        assertThatThrownBy(() -> UndeclaredBackendOptionsTest.withProvider(dir, DeclaredProvider.class,
                () -> noEnv().parse(yaml)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("venomqa.yaml:4: db_options: fsync must be true or false (also yes/no, on/off, 1/0), got 'maybe'"
                        + " (an option of db_backend 'declared'); correct it, or remove it to use the default (true).");
        // Made in code, the provider's create() is not reached with it.
        assertThatThrownBy(() -> UndeclaredBackendOptionsTest.withProvider(dir, DeclaredProvider.class,
                () -> StateManagers.create(StateConfig.builder().backend("declared").option("fsync", "maybe").build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Option fsync must be true or false (also yes/no, on/off, 1/0), got 'maybe'"
                        + " (db_backend 'declared').");
    }

    /** A backend of one's own that declares a boolean option; registered only through the class loader of these tests. */
    public static final class DeclaredProvider implements StateManagerProvider {
        @Override
        public String name() {
            return "declared";
        }

        @Override
        public Set<String> aliases() {
            return Set.of();
        }

        @Override
        public List<OptionSpec> options() {
            return List.of(OptionSpec.bool("fsync", "true", "Whether writes are flushed."));
        }

        @Override
        public StateManager create(StateConfig config) {
            throw new UnsupportedOperationException("not made in these tests");
        }
    }

    @Test
    void backendOptionsGivenAsSystemPropertiesAreReadAndCheckedAsTheFilesTopLevelOptions() {
        VenomQAConfig file = noEnv().parse("db_url: memory://shop\n");
        Properties p = new Properties();
        p.setProperty("venomqa.track_changes", "true");
        p.setProperty("venomqa.allow_remote", "false");
        p.setProperty("venomqa.db_options.allow_remote", "true"); // db_options wins, as in the file
        p.setProperty("venomqa.shard", "1/2");                    // read by journey sharding, not configuration
        p.setProperty("venomqa.test.fixture", "x");
        VenomQAConfig c = file.overlayProperties(p);
        assertThat(c.dbOptions()).isEqualTo(Map.of("track_changes", "true", "allow_remote", "true"));

        Properties typo = new Properties();
        typo.setProperty("venomqa.track_changez", "false");
        assertThatThrownBy(() -> file.overlayProperties(typo)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("-Dvenomqa.track_changez: unknown key 'track_changez', did you mean 'track_changes'?\n");

        Properties bad = new Properties();
        bad.setProperty("venomqa.track_changes", "maybe");
        bad.setProperty("venomqa.db_options.allow_remote", "nope");
        assertThatThrownBy(() -> file.overlayProperties(bad)).isInstanceOf(ConfigException.class)
                .hasMessage("-Dvenomqa.track_changes: track_changes must be true or false (also yes/no, on/off, 1/0), got 'maybe'"
                        + " (an option of db_backend 'memory'); correct it, or remove it to use the default (false).\n"
                        + "-Dvenomqa.db_options.allow_remote: allow_remote must be true or false (also yes/no, on/off, 1/0),"
                        + " got 'nope' (an option of db_backend 'memory'); correct it, or remove it to use the default (false).");
    }

    @Test
    void aMisspeltCheckpointStrategyKeyIsNotSilentlyIgnored() {
        assertThatThrownBy(() -> noEnv().parse("""
                db_url: memory://shop
                checkpoint_stratgy: journal
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("venomqa.yaml:2: unknown key 'checkpoint_stratgy', did you mean 'checkpoint_strategy'?");
    }

    @Test
    void overlayReplacesWhatTheUpperLayerSetsAndMergesOptions() {
        VenomQAConfig file = noEnv().parse("""
                base_url: http://file
                db_url: memory://file
                tables_to_reset: [a]
                timeout: 2s
                db_options:
                  initial_state: {k: 1}
                  allow_remote: false
                """);
        VenomQAConfig code = VenomQAConfig.builder().dbUrl("memory://code").dbOption("allow_remote", true).build();
        VenomQAConfig merged = file.overlay(code);
        assertThat(merged.baseUrl()).contains("http://file");
        assertThat(merged.dbUrl()).contains("memory://code");
        assertThat(merged.tablesToReset()).containsExactly("a");
        assertThat(merged.timeout()).contains(Duration.ofSeconds(2));
        assertThat(merged.dbOptions()).containsEntry("allow_remote", true).containsKey("initial_state");
        // toBuilder keeps everything.
        assertThat(merged.toBuilder().build().toString()).isEqualTo(merged.toString());
    }

    @Test
    void environmentAndSystemPropertiesAreLayersOfTheSameModel() {
        VenomQAConfig env = VenomQAConfig.fromEnvironment(Map.of("VENOMQA_DB_URL", "memory://env", "VENOMQA_BASE_URL", " ",
                "OTHER", "x"));
        assertThat(env.dbUrl()).contains("memory://env");
        assertThat(env.baseUrl()).isEmpty();
        Properties p = new Properties();
        p.setProperty("venomqa.timeout", "500ms");
        p.setProperty("venomqa.tables_to_reset", "a, b");
        p.setProperty("venomqa.db_options.schema", "shop");
        p.setProperty("unrelated", "1");
        VenomQAConfig props = VenomQAConfig.fromProperties(p);
        assertThat(props.timeout()).contains(Duration.ofMillis(500));
        assertThat(props.tablesToReset()).isEqualTo(List.of("a", "b"));
        assertThat(props.dbOptions()).isEqualTo(Map.of("schema", "shop"));
        p.setProperty("venomqa.timeout", "soon");
        assertThatThrownBy(() -> VenomQAConfig.fromProperties(p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("-Dvenomqa.timeout: timeout must be a duration");
    }

    @Test
    void systemPropertiesSetTheResetOrSayWhyTheyAreNotRead() {
        Properties p = new Properties();
        p.setProperty("venomqa.reset", "before_run");
        p.setProperty("venomqa.test.child_jvm_options", "-Xss1m");
        assertThat(VenomQAConfig.fromProperties(p).resetBeforeRun()).isTrue();
        p.setProperty("venomqa.reset", "before-run");
        assertThatThrownBy(() -> VenomQAConfig.fromProperties(p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("-Dvenomqa.reset: reset must be 'before_run' or 'never'")
                .hasMessageContaining("Did you mean 'before_run'?");

        Properties fileOnly = new Properties();
        fileOnly.setProperty("venomqa.worker_command", "java -jar app.jar");
        assertThatThrownBy(() -> VenomQAConfig.fromProperties(fileOnly)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("-Dvenomqa.worker_command is not read: 'worker_command' can only be set in venomqa.yaml");

        Properties typo = new Properties();
        typo.setProperty("venomqa.db_ulr", "jdbc:postgresql://localhost/test");
        assertThatThrownBy(() -> VenomQAConfig.fromProperties(typo)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("Did you mean -Dvenomqa.db_url?");
    }
}
