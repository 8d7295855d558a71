package io.venomqa.explore;

import io.venomqa.http.Client;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link Exploration#run()} with a manager it connects itself (savepoint strategy, PostgreSQL), while
 * something commits a row on a connection of its own: the disconnect at the end finds the database not
 * as found. The run fails loudly, and what it found is not lost: the exception carries the result, and
 * the listeners got it first.
 */
class DatabaseNotPutBackTest {

    private final TestDb db = TestDb.postgres();
    private ShopApi api;

    @AfterEach
    void tearDown() throws Exception {
        if (api != null) {
            api.close();
        }
        db.close();
    }

    @Test
    @DisplayName("a failed disconnect after the run: DatabaseNotPutBackException naming the table, with the run's result; listeners told first")
    void theResultComesWithTheFailure() throws Exception {
        db.exec(ShopApi.DDL);
        db.exec("create table notes (id integer primary key, body varchar(50) not null)");
        JdbcStateManager manager = (JdbcStateManager) StateManagers.create(db.config().build()); // not connected
        api = new ShopApi(ShopApi.sql(manager.sharedDataSource()));
        AtomicBoolean committed = new AtomicBoolean();
        List<ExplorationResult> told = new ArrayList<>();
        Exploration exploration = Exploration.builder().name("shop").client(new Client(api.baseUrl())).stateManager(manager)
                .moves(ShopMoves.moves()).invariant(ShopMoves.sqlInvariant()).strategy(Strategy.breadthFirst()).maxDepth(5)
                .invariant(Invariant.of("a background job commits a note", o -> {
                    if (committed.compareAndSet(false, true)) {
                        try (Connection c = db.connect(); Statement st = c.createStatement()) {
                            st.execute("insert into notes values (1, 'committed around the manager')");
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    return true;
                }))
                .listener(new ExplorationListener() {
                    @Override
                    public void onFinish(ExplorationResult result) {
                        told.add(result);
                    }
                }).build();

        DatabaseNotPutBackException e = catchThrowableOfType(exploration::run, DatabaseNotPutBackException.class);

        assertThat(e).as("run() must fail").isNotNull();
        assertThat(e.getMessage()).contains("disconnect() could not put").containsIgnoringCase("table notes");
        assertThat(e.getCause()).isInstanceOf(io.venomqa.state.RollbackException.class);
        ExplorationResult r = e.result();
        assertThat(r.stopReason()).isEqualTo(StopReason.EXHAUSTED);
        assertThat(r.violationsOf(ShopMoves.REFUNDS_WITHIN_TOTAL)).as(ExplorationConsole.summary(r)).hasSize(1);
        assertThat(told).containsExactly(r);
        assertThat(manager.isConnected()).isFalse();
        assertThat(TestDb.rows(db::connect, "select count(*) as n from orders")).containsExactly("0");
    }
}
