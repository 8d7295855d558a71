package io.venomqa.openapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.venomqa.context.ExecutionContext;
import io.venomqa.explore.Invariant;
import io.venomqa.explore.Observation;
import io.venomqa.explore.Severity;
import io.venomqa.http.Response;
import io.venomqa.openapi.Check;
import io.venomqa.openapi.CheckLevel;
import io.venomqa.state.ChangeTracker;
import io.venomqa.state.DbChanges;
import io.venomqa.state.TableChanges;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The checks that need no code, as invariants. Each looks only at moves made from the document (the
 * facts their action left under {@link Keys#LAST} for the move just made) and fails with a message
 * that names the calls involved. A check of level {@link CheckLevel#WARNING} does not fail: it hands its
 * message to the warning sink and throws {@link Invariant.Warned}, so that the reports show it as warned, not held.
 */
public final class Checks {

    private static final int BODY_EXCERPT = 300;
    private static final int MAX_SCHEMA_ERRORS = 5;

    /** Why {@link Check#INVALID_BODY_REFUSED} judges nothing when invalid bodies are off. */
    static final String INVALID_BODIES_OFF = "invalid bodies are off, so no move sends a body that breaks its schema"
            + " (turn them on with --invalid-bodies, openapi.invalid_bodies: true or invalidBodies(true))";

    private final ApiPlan plan;
    private final Requests requests;
    private final ResponseValidator validator;
    private final boolean invalidBodies;

    /** {@code invalidBodies}: whether the moves include those that send invalid bodies (else their check cannot run). */
    public Checks(ApiPlan plan, Requests requests, boolean invalidBodies) {
        this.plan = plan;
        this.requests = requests;
        this.validator = new ResponseValidator(plan.spec());
        this.invalidBodies = invalidBodies;
    }

    /**
     * Where a check's findings go besides violations: failures of a check at {@link CheckLevel#WARNING},
     * and moves a check could not judge (with the reason).
     */
    public interface Sink {
        /** {@code operation}'s move failed a check at level warning. */
        void warning(String operation, String message);

        /**
         * The check could not judge {@code operation}'s move, because of {@code reason} (what was missing and how
         * to get it); the invariant then throws {@link Invariant.NotRun} with the same reason.
         */
        void couldNotRun(String operation, String reason);
    }

    /** The invariant of {@code check}, or empty when it is off. */
    public Optional<Invariant> invariant(Check check, CheckLevel level, Severity severity, Sink sink) {
        if (level == CheckLevel.OFF) {
            return Optional.empty();
        }
        String noMove = noMoveFor(check);
        Rule rule = noMove != null ? (o, f) -> {
            throw new Invariant.NotRun(noMove); // never judged anything: not a pass
        } : switch (check) {
            case NO_SERVER_ERROR -> this::noServerError;
            case DECLARED_STATUS -> this::declaredStatus;
            case RESPONSE_SCHEMA -> this::responseSchema;
            case READ_BACK -> this::readBack;
            case DELETED_STAYS_GONE -> this::deletedStaysGone;
            case NOT_FOUND_CONSISTENCY -> this::notFoundConsistency;
            case SAFE_METHOD_WRITES -> (o, f) -> safeMethodWrites(o, f, sink);
            case INVALID_BODY_REFUSED -> invalidBodies ? this::invalidBodyRefused : (o, f) -> {
                // Not in notRun(): the switch is the user's choice, not something missing; the reports say it.
                throw new Invariant.NotRun(INVALID_BODIES_OFF);
            };
        };
        return Optional.of(Invariant.of(check.invariantName(), severity, o -> {
            Facts f = facts(o);
            if (f == null) {
                return true;
            }
            String problem = rule.problem(o, f);
            if (problem == null) {
                return true;
            }
            if (level == CheckLevel.WARNING) {
                sink.warning(f.op.name(), problem);
                throw new Invariant.Warned(problem); // not a failure, and not a pass either
            }
            throw new AssertionError(problem);
        }));
    }

    /**
     * Why no move of the plan can ever be judged by {@code check} (the document, after include and exclude, has
     * no operation of the kind it looks at), or null. Such a check is reported as not run, with this reason:
     * until 2026-12-06 it was shown as held after every move although it had judged none.
     */
    String noMoveFor(Check check) {
        List<OperationModel> ops = plan.runnable();
        return switch (check) {
            case READ_BACK -> ops.stream().anyMatch(op -> op.method().equals("POST")) ? null
                    : "no operation explored is a POST, so nothing is created to read back";
            case DELETED_STAYS_GONE -> ops.stream().anyMatch(op -> op.method().equals("DELETE") && plan.getItem(op.path()) != null)
                    ? null : "no operation explored is a DELETE of a resource the document has a GET for";
            case NOT_FOUND_CONSISTENCY -> ops.stream().anyMatch(op -> {
                OperationModel item = plan.deepestItem(op);
                return item != null && item != op;
            }) ? null : "no operation explored besides a GET of it acts on a resource the document has a GET for"
                    + " (PUT /x/{id}, POST /x/{id}/…)";
            case SAFE_METHOD_WRITES -> ops.stream().anyMatch(op -> SAFE.contains(op.method().toUpperCase(Locale.ROOT))) ? null
                    : "no operation explored is a GET or HEAD";
            default -> null;
        };
    }

    @FunctionalInterface
    private interface Rule {
        /** What is wrong, or null. */
        String problem(Observation o, Facts f);
    }

    private record Facts(OperationModel op, Map<?, ?> last, Response response) {
        int status() {
            return response.statusCode();
        }

        String call() {
            return String.valueOf(last.get("call"));
        }
    }

    private Facts facts(Observation o) {
        Optional<String> move = o.lastMove().map(m -> m.name());
        Optional<Response> r = o.lastResponse();
        if (move.isEmpty() || r.isEmpty()) {
            return null;
        }
        Object last = o.context().get(Keys.LAST);
        if (!(last instanceof Map<?, ?> m) || !move.get().equals(m.get("move"))) {
            return null;
        }
        OperationModel op = plan.operation(String.valueOf(m.get("operation")));
        return op == null ? null : new Facts(op, m, r.get());
    }

    private String noServerError(Observation o, Facts f) {
        return f.status() >= 500 ? f.call() + " answered " + f.status() + excerpt(f.response.body()) : null;
    }

    private String declaredStatus(Observation o, Facts f) {
        if (f.op.responseFor(f.status()) != null) {
            return null;
        }
        return f.call() + " answered " + f.status() + ", which the document does not declare for " + f.op.name()
                + " (declared: " + String.join(", ", f.op.responses().keySet()) + ")" + excerpt(f.response.body());
    }

    private String responseSchema(Observation o, Facts f) {
        OperationModel.Resp declared = f.op.responseFor(f.status());
        if (declared == null || declared.content().isEmpty() || f.op.method().equals("HEAD")) {
            return null;
        }
        String body = f.response.body();
        if (body == null || body.isEmpty()) {
            return f.call() + " answered " + f.status() + " with no body; the document declares "
                    + String.join(", ", declared.content().keySet());
        }
        String type = f.response.header("Content-Type");
        if (type == null || !ResponseValidator.contentTypeMatches(type, declared.content().keySet())) {
            return f.call() + " answered " + f.status() + " with Content-Type " + (type == null ? "(none)" : type)
                    + "; the document declares " + String.join(", ", declared.content().keySet());
        }
        for (Map.Entry<String, JsonNode> e : declared.content().entrySet()) {
            if (!ResponseValidator.contentTypeMatches(type, List.of(e.getKey())) || !OperationModel.isJson(type)
                    || e.getValue().isMissingNode() || e.getValue().isEmpty()) {
                continue;
            }
            JsonNode json = ResponseValidator.parse(body);
            if (json == null) {
                return f.call() + " answered " + f.status() + " with Content-Type " + type + " but a body that is not JSON"
                        + excerpt(body);
            }
            List<String> errors = validator.validate(f.op.name() + " " + declared.status() + " " + e.getKey(), e.getValue(), json);
            if (!errors.isEmpty()) {
                List<String> shown = errors.subList(0, Math.min(errors.size(), MAX_SCHEMA_ERRORS));
                return f.call() + " answered " + f.status() + " with a body that does not match the declared schema"
                        + " (" + declared.status() + " " + e.getKey() + "): " + String.join("; ", shown)
                        + (errors.size() > shown.size() ? " (and " + (errors.size() - shown.size()) + " more)" : "")
                        + excerpt(body);
            }
            return null;
        }
        return null;
    }

    private String readBack(Observation o, Facts f) {
        Object created = f.last.get("created");
        if (created == null || f.status() >= 300) {
            return null;
        }
        Response get = requests.get(o.client(), o.context(), String.valueOf(created));
        if (get.statusCode() >= 200 && get.statusCode() < 300) {
            return null;
        }
        return f.call() + " answered " + f.status() + " and created " + created + ", but GET " + created + " answered "
                + get.statusCode() + excerpt(get.body());
    }

    private String deletedStaysGone(Observation o, Facts f) {
        List<String> problems = new ArrayList<>();
        ExecutionContext ctx = o.context();
        for (String path : OperationAction.deletedList(ctx)) {
            Response get = requests.get(o.client(), ctx, path);
            int s = get.statusCode();
            if (s != 404 && s != 410) {
                boolean justDeleted = f.op.method().equals("DELETE") && path.equals(f.call().substring(f.call().indexOf(' ') + 1));
                problems.add((justDeleted ? f.call() + " answered " + f.status() + ", but GET " + path + " then answered " + s
                        : path + " was deleted earlier on this path, but after " + f.call() + " GET " + path + " answers " + s)
                        + excerpt(get.body()));
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private String notFoundConsistency(Observation o, Facts f) {
        Object item = f.last.get("item");
        if (item == null) {
            return null;
        }
        int s = f.status();
        boolean deletesItem = Boolean.TRUE.equals(f.last.get("deletesItem"));
        if (s != 404 && !(s >= 200 && s < 300 && !deletesItem)) {
            return null;
        }
        Response get = requests.get(o.client(), o.context(), String.valueOf(item));
        int g = get.statusCode();
        if (s == 404 && g >= 200 && g < 300) {
            return f.call() + " answered 404, but GET " + item + " answers " + g + ": the resource exists";
        }
        if (s != 404 && (g == 404 || g == 410)) {
            return f.call() + " answered " + s + ", but GET " + item + " answers " + g + ": the resource does not exist";
        }
        return null;
    }

    private String invalidBodyRefused(Observation o, Facts f) {
        Object broken = f.last.get("invalidBody");
        if (broken == null || f.status() < 200 || f.status() >= 300) {
            return null;
        }
        return f.call() + " answered " + f.status() + " to a body that breaks its schema (" + broken
                + "): the API must refuse it with a 4xx" + excerpt(f.response.body());
    }

    private static final List<String> SAFE = List.of("GET", "HEAD");

    private String safeMethodWrites(Observation o, Facts f, Sink sink) {
        if (!SAFE.contains(f.op.method().toUpperCase(Locale.ROOT))) {
            return null;
        }
        DbChanges written = o.lastDbChanges();
        if (!written.tracked()) {
            String why = written.notTrackedReason().orElse("unknown");
            throw notRun(sink, f, "database changes not tracked: " + why + (why.contains(ChangeTracker.OPTION_TRACK_CHANGES) ? ""
                    : " (the check needs " + ChangeTracker.OPTION_TRACK_CHANGES + ": true)"));
        }
        List<String> parts = new ArrayList<>();
        for (TableChanges t : written.tables()) {
            count(parts, t.inserted().size(), "inserted", "into", t.table());
            count(parts, t.updated().size(), "updated", "of", t.table());
            count(parts, t.deleted().size(), "deleted", "from", t.table());
        }
        return parts.isEmpty() ? null : f.call() + " answered " + f.status() + " and " + String.join(", ", parts)
                + ": a " + f.op.method() + " must not change the database";
    }

    /**
     * The check cannot judge {@code f}'s move: said to the sink (for {@code notRun()}), and returned for the
     * check to throw to the explorer, for which not failing must not read as holding.
     */
    private static Invariant.NotRun notRun(Sink sink, Facts f, String reason) {
        sink.couldNotRun(f.op.name(), reason);
        return new Invariant.NotRun(reason);
    }

    private static void count(List<String> parts, int n, String verb, String preposition, String table) {
        if (n > 0) {
            parts.add(verb + " " + n + (n == 1 ? " row " : " rows ") + preposition + " " + table);
        }
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String b = body.strip().replaceAll("\\s+", " ");
        return " — body: " + (b.length() > BODY_EXCERPT ? b.substring(0, BODY_EXCERPT) + "…" : b);
    }
}
