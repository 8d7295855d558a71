package io.venomqa.context;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExecutionContextTest {

    @Test
    void valuesAndDefaults() {
        ExecutionContext ctx = new ExecutionContext();
        ctx.set("token", "abc").put("user_id", 42);
        ctx.set("nothing", null);
        assertThat(ctx.get("token")).isEqualTo("abc");
        assertThat(ctx.get("missing")).isNull();
        assertThat(ctx.get("missing", "dflt")).isEqualTo("dflt");
        assertThat(ctx.get("nothing", "dflt")).as("a present null is not replaced by the default").isNull();
        assertThat(ctx.contains("nothing")).isTrue();
        assertThat(ctx.keys()).containsExactly("token", "user_id", "nothing");
        assertThat(ctx.remove("token")).isEqualTo("abc");
        assertThat(ctx.contains("token")).isFalse();
        ctx.clear();
        assertThat(ctx.keys()).isEmpty();
    }

    @Test
    void getRequiredNamesTheKeyAndTheKeysPresent() {
        ExecutionContext ctx = new ExecutionContext().set("a", 1).set("b", 2);
        assertThatThrownBy(() -> ctx.getRequired("order_id"))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageStartingWith("Context has no value for key 'order_id'. Keys present: [a, b].")
                .hasMessageNotContaining("Did you mean");
        ExecutionContext typo = new ExecutionContext().set("account_id", 1);
        assertThatThrownBy(() -> typo.getRequired("acount_id")).isInstanceOf(NoSuchElementException.class)
                .hasMessage("Context has no value for key 'acount_id'. Keys present: [account_id]. Did you mean"
                        + " 'account_id'? Otherwise set it in an earlier step with context.set(\"acount_id\", value).");
    }

    @Test
    void typedGetConvertsNumbersWithoutLossAndOtherwiseNamesTheKey() {
        ExecutionContext ctx = new ExecutionContext().set("id", 7).set("name", "x").set("big", 10_000_000_000L);
        assertThat(ctx.get("id", Long.class)).isEqualTo(7L);
        assertThat(ctx.get("id", int.class)).isEqualTo(7);
        assertThat(ctx.get("name", String.class)).isEqualTo("x");
        assertThat(ctx.get("absent", String.class)).isNull();
        assertThatThrownBy(() -> ctx.get("big", Integer.class))
                .isInstanceOf(ClassCastException.class)
                .hasMessageContaining("'big'").hasMessageContaining("java.lang.Integer");
        assertThatThrownBy(() -> ctx.get("name", Integer.class))
                .hasMessage("Context value 'name' is a java.lang.String (x), not a java.lang.Integer");
    }

    @Test
    void snapshotIsDeepMutatingStoredCollectionsAfterwardsDoesNotLeakIntoRestore() {
        ExecutionContext ctx = new ExecutionContext();
        List<Object> items = new ArrayList<>(List.of("apple"));
        Map<String, Object> cart = new HashMap<>();
        cart.put("items", items);
        ctx.set("cart", cart);
        int[] counts = {1, 2};
        ctx.set("counts", counts);
        ctx.storeStepResult("login", Map.of("status", 200));

        ContextSnapshot snap = ctx.snapshot();
        items.add("pear");
        cart.put("coupon", "X");
        counts[0] = 99;
        ctx.set("extra", true);
        ctx.storeStepResult("pay", "ok");

        ctx.restore(snap);
        assertThat(ctx.keys()).containsExactly("cart", "counts");
        assertThat(ctx.get("cart")).isEqualTo(Map.of("items", List.of("apple")));
        assertThat((int[]) ctx.get("counts")).containsExactly(1, 2);
        assertThat(ctx.stepNames()).containsExactly("login");

        // the restored values are copies too: changing them leaves the snapshot intact
        @SuppressWarnings("unchecked")
        Map<String, Object> restored = (Map<String, Object>) ctx.get("cart");
        restored.put("x", 1);
        ctx.restore(snap);
        assertThat(ctx.get("cart")).isEqualTo(Map.of("items", List.of("apple")));
    }

    @Test
    void copyableValuesUseTheirOwnCopyAndOthersAreShared() {
        final class Counter implements DeepCopy.Copyable {
            int n;

            public Object deepCopy() {
                Counter c = new Counter();
                c.n = n;
                return c;
            }
        }
        final class Opaque {
            int n;
        }
        Counter counter = new Counter();
        Opaque opaque = new Opaque();
        ExecutionContext ctx = new ExecutionContext().set("counter", counter).set("opaque", opaque);
        ContextSnapshot snap = ctx.snapshot();
        counter.n = 5;
        opaque.n = 5;
        ctx.restore(snap);
        assertThat(((Counter) ctx.get("counter")).n).isZero();
        assertThat(((Opaque) ctx.get("opaque")).n).as("documented: uncopyable values are shared").isEqualTo(5);
    }

    @Test
    void aCycleIsRejectedWithAClearMessage() {
        List<Object> self = new ArrayList<>();
        self.add(self);
        ExecutionContext ctx = new ExecutionContext().set("loop", self);
        assertThatThrownBy(ctx::snapshot).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does it contain itself");
    }

    @Test
    void stepResults() {
        ExecutionContext ctx = new ExecutionContext();
        ctx.storeStepResult("login", "token");
        assertThat(ctx.hasStepResult("login")).isTrue();
        assertThat(ctx.getStepResult("login")).isEqualTo("token");
        assertThat(ctx.getStepResult("login", String.class)).isEqualTo("token");
        assertThat(ctx.getStepResult("missing")).isNull();
        assertThatThrownBy(() -> ctx.getStepResultRequired("pay"))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessage("No result for step 'pay'. Steps with results: [login]");
    }

    @Test
    void copyAndMerge() {
        ExecutionContext a = new ExecutionContext().set("k", "a").set("onlyA", 1);
        ExecutionContext b = new ExecutionContext().set("k", "b").set("onlyB", 2);
        ExecutionContext copy = a.copy();
        copy.set("k", "changed");
        assertThat(a.get("k")).isEqualTo("a");

        a.merge(b, false);
        assertThat(a.toMap()).containsEntry("k", "a").containsEntry("onlyB", 2);
        a.merge(b, true);
        assertThat(a.get("k")).isEqualTo("b");
        assertThat(a.toMap()).containsOnlyKeys("k", "onlyA", "onlyB");
    }
}
