package io.venomqa.explore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.venomqa.http.HttpExchange;
import io.venomqa.report.HtmlReporter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.venomqa.report.HtmlReporter.escape;

/**
 * An {@link ExplorationResult} as one self-contained HTML page: inline CSS, inline SVG and a few lines
 * of inline script, nothing fetched, so it opens from disk or a CI artifact without a network.
 *
 * <p>What it shows, with the same names as the rest of the result (state ids {@code S0}…, move names):
 * <ul>
 *   <li>the state graph as SVG, laid out deterministically in columns by depth (the length of each
 *       state's shortest known path), states in order of discovery within a column; a state where an
 *       invariant failed is red, self-loops are counted on the state. Clicking a state shows how to
 *       reach it (its path of moves), its projection, the moves possible there and the moves made from
 *       it. Graphs of more than {@value #MAX_DRAWN} states draw the first {@value #MAX_DRAWN} and say so;</li>
 *   <li>each violation, most severe first, with its minimal path: every step with its request and
 *       response drawn as the journey report draws them ({@link HtmlReporter#exchangeHtml}), so
 *       credentials are masked and bodies cut exactly as there;</li>
 *   <li>every invariant with its checks and failures, the coverage of moves and of (state, move)
 *       pairs, the moves that never ran and why, and the run's warnings.</li>
 * </ul>
 * All text is HTML-escaped.
 */
public final class ExplorationHtml {

    /** Most states drawn in the graph. */
    public static final int MAX_DRAWN = 300;

    private static final int COL = 150;
    private static final int ROW = 54;
    private static final int NODE_W = 100;
    private static final int NODE_H = 30;
    private static final int PAD = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExplorationHtml() {
    }

    /** The file name of {@code result}'s page in a report directory: {@code explore-<name>.html}. */
    public static String fileName(ExplorationResult result) {
        return ExplorationReports.baseName(result) + ".html";
    }

    /** Writes the page into {@code dir} (created when missing) and returns the file. */
    public static Path write(ExplorationResult result, Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(fileName(result));
            Files.writeString(file, render(result), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the exploration HTML report into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The whole page. */
    public static String render(ExplorationResult r) {
        StringBuilder h = new StringBuilder(32_768);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape((r.passed() ? "✓ " : "✗ ") + "explore " + r.name() + " · VenomQA")).append("</title>\n")
                .append("<style>").append(HtmlReporter.styleSheet()).append(CSS).append("</style>\n</head>\n<body>\n");
        header(h, r);
        h.append("<main>\n");
        graph(h, r);
        violations(h, r);
        invariants(h, r);
        coverage(h, r);
        h.append("</main>\n<footer>VenomQA exploration report · the same data as JSON is in ")
                .append(escape(ExplorationReports.baseName(r) + ".json")).append("</footer>\n");
        h.append("<script type=\"application/json\" id=\"states\">").append(statesJson(r)).append("</script>\n");
        h.append("<script>").append(JS).append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, ExplorationResult r) {
        String cls = r.passed() ? "passed" : "failed";
        h.append("<header>\n<h1><span class=\"badge ").append(cls).append("\">").append(r.passed() ? "✓ PASSED" : "✗ FAILED")
                .append("</span> explore ").append(escape(r.name())).append("</h1>\n<ul class=\"facts\">")
                .append(fact("strategy", r.strategy() + (r.seed() != null ? " (seed " + r.seed() + ")" : "")))
                .append(fact("states", String.valueOf(r.states().size())))
                .append(fact("transitions", String.valueOf(r.transitions().size())))
                .append(fact("steps", r.steps() + (r.replayedMoves() > 0 ? " (+" + r.replayedMoves() + " replayed)" : "")
                        + (r.shrinkRuns() > 0 ? " (+" + r.shrinkRuns() + " shrinking)" : "")))
                .append(fact("violations", String.valueOf(r.violations().size())))
                .append(fact("stopped", String.valueOf(r.stopReason())))
                .append(fact("duration", ms(r.duration().toMillis())))
                .append(fact("started", DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                        r.startedAt().atOffset(ZoneOffset.UTC).withNano(0)) + " UTC"))
                .append(fact("backend", String.valueOf(r.backend())))
                .append(fact("states identified by", String.valueOf(r.projection())))
                .append(fact("restore", r.restoreMode() + (r.restoreNote() == null ? "" : " — " + r.restoreNote())))
                .append("</ul>\n");
        for (Warning w : r.warnings()) {
            h.append("<p class=\"warning\">⚠ ").append(escape(mask(w.toString()))).append("</p>\n");
        }
        h.append("</header>\n");
    }

