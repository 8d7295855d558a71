package io.venomqa.report;

import io.venomqa.http.HttpExchange;
import io.venomqa.runner.BranchResult;
import io.venomqa.runner.CheckpointResult;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.NodeResult;
import io.venomqa.runner.PathResult;
import io.venomqa.runner.Status;
import io.venomqa.runner.StepResult;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The result as JUnit XML ({@code TEST-venomqa-<journey>.xml}), the format CI systems (Jenkins,
 * GitLab, GitHub Actions reporters) show as tests: one {@code <testsuite>} per journey, one
 * {@code <testcase>} for the journey's main line (named {@code main line}) and one for each path
 * (named by its location, {@code card} or {@code card > retry}), with {@code classname}
 * {@code venomqa.<journey>}. A failed test case has a {@code <failure>} whose message is the first
 * failure and whose text holds, for each failed step, its message, request, response status and
 * body (cut) and stack trace. Skipped paths get {@code <skipped/>}.
 */
public final class JUnitXmlReporter implements ReportWriter {

    @Override
    public String fileName(JourneyResult result) {
        return "TEST-venomqa-" + ReportWriter.slug(result.name()) + ".xml";
    }

    /** One test case before it is written. */
    private record Case(String name, Duration time, Status status, String message, String details, String out) {
    }

