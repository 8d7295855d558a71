package io.venomqa.junit;

import io.venomqa.explore.DatabaseNotPutBackException;
import io.venomqa.explore.Exploration;
import io.venomqa.explore.ExplorationResult;
import io.venomqa.explore.Move;
import io.venomqa.http.Client;
import io.venomqa.junit.support.UsersApiPerClass;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An exploration whose manager it connects itself (savepoint strategy), against an API that commits
 * on connections of its own: the disconnect after the run finds the rows. Every test of the container
 * fails with that, and {@code afterRun} still gets the run's result (to write its reports).
 */
class ExplorationTestsNotPutBackTest extends UsersApiPerClass {

    @Test
    void everyTestFailsAndAfterRunStillGetsTheResult() {
        api.use(db::connect);
        StateManager manager = StateManagers.create(StateConfig.builder().backend("postgresql").url(db.url)
                .option("schema", db.schema).build());
        Exploration exploration = Exploration.builder().name("users").client(new Client(api.url())).stateManager(manager)
                .moves(List.of(Move.builder("add").action((client, ctx) -> client.post("/users", "ann"))
                        .expectStatus(201, 409).build()))
                .maxDepth(1).build();
        List<ExplorationResult> afterRun = new ArrayList<>();

        DynamicContainer container = ExplorationTests.of(exploration, afterRun::add);
        List<DynamicTest> tests = container.getChildren().map(DynamicTest.class::cast).toList();

        assertThat(tests).isNotEmpty().allSatisfy(t -> assertThatThrownBy(() -> t.getExecutable().execute())
                .isInstanceOf(DatabaseNotPutBackException.class)
                .hasMessageContaining("disconnect() could not put")
                .hasMessageContaining("table users"));
        assertThat(afterRun).singleElement().satisfies(r -> assertThat(r.name()).isEqualTo("users"));
        assertThat(manager.isConnected()).isFalse();
        assertThat(db.committedUsers()).hasSize(2).contains("seed"); // what the savepoint strategy could not undo
    }
}