    // ---- graph --------------------------------------------------------------------------------

    private static void graph(StringBuilder h, ExplorationResult r) {
        List<StateNode> drawn = r.states().size() > MAX_DRAWN ? r.states().subList(0, MAX_DRAWN) : r.states();
        Map<String, int[]> at = new HashMap<>();
        Map<Integer, Integer> perDepth = new HashMap<>();
        int maxRow = 0;
        int maxDepth = 0;
        for (StateNode s : drawn) {
            int row = perDepth.merge(s.depth(), 1, Integer::sum) - 1;
            at.put(s.id(), new int[] {PAD + s.depth() * COL, PAD + row * ROW});
            maxRow = Math.max(maxRow, row);
            maxDepth = Math.max(maxDepth, s.depth());
        }
        Set<String> bad = badStates(r);
        // One edge per (from, to), labelled with its moves; self-loops are counted on the state instead.
        Map<String, List<String>> edges = new LinkedHashMap<>();
        Map<String, Integer> loops = new HashMap<>();
        Set<String> edgeBad = new HashSet<>();
        for (Transition t : r.transitions()) {
            if (t.selfLoop()) {
                loops.merge(t.from(), 1, Integer::sum);
                continue;
            }
            String key = t.from() + "\u0000" + t.to();
            List<String> moves = edges.computeIfAbsent(key, k -> new ArrayList<>());
            if (!moves.contains(t.move())) {
                moves.add(t.move());
            }
            if (!t.violations().isEmpty()) {
                edgeBad.add(key);
            }
        }
        int width = PAD * 2 + maxDepth * COL + NODE_W;
        int height = PAD * 2 + maxRow * ROW + NODE_H;
        h.append("<section class=\"graph\">\n<h2>State graph</h2>\n")
                .append("<p class=\"hint\">Columns are depths (moves from the start state S0). Click a state to see how to reach it.")
                .append(" <span class=\"redText\">Red</span>: an invariant failed there. ↻ n: moves that stayed in the state.</p>\n");
        if (drawn.size() < r.states().size()) {
            h.append("<p class=\"warning\">The graph shows the first ").append(drawn.size()).append(" of ")
                    .append(r.states().size()).append(" states.</p>\n");
        }
        h.append("<div class=\"canvas\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\">\n")
                .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">")
                .append("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#8c959f\"/></marker>")
                .append("<marker id=\"arrowBad\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">")
                .append("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#cf222e\"/></marker></defs>\n");
        for (Map.Entry<String, List<String>> e : edges.entrySet()) {
            String[] ft = e.getKey().split("\u0000", 2);
            int[] a = at.get(ft[0]);
            int[] b = at.get(ft[1]);
            if (a == null || b == null) {
                continue;
            }
            boolean isBad = edgeBad.contains(e.getKey());
            double x1 = a[0] + NODE_W;
            double y1 = a[1] + NODE_H / 2.0;
            double x2 = b[0];
            double y2 = b[1] + NODE_H / 2.0;
            String d;
            if (b[0] > a[0]) {
                d = "M" + x1 + "," + y1 + " C" + (x1 + 30) + "," + y1 + " " + (x2 - 30) + "," + y2 + " " + x2 + "," + y2;
            } else if (b[0] == a[0]) {
                // Same column: bulge out to the right, between the columns.
                x2 = x1;
                double bulge = x1 + 24 + Math.abs(y2 - y1) / 6;
                d = "M" + x1 + "," + y1 + " C" + bulge + "," + y1 + " " + bulge + "," + y2 + " " + x2 + "," + y2;
            } else {
                // Back or sideways edge: leave from the top and arc over into the target's top.
                x1 = a[0] + NODE_W / 2.0;
                y1 = a[1];
                x2 = b[0] + NODE_W / 2.0 + 8;
                y2 = b[1];
                double lift = Math.min(y1, y2) - 24 - Math.abs(x1 - x2) / 10;
                d = "M" + x1 + "," + y1 + " C" + x1 + "," + lift + " " + x2 + "," + lift + " " + x2 + "," + y2;
            }
            h.append("<path class=\"edge").append(isBad ? " bad" : "").append("\" d=\"").append(d)
                    .append("\" marker-end=\"url(#").append(isBad ? "arrowBad" : "arrow").append(")\"><title>")
                    .append(escape(ft[0] + " → " + ft[1] + ": " + String.join(", ", e.getValue()))).append("</title></path>\n");
        }
        for (StateNode s : drawn) {
            int[] p = at.get(s.id());
            boolean isBad = bad.contains(s.id());
            h.append("<g class=\"state").append(isBad ? " bad" : "").append(s.id().equals("S0") ? " start" : "")
                    .append("\" data-state=\"").append(escape(s.id())).append("\" tabindex=\"0\"><title>")
                    .append(escape(s.id() + " (depth " + s.depth() + "): " + (s.path().isEmpty() ? "start" : String.join(" → ", s.path()))))
                    .append("</title><rect x=\"").append(p[0]).append("\" y=\"").append(p[1]).append("\" width=\"").append(NODE_W)
                    .append("\" height=\"").append(NODE_H).append("\" rx=\"8\"/><text x=\"").append(p[0] + NODE_W / 2)
                    .append("\" y=\"").append(p[1] + 19).append("\">").append(escape(s.id()));
            Integer n = loops.get(s.id());
            if (n != null) {
                // The monospace fonts of the label draw ↻ like a letter: the glyph takes the page's own font.
                h.append(" <tspan class=\"loop\">↻</tspan>").append(n);
            }
            h.append("</text></g>\n");
        }
        h.append("</svg></div>\n<div id=\"stateInfo\" class=\"stateInfo\">Click a state.</div>\n</section>\n");
    }

