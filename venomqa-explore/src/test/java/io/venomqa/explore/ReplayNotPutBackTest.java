package io.venomqa.explore;

import io.venomqa.http.Client;
import io.venomqa.state.RollbackException;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.JdbcStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link Exploration#replay(List)} on PostgreSQL with the savepoint strategy, while something commits a
 * row on a connection of its own: the disconnect after the replay finds the database not as found. When
 * the replay connected the manager itself it fails loudly and keeps what it saw; when the caller
 * connected it, the replay returns and the caller's disconnect reports.
 */
class ReplayNotPutBackTest {

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
    @DisplayName("a failed disconnect after a replay it connected for: ReplayNotPutBackException naming the table, with the replay's result")
    void theResultComesWithTheFailure() throws Exception {
        JdbcStateManager manager = shop();
        Exploration exploration = exploration(manager);

        ReplayNotPutBackException e = catchThrowableOfType(() -> exploration.replay(planted(exploration)),
                ReplayNotPutBackException.class);

        assertThat(e).as("replay() must fail").isNotNull();
        assertThat(e).isInstanceOf(RollbackException.class);
        assertThat(e.getMessage()).contains("disconnect() could not put").containsIgnoringCase("table notes");
        assertThat(e.getCause()).isInstanceOf(RollbackException.class);
        ReplayResult r = e.result();
        assertThat(r.steps()).extracting(s -> s.step().move()).containsExactly("create", "pay", "pay", "refund", "refund");
        assertThat(r.failuresOf(ShopMoves.REFUNDS_WITHIN_TOTAL)).hasSize(1);
        assertThat(r.steps().get(4).failures()).extracting(ReplayResult.Failure::invariant).contains(ShopMoves.REFUNDS_WITHIN_TOTAL);
        assertThat(manager.isConnected()).isFalse();
        assertThat(TestDb.rows(db::connect, "select count(*) as n from orders")).as("the replay's own rows rolled back").containsExactly("0");
        assertThat(TestDb.rows(db::connect, "select count(*) as n from notes")).as("reported, not removed").containsExactly("1");
    }

    @Test
    @DisplayName("a manager the caller connected: the replay returns its result, the caller's disconnect reports the table")
    void aCallersManagerIsTheCallersToDisconnect() throws Exception {
        JdbcStateManager manager = shop();
        Exploration exploration = exploration(manager);
        manager.connect();

        ReplayResult r = exploration.replay(planted(exploration));

        assertThat(r.failuresOf(ShopMoves.REFUNDS_WITHIN_TOTAL)).hasSize(1);
        assertThat(manager.isConnected()).isTrue();
        RollbackException e = catchThrowableOfType(manager::disconnect, RollbackException.class);
        assertThat(e).isNotNull().isNotInstanceOf(ReplayNotPutBackException.class);
        assertThat(e.getMessage()).containsIgnoringCase("table notes");
    }

    private JdbcStateManager shop() throws Exception {
        db.exec(ShopApi.DDL);
        db.exec("create table notes (id integer primary key, body varchar(50) not null)");
        JdbcStateManager manager = (JdbcStateManager) StateManagers.create(db.config().build()); // not connected
        api = new ShopApi(ShopApi.sql(manager.sharedDataSource()));
        return manager;
    }

    /** The shop's exploration with an invariant that, the first time, commits a note on a connection of its own. */
    private Exploration exploration(JdbcStateManager manager) {
        boolean[] committed = {false};
        return Exploration.builder().name("shop").client(new Client(api.baseUrl())).stateManager(manager)
                .moves(ShopMoves.moves()).invariant(ShopMoves.sqlInvariant())
                .invariant(Invariant.of("a background job commits a note", o -> {
                    if (!committed[0]) {
                        committed[0] = true;
                        try (Connection c = db.connect(); Statement st = c.createStatement()) {
                            st.execute("insert into notes values (1, 'committed around the manager')");
                        } catch (java.sql.SQLException ex) {
                            throw new IllegalStateException(ex);
                        }
                    }
                    return true;
                })).build();
    }

    /** The planted bug's shortest path: create, pay twice, refund twice. */
    private static List<Move> planted(Exploration exploration) {
        Map<String, Move> byName = exploration.moves().stream().collect(Collectors.toMap(Move::name, Function.identity()));
        return List.of(byName.get("create"), byName.get("pay"), byName.get("pay"), byName.get("refund"), byName.get("refund"));
    }
}
