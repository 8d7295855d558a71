package io.venomqa.testkit;

import io.venomqa.state.CheckpointNames;
import io.venomqa.state.CheckpointException;
import io.venomqa.state.CheckpointNotFoundException;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateNotConnectedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * The compatibility kit every {@link StateManager} passes, ours and yours. Extend it with a class
 * of about ten lines that supplies a {@link ContractFixture}:
 *
 * <pre>{@code
 * class MyBackendContractTest extends StateManagerContract {
 *     @Override
 *     protected ContractFixture createFixture() {
 *         return new MyBackendFixture();   // a manager plus put/remove/read of its data
 *     }
 * }
 * }</pre>
 *
 * Every test asserts on data read back through the fixture, not on the manager's bookkeeping:
 * a backend that keeps the right list of checkpoint names but restores the wrong rows fails.
 * One test method per contract rule, each with a {@link DisplayName} that states the rule; a failed
 * assertion's message starts with "Contract broken: " and that rule.
 */
@ExtendWith(ContractFailureMessages.class)
public abstract class StateManagerContract extends ContractBase {

    /** Names that must all work as checkpoint names and stay distinct. */
    protected static final List<String> AWKWARD_NAMES = List.of(
            "order-created",
            "order_created",
            "order created",
            "order.created",
            "x'; DROP TABLE users; --",
            "\"quoted\" and 'single'",
            "back\\slash",
            "ü",
            "注文-作成",
            "emoji 🚀 name",
            "SELECT",
            "a".repeat(64),
            "a".repeat(CheckpointNames.MAX_LENGTH));

