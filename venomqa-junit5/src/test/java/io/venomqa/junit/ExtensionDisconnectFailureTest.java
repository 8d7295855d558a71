package io.venomqa.junit;

import io.venomqa.junit.fixtures.Env;
import io.venomqa.junit.fixtures.FailedUndoFixture;
import io.venomqa.junit.support.Kit;
import io.venomqa.junit.support.UsersApiPerClass;
import io.venomqa.state.RollbackException;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Event;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20 item 1: when the journal cannot put the database back at the end of a class, afterAll
 * fails the class with what was and was not restored; it does not pass with a log line.
 */
class ExtensionDisconnectFailureTest extends UsersApiPerClass {

    @Test
    void aJournalThatCannotRestoreFailsTheClass() {
        db.exportAsSystemProperties("journal");
        var results = Kit.run(FailedUndoFixture.class);
        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        List<Event> failed = results.containerEvents().failed().list();
        assertThat(failed).hasSize(1);
        Throwable t = Kit.throwable(failed.get(0));
        assertThat(t).isInstanceOf(RollbackException.class)
                .hasMessageContaining("none of the journaled changes of tables [users] were undone");
        assertThat(Env.db.committedUsers()).containsExactly("seed");
    }
}
