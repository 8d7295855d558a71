package io.venomqa.junit;

import io.venomqa.junit.fixtures.ResetBeforeRunFixture;
import io.venomqa.junit.support.Kit;
import io.venomqa.junit.support.UsersApiPerClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, "reset between journey runs": {@code @VenomQATest(reset = "before_run")} empties the
 * reset tables when the class starts and checkpoints {@code clean_state} before any test, with both
 * strategies; the reset is committed, so the class leaves the tables empty.
 */
class ResetBeforeRunTest extends UsersApiPerClass {

    @ParameterizedTest
    @ValueSource(strings = {"savepoint", "journal"})
    void theClassStartsFromEmptyTablesAfterACleanStateCheckpoint(String strategy) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("insert into " + db.schema + ".users(name) values ('left over " + strategy + "')");
        }
        db.exportAsSystemProperties(strategy);

        var results = Kit.run(ResetBeforeRunFixture.class);

        Kit.assertNoContainerFailure(results);
        Kit.assertNoTestFailure(results);
        results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        assertThat(db.committedUsers()).isEmpty();
    }
}
