package io.venomqa.report;

import io.venomqa.http.HttpExchange;
import io.venomqa.runner.BranchResult;
import io.venomqa.runner.CheckpointResult;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.NodeResult;
import io.venomqa.runner.PathResult;
import io.venomqa.runner.Status;
import io.venomqa.runner.StepResult;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One self-contained HTML page per journey ({@code <journey>.html}): inline CSS and a few lines of
 * inline script, no external resource, so it opens from disk or a CI artifact without a network.
 *
 * <p>It draws the journey as a tree: the main line's steps and checkpoints, each branch with its
 * paths side by side in nesting order, each node marked ✓, ✗ or ○ with its duration. Every step
 * that made HTTP calls or failed has an expandable panel with the request (method, URL, headers,
 * body), the response (status, headers, body) and the stack trace; a failed path's panels are the
 * ones to open. Buttons expand or collapse all panels and hide what passed. All text is
 * HTML-escaped; credentials are masked and bodies cut as in the result.
 */
public final class HtmlReporter implements ReportWriter {

    @Override
    public String fileName(JourneyResult result) {
        return ReportWriter.slug(result.name()) + ".html";
    }

    @Override
    public String render(JourneyResult r) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc((r.passed() ? "✓ " : "✗ ") + r.name() + " · VenomQA")).append("</title>\n")
                .append("<style>").append(CSS).append("</style>\n</head>\n<body>\n");
        header(h, r);
        String notTracked = firstNotTracked(r.nodes());
        if (notTracked != null) {
            h.append("<p class=\"note dbnote\">Database changes not tracked: ").append(esc(notTracked)).append("</p>\n");
        }
        h.append("<main>\n<section class=\"journey ").append(cls(r.status())).append("\">\n")
                .append("<div class=\"label\"><span class=\"mark\">▶</span> journey <b>").append(esc(r.name())).append("</b></div>\n");
        java.util.Set<String> saved = new java.util.HashSet<>();
        savedCheckpoints(r.nodes(), saved);
        nodes(h, r.nodes(), r.databaseIsolated(), saved);
        h.append("</section>\n</main>\n");
        h.append("<footer>VenomQA journey report · format ").append(esc(io.venomqa.report.internal.ResultJson.FORMAT))
                .append(" · the same data as JSON is in ").append(esc(new JsonReporter().fileName(r))).append("</footer>\n");
        h.append("<script>").append(JS).append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private void header(StringBuilder h, JourneyResult r) {
        h.append("<header>\n<h1><span class=\"badge ").append(cls(r.status())).append("\">").append(r.status().symbol())
                .append(' ').append(r.status()).append("</span> ").append(esc(r.name())).append("</h1>\n");
        if (!r.description().isEmpty()) {
            h.append("<p class=\"desc\">").append(esc(r.description())).append("</p>\n");
        }
        long paths = r.paths().size();
        h.append("<ul class=\"facts\">")
                .append(fact("steps", r.stepCount(Status.PASSED) + " passed · " + r.stepCount(Status.FAILED) + " failed · "
                        + r.stepCount(Status.SKIPPED) + " skipped"))
                .append(fact("paths", r.pathCount(Status.PASSED) + " / " + paths + " passed"))
                .append(fact("duration", ms(r.duration())))
                .append(fact("started", DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                        r.startedAt().atOffset(ZoneOffset.UTC).withNano(0)) + " UTC"))
                .append(fact("database", (r.backend() == null ? "no state manager · " : r.backend() + " · ")
                        + (r.databaseIsolated() ? "rolled back between paths" : "NOT put back between paths (see the warnings)")));
        if (!r.tags().isEmpty()) {
            h.append(fact("tags", String.join(", ", r.tags())));
        }
        h.append("</ul>\n");
        if (r.message() != null) {
            h.append("<p class=\"error\">").append(esc(r.message())).append("</p>\n");
        }
        for (String w : r.warnings()) {
            h.append("<p class=\"warning\">⚠ ").append(esc(w)).append("</p>\n");
        }
        if (!r.allBodiesKept()) {
            h.append("<p class=\"note\">").append(esc(JourneyResult.PASSING_BODIES_NOT_KEPT)).append("</p>\n");
        }
        h.append("<div class=\"toolbar\"><button type=\"button\" id=\"expand\">Expand all</button>")
                .append("<button type=\"button\" id=\"collapse\">Collapse all</button>")
                .append("<label><input type=\"checkbox\" id=\"failuresOnly\"> show failures only</label>")
                .append("<span class=\"legend\"><span class=\"passed\">✓ passed</span> <span class=\"failed\">✗ failed</span> ")
                .append("<span class=\"skipped\">○ skipped</span> <span class=\"cp\">◆ checkpoint</span> ")
                .append("<span class=\"br\">⇶ branch</span></span></div>\n</header>\n");
    }

    /** The names of the checkpoints that saved the database (not only the context), at any depth. */
    private static void savedCheckpoints(List<NodeResult> nodes, java.util.Set<String> into) {
        for (NodeResult n : nodes) {
            if (n instanceof CheckpointResult c && c.databaseSaved()) {
                into.add(c.name());
            } else if (n instanceof BranchResult b) {
                b.paths().forEach(p -> savedCheckpoints(p.nodes(), into));
            }
        }
    }

    private void nodes(StringBuilder h, List<NodeResult> nodes, boolean isolated, java.util.Set<String> saved) {
        h.append("<ol class=\"nodes\">\n");
        for (NodeResult n : nodes) {
            if (n instanceof StepResult s) {
                step(h, s);
            } else if (n instanceof CheckpointResult c) {
                h.append("<li class=\"node checkpoint ").append(cls(c.status())).append("\"><div class=\"label\">")
                        .append("<span class=\"mark cp\">◆</span> checkpoint <b>").append(esc(c.name())).append("</b>")
                        .append("<span class=\"meta\">").append(c.status() == Status.PASSED
                                ? (c.databaseSaved() ? "database + context saved" : "context saved (database not)")
                                : esc(String.valueOf(c.message()))).append("</span></div></li>\n");
            } else if (n instanceof BranchResult b) {
                branch(h, b, isolated, saved);
            }
        }
        h.append("</ol>\n");
    }

    /**
     * {@code saved}: the checkpoints that saved the database. A branch from one that did not (no state
     * manager) did not put the database back at all; from one that did, in a run found not put back
     * afterwards, not exactly.
     */
    private void branch(StringBuilder h, BranchResult b, boolean isolated, java.util.Set<String> saved) {
        long passed = b.paths().stream().filter(PathResult::passed).count();
        h.append("<li class=\"node branch ").append(cls(b.status())).append("\"><div class=\"label\">")
                .append("<span class=\"mark br\">⇶</span> branch from <b>").append(esc(b.name())).append("</b>")
                .append("<span class=\"meta\">").append(passed).append('/').append(b.paths().size()).append(" paths passed · ")
                .append(ms(b.duration())).append(isolated ? " · state put back to " + esc(b.name()) + " before each path"
                        : " · context put back to " + esc(b.name()) + " before each path, the database "
                        + (saved.contains(b.name()) ? "not exactly" : "not at all")).append("</span>");
        if (b.message() != null) {
            h.append("<div class=\"error\">").append(esc(b.message())).append("</div>");
        }
        h.append("</div>\n<div class=\"paths\">\n");
        for (PathResult p : b.paths()) {
            h.append("<div class=\"path ").append(cls(p.status())).append("\"><div class=\"label\"><span class=\"mark\">")
                    .append(p.status().symbol()).append("</span> path <b>").append(esc(p.name())).append("</b>")
                    .append("<span class=\"meta\">").append(ms(p.duration())).append("</span>");
            if (!p.description().isEmpty()) {
                h.append("<div class=\"desc\">").append(esc(p.description())).append("</div>");
            }
            if (p.message() != null) {
                h.append("<div class=\"error\">").append(esc(p.message())).append("</div>");
            }
            h.append("</div>\n");
            nodes(h, p.nodes(), isolated, saved);
            h.append("</div>\n");
        }
        h.append("</div>\n</li>\n");
    }

    private void step(StringBuilder h, StepResult s) {
        h.append("<li class=\"node step ").append(cls(s.status())).append("\"><div class=\"label\"><span class=\"mark\">")
                .append(s.status().symbol()).append("</span> ").append(esc(s.name()));
        if (s.expectFailure()) {
            h.append(" <span class=\"tag\">expects failure</span>");
        }
        h.append("<span class=\"meta\">").append(ms(s.duration()));
        if (s.attempts() > 1) {
            h.append(" · ").append(s.attempts()).append(" attempts");
        }
        if (s.valueSummary() != null && s.status() != Status.FAILED) {
            h.append(" · ").append(esc(s.valueSummary()));
        }
        h.append("</span>");
        if (!s.description().isEmpty()) {
            h.append("<div class=\"desc\">").append(esc(s.description())).append("</div>");
        }
        if (s.message() != null && s.status() != Status.PASSED) {
            h.append("<div class=\"").append(s.failed() ? "error" : "note").append("\">").append(esc(s.message())).append("</div>");
        } else if (s.message() != null) {
            h.append("<div class=\"note\">").append(esc(s.message())).append("</div>");
        }
        h.append("</div>\n");
        if (!s.exchanges().isEmpty() || s.stackTrace() != null) {
            // A failed step's calls are what the reader came for: open them from the start.
            h.append("<details class=\"calls\"").append(s.failed() ? " open" : "").append("><summary>").append(s.failed() ? "request, response and stack trace" : "HTTP calls")
                    .append(" (").append(s.exchanges().size()).append(s.exchanges().size() == 1 ? " call" : " calls").append(")</summary>\n");
            for (HttpExchange x : s.exchanges()) {
                exchange(h, x);
            }
            if (s.stackTrace() != null) {
                h.append("<h4>stack trace</h4><pre class=\"stack\">").append(esc(s.stackTrace())).append("</pre>\n");
            }
            h.append("</details>\n");
        }
        if (s.status() != Status.SKIPPED) {
            changes(h, "database changes between the previous step and this one", s.changesBefore(), true);
            changes(h, "database", s.dbChanges(), false);
        }
        h.append("</li>\n");
    }

    /** Values longer than this are cut, the whole value one click away. */
    private static final int CUT = 60;

    /** An expandable table of the rows written (table, change, key, column, before, after), changed cells marked. */
    private void changes(StringBuilder h, String title, io.venomqa.state.DbChanges c, boolean between) {
        if (!c.tracked() || (c.tables().isEmpty() && c.notes().isEmpty())) {
            return;
        }
        h.append("<details class=\"calls db").append(between ? " between" : "").append("\"><summary>").append(esc(title))
                .append(": ").append(esc(c.summary())).append("</summary>\n");
        for (String note : c.notes()) {
            h.append("<div class=\"warning\">").append(esc(note)).append("</div>\n");
        }
        h.append("<div class=\"changes-wrap\"><table class=\"changes\"><tr><th>table</th>"
                + "<th title=\"+ inserted · ~ updated · - deleted\">op</th><th>key</th><th>column</th><th>before</th>"
                + "<th>after</th></tr>\n");
        for (io.venomqa.state.TableChanges t : c.tables()) {
            for (io.venomqa.state.RowChange row : t.rows()) {
                java.util.List<String> cols = row.columns();
                boolean first = true;
                for (String col : cols) {
                    boolean changed = row.changed().contains(col);
                    if (row.kind() == io.venomqa.state.RowChange.Kind.UPDATED && !changed) {
                        continue; // an update shows the columns it changed; the key names the row
                    }
                    h.append("<tr class=\"").append(row.kind().name().toLowerCase(java.util.Locale.ROOT)).append("\">");
                    if (first) {
                        h.append("<td>").append(esc(t.table())).append("</td><td class=\"kind\" title=\"")
                                .append(row.kind().name().toLowerCase(java.util.Locale.ROOT)).append("\">").append(row.kind().symbol())
                                .append("</td><td>").append(esc(row.keyText())).append("</td>");
                        first = false;
                    } else {
                        h.append("<td></td><td></td><td></td>");
                    }
                    h.append("<td>").append(esc(col)).append("</td>");
                    cell(h, row.kind() == io.venomqa.state.RowChange.Kind.INSERTED ? null : row.before().get(col),
                            row.kind() == io.venomqa.state.RowChange.Kind.INSERTED, false);
                    cell(h, row.kind() == io.venomqa.state.RowChange.Kind.DELETED ? null : row.after().get(col),
                            row.kind() == io.venomqa.state.RowChange.Kind.DELETED,
                            changed && row.kind() == io.venomqa.state.RowChange.Kind.UPDATED);
                    h.append("</tr>\n");
                }
            }
        }
        h.append("</table></div>\n</details>\n");
    }

    private void cell(StringBuilder h, String value, boolean absent, boolean changed) {
        h.append("<td").append(changed ? " class=\"changed\"" : "").append(">");
        if (absent) {
            h.append("<span class=\"absent\">—</span>");
        } else if (value == null) {
            h.append("<span class=\"null\">NULL</span>");
        } else if (value.length() > CUT) {
            h.append("<details class=\"v\"><summary>").append(esc(value.substring(0, CUT))).append("… (")
                    .append(value.length()).append(" chars)</summary><pre>").append(esc(value)).append("</pre></details>");
        } else {
            h.append(esc(value));
        }
        h.append("</td>");
    }

    /** The reason changes are not tracked, from the first step that ran, if they are not. */
    private static String firstNotTracked(java.util.List<io.venomqa.runner.NodeResult> nodes) {
        for (io.venomqa.runner.NodeResult n : nodes) {
            if (n instanceof StepResult s && s.status() != Status.SKIPPED && s.bodiesKept()) {
                return s.dbChanges().notTrackedReason().filter(r -> !r.equals("no state manager")).orElse(null);
            }
            if (n instanceof io.venomqa.runner.BranchResult b) {
                for (io.venomqa.runner.PathResult p : b.paths()) {
                    String r = firstNotTracked(p.nodes());
                    if (r != null) {
                        return r;
                    }
                }
            }
        }
        return null;
    }

    private void exchange(StringBuilder h, HttpExchange x) {
        h.append("<div class=\"exchange\"><div class=\"line\"><b>").append(esc(x.method())).append("</b> ").append(esc(x.url()))
                .append(" → <span class=\"status ").append(x.status() == null || x.status() >= 400 ? "bad" : "good").append("\">")
                .append(x.status() != null ? x.status().toString() : esc("no response: " + x.error())).append("</span>")
                .append("<span class=\"meta\">").append(ms(x.duration())).append("</span></div>\n");
        if (!x.bodiesKept()) {
            h.append("<div class=\"note\">headers and bodies ").append(esc(HttpExchange.NOT_KEPT)).append("</div></div>\n");
            return;
        }
        h.append("<div class=\"cols\"><div><h4>request</h4>");
        headers(h, x.requestHeaders());
        h.append("<pre>").append(x.requestBody().isEmpty() ? "(no body)" : esc(pretty(x.requestBody()))).append("</pre></div>");
        h.append("<div><h4>response</h4>");
        headers(h, x.responseHeaders());
        h.append("<pre>").append(x.responseBody().isEmpty() ? "(no body)" : esc(pretty(x.responseBody()))).append("</pre></div></div></div>\n");
    }

    private void headers(StringBuilder h, Map<String, String> headers) {
        if (headers.isEmpty()) {
            return;
        }
        h.append("<table class=\"headers\">");
        headers.forEach((k, v) -> h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>"));
        h.append("</table>");
    }

    private static String pretty(String body) {
        String t = body.strip();
        if (!(t.startsWith("{") || t.startsWith("["))) {
            return body;
        }
        try {
            Object tree = io.venomqa.report.internal.ResultJson.MAPPER.readTree(body);
            return io.venomqa.report.internal.ResultJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (Exception e) {
            return body; // cut or not JSON after all
        }
    }

    private static String fact(String name, String value) {
        return "<li><span>" + esc(name) + "</span> " + esc(value) + "</li>";
    }

    private static String cls(Status s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static String ms(Duration d) {
        return ConsoleReporter.ms(d);
    }

    /**
     * Escapes text for HTML element content and quoted attributes, for other self-contained reports
     * that share this one's look (the exploration report).
     */
    public static String escape(String s) {
        return esc(s);
    }

    /**
     * One HTTP call drawn as this report draws it (method, URL, status, then request and response with
     * headers and pretty-printed bodies), escaped; style it with {@link #styleSheet()}. The exchange is
     * shown as recorded, so credentials are masked and bodies cut as the client recorded them.
     */
    public static String exchangeHtml(HttpExchange x) {
        StringBuilder h = new StringBuilder(1024);
        new HtmlReporter().exchange(h, x);
        return h.toString();
    }

    /** The CSS of this report, for other reports drawn with {@link #exchangeHtml} and the same classes. */
    public static String styleSheet() {
        return CSS;
    }

    /** Escapes text for HTML element content and quoted attributes. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static final String CSS = """
            :root{--ok:#1a7f37;--bad:#cf222e;--skip:#9a6700;--cp:#0969da;--br:#8250df;--line:#d0d7de;--bg:#f6f8fa;--fg:#1f2328;--muted:#59636e}
            *{box-sizing:border-box}
            body{font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);margin:0;background:#fff}
            header{padding:16px 24px;border-bottom:1px solid var(--line);background:var(--bg)}
            h1{font-size:22px;margin:0 0 6px}
            h4{margin:8px 0 4px;font-size:12px;text-transform:uppercase;color:var(--muted)}
            .badge{font-size:13px;padding:2px 8px;border-radius:12px;color:#fff;vertical-align:middle}
            .badge.passed{background:var(--ok)}.badge.failed{background:var(--bad)}.badge.skipped{background:var(--skip)}
            .desc{color:var(--muted);margin:2px 0}
            .node .label .desc{margin-left:1.2em}
            .facts{list-style:none;padding:0;margin:8px 0;display:flex;flex-wrap:wrap;gap:6px 20px}
            .facts span{color:var(--muted);margin-right:4px}
            .toolbar{display:flex;gap:10px;align-items:center;flex-wrap:wrap;margin-top:8px}
            .toolbar button{font:inherit;padding:3px 10px;border:1px solid var(--line);border-radius:6px;background:#fff;cursor:pointer}
            .legend{margin-left:auto;color:var(--muted)}
            .legend .passed{color:var(--ok)}.legend .failed{color:var(--bad)}.legend .skipped{color:var(--skip)}
            .legend .cp{color:var(--cp)}.legend .br{color:var(--br)}
            main{padding:16px 24px}
            ol.nodes{list-style:none;margin:4px 0 4px 10px;padding-left:14px;border-left:2px solid var(--line)}
            .node{margin:3px 0;position:relative}
            .node:before{content:"";position:absolute;left:-14px;top:11px;width:10px;border-top:2px solid var(--line)}
            .label{padding:1px 0}
            .mark{display:inline-block;width:1.2em;text-align:center;font-weight:bold}
            .passed>.label>.mark{color:var(--ok)}.failed>.label>.mark{color:var(--bad)}.skipped>.label>.mark{color:var(--skip)}
            .skipped>.label{color:var(--muted)}
            .mark.cp{color:var(--cp)!important}.mark.br{color:var(--br)!important}
            .meta{color:var(--muted);margin-left:10px;font-size:12px}
            .tag{font-size:11px;border:1px solid var(--br);color:var(--br);border-radius:8px;padding:0 6px;margin-left:6px}
            .error{color:var(--bad);white-space:pre-wrap;margin:2px 0 2px 1.2em}
            .note{color:var(--muted);margin:2px 0 2px 1.2em;white-space:pre-wrap}
            .warning{color:var(--skip);background:#fff8c5;border:1px solid #d4a72c;padding:6px 10px;border-radius:6px}
            .paths{display:flex;flex-wrap:wrap;gap:10px;margin:6px 0 8px 0}
            .path{flex:1 1 320px;min-width:280px;border:1px solid var(--line);border-top:4px solid var(--line);border-radius:6px;padding:6px 8px;background:#fff}
            .path.passed{border-top-color:var(--ok)}.path.failed{border-top-color:var(--bad);background:#fff8f8}.path.skipped{border-top-color:var(--skip)}
            details.calls{margin:2px 0 6px 1.2em}
            details.calls summary{cursor:pointer;color:var(--cp);font-size:12px}
            .exchange{border:1px solid var(--line);border-radius:6px;padding:6px;margin:6px 0;background:var(--bg)}
            .exchange .line{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;overflow-wrap:anywhere}
            .status.good{color:var(--ok);font-weight:bold}.status.bad{color:var(--bad);font-weight:bold}
            .cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:8px}
            pre{margin:0;padding:6px;background:#fff;border:1px solid var(--line);border-radius:4px;font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere;max-height:320px;overflow:auto}
            pre.stack{color:var(--bad);max-height:240px;white-space:pre;overflow-wrap:normal}
            .changes-wrap{max-width:100%;overflow-x:auto}
            table.headers{font-size:11px;border-collapse:collapse;margin-bottom:4px}
            table.headers th{text-align:left;color:var(--muted);font-weight:normal;padding-right:8px;vertical-align:top}
            table.headers td{overflow-wrap:anywhere}
            body.failures-only .node.step.passed,body.failures-only .node.checkpoint.passed,body.failures-only .path.passed{display:none}
            table.changes{font-size:12px;border-collapse:collapse;margin:4px 0;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
            table.changes th{text-align:left;color:var(--muted);font-weight:normal;border-bottom:1px solid var(--line);padding:2px 5px}
            table.changes td{padding:1px 5px;vertical-align:top;max-width:420px;overflow-wrap:anywhere}
            table.changes td:nth-child(-n+4){white-space:nowrap}
            table.changes tr.inserted .kind{color:var(--ok);font-weight:bold}
            table.changes tr.deleted .kind{color:var(--bad);font-weight:bold}
            table.changes tr.updated .kind{color:var(--cp);font-weight:bold}
            table.changes td.changed{background:#fff1b8}
            table.changes .null,table.changes .absent{color:var(--muted);font-style:italic}
            details.v summary{cursor:pointer}
            details.db.between summary{color:var(--skip)}
            .dbnote{margin:8px 24px}
            footer{padding:12px 24px;color:var(--muted);font-size:12px;border-top:1px solid var(--line)}
            """;

    private static final String JS = """
            (function(){
              var all=function(open){document.querySelectorAll('details').forEach(function(d){d.open=open;});};
              document.getElementById('expand').addEventListener('click',function(){all(true);});
              document.getElementById('collapse').addEventListener('click',function(){all(false);});
              document.getElementById('failuresOnly').addEventListener('change',function(e){
                document.body.classList.toggle('failures-only',e.target.checked);});
            })();
            """;
}
