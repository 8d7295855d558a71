package io.venomqa.explore.internal;

import io.venomqa.context.ContextSnapshot;
import io.venomqa.context.ExecutionContext;
import io.venomqa.http.Response;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Whether two contexts are the same to the moves that run next, when each was left by a different path
 * to one state, perhaps on two workers: equal values ({@code equals}, so arrays and objects without an
 * {@code equals} of their own never compare equal), and the same step results by name, in any order,
 * each equal, or a {@link Response} with the same method, path, query, status, headers (the {@code Date}
 * header aside) and body, since two workers' responses are distinct objects from distinct addresses.
 * False may mean "not known to be the same". Not API.
 */
final class SameContext {

    private SameContext() {
    }

    static boolean test(ContextSnapshot a, ContextSnapshot b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        ExecutionContext x = new ExecutionContext();
        x.restore(a);
        ExecutionContext y = new ExecutionContext();
        y.restore(b);
        if (!x.toMap().equals(y.toMap())) {
            return false;
        }
        List<String> names = x.stepNames();
        if (names.size() != y.stepNames().size() || !y.stepNames().containsAll(names)) {
            return false;
        }
        for (String n : names) {
            if (!sameResult(x.getStepResult(n), y.getStepResult(n))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameResult(Object a, Object b) {
        if (a instanceof Response r && b instanceof Response s) {
            return r.method().equals(s.method()) && r.statusCode() == s.statusCode()
                    && Objects.equals(r.uri().getRawPath(), s.uri().getRawPath())
                    && Objects.equals(r.uri().getRawQuery(), s.uri().getRawQuery())
                    && withoutDate(r.headers()).equals(withoutDate(s.headers()))
                    && Arrays.equals(r.bodyBytes(), s.bodyBytes());
        }
        return Objects.equals(a, b);
    }

    private static Map<String, List<String>> withoutDate(Map<String, List<String>> headers) {
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        h.remove("date");
        return h;
    }
}
