package io.venomqa.junit;

import io.venomqa.junit.fixtures.Env;
import io.venomqa.junit.fixtures.IsolationFixture;
import io.venomqa.junit.support.Kit;
import io.venomqa.junit.support.UsersApiPerClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-test isolation, proven on data, with both checkpoint strategies: three ordered test methods
 * each change the users table through the HTTP API, and each must see exactly the seed row.
 */
class ExtensionIsolationTest extends UsersApiPerClass {

    @ParameterizedTest
    @ValueSource(strings = {"savepoint", "journal"})
    void everyTestMethodStartsFromTheSameData(String strategy) throws Exception {
        Env.log.clear();
        db.exportAsSystemProperties(strategy);

        var results = Kit.run(IsolationFixture.class);

        Kit.assertNoContainerFailure(results);
        results.testEvents().assertStatistics(s -> s.started(3).succeeded(3).failed(0));
        boolean journal = strategy.equals("journal");
        assertThat(Env.log).containsExactly(
                "strategy " + strategy,
                "first saw [\"seed\"]",
                "first left [\"bob\"]",
                "second saw [\"seed\"]",
                "second left [\"cid\",\"seed\"]",
                "third saw [\"seed\"]",
                // journal: the API committed through its own connection; savepoint: still in the manager's transaction
                "third committed " + (journal ? "[dan, seed]" : "[seed]"));
        Kit.assertNoTestFailure(results);
        // The class left the database as it found it, and took its triggers and journal with it.
        assertThat(db.committedUsers()).containsExactly("seed");
        assertThat(userTriggers()).isEmpty();
    }

    private static List<String> userTriggers() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select tgname from pg_trigger where not tgisinternal and tgrelid = '"
                     + db.schema + ".users'::regclass")) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

}
