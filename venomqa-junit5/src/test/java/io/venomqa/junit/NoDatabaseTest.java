package io.venomqa.junit;

import io.venomqa.junit.fixtures.NoDatabaseFixture;
import io.venomqa.junit.support.Kit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * A test class without a database runs (tests of an API alone are legitimate), and says in the test report and the
 * log that nothing it writes is rolled back: a class meant to have one (a venomqa.yaml under another name, a
 * forgotten dbUrl) passed in silence before.
 */
@Isolated // it clears the venomqa.* system properties for a moment: no class running beside it may read them then
class NoDatabaseTest {

    @Test
    void aClassWithoutADatabaseSaysNothingIsRolledBack() {
        // Other tests of this JVM export their databases as venomqa.* properties: this class must see none.
        Map<String, String> saved = new HashMap<>();
        for (String key : List.copyOf(System.getProperties().stringPropertyNames())) {
            if (key.startsWith("venomqa.")) {
                saved.put(key, System.clearProperty(key));
            }
        }
        try {
            EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                    .selectors(selectClass(NoDatabaseFixture.class)).execute();
            Kit.assertNoContainerFailure(results);
            Kit.assertNoTestFailure(results);
            results.testEvents().assertStatistics(s -> s.succeeded(1));
            List<String> entries = results.allEvents().reportingEntryPublished().stream()
                    .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get("venomqa"))
                    .filter(v -> v != null).toList();
            assertThat(entries).singleElement().asString()
                    .contains("no database is configured for " + NoDatabaseFixture.class.getName())
                    .contains("nothing they write is rolled back").contains("Set db_url");
        } finally {
            saved.forEach(System::setProperty);
        }
    }
}