    /** States where a failing check looked, and states reached by a move after which one failed. */
    private static Set<String> badStates(ExplorationResult r) {
        Set<String> bad = new HashSet<>();
        r.violations().forEach(v -> bad.add(v.state()));
        r.transitions().stream().filter(t -> !t.violations().isEmpty()).forEach(t -> bad.add(t.to()));
        return bad;
    }

    /** Per state: how to reach it and what happened there, read by the script when a state is clicked. */
    private static String statesJson(ExplorationResult r) {
        ObjectNode all = JSON.createObjectNode();
        Map<String, List<Transition>> out = new HashMap<>();
        r.transitions().forEach(t -> out.computeIfAbsent(t.from(), k -> new ArrayList<>()).add(t));
        for (StateNode s : r.states()) {
            ObjectNode o = all.putObject(s.id());
            o.put("depth", s.depth());
            ArrayNode path = o.putArray("path");
            s.path().forEach(path::add);
            o.put("summary", mask(s.summary()));
            o.put("step", s.discoveredAtStep());
            o.put("expanded", s.expanded());
            ArrayNode enabled = o.putArray("enabled");
            s.enabledMoves().forEach(enabled::add);
            ArrayNode moves = o.putArray("out");
            for (Transition t : out.getOrDefault(s.id(), List.of())) {
                moves.add(t.move() + " → " + t.to() + (t.status() != null ? " (" + t.status() + ")" : "")
                        + (t.outcome() != Outcome.OK ? " " + t.outcome() : "")
                        + (t.violations().isEmpty() ? "" : " ✗ " + String.join(", ", t.violations())));
            }
        }
        // Inside <script>, only "</" could end the element early; \u003c keeps the JSON equal.
        return all.toString().replace("<", "\\u003c");
    }

    // ---- violations ---------------------------------------------------------------------------

