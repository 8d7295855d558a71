package io.venomqa.report.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.venomqa.http.HttpExchange;
import io.venomqa.runner.BranchResult;
import io.venomqa.runner.CheckpointResult;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.NodeResult;
import io.venomqa.runner.PathResult;
import io.venomqa.runner.Status;
import io.venomqa.runner.StepResult;
import io.venomqa.state.DbChanges;
import io.venomqa.state.RowChange;
import io.venomqa.state.TableChanges;

import java.util.List;
import java.util.Map;

/**
 * The JSON form of a {@link JourneyResult}, shared by the JSON and HTML reports. Not API; the
 * format is documented on {@code JsonReporter}.
 */
public final class ResultJson {

    /** Value of the {@code format} field; changes when the layout changes incompatibly. */
    public static final String FORMAT = "venomqa-journey-result/1";

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private ResultJson() {
    }

    public static ObjectNode of(JourneyResult r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("journey", r.name());
        root.put("description", r.description());
        ArrayNode tags = root.putArray("tags");
        r.tags().forEach(tags::add);
        root.put("status", r.status().name());
        root.put("passed", r.passed());
        root.put("startedAt", r.startedAt().toString());
        root.put("durationMs", r.duration().toMillis());
        root.put("databaseIsolated", r.databaseIsolated());
        root.put("backend", r.backend());
        root.put("message", r.message());
        root.put("allBodiesKept", r.allBodiesKept());
        ArrayNode warnings = root.putArray("warnings");
        r.warnings().forEach(warnings::add);
        if (!r.allBodiesKept()) {
            root.put("bodiesNote", JourneyResult.PASSING_BODIES_NOT_KEPT);
        }
        ObjectNode summary = root.putObject("summary");
        ObjectNode steps = summary.putObject("steps");
        ObjectNode paths = summary.putObject("paths");
        for (Status s : Status.values()) {
            steps.put(s.name().toLowerCase(java.util.Locale.ROOT), r.stepCount(s));
            paths.put(s.name().toLowerCase(java.util.Locale.ROOT), r.pathCount(s));
        }
        nodes(root.putArray("nodes"), r.nodes());
        return root;
    }

    private static void nodes(ArrayNode out, List<NodeResult> nodes) {
        for (NodeResult n : nodes) {
            ObjectNode o = out.addObject();
            if (n instanceof StepResult s) {
                o.put("type", "step");
                o.put("name", s.name());
                o.put("description", s.description());
                o.put("status", s.status().name());
                o.put("expectFailure", s.expectFailure());
                o.put("attempts", s.attempts());
                o.put("durationMs", s.duration().toMillis());
                o.put("message", s.message());
                o.put("errorType", s.errorType());
                o.put("stackTrace", s.stackTrace());
                o.put("value", s.valueSummary());
                o.put("bodiesKept", s.bodiesKept());
                ArrayNode xs = o.putArray("exchanges");
                for (HttpExchange x : s.exchanges()) {
                    exchange(xs.addObject(), x);
                }
                changes(o.putObject("dbChanges"), s.dbChanges());
                changes(o.putObject("changesBefore"), s.changesBefore());
            } else if (n instanceof CheckpointResult c) {
                o.put("type", "checkpoint");
                o.put("name", c.name());
                o.put("status", c.status().name());
                o.put("databaseSaved", c.databaseSaved());
                o.put("durationMs", c.duration().toMillis());
                o.put("message", c.message());
            } else if (n instanceof BranchResult b) {
                o.put("type", "branch");
                o.put("checkpoint", b.name());
                o.put("status", b.status().name());
                o.put("durationMs", b.duration().toMillis());
                o.put("message", b.message());
                ArrayNode ps = o.putArray("paths");
                for (PathResult p : b.paths()) {
                    ObjectNode po = ps.addObject();
                    po.put("name", p.name());
                    po.put("description", p.description());
                    po.put("status", p.status().name());
                    po.put("durationMs", p.duration().toMillis());
                    po.put("message", p.message());
                    nodes(po.putArray("nodes"), p.nodes());
                }
            }
        }
    }

    /** Everything of {@code c} (values are masked by the model already). */
    private static void changes(ObjectNode o, DbChanges c) {
        o.put("tracked", c.tracked());
        o.put("notTrackedReason", c.notTrackedReason().orElse(null));
        o.put("summary", c.summary());
        o.put("inserted", c.insertedCount());
        o.put("updated", c.updatedCount());
        o.put("deleted", c.deletedCount());
        ArrayNode notes = o.putArray("notes");
        c.notes().forEach(notes::add);
        ArrayNode tables = o.putArray("tables");
        for (TableChanges t : c.tables()) {
            ObjectNode to = tables.addObject();
            to.put("table", t.table());
            rows(to.putArray("inserted"), t.inserted());
            rows(to.putArray("updated"), t.updated());
            rows(to.putArray("deleted"), t.deleted());
        }
    }

    private static void rows(ArrayNode out, List<RowChange> rows) {
        for (RowChange r : rows) {
            ObjectNode ro = out.addObject();
            values(ro.putObject("key"), r.key());
            if (!r.before().isEmpty()) {
                values(ro.putObject("before"), r.before());
            }
            if (!r.after().isEmpty()) {
                values(ro.putObject("after"), r.after());
            }
            ArrayNode changed = ro.putArray("changed");
            r.changed().forEach(changed::add);
        }
    }

    private static void values(ObjectNode o, java.util.Map<String, String> row) {
        row.forEach(o::put);
    }

    private static void exchange(ObjectNode o, HttpExchange x) {
        o.put("method", x.method());
        o.put("url", x.url());
        // Bodies not kept are null, never "": an empty string would claim the body was empty.
        o.put("bodiesKept", x.bodiesKept());
        headers(o.putObject("requestHeaders"), x.requestHeaders());
        o.put("requestBody", x.bodiesKept() ? x.requestBody() : null);
        if (x.status() != null) {
            o.put("status", x.status());
        } else {
            o.putNull("status");
        }
        headers(o.putObject("responseHeaders"), x.responseHeaders());
        o.put("responseBody", x.bodiesKept() ? x.responseBody() : null);
        o.put("startedAt", x.startedAt().toString());
        o.put("durationMs", x.duration().toMillis());
        o.put("error", x.error());
    }

    private static void headers(ObjectNode o, Map<String, String> headers) {
        headers.forEach(o::put);
    }
}
