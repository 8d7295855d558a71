package io.venomqa.journey;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JourneyValidationTest {

    private static final Action NOOP = (client, ctx) -> null;

    private static Step step(String name) {
        return Step.of(name, NOOP);
    }

    @Test
    void branchNamingAnUnknownCheckpointIsRejectedWithTheNearestName() {
        assertThatThrownBy(() -> Journey.builder("checkout")
                .step("login", NOOP)
                .checkpoint("cart_ready")
                .branch("cart_redy", Path.of("card", step("pay")))
                .build())
                .isInstanceOf(JourneyValidationException.class)
                .hasMessage("Invalid journey 'checkout': main line: branch from 'cart_redy' (node #3) names checkpoint"
                        + " 'cart_redy', which is not created before it in this scope. Checkpoints available here:"
                        + " [cart_ready]. Did you mean 'cart_ready'?");
    }

    @Test
    void branchBeforeItsCheckpointIsRejected() {
        assertThatThrownBy(() -> Journey.builder("checkout")
                .branch("later", Path.of("a", step("x")))
                .checkpoint("later")
                .build())
                .hasMessageContaining("main line: branch from 'later' (node #1) names checkpoint 'later', which is not created before it")
                .hasMessageContaining("No checkpoint is available here; add .checkpoint(\"later\") before the branch.");
    }

    @Test
    void checkpointOfASiblingPathIsNotVisible() {
        assertThatThrownBy(() -> Journey.builder("j")
                .checkpoint("root")
                .branch("root",
                        Path.builder("a").checkpoint("inside_a").step("s", NOOP).build(),
                        Path.builder("b").branch("inside_a", Path.of("x", step("t"))).build())
                .build())
                .hasMessageContaining("path 'b': branch from 'inside_a' (node #1) names checkpoint 'inside_a', which is not created before it");
    }

    @Test
    void duplicateCheckpointInOneScopeIsRejectedButReuseInAnInnerScopeIsFine() {
        assertThatThrownBy(() -> Journey.builder("orders")
                .checkpoint("start")
                .step("a", NOOP)
                .checkpoint("start")
                .build())
                .hasMessage("Invalid journey 'orders': main line: checkpoint 'start' is created twice (nodes #1 and #3)."
                        + " Checkpoint names must be unique within the main line or a path.");

        assertThatThrownBy(() -> Journey.builder("orders")
                .checkpoint("start")
                .branch("start", Path.of("p", Checkpoint.of("mid"), step("a"), Checkpoint.of("mid")))
                .build())
                .hasMessageContaining("path 'p': checkpoint 'mid' is created twice (nodes #1 and #3)");

        assertThatCode(() -> Journey.builder("orders")
                .checkpoint("start")
                .branch("start", Path.of("p", step("a"), Checkpoint.of("start"), step("b"),
                        Branch.of("start", Path.of("inner", step("c"))))) // the inner 'start' is meant
                .build()).doesNotThrowAnyException();
    }

    @Test
    void emptyPathsDuplicatePathNamesAndEmptyBranchesAreRejected() {
        assertThatThrownBy(() -> Journey.builder("pay")
                .step("login", NOOP)
                .checkpoint("cart")
                .branch("cart", Path.of("card", step("c")), Path.of("card", step("d")), Path.of("empty"))
                .build())
                .isInstanceOfSatisfying(JourneyValidationException.class, e -> assertThat(e.problems()).containsExactly(
                        "main line: branch from 'cart' (node #3) has two paths named 'card'. Path names must be unique"
                                + " within a branch (they name the test cases in reports).",
                        "path 'empty': the path is empty (in the branch from 'cart' (node #3)). Give it at least one step."))
                .hasMessageStartingWith("Invalid journey 'pay' (2 problems):\n  - main line: branch from 'cart'");

        assertThatThrownBy(() -> Journey.builder("pay").checkpoint("cart").branch("cart", List.of()).build())
                .hasMessage("Invalid journey 'pay': main line: branch from 'cart' (node #2) has no paths. Give it at least one Path.");
    }

    @Test
    void emptyJourneyIsRejected() {
        assertThatThrownBy(() -> Journey.builder("nothing").build())
                .hasMessage("Invalid journey 'nothing': it has no steps. Add at least one with .step(name, action).");
    }

    @Test
    void checkpointDiscardedByAnEarlierBranchCannotBeBranchedFrom() {
        assertThatThrownBy(() -> Journey.builder("j")
                .checkpoint("a")
                .step("s", NOOP)
                .checkpoint("b")
                .branch("a", Path.of("p1", step("x")))
                .branch("b", Path.of("p2", step("y")))
                .build())
                .hasMessage("Invalid journey 'j': main line: branch from 'b' (node #5) names checkpoint 'b', which no longer"
                        + " exists there: the branch from 'a' (node #4) rolled back to an earlier checkpoint, which discards"
                        + " the checkpoints created after it.");
    }

    @Test
    void nestedBranchMayNotRollBackPastTheCheckpointItsPathStartedFrom() {
        assertThatThrownBy(() -> Journey.builder("j")
                .checkpoint("outer")
                .step("s", NOOP)
                .checkpoint("cart")
                .branch("cart", Path.builder("p").step("x", NOOP).branch("outer", Path.of("q", step("y"))).build())
                .build())
                .hasMessageContaining("path 'p': branch from 'outer' (node #2) names checkpoint 'outer' of an enclosing scope,"
                        + " older than 'cart' which this path starts from");
        // The checkpoint the path started from itself is fine.
        assertThatCode(() -> Journey.builder("j")
                .checkpoint("cart")
                .branch("cart", Path.builder("p").step("x", NOOP).branch("cart", Path.of("q", step("y"))).build())
                .build()).doesNotThrowAnyException();
    }

    @Test
    void problemsInDeeplyNestedPathsNameTheWholeLocation() {
        assertThatThrownBy(() -> Journey.builder("deep")
                .checkpoint("l0")
                .branch("l0", Path.builder("a")
                        .checkpoint("l1")
                        .branch("l1", Path.builder("b")
                                .checkpoint("l2")
                                .branch("l2", Path.of("c", step("x")), Path.of("c", step("y")))
                                .build())
                        .build())
                .build())
                .hasMessage("Invalid journey 'deep': path 'a' > path 'b': branch from 'l2' (node #2) has two paths named 'c'."
                        + " Path names must be unique within a branch (they name the test cases in reports).");
    }

    @Test
    void invalidNamesAndOptionsAreRejectedWhereTheyAreGiven() {
        assertThatThrownBy(() -> Checkpoint.of("x".repeat(1001))).hasMessageContaining("the limit is 1000");
        assertThatThrownBy(() -> Step.of(" ", NOOP)).hasMessageContaining("A step needs a name");
        assertThatThrownBy(() -> Step.builder("s").action(NOOP).retries(-1)).hasMessageContaining("between 0 and 100");
        assertThatThrownBy(() -> Step.builder("s").action(NOOP).timeout(java.time.Duration.ZERO)).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> Step.builder("s").backoffMultiplier(0.5)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> Step.builder("s").build()).hasMessage("step 's' has no action");
    }

    private Object login(io.venomqa.http.Client client, io.venomqa.context.ExecutionContext ctx) {
        return "logged in";
    }

    private Object pay(io.venomqa.http.Client client, io.venomqa.context.ExecutionContext ctx, StepArgs args) {
        return args.getString("method");
    }

    @Test
    void methodReferencesPickTheRightOverload() throws Exception {
        Journey j = Journey.builder("refs")
                .step("login", this::login)
                .step("pay", this::pay, s -> s.arg("method", "card"))
                .build();
        Step pay = (Step) j.nodes().get(1);
        assertThat(pay.execute(null, new io.venomqa.context.ExecutionContext())).isEqualTo("card");
        assertThat(((Step) j.nodes().get(0)).execute(null, null)).isEqualTo("logged in");
        assertThat(pay.delayBeforeRetry(1)).isEqualTo(Step.DEFAULT_RETRY_DELAY);
        assertThat(pay.toBuilder().retries(2).backoffMultiplier(3).build().delayBeforeRetry(3))
                .isEqualTo(Step.DEFAULT_RETRY_DELAY.multipliedBy(9));
    }

    @Test
    void builderAndPlainConstructorsBuildTheSameTree() {
        Journey fluent = Journey.builder("checkout")
                .description("d")
                .tag("smoke")
                .step("login", NOOP)
                .checkpoint("cart")
                .branch("cart", Path.of("card", step("pay")))
                .build();
        Step login = fluent.nodes().get(0) instanceof Step s ? s : null;
        Journey plain = new Journey("checkout", "d", java.util.Set.of("smoke"), null,
                List.of(login, new Checkpoint("cart"), new Branch("cart", List.of(new Path("card", "", List.of(fluent.nodes().get(2) instanceof Branch b ? b.paths().get(0).nodes().get(0) : null))))));
        assertThat(plain.nodes()).isEqualTo(fluent.nodes());
        assertThat(fluent.tags()).containsExactly("smoke");
        assertThat(fluent.timeout()).isEmpty();
    }

    @Test
    void aFailedSqlCheckOnASecretColumnShowsNoValue() {
        Step.SqlCheck check = Step.SqlCheck.of("select password from users where id = ?", ctx -> 1, "not-it");
        assertThat(check.compare(List.of(1), List.of(java.util.Map.of("PASSWORD", "pw-SECRET-B1")))).hasValueSatisfying(m ->
                assertThat(m).doesNotContain("pw-SECRET-B1").doesNotContain("not-it")
                        .isEqualTo("SQL check failed: select password from users where id = ? with [1] expected [***], actual"
                                + " [***] (values of the secret column PASSWORD masked; row 1 differs)"));
        assertThat(check.compare(List.of(1), List.of(java.util.Map.of("password", "a"), java.util.Map.of("password", "b"))))
                .hasValueSatisfying(m -> assertThat(m).endsWith("expected [***], actual [***, ***] (values of the secret column"
                        + " password masked; 1 row expected, 2 returned)"));
        assertThat(Step.SqlCheck.of("select status from orders", ctx -> List.of(), "PAID")
                .compare(List.of(), List.of(java.util.Map.of("status", "NEW")))).contains(
                "SQL check failed: select status from orders with [] expected [PAID], actual [NEW]");
    }
}