    private static void violations(StringBuilder h, ExplorationResult r) {
        h.append("<section class=\"violations\">\n<h2>Violations (").append(r.violations().size()).append(")</h2>\n");
        if (r.violations().isEmpty()) {
            long notRun = r.invariants().stream().filter(InvariantSummary::didNotRun).count();
            long warned = r.invariants().stream().filter(InvariantSummary::didWarn).count();
            List<String> unheld = new ArrayList<>();
            if (warned > 0) {
                unheld.add(warned + " invariant" + (warned == 1 ? "" : "s") + " warned");
            }
            if (notRun > 0) {
                unheld.add(notRun + " invariant" + (notRun == 1 ? "" : "s") + " did not run on some moves");
            }
            h.append(unheld.isEmpty() ? "<p class=\"passed\">✓ Every invariant held after every move.</p>\n"
                    : "<p class=\"" + (warned > 0 ? "warned" : "passed") + "\">" + (warned > 0 ? "⚠" : "✓")
                    + " No invariant failed; " + String.join(", ", unheld) + " (see Invariants).</p>\n");
        }
        List<Violation> sorted = new ArrayList<>(r.violations());
        sorted.sort((a, b) -> a.severity().compareTo(b.severity()));
        for (Violation v : sorted) {
            h.append("<div class=\"violation\"><div class=\"label\"><span class=\"sev ")
                    .append(v.severity().name().toLowerCase(Locale.ROOT)).append("\">").append(v.severity()).append("</span> <b>")
                    .append(escape(v.invariant())).append("</b> after <b>").append(escape(v.lastMove())).append("</b> in ")
                    .append("<a href=\"#\" class=\"stateLink\" data-state=\"").append(escape(v.state())).append("\">")
                    .append(escape(v.state())).append("</a><span class=\"meta\">×").append(v.count()).append(" · first at step ")
                    .append(v.firstStep()).append("</span></div>\n<div class=\"error\">").append(escape(mask(v.message()))).append("</div>\n")
                    .append("<p class=\"meta\">path: ").append(ViolationText.pathLength(v, " (not shrunk)"))
                    .append(v.reproduced() ? " · reproduced by a replay from the start state" : " · not replayed")
                    .append("</p>\n<ol class=\"path\">\n");
            for (PathStep s : v.path()) {
                h.append("<li><div class=\"line\"><b>").append(escape(s.move())).append("</b>");
                if (!s.args().isEmpty()) {
                    h.append(" <code>").append(escape(maskArgs(s.args()))).append("</code>");
                }
                h.append("<span class=\"meta\">").append(escape(s.from())).append(" → ").append(escape(s.to()))
                        .append(s.status() != null ? " · " + s.status() : "")
                        .append(s.outcome() != Outcome.OK ? " · " + s.outcome() : "").append("</span></div>");
                if (s.error() != null) {
                    h.append("<div class=\"error\">").append(escape(mask(s.error()))).append("</div>");
                }
                h.append("<details class=\"calls\"").append(s.index() == v.path().size() ? " open" : "").append("><summary>")
                        .append(s.exchanges().size()).append(s.exchanges().size() == 1 ? " HTTP call" : " HTTP calls").append("</summary>\n");
                for (HttpExchange x : s.exchanges()) {
                    h.append(HtmlReporter.exchangeHtml(x));
                }
                h.append("</details></li>\n");
            }
            h.append("</ol></div>\n");
        }
        h.append("</section>\n");
    }

    // ---- invariants and coverage --------------------------------------------------------------

    private static void invariants(StringBuilder h, ExplorationResult r) {
        h.append("<section>\n<h2>Invariants</h2>\n<table class=\"grid\"><tr><th>invariant</th><th>severity</th><th>checks</th>")
                .append("<th>failures</th><th></th></tr>\n");
        for (InvariantSummary i : r.invariants()) {
            // Four outcomes: a check that could not judge its moves did not pass them (JUnit XML: skipped), and one
            // that warned did not hold them (JUnit XML: passed, with the warning in its system-out).
            String css = i.violations() > 0 ? "failed" : i.didWarn() ? "warned" : i.didNotRun() ? "skipped" : "passed";
            String mark = i.violations() > 0 ? "✗ " : i.didWarn() ? "⚠ " : i.didNotRun() ? "○ " : "✓ ";
            String outcome = i.violations() > 0 ? "violated" : i.didWarn() ? "warned " + escape(mask(i.warnedDetail()))
                    : i.didNotRun() ? "not run: " + escape(i.notRunDetail()) : "held";
            h.append("<tr class=\"").append(css).append("\"><td>").append(mark)
                    .append(escape(i.name())).append(i.builtIn() ? " <span class=\"tag\">built-in</span>" : "").append("</td><td>")
                    .append(i.severity()).append("</td><td>").append(i.checks()).append("</td><td>").append(i.violations())
                    .append("</td><td>").append(outcome).append("</td></tr>\n");
        }
        h.append("</table>\n</section>\n");
    }

