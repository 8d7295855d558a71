package io.venomqa.state.h2;

import io.venomqa.http.Client;
import io.venomqa.journey.Journey;
import io.venomqa.journey.Step;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;
import io.venomqa.state.StateConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A journey on H2 (savepoint strategy): a step's {@code expectDb} checks the changes that change capture found. */
class H2RunnerDbChecksTest {

    private final String url = "jdbc:h2:mem:h2runner_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";

    @Test
    @DisplayName("a step that creates a table and writes to it fails expectDb(nothingWritten), its rows shown; until "
            + "2026-12-06 H2 never read the new table and the check passed")
    void aTableCreatedByAStepIsNotMissedByItsChecks() throws Exception {
        try (Connection setup = DriverManager.getConnection(url); Statement st = setup.createStatement()) {
            st.execute("create table orders (id int primary key, status varchar(20))");
        }
        H2StateManager m = new H2StateManager(StateConfig.builder().backend("h2").url(url).option("track_changes", true).build());
        JourneyRunner runner = JourneyRunner.builder(new Client("http://127.0.0.1:9")).stateManager(m).build();

        JourneyResult r = runner.run(Journey.builder("first use")
                .step(Step.builder("migrate").action((c, ctx) -> {
                    // The application on first use, through the shared DataSource as under the savepoint strategy.
                    try (Connection conn = m.sharedDataSource().getConnection(); Statement st = conn.createStatement()) {
                        st.execute("create table if not exists coupons (code varchar(20) primary key)");
                        return st.executeUpdate("insert into coupons values ('WELCOME')");
                    }
                }).expectDb(d -> d.nothingWritten()).build())
                .build());

        assertThat(r.step("migrate").failed()).as(String.valueOf(r.step("migrate").message())).isTrue();
        assertThat(r.step("migrate").dbChanges().summary()).isEqualTo("+1 COUPONS");
        assertThat(r.step("migrate").message()).contains("COUPONS");
    }
}
