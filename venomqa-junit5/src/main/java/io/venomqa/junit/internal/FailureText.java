package io.venomqa.junit.internal;

import io.venomqa.http.HttpExchange;
import io.venomqa.runner.BranchResult;
import io.venomqa.runner.CheckpointResult;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.NodeResult;
import io.venomqa.runner.PathResult;
import io.venomqa.runner.Status;
import io.venomqa.runner.StepResult;

import java.util.List;

/**
 * Failure messages for JUnit: the failed step, its message, the request (method, URL, body) and
 * the response (status, body), each body cut; everything already masked by the runner. Not API.
 */
public final class FailureText {

    /** Characters of a request or response body shown in a message. */
    public static final int MAX_BODY_CHARS = 2_000;
    /** Lines of a step's stack trace shown when the step threw. */
    static final int STACK_LINES = 12;

    private FailureText() {
    }

    /** Why the nodes of a scope (the main line or a path, without nested paths) failed; null when they did not. */
    public static String ofNodes(String what, List<NodeResult> nodes) {
        StringBuilder sb = new StringBuilder();
        for (NodeResult n : nodes) {
            if (n instanceof StepResult s && s.status() == Status.FAILED) {
                sb.append(sb.length() == 0 ? "" : "\n\n").append(ofStep(s));
            } else if (n instanceof CheckpointResult c && c.status() == Status.FAILED) {
                sb.append(sb.length() == 0 ? "" : "\n\n").append("Checkpoint '").append(c.name()).append("' failed: ")
                        .append(c.message());
            } else if (n instanceof BranchResult b && b.message() != null) {
                sb.append(sb.length() == 0 ? "" : "\n\n").append("Branch from '").append(b.checkpointName())
                        .append("': ").append(b.message());
            }
        }
        return sb.length() == 0 ? null : what + " failed.\n" + sb;
    }

    /** The failure of one path (its own nodes and why it could not start). */
    public static String ofPath(String location, PathResult p) {
        String own = ofNodes("Path '" + location + "'", p.nodes());
        if (p.message() != null) {
            return "Path '" + location + "' failed: " + p.message() + (own == null ? "" : "\n" + own);
        }
        return own;
    }

    /** Every failure of a result, for {@code assertPassed}. */
    public static String ofJourney(JourneyResult r) {
        StringBuilder sb = new StringBuilder("Journey '" + r.name() + "' failed: " + r.summary());
        if (r.message() != null) {
            sb.append("\n").append(r.message());
        }
        for (JourneyResult.Failure f : r.failures()) {
            if (f.step() != null) {
                sb.append("\n\n[").append(f.location()).append("] ").append(ofStep(f.step()));
            } else if (!"journey".equals(f.location())) {
                sb.append("\n\n[").append(f.location()).append("] ").append(f.message());
            }
        }
        return sb.toString();
    }

    /** One failed step: message, request, response, and the head of the stack when it threw. */
    public static String ofStep(StepResult s) {
        StringBuilder sb = new StringBuilder("Step '").append(s.name()).append("' failed");
        if (s.attempts() > 1) {
            sb.append(" after ").append(s.attempts()).append(" attempts");
        }
        sb.append(s.message() != null ? ": " + s.message() : ".");
        HttpExchange x = s.lastExchange();
        if (x != null) {
            sb.append("\n  request:  ").append(x.method()).append(' ').append(x.url());
            if (!x.requestBody().isEmpty()) {
                sb.append("\n            ").append(cut(x.requestBody()));
            }
            if (x.hasResponse()) {
                sb.append("\n  response: ").append(x.status());
                String type = header(x, "Content-Type");
                if (type != null) {
                    sb.append(" (").append(type).append(')');
                }
                if (!x.responseBody().isEmpty()) {
                    sb.append("\n            ").append(cut(x.responseBody()));
                }
            } else {
                sb.append("\n  response: none (").append(x.error()).append(')');
            }
        } else {
            sb.append("\n  (the step made no HTTP call)");
        }
        if (s.stackTrace() != null && !(s.errorType() != null && s.errorType().endsWith("HttpRequestException"))) {
            String[] lines = s.stackTrace().split("\\R");
            sb.append("\n  thrown:");
            for (int i = 0; i < Math.min(lines.length, STACK_LINES); i++) {
                sb.append("\n    ").append(lines[i].strip());
            }
            if (lines.length > STACK_LINES) {
                sb.append("\n    ...");
            }
        }
        return sb.toString();
    }

    private static String header(HttpExchange x, String name) {
        return x.responseHeaders().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
    }

    private static String cut(String body) {
        String oneLine = body.strip().replace("\r", "").replace("\n", "\n            ");
        return oneLine.length() <= MAX_BODY_CHARS ? oneLine
                : oneLine.substring(0, MAX_BODY_CHARS) + "… (" + body.length() + " characters)";
    }
}