    private static void coverage(StringBuilder h, ExplorationResult r) {
        Coverage c = r.coverage();
        h.append("<section>\n<h2>Coverage</h2>\n<p>").append(c.pairsTried()).append(" of ").append(c.pairsPossible())
                .append(" (state, move) pairs tried (").append(String.format(Locale.ROOT, "%.0f", c.pairRatio() * 100)).append("%).</p>\n");
        Map<String, NeverRun> never = new HashMap<>();
        r.neverRun().forEach(n -> never.put(n.move(), n));
        h.append("<table class=\"grid\"><tr><th>move</th><th>runs</th><th>never ran because</th></tr>\n");
        c.moveRuns().forEach((move, runs) -> {
            NeverRun n = never.get(move);
            h.append("<tr class=\"").append(runs > 0 ? "passed" : "skipped").append("\"><td>").append(escape(move)).append("</td><td>")
                    .append(runs).append("</td><td>").append(n == null ? "" : escape(n.reason() + ": " + n.detail())).append("</td></tr>\n");
        });
        h.append("</table>\n");
        List<String> moves = new ArrayList<>(c.moveRuns().keySet());
        Map<String, Map<String, Boolean>> pairs = new LinkedHashMap<>();
        r.states().forEach(s -> pairs.put(s.id(), new HashMap<>()));
        c.pairs().forEach(p -> pairs.computeIfAbsent(p.state(), k -> new HashMap<>()).put(p.move(), p.tried()));
        h.append("<h3>(state, move) pairs</h3>\n<p class=\"hint\">✓ tried · ○ possible, not tried · blank: not possible there")
                .append(" (or the state was not expanded)</p>\n<div class=\"canvas\"><table class=\"grid pairs\"><tr><th>state</th>");
        moves.forEach(m -> h.append("<th>").append(escape(m)).append("</th>"));
        h.append("</tr>\n");
        int rows = 0;
        for (Map.Entry<String, Map<String, Boolean>> e : pairs.entrySet()) {
            if (rows++ == MAX_DRAWN) {
                h.append("<tr><td colspan=\"").append(moves.size() + 1).append("\">… ").append(pairs.size() - MAX_DRAWN)
                        .append(" more states in the JSON report</td></tr>\n");
                break;
            }
            h.append("<tr><td><a href=\"#\" class=\"stateLink\" data-state=\"").append(escape(e.getKey())).append("\">")
                    .append(escape(e.getKey())).append("</a></td>");
            for (String m : moves) {
                Boolean tried = e.getValue().get(m);
                h.append("<td class=\"").append(tried == null ? "" : tried ? "passed" : "skipped").append("\">")
                        .append(tried == null ? "" : tried ? "✓" : "○").append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table></div>\n</section>\n");
    }

    // ---- text ---------------------------------------------------------------------------------

    /** Free text (messages, errors, projections) with passwords in URLs and secret fields masked. */
    private static String mask(String text) {
        return text == null ? "" : io.venomqa.core.CredentialMasker.maskText(text);
    }

    /** Arguments as {@code {k=v}}, values of secret-looking keys at any depth masked as the client masks them. */
    static String maskArgs(Map<String, Object> args) {
        return mask(io.venomqa.core.CredentialMasker.maskValues(args).toString());
    }

    private static String fact(String name, String value) {
        return "<li><span>" + escape(name) + "</span> " + escape(mask(value)) + "</li>";
    }

    private static String ms(long ms) {
        return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static final String CSS = """
            h2{font-size:18px;margin:18px 0 8px}
            h3{font-size:15px;margin:14px 0 6px}
            section{margin-bottom:18px}
            .hint{color:var(--muted);font-size:12px;margin:4px 0}
            span.redText{color:var(--bad)}.violations p.passed{color:var(--ok)}.violations p.warned{color:var(--skip)}
            .canvas{overflow:auto;border:1px solid var(--line);border-radius:6px;background:var(--bg);max-height:640px}
            svg .state rect{fill:#fff;stroke:#0969da;stroke-width:1.5}
            svg .state.start rect{stroke-width:3}
            svg .state.bad rect{fill:#ffebe9;stroke:#cf222e}
            svg .state.sel rect{fill:#ddf4ff}
            svg .state.bad.sel rect{fill:#ffcecb}
            svg .state{cursor:pointer}
            svg .state text{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-anchor:middle;fill:#1f2328;pointer-events:none}
            svg .state text .loop{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
            svg .edge{fill:none;stroke:#8c959f;stroke-width:1.2}
            svg .edge.bad{stroke:#cf222e;stroke-width:2}
            .stateInfo{margin:8px 0;padding:8px 10px;border:1px solid var(--line);border-radius:6px;min-height:2em}
            .stateInfo ol{margin:4px 0}
            .violation{border:1px solid var(--line);border-left:4px solid var(--bad);border-radius:6px;padding:8px 10px;margin:8px 0;background:#fff8f8}
            .violation .error{margin-left:0}
            ol.path{margin:4px 0;padding-left:22px}
            ol.path li{margin:4px 0}
            ol.path .line{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
            .sev{font-size:11px;font-weight:bold;color:#fff;border-radius:8px;padding:1px 7px}
            .sev.critical{background:#82071e}.sev.high{background:var(--bad)}.sev.medium{background:var(--skip)}.sev.low{background:var(--muted)}
            table.grid{border-collapse:collapse;font-size:12px;margin:4px 0}
            table.grid th,table.grid td{border:1px solid var(--line);padding:3px 8px;text-align:left}
            table.grid tr.failed td{color:var(--bad)}table.grid tr.skipped td{color:var(--muted)}table.grid tr.warned td{color:var(--skip)}
            table.pairs td{text-align:center}table.pairs td:first-child{text-align:left}
            table.pairs td.passed{color:var(--ok)}table.pairs td.skipped{color:var(--skip)}
            """;

    private static final String JS = """
            (function(){
              var data=JSON.parse(document.getElementById('states').textContent);
              var info=document.getElementById('stateInfo');
              function text(t){return document.createTextNode(t);}
              function list(items,ordered){var l=document.createElement(ordered?'ol':'ul');
                items.forEach(function(i){var li=document.createElement('li');li.appendChild(text(i));l.appendChild(li);});return l;}
              function show(id){
                var s=data[id];if(!s){return;}
                document.querySelectorAll('svg .state').forEach(function(g){g.classList.toggle('sel',g.getAttribute('data-state')===id);});
                info.textContent='';
                var b=document.createElement('b');b.appendChild(text(id));info.appendChild(b);
                info.appendChild(text(' · depth '+s.depth+' · first reached at step '+s.step+(s.expanded?'':' · not expanded (depth bound or limit)')));
                var h=document.createElement('h4');h.appendChild(text(s.path.length?'how to reach it from S0':'the start state'));info.appendChild(h);
                if(s.path.length){info.appendChild(list(s.path,true));}
                h=document.createElement('h4');h.appendChild(text('state (projection)'));info.appendChild(h);
                var pre=document.createElement('pre');pre.appendChild(text(s.summary));info.appendChild(pre);
                h=document.createElement('h4');h.appendChild(text('moves possible here'));info.appendChild(h);
                info.appendChild(text(s.enabled.length?s.enabled.join(', '):'none recorded'));
                h=document.createElement('h4');h.appendChild(text('moves made from here'));info.appendChild(h);
                info.appendChild(s.out.length?list(s.out,false):text('none'));
              }
              document.querySelectorAll('[data-state]').forEach(function(el){
                el.addEventListener('click',function(e){e.preventDefault();show(el.getAttribute('data-state'));
                  if(el.tagName.toLowerCase()==='a'){info.scrollIntoView({block:'nearest'});}});
                el.addEventListener('keydown',function(e){if(e.key==='Enter'){show(el.getAttribute('data-state'));}});
              });
              show('S0');
            })();
            """;
}