    @Override
    public String render(JourneyResult result) {
        List<Case> cases = cases(result);
        long failures = cases.stream().filter(c -> c.status() == Status.FAILED).count();
        long skipped = cases.stream().filter(c -> c.status() == Status.SKIPPED).count();
        StringWriter sw = new StringWriter();
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(sw);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.writeStartElement("testsuites");
            w.writeAttribute("name", "venomqa");
            w.writeAttribute("tests", String.valueOf(cases.size()));
            w.writeAttribute("failures", String.valueOf(failures));
            w.writeAttribute("errors", "0");
            w.writeAttribute("skipped", String.valueOf(skipped));
            w.writeAttribute("time", seconds(result.duration()));
            w.writeCharacters("\n  ");
            w.writeStartElement("testsuite");
            w.writeAttribute("name", clean(result.name()));
            w.writeAttribute("tests", String.valueOf(cases.size()));
            w.writeAttribute("failures", String.valueOf(failures));
            w.writeAttribute("errors", "0");
            w.writeAttribute("skipped", String.valueOf(skipped));
            w.writeAttribute("time", seconds(result.duration()));
            w.writeAttribute("timestamp", DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(result.startedAt().atOffset(ZoneOffset.UTC)));
            w.writeCharacters("\n    ");
            w.writeStartElement("properties");
            property(w, "databaseIsolated", String.valueOf(result.databaseIsolated()));
            if (result.backend() != null) {
                property(w, "backend", result.backend());
            }
            property(w, "status", result.status().name());
            if (!result.allBodiesKept()) {
                property(w, "bodies", JourneyResult.PASSING_BODIES_NOT_KEPT);
            }
            if (!result.tags().isEmpty()) {
                property(w, "tags", String.join(",", result.tags()));
            }
            w.writeCharacters("\n    ");
            w.writeEndElement();
            String classname = "venomqa." + clean(result.name());
            for (Case c : cases) {
                w.writeCharacters("\n    ");
                w.writeStartElement("testcase");
                w.writeAttribute("classname", classname);
                w.writeAttribute("name", clean(c.name()));
                w.writeAttribute("time", seconds(c.time()));
                if (c.status() == Status.FAILED) {
                    w.writeCharacters("\n      ");
                    w.writeStartElement("failure");
                    w.writeAttribute("message", clean(c.message() == null ? "failed" : c.message()));
                    w.writeAttribute("type", "io.venomqa.JourneyFailure");
                    w.writeCharacters(clean(c.details()));
                    w.writeEndElement();
                    w.writeCharacters("\n    ");
                } else if (c.status() == Status.SKIPPED) {
                    w.writeCharacters("\n      ");
                    w.writeEmptyElement("skipped");
                    if (c.message() != null) {
                        w.writeAttribute("message", clean(c.message()));
                    }
                    w.writeCharacters("\n    ");
                }
                if (!c.out().isEmpty()) {
                    w.writeCharacters("\n      ");
                    w.writeStartElement("system-out");
                    w.writeCharacters(clean(c.out()));
                    w.writeEndElement();
                    w.writeCharacters("\n    ");
                }
                w.writeEndElement();
            }
            if (!result.warnings().isEmpty()) {
                w.writeCharacters("\n    ");
                w.writeStartElement("system-err");
                w.writeCharacters(clean(String.join("\n", result.warnings())));
                w.writeEndElement();
            }
            w.writeCharacters("\n  ");
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Could not write the JUnit XML report: " + e.getMessage(), e);
        }
        return sw.toString();
    }

    private List<Case> cases(JourneyResult result) {
        List<Case> cases = new ArrayList<>();
        StringBuilder details = new StringBuilder();
        String first = result.message();
        if (first != null) {
            details.append(first).append("\n\n");
        }
        first = appendFailures(result.nodes(), details, first);
        boolean mainFailed = result.message() != null || result.nodes().stream()
                .anyMatch(n -> !(n instanceof BranchResult) && n.failed()
                        || n instanceof BranchResult b && b.message() != null);
        cases.add(new Case("main line", result.duration(), mainFailed ? Status.FAILED : Status.PASSED, first, details.toString(),
                changeLines(result.nodes())));
        for (JourneyResult.LocatedPath lp : result.paths()) {
            PathResult p = lp.path();
            StringBuilder d = new StringBuilder();
            String msg = p.message();
            if (msg != null) {
                d.append(msg).append("\n\n");
            }
            msg = appendFailures(p.nodes(), d, msg);
            if (msg == null && p.failed()) {
                msg = "a nested path failed";
            }
            String skipMsg = p.status() == Status.SKIPPED ? firstMessage(p.nodes()) : null;
            cases.add(new Case(lp.location(), p.duration(), p.status(), p.status() == Status.SKIPPED ? skipMsg : msg, d.toString(),
                    changeLines(p.nodes())));
        }
        return cases;
    }

    /** One line per step directly in {@code nodes} that ran: the summary of its database changes. */
    private static String changeLines(List<NodeResult> nodes) {
        StringBuilder sb = new StringBuilder();
        for (NodeResult n : nodes) {
            if (n instanceof StepResult s && s.status() != Status.SKIPPED) {
                if (!s.changesBefore().isEmpty() && s.changesBefore().tracked()) {
                    sb.append("db between steps, before ").append(s.name()).append(": ")
                            .append(s.changesBefore().summary()).append('\n');
                }
                sb.append("db ").append(s.name()).append(": ").append(s.dbChanges().summary()).append('\n');
                for (String note : s.dbChanges().notes()) {
                    sb.append("  ").append(note).append('\n');
                }
            }
        }
        return sb.toString();
    }

    /** Appends each failed step or checkpoint directly in {@code nodes}; returns the first message. */
    private static String appendFailures(List<NodeResult> nodes, StringBuilder out, String first) {
        for (NodeResult n : nodes) {
            if (n instanceof StepResult s && s.failed()) {
                first = first == null ? "step '" + s.name() + "': " + s.message() : first;
                out.append(stepDetails(s)).append('\n');
            } else if (n instanceof CheckpointResult c && c.failed()) {
                first = first == null ? "checkpoint '" + c.name() + "': " + c.message() : first;
                out.append("checkpoint ").append(c.name()).append(": ").append(c.message()).append("\n\n");
            } else if (n instanceof BranchResult b && b.failed()) {
                String m = b.message() != null ? b.message() : "path(s) "
                        + b.paths().stream().filter(PathResult::failed).map(PathResult::name).toList() + " failed";
                first = first == null ? "branch from '" + b.name() + "': " + m : first;
                if (b.message() != null) {
                    out.append("branch from ").append(b.name()).append(": ").append(b.message()).append("\n\n");
                }
            }
        }
        return first;
    }

    /** The text a CI system shows for a failed step: message, request, response, stack. */
    static String stepDetails(StepResult s) {
        StringBuilder sb = new StringBuilder("step ").append(s.name()).append(" FAILED");
        if (s.attempts() > 1) {
            sb.append(" after ").append(s.attempts()).append(" attempts");
        }
        sb.append('\n').append("  ").append(s.message()).append('\n');
        HttpExchange x = s.lastExchange();
        if (x != null && !x.bodiesKept()) {
            sb.append("  request:  ").append(x.method()).append(' ').append(x.url()).append(" → ")
                    .append(x.hasResponse() ? x.status() : x.error()).append(" (headers and bodies ").append(HttpExchange.NOT_KEPT)
                    .append(")\n");
        } else if (x != null) {
            sb.append("  request:  ").append(x.method()).append(' ').append(x.url()).append('\n');
            if (!x.requestBody().isEmpty()) {
                sb.append("            ").append(x.requestBody()).append('\n');
            }
            if (x.hasResponse()) {
                sb.append("  response: ").append(x.status()).append('\n');
                if (!x.responseBody().isEmpty()) {
                    sb.append("            ").append(x.responseBody()).append('\n');
                }
            } else {
                sb.append("  response: none (").append(x.error()).append(")\n");
            }
        }
        if (s.stackTrace() != null) {
            sb.append(s.stackTrace()).append('\n');
        }
        return sb.toString();
    }

    private static String firstMessage(List<NodeResult> nodes) {
        for (NodeResult n : nodes) {
            if (n instanceof StepResult s && s.message() != null) {
                return s.message();
            }
            if (n instanceof CheckpointResult c && c.message() != null) {
                return c.message();
            }
        }
        return null;
    }

    private static void property(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        w.writeCharacters("\n      ");
        w.writeEmptyElement("property");
        w.writeAttribute("name", name);
        w.writeAttribute("value", clean(value));
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
    }

    /**
     * Replaces the characters XML 1.0 cannot hold (control characters from a binary body) with U+FFFD,
     * for other JUnit XML reports (the exploration's).
     */
    public static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            boolean ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                    || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
            sb.appendCodePoint(ok ? cp : 0xFFFD);
        });
        return sb.toString();
    }
}
