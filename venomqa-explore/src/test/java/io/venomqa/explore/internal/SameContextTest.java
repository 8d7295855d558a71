package io.venomqa.explore.internal;

import io.venomqa.context.ContextSnapshot;
import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Response;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What makes two contexts, left by two paths to one state, the same to the moves that run next. */
class SameContextTest {

    private static Response response(String url, int status, String body, String date) {
        return new Response("POST", URI.create(url), status,
                Map.of("Content-Type", List.of("application/json"), "Date", List.of(date)),
                body.getBytes(StandardCharsets.UTF_8), null, null, null);
    }

    private static ContextSnapshot context(Object orderResult, Object loginResult, Object value) {
        ExecutionContext ctx = new ExecutionContext().set("order_id", value).set("nested", Map.of("list", List.of(1, 2)));
        ctx.storeStepResult("login", loginResult);
        ctx.storeStepResult("order", orderResult);
        return ctx.snapshot();
    }

    @Test
    void responsesOfTwoWorkersWithTheSameContentAreTheSame() {
        ContextSnapshot one = context(response("http://127.0.0.1:8001/orders?x=1", 201, "{\"id\":7}", "Mon, 1 Dec 2026 10:00:00 GMT"),
                "token", 7);
        ContextSnapshot two = context(response("http://127.0.0.1:8002/orders?x=1", 201, "{\"id\":7}", "Mon, 1 Dec 2026 10:00:05 GMT"),
                "token", 7);
        assertThat(SameContext.test(one, two)).isTrue();
        assertThat(SameContext.test(one, one)).isTrue();
        assertThat(SameContext.test(one, null)).isFalse();
    }

    @Test
    void stepsInAnotherOrderAreTheSame() {
        ExecutionContext x = new ExecutionContext().set("n", 1);
        x.storeStepResult("a", 1);
        x.storeStepResult("b", 2);
        ExecutionContext y = new ExecutionContext().set("n", 1);
        y.storeStepResult("b", 2);
        y.storeStepResult("a", 1);
        assertThat(SameContext.test(x.snapshot(), y.snapshot())).isTrue();
    }

    @Test
    void anyDifferenceTheMovesCouldSeeMakesThemDiffer() {
        Response r = response("http://127.0.0.1:8001/orders", 201, "{\"id\":7}", "d");
        ContextSnapshot base = context(r, "token", 7);
        assertThat(SameContext.test(base, context(r, "token", 8))).as("a value").isFalse();
        assertThat(SameContext.test(base, context(r, "token", 7L))).as("7 and 7L").isFalse();
        assertThat(SameContext.test(base, context(r, "other", 7))).as("a step result").isFalse();
        assertThat(SameContext.test(base, context(response("http://127.0.0.1:8001/orders", 201, "{\"id\":8}", "d"), "token", 7)))
                .as("a body").isFalse();
        assertThat(SameContext.test(base, context(response("http://127.0.0.1:8001/orders", 200, "{\"id\":7}", "d"), "token", 7)))
                .as("a status").isFalse();
        assertThat(SameContext.test(base, context(response("http://127.0.0.1:8001/carts", 201, "{\"id\":7}", "d"), "token", 7)))
                .as("a path").isFalse();
        Response located = new Response("POST", URI.create("http://127.0.0.1:8001/orders"), 201,
                Map.of("Content-Type", List.of("application/json"), "Location", List.of("/orders/7")),
                "{\"id\":7}".getBytes(StandardCharsets.UTF_8), null, null, null);
        assertThat(SameContext.test(base, context(located, "token", 7))).as("a header").isFalse();

        ExecutionContext extraStep = new ExecutionContext().set("order_id", 7).set("nested", Map.of("list", List.of(1, 2)));
        extraStep.storeStepResult("login", "token");
        extraStep.storeStepResult("order", r);
        extraStep.storeStepResult("pay", "ok");
        assertThat(SameContext.test(base, extraStep.snapshot())).as("one more step").isFalse();
    }

    @Test
    void arraysAreNotKnownToBeTheSame() {
        ContextSnapshot one = new ExecutionContext().set("blob", new byte[]{1, 2}).snapshot();
        ContextSnapshot two = new ExecutionContext().set("blob", new byte[]{1, 2}).snapshot();
        assertThat(SameContext.test(one, two)).isFalse();
    }
}
