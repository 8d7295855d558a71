package io.venomqa.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

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
