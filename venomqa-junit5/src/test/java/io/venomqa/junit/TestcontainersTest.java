package io.venomqa.junit;

import io.venomqa.junit.fixtures.ContainerFixture;
import io.venomqa.junit.fixtures.Env;
import io.venomqa.junit.fixtures.InstanceContainerFixture;
import io.venomqa.junit.fixtures.StoppedContainerFixture;
import io.venomqa.junit.support.Kit;
import io.venomqa.junit.support.SchemaPerClass;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A static JdbcDatabaseContainer field is the database. There is no Docker here, so the container
 * is {@link io.venomqa.junit.support.FakeRunningContainer}: this proves what the extension takes
 * from a container (URL, user, password, running state) and the errors around it, not that a real
 * container starts.
 */
class TestcontainersTest extends SchemaPerClass {

    @Test
    void aRunningContainerIsTheDatabase() {
        Env.log.clear();
        // Only the schema: the URL and credentials must come from the container.
        System.setProperty("venomqa.db_options.schema", db.schema);
        System.setProperty("venomqa.db_url", "postgresql://someone:else@127.0.0.1:1/not-this-one");

        EngineExecutionResults results = Kit.run(ContainerFixture.class);

        Kit.assertNoContainerFailure(results);
        Kit.assertNoTestFailure(results);
        assertThat(Env.log).hasSize(4);
        assertThat(Env.log.get(0)).isEqualTo("db_url jdbc:postgresql://127.0.0.1:5432/test");
        assertThat(Env.log.get(1)).isEqualTo("user postgres");
        assertThat(Env.log.get(2)).doesNotContain("container-secret").contains("password=***");
        assertThat(Env.log.get(3)).isEqualTo("connected true as postgres in " + db.schema);
    }

    @Test
    void aContainerThatIsNotRunningIsExplained() {
        EngineExecutionResults results = Kit.run(StoppedContainerFixture.class);

        Throwable t = Kit.throwable(results.containerEvents().failed().list().get(0));
        assertThat(t.getMessage()).contains("field 'postgres'", "is not running",
                "Put @Testcontainers before @VenomQATest");
        results.testEvents().assertStatistics(s -> s.started(0));
    }

    @Test
    void anInstanceFieldContainerIsExplained() {
        EngineExecutionResults results = Kit.run(InstanceContainerFixture.class);

        Throwable t = Kit.throwable(results.containerEvents().failed().list().get(0));
        assertThat(t.getMessage()).contains("'postgres'", "is not static", "declare it 'static'");
    }
}