    private static Map<String, String> map(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    // ---- connect / disconnect ----------------------------------------------------------------

    @Test
    @DisplayName("connect() connects, and a second connect() changes nothing: checkpoints and data survive it")
    void connectIsIdempotent() {
        manager.connect();
        assertThat(manager.isConnected()).isTrue();
        seed();
        manager.checkpoint("first");
        put("carol", "3");
        manager.connect();
        assertThat(manager.isConnected()).isTrue();
        assertThat(manager.activeCheckpoints()).containsExactly("first");
        assertThat(data()).containsOnly(entry("alice", "1"), entry("bob", "2"), entry("carol", "3"));
        manager.rollback("first");
        assertThat(data()).containsOnly(entry("alice", "1"), entry("bob", "2"));
    }

    @Test
    @DisplayName("disconnect() is safe to call twice and leaves the manager disconnected")
    void disconnectTwice() {
        manager.connect();
        manager.disconnect();
        assertThat(manager.isConnected()).isFalse();
        assertThatCode(manager::disconnect).doesNotThrowAnyException();
        assertThat(manager.isConnected()).isFalse();
    }

    @Test
    @DisplayName("disconnect() before any connect() is harmless")
    void disconnectWithoutConnect() {
        assertThatCode(manager::disconnect).doesNotThrowAnyException();
        assertThat(manager.isConnected()).isFalse();
    }

    @Test
    @DisplayName("db_backend can choose the backend: a StateManagerProvider listed in META-INF/services answers to the manager's backendName()")
    void registeredUnderItsName() {
        // Every other test makes the manager directly; without this one a backend whose provider is not listed
        // (or is listed under another name) passed them all and could not be chosen in venomqa.yaml.
        String name = manager.backendName();
        List<io.venomqa.state.BackendInfo> all = io.venomqa.state.StateManagers.available();
        assertThat(all.stream().anyMatch(b -> b.name().equalsIgnoreCase(name)
                || b.aliases().stream().anyMatch(a -> a.equalsIgnoreCase(name))))
                .withFailMessage("No backend named '%s' (the manager's backendName()) is registered; registered: %s. List "
                        + "your StateManagerProvider (the provider, not the manager) in "
                        + "META-INF/services/io.venomqa.state.spi.StateManagerProvider, with name() or aliases() "
                        + "giving '%s'.", name, all.stream().map(io.venomqa.state.BackendInfo::name).toList(), name)
                .isTrue();
    }

    @Test
    @DisplayName("connect() changes no data: what was there before it is there right after it, and a checkpoint taken then keeps it")
    void connectKeepsTheData() {
        seed();
        manager.connect();
        assertThat(data()).as("the data right after connect()").containsOnly(entry("alice", "1"), entry("bob", "2"));
        manager.checkpoint("start");
        put("carol", "3");
        manager.rollback("start");
        assertThat(data()).containsOnly(entry("alice", "1"), entry("bob", "2"));
    }

    @Test
    @DisplayName("disconnect() leaves the data exactly as connect() found it")
    void disconnectRestoresStateAtConnect() {
        seed();
        manager.connect();
        put("carol", "3");
        put("alice", "changed");
        remove("bob");
        manager.checkpoint("mid");
        put("dave", "4");
        manager.disconnect();
        assertThat(data()).containsOnly(entry("alice", "1"), entry("bob", "2"));
    }

    @Test
    @DisplayName("close() is disconnect(): try-with-resources leaves the data as connect() found it")
    void closeIsDisconnect() throws Exception {
        seed();
        try (StateManager m = manager) {
            m.connect();
            put("carol", "3");
        }
        assertThat(manager.isConnected()).isFalse();
        assertThat(data()).containsOnly(entry("alice", "1"), entry("bob", "2"));
    }

    @Test
    @DisplayName("a manager can connect again after disconnect(), with no checkpoints left over")
    void reconnect() {
        manager.connect();
        manager.checkpoint("old");
        manager.disconnect();
        manager.connect();
        assertThat(manager.activeCheckpoints()).isEmpty();
        assertThatThrownBy(() -> manager.rollback("old")).isInstanceOf(CheckpointNotFoundException.class);
        manager.checkpoint("old");
        assertThat(manager.activeCheckpoints()).containsExactly("old");
    }

    // ---- checkpoint / rollback ---------------------------------------------------------------

    @Test
    @DisplayName("rollback(n) undoes inserts, updates and deletes made after checkpoint(n)")
    void rollbackRestoresData() {
        manager.connect();
        seed();
        manager.checkpoint("start");
        put("carol", "3");
        put("alice", "changed");
        remove("bob");
        assertThat(data()).containsOnly(entry("alice", "changed"), entry("carol", "3"));
        manager.rollback("start");
        assertThat(data()).containsOnly(entry("alice", "1"), entry("bob", "2"));
    }

    @Test
    @DisplayName("rollback(n) keeps n active and drops every checkpoint taken after it")
    void rollbackKeepsTargetDropsLater() {
        manager.connect();
        manager.checkpoint("a");
        manager.checkpoint("b");
        manager.checkpoint("c");
        manager.rollback("b");
        assertThat(manager.activeCheckpoints()).containsExactly("a", "b");
        assertThat(manager.hasCheckpoint("c")).isFalse();
        assertThatThrownBy(() -> manager.rollback("c"))
                .isInstanceOf(CheckpointNotFoundException.class)
                .hasMessageContaining("Checkpoint 'c' not found");
        manager.checkpoint("c");
        assertThat(manager.activeCheckpoints()).containsExactly("a", "b", "c");
    }

    @Test
    @DisplayName("rolling back twice to the same checkpoint gives the same data both times")
    void rollbackTwice() {
        manager.connect();
        seed();
        manager.checkpoint("cart_ready");
        put("card", "paid");
        manager.rollback("cart_ready");
        assertThat(data()).containsOnly(entry("alice", "1"), entry("bob", "2"));
        put("paypal", "paid");
        remove("alice");
        manager.rollback("cart_ready");
        assertThat(data()).containsOnly(entry("alice", "1"), entry("bob", "2"));
        assertThat(manager.activeCheckpoints()).containsExactly("cart_ready");
    }

    @Test
    @DisplayName("nested checkpoints three deep: each rollback restores exactly its own level")
    void nestedThreeDeep() {
        manager.connect();
        put("level", "0");
        manager.checkpoint("one");
        put("level", "1");
        put("k1", "v1");
        manager.checkpoint("two");
        put("level", "2");
        put("k2", "v2");
        manager.checkpoint("three");
        put("level", "3");
        remove("k1");

        manager.rollback("three");
        assertThat(data()).containsOnly(entry("level", "2"), entry("k1", "v1"), entry("k2", "v2"));
        manager.rollback("two");
        assertThat(data()).containsOnly(entry("level", "1"), entry("k1", "v1"));
        assertThat(manager.activeCheckpoints()).containsExactly("one", "two");
        manager.rollback("one");
        assertThat(data()).containsOnly(entry("level", "0"));
        assertThat(manager.activeCheckpoints()).containsExactly("one");
    }

    @Test
    @DisplayName("rollback to an outer checkpoint jumps over inner ones in one step")
    void rollbackToOuterSkipsInner() {
        manager.connect();
        seed();
        manager.checkpoint("outer");
        put("x", "1");
        manager.checkpoint("inner");
        put("y", "2");
        manager.rollback("outer");
        assertThat(data()).containsOnly(entry("alice", "1"), entry("bob", "2"));
        assertThat(manager.activeCheckpoints()).containsExactly("outer");
    }

    @Test
    @DisplayName("rollback of an unknown name: CheckpointNotFoundException \"Checkpoint 'n' not found\" listing the active names")
    void rollbackUnknown() {
        manager.connect();
        seed();
        manager.checkpoint("a");
        manager.checkpoint("b");
        assertThatThrownBy(() -> manager.rollback("nope"))
                .isInstanceOf(CheckpointNotFoundException.class)
                .hasMessageContaining("Checkpoint 'nope' not found")
                .hasMessageContaining("a")
                .hasMessageContaining("b")
                .satisfies(e -> assertThat(((CheckpointNotFoundException) e).activeCheckpoints()).containsExactly("a", "b"));
        assertThat(data()).containsOnly(entry("alice", "1"), entry("bob", "2"));
        assertThat(manager.activeCheckpoints()).containsExactly("a", "b");
    }

    @Test
    @DisplayName("checkpoint with a name already active is an error naming the active checkpoints, and changes nothing")
    void duplicateName() {
        manager.connect();
        manager.checkpoint("a");
        manager.checkpoint("b");
        assertThatThrownBy(() -> manager.checkpoint("a"))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("'a'")
                .hasMessageContaining("[a, b]");
        assertThat(manager.activeCheckpoints()).containsExactly("a", "b");
    }

    @Test
    @DisplayName("a name freed by rollback to an earlier checkpoint can be used again, and restores its own state")
    void nameReusableAfterRollback() {
        manager.connect();
        manager.checkpoint("a");
        put("k", "first");
        manager.checkpoint("b");
        manager.rollback("a");
        put("k", "second");
        manager.checkpoint("b");
        put("k", "third");
        manager.rollback("b");
        assertThat(data()).containsOnly(entry("k", "second"));
    }

    // ---- release ------------------------------------------------------------------------------

    @Test
    @DisplayName("release(n) forgets n and every later checkpoint and leaves the data untouched")
    void releaseForgetsLeavesData() {
        manager.connect();
        seed();
        manager.checkpoint("a");
        put("x", "1");
        manager.checkpoint("b");
        put("y", "2");
        manager.checkpoint("c");
        put("z", "3");
        manager.release("b");
        assertThat(manager.activeCheckpoints()).containsExactly("a");
        assertThat(data()).containsOnly(entry("alice", "1"), entry("bob", "2"), entry("x", "1"),
                entry("y", "2"), entry("z", "3"));
        manager.rollback("a");
        assertThat(data()).containsOnly(entry("alice", "1"), entry("bob", "2"));
    }

    @Test
    @DisplayName("rollback to a released name is CheckpointNotFoundException, and the data stays")
    void rollbackAfterRelease() {
        manager.connect();
        seed();
        manager.checkpoint("gone");
        put("x", "1");
        manager.release("gone");
        assertThatThrownBy(() -> manager.rollback("gone"))
                .isInstanceOf(CheckpointNotFoundException.class)
                .hasMessageContaining("Checkpoint 'gone' not found");
        assertThat(data()).containsOnly(entry("alice", "1"), entry("bob", "2"), entry("x", "1"));
    }

    @Test
    @DisplayName("release of an unknown name is CheckpointNotFoundException")
    void releaseUnknown() {
        manager.connect();
        manager.checkpoint("a");
        assertThatThrownBy(() -> manager.release("nope"))
                .isInstanceOf(CheckpointNotFoundException.class)
                .hasMessageContaining("Checkpoint 'nope' not found");
        assertThat(manager.activeCheckpoints()).containsExactly("a");
    }

    @Test
    @DisplayName("a released name can be taken again as a new checkpoint")
    void releasedNameReusable() {
        manager.connect();
        manager.checkpoint("a");
        manager.release("a");
        put("k", "v");
        manager.checkpoint("a");
        put("k2", "v2");
        manager.rollback("a");
        assertThat(data()).containsOnly(entry("k", "v"));
    }

    // ---- reset --------------------------------------------------------------------------------

    @Test
    @DisplayName("reset() empties the data and clears every checkpoint")
    void resetEmptiesAndClears() {
        manager.connect();
        seed();
        manager.checkpoint("a");
        put("x", "1");
        manager.checkpoint("b");
        manager.reset();
        assertThat(data()).isEmpty();
        assertThat(manager.activeCheckpoints()).isEmpty();
        assertThatThrownBy(() -> manager.rollback("a")).isInstanceOf(CheckpointNotFoundException.class);
    }

    @Test
    @DisplayName("reset() is committed: the data stays empty after disconnect()")
    void resetIsCommitted() {
        seed();
        manager.connect();
        manager.reset();
        put("after", "reset");
        manager.disconnect();
        assertThat(data()).isEmpty();
    }

    @Test
    @DisplayName("checkpoints taken after reset() work as usual")
    void checkpointAfterReset() {
        manager.connect();
        seed();
        manager.reset();
        put("k", "v");
        manager.checkpoint("fresh");
        put("k", "changed");
        manager.rollback("fresh");
        assertThat(data()).containsOnly(entry("k", "v"));
    }

    // ---- names --------------------------------------------------------------------------------

    @Test
    @DisplayName("names with quotes, dashes, spaces, SQL, backslashes, non-ASCII, 64 and 1000 characters are valid and distinct")
    void awkwardNames() {
        manager.connect();
        Map<String, String> expected = new LinkedHashMap<>();
        for (String name : AWKWARD_NAMES) {
            put("k" + expected.size(), valueFor(name));
            expected.put("k" + expected.size(), valueFor(name));
            manager.checkpoint(name);
        }
        assertThat(manager.activeCheckpoints()).containsExactlyElementsOf(AWKWARD_NAMES);
        for (int i = AWKWARD_NAMES.size() - 1; i >= 0; i--) {
            manager.rollback(AWKWARD_NAMES.get(i));
            Map<String, String> upTo = new LinkedHashMap<>();
            for (int j = 0; j <= i; j++) {
                upTo.put("k" + j, valueFor(AWKWARD_NAMES.get(j)));
            }
            assertThat(data()).as("after rollback to %s", AWKWARD_NAMES.get(i)).isEqualTo(upTo);
            assertThat(manager.activeCheckpoints()).hasSize(i + 1);
        }
    }

    /** The name as a stored value, long names shortened: fixtures' value columns may be narrow (varchar(200)). */
    private static String valueFor(String name) {
        return name.length() <= 100 ? name : "a name of " + name.length() + " characters";
    }

    @Test
    @DisplayName("two names that differ only in punctuation are two checkpoints with their own state")
    void punctuationDistinct() {
        manager.connect();
        put("k", "0");
        manager.checkpoint("order-created");
        put("k", "1");
        manager.checkpoint("order_created");
        put("k", "2");
        manager.rollback("order_created");
        assertThat(data()).containsOnly(entry("k", "1"));
        manager.rollback("order-created");
        assertThat(data()).containsOnly(entry("k", "0"));
    }

    @Test
    @DisplayName("names of 0 or 1001 characters, blank names and null are IllegalArgumentException, and change nothing")
    void invalidNames() {
        manager.connect();
        manager.checkpoint("ok");
        for (String bad : new String[] {"", "a".repeat(CheckpointNames.MAX_LENGTH + 1), "   ", "nul\u0000char", null}) {
            assertThatThrownBy(() -> manager.checkpoint(bad))
                    .as("checkpoint(%s)", bad == null ? "null" : "'" + bad.replace("\u0000", "\\0") + "'")
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Checkpoint name");
        }
        assertThatThrownBy(() -> manager.checkpoint("a".repeat(1001))).hasMessageContaining("1001").hasMessageContaining("1000");
        assertThat(manager.activeCheckpoints()).containsExactly("ok");
    }

    // ---- disconnected -------------------------------------------------------------------------

    @Test
    @DisplayName("every call but connect() while disconnected raises StateNotConnectedException with the contract's message")
    void callsWhileDisconnected() {
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("checkpoint", () -> manager.checkpoint("a"));
        calls.put("rollback", () -> manager.rollback("a"));
        calls.put("release", () -> manager.release("a"));
        calls.put("reset", () -> manager.reset());
        for (int round = 0; round < 2; round++) {
            for (Map.Entry<String, Executable> call : calls.entrySet()) {
                assertThatThrownBy(() -> call.getValue().execute())
                        .as("%s() while disconnected (round %d)", call.getKey(), round)
                        .isInstanceOf(StateNotConnectedException.class)
                        .hasMessage("StateManager not connected. Call connect() first.");
            }
            // the second round runs after a connect/disconnect cycle
            manager.connect();
            manager.checkpoint("a");
            manager.disconnect();
        }
        assertThat(manager.isConnected()).isFalse();
    }

    @Test
    @DisplayName("a failed call while disconnected changes no data")
    void disconnectedCallsChangeNothing() {
        seed();
        assertThatThrownBy(() -> manager.reset()).isInstanceOf(StateNotConnectedException.class);
        assertThat(data()).containsOnly(entry("alice", "1"), entry("bob", "2"));
        assertThat(map("alice", "1", "bob", "2")).isEqualTo(data());
    }
}
