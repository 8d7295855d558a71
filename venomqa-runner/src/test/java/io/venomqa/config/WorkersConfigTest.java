package io.venomqa.config;

import io.venomqa.runner.WorkerEndpoint;
import io.venomqa.runner.Workers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code workers} and {@code worker_apis} in venomqa.yaml: defaults, reading, mistakes, building the workers. */
class WorkersConfigTest {

    private static VenomQAConfig parse(String yaml) {
        return VenomQAConfig.loader().environment(Map.of()).parse(yaml);
    }

    @Test
    void withoutTheKeysThereIsOneWorkerAndNoWorkersAreMade() {
        VenomQAConfig c = parse("base_url: http://localhost:8080\ndb_url: memory://one\n");
        assertThat(c.workers()).isEqualTo(1);
        assertThat(c.workerEndpoints()).isEmpty();
        assertThat(c.createWorkers()).isEmpty();
        assertThat(parse("workers: 1\n").createWorkers()).isEmpty();
    }

    @Test
    void workerApisGiveOneEndpointPerWorkerWithTheConfiguredDatabaseSettingsAtItsOwnUrl() {
        VenomQAConfig c = parse("""
                base_url: http://localhost:8080
                db_url: postgresql://qa:secret@localhost/qa_test
                tables_to_reset: [users]
                checkpoint_strategy: journal
                worker_apis:
                  - {base_url: http://localhost:8081, db_url: "postgresql://qa:secret@localhost/qa_test_w1"}
                  - base_url: http://localhost:8082
                    db_url: postgresql://qa:secret@localhost/qa_test_w2
                """);
        assertThat(c.workers()).isEqualTo(2);
        List<WorkerEndpoint> e = c.workerEndpoints();
        assertThat(e).extracting(WorkerEndpoint::baseUrl).containsExactly("http://localhost:8081", "http://localhost:8082");
        assertThat(e.get(1).state().url()).isEqualTo("postgresql://qa:secret@localhost/qa_test_w2");
        assertThat(e.get(1).state().tablesToReset()).containsExactly("users");
        assertThat(e.get(1).state().option("checkpoint_strategy")).contains("journal");
        assertThat(c.toString()).contains("workers=2").doesNotContain("secret");
        assertThat(e.get(0).toString()).doesNotContain("secret");
    }

    @Test
    void workersAreMadeAndConnectedFromTheListAndWorkLikeAnyOther() {
        VenomQAConfig c = parse("""
                worker_apis:
                  - {base_url: http://127.0.0.1:1, db_url: "memory://vq_cfg_w1"}
                  - {base_url: http://127.0.0.1:2, db_url: "memory://vq_cfg_w2"}
                """);
        try (Workers w = c.createWorkers().orElseThrow()) {
            assertThat(w.size()).isEqualTo(2);
            assertThat(w.baseUrls()).containsExactly("http://127.0.0.1:1", "http://127.0.0.1:2");
        }
    }

    @Test
    void mistakesAreErrorsThatSayWhatToDo() {
        assertThatThrownBy(() -> parse("workers: 0\n")).isInstanceOf(ConfigException.class).hasMessageContaining("1 or more");
        assertThatThrownBy(() -> parse("workers: many\n")).isInstanceOf(ConfigException.class).hasMessageContaining("whole number");
        assertThatThrownBy(() -> parse("worker_apis: http://x\n")).hasMessageContaining("must be a list");
        assertThatThrownBy(() -> parse("worker_apis: [{base_url: http://x}]\n")).hasMessageContaining("has no db_url");
        assertThatThrownBy(() -> parse("worker_apis: [{base_url: http://x, db_url: memory://a, port: 3}]\n"))
                .hasMessageContaining("unknown key 'port'");
        assertThatThrownBy(() -> parse("workers: 3\nworker_apis: [{base_url: http://x, db_url: memory://a}]\n").workerEndpoints())
                .hasMessageContaining("workers is 3 but worker_apis lists 1");
        assertThatThrownBy(() -> parse("workers: 4\ndb_url: memory://a\n").createWorkers())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("worker_apis").hasMessageContaining("Workers.copies").hasMessageContaining("workers: 1");
        assertThatThrownBy(() -> parse("wrokers: 2\n")).hasMessageContaining("workers");
    }

    @Test
    void systemPropertiesAndOverlaysSetTheCount() {
        Properties p = new Properties();
        p.setProperty("venomqa.workers", "3");
        assertThat(VenomQAConfig.fromProperties(p).workers()).isEqualTo(3);
        assertThat(parse("workers: 2\n").overlay(VenomQAConfig.fromProperties(p)).workers()).isEqualTo(3);
        assertThat(parse("workers: 2\n").overlay(parse("")).workers()).isEqualTo(2);
        assertThat(parse("workers: \"${N:-2}\"\n").workers()).isEqualTo(2);
    }

    @Test
    void workerCommandKeepsItsPlaceholdersForEachWorkerAndExpandsTheEnvironment() {
        VenomQAConfig c = VenomQAConfig.loader().environment(Map.of("JAR", "shop.jar")).parse("""
                db_url: memory://vq_cfg_cmd
                workers: 2
                worker_command: java -jar ${JAR} --db=${jdbc_url} --url=${db_url} --port=${port}
                worker_health_url: http://127.0.0.1:${port}/health
                """);
        assertThat(c.workerCommand().command()).containsExactly("java", "-jar", "shop.jar", "--db=${jdbc_url}",
                "--url=${db_url}", "--port=${port}");
        assertThat(c.workerCommand().healthUrl()).isEqualTo("http://127.0.0.1:${port}/health");
        assertThat(c.workerCommand().baseUrl()).isEqualTo("http://127.0.0.1:${port}");
        assertThat(parse("worker_command: [java, \"-Dx=a b\", \"${port}\"]\n").workerCommand().command())
                .containsExactly("java", "-Dx=a b", "${port}");
        assertThatThrownBy(() -> parse("""
                db_url: memory://a
                worker_command: x
                worker_apis: [{base_url: http://x, db_url: memory://b}]
                """).createWorkers()).hasMessageContaining("keep one");
    }
}
