package io.venomqa.testkit;

import io.venomqa.state.CheckpointNotFoundException;
import io.venomqa.state.CheckpointTree;
import io.venomqa.state.StateNotConnectedException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * The compatibility kit of the {@link CheckpointTree} capability, for a backend whose
 * {@code checkpointTree()} is present; it checks every guarantee of {@link CheckpointTree}'s
 * documentation on data read back through the fixture. Extend it like {@link StateManagerContract},
 * with the same {@link ContractFixture}:
 *
 * <pre>{@code
 * class MyBackendTreeContractTest extends CheckpointTreeContract {
 *     @Override
 *     protected ContractFixture createFixture() {
 *         return new MyBackendFixture();
 *     }
 * }
 * }</pre>
 *
 * The identity check needs {@link ContractFixture#insertWithGeneratedKey()}; without it that one
 * test is reported as aborted. A failed assertion's message starts with "Contract broken: " and the
 * rule, as in {@link StateManagerContract}.
 */
@ExtendWith(ContractFailureMessages.class)
public abstract class CheckpointTreeContract extends ContractBase {

    /** The capability under test; fails the test when the manager does not offer it. */
    protected CheckpointTree tree() {
        return manager.checkpointTree().orElseThrow(() -> new AssertionError("checkpointTree() is empty: "
                + "CheckpointTreeContract is for managers that offer the capability"));
    }

    private void restore(String name) {
        tree().restore(name);
    }

    private static Map<String, String> kv(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    /**
     * Connects, seeds, and builds the tree used by most tests:
     * <pre>
     * root {alice=1, bob=2}
     * ├── a  {alice=a, bob=2, carol=3}          (update + insert)
     * │   └── a2 {alice=a, carol=3, dave=4}     (delete + insert)
     * └── b  {alice=1, bob=b, erin=5}           (update + insert, taken after restoring root)
     * </pre>
     */
    private void buildTree() {
        manager.connect();
        seed();
        manager.checkpoint("root");
        put("alice", "a");
        put("carol", "3");
        manager.checkpoint("a");
        remove("bob");
        put("dave", "4");
        manager.checkpoint("a2");
        restore("root");
        put("bob", "b");
        put("erin", "5");
        manager.checkpoint("b");
    }

    private static final Map<String, String> ROOT = kv("alice", "1", "bob", "2");
    private static final Map<String, String> A = kv("alice", "a", "bob", "2", "carol", "3");
    private static final Map<String, String> A2 = kv("alice", "a", "carol", "3", "dave", "4");
    private static final Map<String, String> B = kv("alice", "1", "bob", "b", "erin", "5");

    @Test
    @DisplayName("checkpointTree() is present, before and after connect()")
    void capabilityPresent() {
        assertThat(manager.checkpointTree()).as("before connect()").isPresent();
        manager.connect();
        assertThat(manager.checkpointTree()).as("after connect()").isPresent();
    }

    @Test
    @DisplayName("restore(n) to an ancestor gives its data back and keeps every checkpoint held, in creation order")
    void restoreAncestorKeepsCheckpoints() {
        manager.connect();
        seed();
        manager.checkpoint("root");
        put("carol", "3");
        manager.checkpoint("child");
        put("dave", "4");
        restore("root");
        assertThat(data()).isEqualTo(ROOT);
        assertThat(manager.activeCheckpoints()).containsExactly("root", "child");
        restore("child");
        assertThat(data()).isEqualTo(kv("alice", "1", "bob", "2", "carol", "3"));
    }

    @Test
    @DisplayName("restore(n) to a sibling branch gives that branch's data: inserts, updates and deletes")
    void restoreSiblingBranch() {
        buildTree();
        assertThat(data()).isEqualTo(B);
        restore("a");
        assertThat(data()).isEqualTo(A);
        restore("b");
        assertThat(data()).isEqualTo(B);
        restore("a2");
        assertThat(data()).isEqualTo(A2);
        assertThat(manager.activeCheckpoints()).containsExactly("root", "a", "a2", "b");
    }

    @Test
    @DisplayName("restore(n) to a descendant two levels down after restoring an ancestor")
    void restoreDescendantAfterAncestor() {
        buildTree();
        restore("root");
        assertThat(data()).isEqualTo(ROOT);
        restore("a2");
        assertThat(data()).isEqualTo(A2);
        restore("a");
        assertThat(data()).isEqualTo(A);
        restore("a2");
        assertThat(data()).isEqualTo(A2);
    }

    @Test
    @DisplayName("restoring A, B, A, B … many times gives the same data every time")
    void restoreBackAndForth() {
        buildTree();
        for (int i = 0; i < 6; i++) {
            restore("a2");
            assertThat(data()).as("round %d at a2", i).isEqualTo(A2);
            restore("b");
            assertThat(data()).as("round %d at b", i).isEqualTo(B);
        }
    }

    @Test
    @DisplayName("restore(n) discards changes not saved by a checkpoint, also when n is the current checkpoint")
    void restoreDiscardsUnsavedChanges() {
        buildTree();
        put("zed", "26");
        remove("alice");
        restore("b");
        assertThat(data()).isEqualTo(B);
        put("zed", "26");
        restore("a");
        assertThat(data()).isEqualTo(A);
    }

    @Test
    @DisplayName("a checkpoint taken after restore(n) describes the state reached from n, and can be restored across the tree")
    void checkpointAfterRestore() {
        buildTree();
        restore("a");
        put("frank", "6");
        manager.checkpoint("a3");
        Map<String, String> a3 = new LinkedHashMap<>(A);
        a3.put("frank", "6");
        restore("b");
        assertThat(data()).isEqualTo(B);
        restore("a3");
        assertThat(data()).isEqualTo(a3);
        restore("a2");
        assertThat(data()).isEqualTo(A2);
        restore("a3");
        assertThat(data()).isEqualTo(a3);
        assertThat(manager.activeCheckpoints()).containsExactly("root", "a", "a2", "b", "a3");
    }

    @Test
    @DisplayName("the same row changed on two branches comes back with each branch's value")
    void sameRowOnTwoBranches() {
        manager.connect();
        seed();
        manager.checkpoint("root");
        for (int i = 0; i < 3; i++) {
            put("alice", "x" + i);
        }
        remove("bob");
        put("bob", "again");
        manager.checkpoint("x");
        restore("root");
        remove("alice");
        put("alice", "y");
        manager.checkpoint("y");
        restore("x");
        assertThat(data()).isEqualTo(kv("alice", "x2", "bob", "again"));
        restore("y");
        assertThat(data()).isEqualTo(kv("alice", "y", "bob", "2"));
        restore("root");
        assertThat(data()).isEqualTo(ROOT);
    }

    @Test
    @DisplayName("identity counters come back with the state: the next generated key is what it would have been at n")
    void identityCountersRestored() throws Exception {
        manager.connect();
        seed();
        manager.checkpoint("root");
        OptionalLong first = fixture.insertWithGeneratedKey();
        Assumptions.assumeTrue(first.isPresent(), "the fixture has no identity counters "
                + "(ContractFixture.insertWithGeneratedKey() is empty)");
        manager.checkpoint("one");
        long second = fixture.insertWithGeneratedKey().getAsLong();
        fixture.insertWithGeneratedKey();
        manager.checkpoint("three");
        restore("root");
        assertThat(fixture.insertWithGeneratedKey().getAsLong()).as("first key after restore(root)")
                .isEqualTo(first.getAsLong());
        restore("one");
        assertThat(fixture.insertWithGeneratedKey().getAsLong()).as("next key after restore(one)").isEqualTo(second);
        restore("three");
        long afterThree = fixture.insertWithGeneratedKey().getAsLong();
        restore("root");
        restore("three");
        assertThat(fixture.insertWithGeneratedKey().getAsLong()).as("next key after restore(three), twice")
                .isEqualTo(afterThree);
    }

    @Test
    @DisplayName("rollback(n) after restores gives n's data and forgets every checkpoint taken after n in time")
    void rollbackAfterRestore() {
        buildTree();
        restore("a2");
        manager.rollback("a");
        assertThat(data()).isEqualTo(A);
        assertThat(manager.activeCheckpoints()).containsExactly("root", "a");
        restore("root");
        assertThat(data()).isEqualTo(ROOT);
        restore("a");
        assertThat(data()).isEqualTo(A);
    }

    @Test
    @DisplayName("rollback(n) to a checkpoint on another branch than the current state gives n's data")
    void rollbackAcrossBranches() {
        buildTree();
        restore("a2");
        put("zed", "26");
        manager.rollback("b");
        assertThat(data()).isEqualTo(B);
        assertThat(manager.activeCheckpoints()).containsExactly("root", "a", "a2", "b");
        restore("a2");
        assertThat(data()).isEqualTo(A2);
    }

    @Test
    @DisplayName("release(n) after restores leaves the data untouched and forgets n and every later checkpoint")
    void releaseAfterRestore() {
        buildTree();
        restore("a2");
        manager.release("b");
        assertThat(data()).isEqualTo(A2);
        assertThat(manager.activeCheckpoints()).containsExactly("root", "a", "a2");
        manager.release("a");
        assertThat(data()).as("releasing the current checkpoint and its ancestor keeps the data").isEqualTo(A2);
        assertThat(manager.activeCheckpoints()).containsExactly("root");
        put("gina", "7");
        manager.checkpoint("g");
        restore("root");
        assertThat(data()).isEqualTo(ROOT);
        Map<String, String> g = new LinkedHashMap<>(A2);
        g.put("gina", "7");
        restore("g");
        assertThat(data()).isEqualTo(g);
    }

    @Test
    @DisplayName("disconnect() after restores leaves the data exactly as connect() found it")
    void disconnectAfterRestore() {
        seed();
        buildTree();
        restore("a2");
        put("zed", "26");
        manager.disconnect();
        assertThat(data()).isEqualTo(ROOT);
        manager.connect();
        assertThat(manager.activeCheckpoints()).isEmpty();
        assertThatThrownBy(() -> restore("a2")).isInstanceOf(CheckpointNotFoundException.class);
    }

    @Test
    @DisplayName("disconnect() while on a restored sibling branch, with data changed before connect(), leaves connect()'s data")
    void disconnectFromSiblingBranch() {
        put("before", "0");
        buildTree();
        put("before", "changed");
        manager.checkpoint("b-changed");
        restore("a");
        manager.disconnect();
        assertThat(data()).as("alice and bob were written after connect()").isEqualTo(kv("before", "0"));
    }

    @Test
    @DisplayName("reset() after restores clears every checkpoint")
    void resetAfterRestore() {
        buildTree();
        restore("a2");
        manager.reset();
        assertThat(manager.activeCheckpoints()).isEmpty();
        assertThatThrownBy(() -> restore("a")).isInstanceOf(CheckpointNotFoundException.class);
        put("henry", "8");
        manager.checkpoint("h");
        put("ida", "9");
        restore("h");
        assertThat(data()).containsOnly(entry("henry", "8"));
    }

    @Test
    @DisplayName("restore of an unknown name raises CheckpointNotFoundException naming it, and changes nothing")
    void unknownName() {
        buildTree();
        assertThatThrownBy(() -> restore("nope")).isInstanceOf(CheckpointNotFoundException.class)
                .hasMessageContaining("Checkpoint 'nope' not found");
        assertThat(data()).isEqualTo(B);
        assertThat(manager.activeCheckpoints()).containsExactly("root", "a", "a2", "b");
    }

    @Test
    @DisplayName("restore while disconnected raises StateNotConnectedException")
    void restoreWhileDisconnected() {
        assertThatThrownBy(() -> restore("a")).isInstanceOf(StateNotConnectedException.class);
    }
}
