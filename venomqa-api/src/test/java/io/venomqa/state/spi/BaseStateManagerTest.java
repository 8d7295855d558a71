package io.venomqa.state.spi;

import io.venomqa.state.RollbackException;
import io.venomqa.state.StateConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BaseStateManagerTest {

    /** Records what the base class hands to the backend. */
    static final class Spy extends BaseStateManager {
        final List<String> calls = new ArrayList<>();
        RuntimeException failRollback;

        Spy() {
            super(StateConfig.builder().url("postgresql://qa:secret@db.local:5432/qa").build());
        }

        protected void doConnect() {
            calls.add("connect");
        }

        protected void doDisconnect() {
            calls.add("disconnect");
        }

        protected void doCheckpoint(ActiveCheckpoint cp) {
            calls.add("checkpoint " + cp.identifier());
        }

        protected void doRollback(ActiveCheckpoint target, List<ActiveCheckpoint> discarded) {
            if (failRollback != null) {
                throw failRollback;
            }
            calls.add("rollback " + target.identifier() + " discarding " + discarded.stream().map(ActiveCheckpoint::name).toList());
        }

        protected void doRelease(ActiveCheckpoint target, List<ActiveCheckpoint> released) {
            calls.add("release " + released.stream().map(ActiveCheckpoint::name).toList());
        }

        protected void doReset() {
            calls.add("reset");
        }

        public String backendName() {
            return "spy";
        }
    }

    @Test
    void backendsSeeGeneratedIdentifiersNeverTheUsersName() {
        Spy spy = new Spy();
        spy.connect();
        spy.checkpoint("x'; DROP TABLE users; --");
        spy.checkpoint("b");
        spy.checkpoint("c");
        spy.rollback("x'; DROP TABLE users; --");
        spy.checkpoint("d");
        spy.release("d");
        assertThat(spy.calls).containsExactly("connect", "checkpoint venomqa_sp_1", "checkpoint venomqa_sp_2",
                "checkpoint venomqa_sp_3", "rollback venomqa_sp_1 discarding [b, c]", "checkpoint venomqa_sp_4",
                "release [d]");
    }

    @Test
    void aFailedBackendCallLeavesTheStackAsItWasAndIsWrappedWithTheMaskedUrl() {
        Spy spy = new Spy();
        spy.connect();
        spy.checkpoint("a");
        spy.checkpoint("b");
        spy.failRollback = new IllegalStateException("socket closed for postgresql://qa:secret@db.local:5432/qa");
        assertThatThrownBy(() -> spy.rollback("a"))
                .isInstanceOf(RollbackException.class)
                .hasMessageContaining("The spy backend could not roll back to checkpoint 'a' (postgresql://qa:***@db.local:5432/qa)")
                .hasMessageNotContaining("secret");
        assertThat(spy.activeCheckpoints()).containsExactly("a", "b");
    }

    @Test
    void nameValidationSaysWhy() {
        assertThatThrownBy(() -> BaseStateManager.validateCheckpointName(""))
                .hasMessage("Checkpoint name must not be empty; use 1 to 1000 characters.");
        assertThatThrownBy(() -> BaseStateManager.validateCheckpointName("x".repeat(1001)))
                .hasMessageStartingWith("Checkpoint name is 1001 characters long; the limit is 1000");
        assertThatThrownBy(() -> BaseStateManager.validateCheckpointName(" \t"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BaseStateManager.validateCheckpointName("a\u0000b"))
                .hasMessage("Checkpoint name must not contain control characters: found U+0000 at index 1");
        // 1000 emoji are 2000 chars in UTF-16 but 1000 characters to a user
        assertThatCode(() -> BaseStateManager.validateCheckpointName("🚀".repeat(1000))).doesNotThrowAnyException();
        assertThatThrownBy(() -> BaseStateManager.validateCheckpointName("🚀".repeat(1001)))
                .hasMessageStartingWith("Checkpoint name is 1001 characters long");
        // 64 characters, PostgreSQL's identifier limit plus one, is fine: names never reach SQL
        assertThatCode(() -> BaseStateManager.validateCheckpointName("x".repeat(64))).doesNotThrowAnyException();
    }

    @Test
    void toStringMasksThePassword() {
        assertThat(new Spy().toString()).contains("qa:***@db.local").doesNotContain("secret");
    }
}
