package io.venomqa.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 20 item 11 (snapshot memory grew with steps × live checkpoints) and issue 12's
 * ExecutionContext bullet (Jackson trees shared by snapshots; toMap without step results; fromMap).
 */
class ContextSnapshotSharingTest {

    /** What the runner stores per step: an immutable record, shared by the copy rules. */
    record Result(String step, int status) {
    }

    @Test
    @DisplayName("2 000 steps with a checkpoint every 10: snapshots share step results instead of copying the map each time")
    void stepResultsAreSharedBetweenSnapshots() {
        ExecutionContext ctx = new ExecutionContext();
        List<ContextSnapshot> live = new ArrayList<>();
        List<Result> stored = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Result r = new Result("step_" + i, 200);
            stored.add(r);
            ctx.storeStepResult(r.step(), r);
            if (i % 10 == 9) {
                live.add(ctx.snapshot());
            }
        }
        // Copying the map per snapshot holds 10 + 20 + … + 2 000 = 201 000 entries; sharing holds each once.
        assertThat(ContextSnapshot.distinctStepEntries(live)).isLessThanOrEqualTo(2_000 + live.size());

        // Restoring any of them gives exactly its steps, in order, with the very objects that were stored.
        ctx.restore(live.get(4)); // after step_49
        assertThat(ctx.stepNames()).hasSize(50).startsWith("step_0").endsWith("step_49");
        assertThat(ctx.getStepResult("step_49")).isSameAs(stored.get(49));
        assertThat(ctx.hasStepResult("step_50")).isFalse();
        ctx.storeStepResult("step_50", "another path");
        ctx.restore(live.get(199));
        assertThat(ctx.stepNames()).hasSize(2_000);
        assertThat(ctx.getStepResult("step_50")).isSameAs(stored.get(50));
        ctx.restore(live.get(4));
        assertThat(ctx.stepNames()).hasSize(50);
    }

    @Test
    @DisplayName("a step result stored again keeps its position; snapshots before and after see their own value")
    void replacedStepResult() {
        ExecutionContext ctx = new ExecutionContext();
        ctx.storeStepResult("login", "first");
        ctx.storeStepResult("order", 1);
        ContextSnapshot before = ctx.snapshot();
        for (int i = 0; i < 500; i++) { // a long retry loop must not keep every old value alive
            ctx.storeStepResult("login", "again-" + i);
        }
        ContextSnapshot after = ctx.snapshot();
        assertThat(ctx.stepNames()).containsExactly("login", "order");
        ctx.restore(before);
        assertThat(ctx.getStepResult("login")).isEqualTo("first");
        ctx.restore(after);
        assertThat(ctx.getStepResult("login")).isEqualTo("again-499");
        assertThat(ctx.stepNames()).containsExactly("login", "order");
        assertThat(ContextSnapshot.distinctStepEntries(List.of(after))).isLessThan(100);
    }

    @Test
    @DisplayName("mutable step results are still copied: changing one after a snapshot does not change what it restores")
    void mutableStepResultsStayIsolated() {
        ExecutionContext ctx = new ExecutionContext();
        Map<String, Object> body = new HashMap<>();
        body.put("items", new ArrayList<>(List.of("apple")));
        ctx.storeStepResult("cart", body);
        ctx.storeStepResult("ok", "done");
        ContextSnapshot snap = ctx.snapshot();
        @SuppressWarnings("unchecked")
        List<Object> items = (List<Object>) body.get("items");
        items.add("pear"); // the live result, changed after the snapshot
        assertThat(ctx.getStepResult("cart")).isSameAs(body);
        ctx.restore(snap);
        assertThat(ctx.getStepResult("cart")).isEqualTo(Map.of("items", List.of("apple")));
        // and the restored copy is the context's own: changing it leaves the snapshot intact
        @SuppressWarnings("unchecked")
        Map<String, Object> restored = (Map<String, Object>) ctx.getStepResult("cart");
        restored.put("extra", 1);
        ctx.restore(snap);
        assertThat(ctx.getStepResult("cart")).isEqualTo(Map.of("items", List.of("apple")));
    }

    @Test
    @DisplayName("a Copyable step result is copied once per snapshot; immutable ones are never copied")
    void copiesCounted() {
        AtomicInteger copies = new AtomicInteger();
        final class Counter implements DeepCopy.Copyable {
            @Override
            public Object deepCopy() {
                copies.incrementAndGet();
                return new Counter();
            }
        }
        ExecutionContext ctx = new ExecutionContext();
        ctx.storeStepResult("mutable", new Counter());
        for (int i = 0; i < 1_000; i++) {
            ctx.storeStepResult("s" + i, new Result("s" + i, 200));
        }
        List<ContextSnapshot> live = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            live.add(ctx.snapshot());
        }
        assertThat(copies.get()).isEqualTo(50);
        assertThat(ContextSnapshot.distinctStepEntries(live)).isLessThanOrEqualTo(1_001 + 50);
    }

    @Test
    @DisplayName("snapshot() copies Jackson JsonNode trees, in values and in step results")
    void jsonNodesAreCopied() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode user = (ObjectNode) mapper.readTree("{\"name\":\"ada\",\"roles\":[\"admin\"]}");
        ExecutionContext ctx = new ExecutionContext();
        ctx.set("user", user);
        ctx.storeStepResult("get_user", user.deepCopy());
        ContextSnapshot snap = ctx.snapshot();
        user.put("name", "eve");
        ((ArrayNode) user.get("roles")).add("root");
        ((ObjectNode) ctx.getStepResult("get_user")).remove("name");
        ctx.restore(snap);
        assertThat(ctx.get("user").toString()).isEqualTo("{\"name\":\"ada\",\"roles\":[\"admin\"]}");
        assertThat(ctx.getStepResult("get_user").toString()).isEqualTo("{\"name\":\"ada\",\"roles\":[\"admin\"]}");
        assertThat(ctx.get("user", JsonNode.class)).isNotSameAs(user);
        assertThat(DeepCopy.of(mapper.readTree("[1,{\"a\":null}]"))).isInstanceOf(ArrayNode.class)
                .hasToString("[1,{\"a\":null}]");
    }

    @Test
    @DisplayName("toMap(true) includes the step results and fromMap reads it back; toMap() stays values only")
    void toMapAndFromMap() {
        ExecutionContext ctx = new ExecutionContext().set("token", "abc").set("order_id", 7);
        ctx.storeStepResult("login", Map.of("status", 200));
        ctx.storeStepResult("order", "created");
        assertThat(ctx.toMap()).containsOnlyKeys("token", "order_id");
        Map<String, Object> all = ctx.toMap(true);
        assertThat(all).containsOnlyKeys("token", "order_id", ExecutionContext.STEP_RESULTS_KEY);
        assertThat(all.get(ExecutionContext.STEP_RESULTS_KEY)).isEqualTo(Map.of("login", Map.of("status", 200), "order", "created"));
        assertThat(ctx.toMap(false)).isEqualTo(ctx.toMap());

        ExecutionContext back = ExecutionContext.fromMap(all);
        assertThat(back.keys()).containsExactly("token", "order_id");
        assertThat(back.get("order_id")).isEqualTo(7);
        assertThat(back.stepNames()).containsExactly("login", "order");
        assertThat(back.getStepResult("login")).isEqualTo(Map.of("status", 200));
        assertThat(ExecutionContext.fromMap(Map.of("a", 1)).stepNames()).isEmpty();
        assertThatThrownBy(() -> ExecutionContext.fromMap(Map.of(ExecutionContext.STEP_RESULTS_KEY, "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ExecutionContext.STEP_RESULTS_KEY);
    }

    @Test
    @DisplayName("replaceStepResult keeps the step's place, lets go of the old result, and leaves earlier snapshots theirs")
    void replacingAStepResultDropsTheOldOneFromTheContext() {
        ExecutionContext ctx = new ExecutionContext();
        Result first = new Result("first", 200);
        Result full = new Result("create", 201);
        Result last = new Result("last", 200);
        ctx.storeStepResult("first", first);
        ctx.storeStepResult("create", full);
        ContextSnapshot before = ctx.snapshot();
        ctx.storeStepResult("last", last);

        Result small = new Result("create", 0);
        ctx.replaceStepResult("create", small);

        assertThat(ctx.stepNames()).containsExactly("first", "create", "last");
        assertThat(ctx.getStepResult("create")).isSameAs(small);
        assertThat(ctx.getStepResult("last")).isSameAs(last);
        ContextSnapshot after = ctx.snapshot();
        for (StepLog e = after.stepLog(); e != null; e = e.previous) {
            assertThat(e.result).as("the context's log no longer reaches the replaced result").isNotSameAs(full);
        }
        assertThat(StepLog.length(after.stepLog())).isEqualTo(3);

        ctx.restore(before);
        assertThat(ctx.getStepResult("create")).as("a snapshot taken before keeps its result").isSameAs(full);
        ctx.restore(after);
        assertThat(ctx.getStepResult("create")).isSameAs(small);
        assertThat(ctx.stepNames()).containsExactly("first", "create", "last");

        assertThatThrownBy(() -> ctx.replaceStepResult("never_ran", small))
                .isInstanceOf(java.util.NoSuchElementException.class).hasMessageContaining("never_ran");
    }
}
