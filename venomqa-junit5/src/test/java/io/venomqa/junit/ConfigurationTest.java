package io.venomqa.junit;

import io.venomqa.junit.fixtures.BackendTypoFixture;
import io.venomqa.junit.fixtures.ConfigFixture;
import io.venomqa.junit.fixtures.Env;
import io.venomqa.junit.fixtures.UnreachableFixture;
import io.venomqa.junit.support.Kit;
import io.venomqa.junit.support.SchemaPerClass;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the extension's configuration comes from, and what a user sees when the database is down. */
class ConfigurationTest extends SchemaPerClass {

    @Test
    void fileThenAnnotationThenSystemProperties() {
        Env.log.clear();
        // Overrides the file's db_url (whose server does not exist) and report_dir.
        db.exportAsSystemProperties(null);
        System.setProperty("venomqa.report_dir", "target/from-a-property");

        EngineExecutionResults results = Kit.run(ConfigFixture.class);

        Kit.assertNoContainerFailure(results);
        Kit.assertNoTestFailure(results);
        assertThat(Env.log).containsExactly(
                "base_url http://from-the-annotation:2222",          // annotation over file
                "client http://from-the-annotation:2222",
                "db_url " + db.url,                                   // property over file
                "tables_to_reset [users]",                            // file
                "timeout PT7S",                                       // file
                "report_dir target/from-a-property",                  // property over file
                "strategy savepoint",                                 // annotation
                "connected true",
                "keep_responses failures");                           // file, given to the runner
    }

    @Test
    void aBackendOptionAsATopLevelSystemPropertyIsReadAsTheFilesTopLevelKeyIs() {
        db.exportAsSystemProperties(null);
        System.clearProperty("venomqa.db_options.schema");
        System.setProperty("venomqa.schema", "nq_fo_no_such_schema"); // read: connect() looks for it
        assertThat(classFailure(Kit.run(ConfigFixture.class))).contains("nq_fo_no_such_schema");

        System.setProperty("venomqa.schema", db.schema);
        System.setProperty("venomqa.track_changez", "true");
        assertThat(classFailure(Kit.run(ConfigFixture.class)))
                .contains("-Dvenomqa.track_changez: unknown key 'track_changez', did you mean 'track_changes'?");

        System.clearProperty("venomqa.track_changez");
        System.setProperty("venomqa.track_changes", "maybe");
        assertThat(classFailure(Kit.run(ConfigFixture.class)))
                .contains("-Dvenomqa.track_changes: track_changes must be true or false (also yes/no, on/off, 1/0), got 'maybe'");
    }

    /** The message of the one class-level failure, {@code ConfigFixture} having run no test. */
    private static String classFailure(EngineExecutionResults results) {
        List<Event> failed = results.containerEvents().failed().list();
        assertThat(failed).hasSize(1);
        results.testEvents().assertStatistics(s -> s.started(0));
        StringBuilder all = new StringBuilder();
        for (Throwable c = Kit.throwable(failed.get(0)); c != null; c = c.getCause()) {
            all.append(c.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Test
    void anUnreachableDatabaseFailsTheClassWithTheMaskedUrlAndNoPassword() {
        Env.log.clear();

        EngineExecutionResults results = Kit.run(UnreachableFixture.class);

        List<Event> failed = results.containerEvents().failed().list();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).getTestDescriptor().getDisplayName()).isEqualTo("UnreachableFixture");
        Throwable t = Kit.throwable(failed.get(0));
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append('\n');
        }
        assertThat(t.getMessage()).contains("postgresql://qa:***@127.0.0.1:1/test");
        assertThat(all.toString()).doesNotContain("s3cret-pw");
        assertThat(Env.log).isEmpty();
        results.testEvents().assertStatistics(s -> s.started(0));
    }

    @Test
    void aMistypedBackendFailsTheClassNamingItAndSuggestingTheName() {
        Env.log.clear();

        EngineExecutionResults results = Kit.run(BackendTypoFixture.class);

        List<Event> failed = results.containerEvents().failed().list();
        assertThat(failed).hasSize(1);
        Throwable t = Kit.throwable(failed.get(0));
        assertThat(t).isInstanceOf(org.junit.platform.commons.JUnitException.class);
        assertThat(t.getMessage()).startsWith("VenomQA cannot configure " + BackendTypoFixture.class.getName())
                .contains("Unknown db_backend 'postgress'")
                .endsWith("Did you mean 'postgresql'?")
                .doesNotContain("s3cret-pw");
        assertThat(Env.log).isEmpty();
        results.testEvents().assertStatistics(s -> s.started(0));
    }
}
