package io.venomqa.explore;

import io.venomqa.report.JUnitXmlReporter;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An exploration as JUnit XML ({@code TEST-venomqa-explore-<name>.xml}), the format CI systems show as
 * tests: one {@code <testsuite>} named {@code explore <name>} with one {@code <testcase>} per invariant
 * the run checked (the built-in {@value Invariant#EXPECTED_STATUS} and {@value Invariant#MOVE_COMPLETES}
 * included), {@code classname} {@code venomqa.explore.<name>}. An invariant that failed has a
 * {@code <failure>} whose message is its first violation's headline and whose text holds every
 * violation of it with its minimal path, each request and response ({@link ViolationText}). An invariant
 * that never failed but could not judge some moves ({@link InvariantSummary#didNotRun()}) is
 * {@code <skipped message="not run: could not judge 10 of 20 checks: …"/>}, counted in the suite's
 * {@code skipped}, never a pass. An invariant that never failed but warned ({@link InvariantSummary#didWarn()}: an
 * OpenAPI check at level warning) passes, with {@code warned after 2 of 20 checks: …} in its {@code <system-out>}.
 * The run's figures are {@code <properties>}; its warnings are {@code <system-err>}.
 */
public final class ExplorationJUnitXml {

    private ExplorationJUnitXml() {
    }

    /** The file name in a report directory. */
    public static String fileName(ExplorationResult result) {
        return "TEST-venomqa-" + ExplorationReports.baseName(result) + ".xml";
    }

    /** Writes the report into {@code dir} (created when missing) and returns the file. */
    public static Path write(ExplorationResult result, Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(fileName(result));
            Files.writeString(file, render(result), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the exploration JUnit XML report into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The whole XML text. */
    public static String render(ExplorationResult r) {
        List<InvariantSummary> cases = r.invariants();
        long failures = cases.stream().filter(i -> !r.violationsOf(i.name()).isEmpty() || i.violations() > 0).count();
        long skipped = cases.stream().filter(i -> r.violationsOf(i.name()).isEmpty() && i.didNotRun()).count();
        String time = String.format(Locale.ROOT, "%.3f", r.duration().toNanos() / 1e9);
        StringWriter sw = new StringWriter();
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(sw);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.writeStartElement("testsuites");
            w.writeAttribute("name", "venomqa");
            counts(w, cases.size(), failures, skipped, time);
            w.writeCharacters("\n  ");
            w.writeStartElement("testsuite");
            w.writeAttribute("name", clean("explore " + r.name()));
            counts(w, cases.size(), failures, skipped, time);
            w.writeAttribute("timestamp", DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(r.startedAt().atOffset(ZoneOffset.UTC)));
            w.writeCharacters("\n    ");
            w.writeStartElement("properties");
            property(w, "strategy", r.strategy());
            if (r.seed() != null) {
                property(w, "seed", String.valueOf(r.seed()));
            }
            property(w, "stopReason", String.valueOf(r.stopReason()));
            property(w, "states", String.valueOf(r.states().size()));
            property(w, "transitions", String.valueOf(r.transitions().size()));
            property(w, "steps", String.valueOf(r.steps()));
            property(w, "pairsTried", r.coverage().pairsTried() + "/" + r.coverage().pairsPossible());
            property(w, "restoreMode", String.valueOf(r.restoreMode()));
            w.writeCharacters("\n    ");
            w.writeEndElement();
            String classname = "venomqa.explore." + clean(r.name());
            for (InvariantSummary i : cases) {
                List<Violation> vs = r.violationsOf(i.name());
                w.writeCharacters("\n    ");
                w.writeStartElement("testcase");
                w.writeAttribute("classname", classname);
                w.writeAttribute("name", clean(i.name()));
                w.writeAttribute("time", "0.000");
                if (!vs.isEmpty() || i.violations() > 0) {
                    w.writeCharacters("\n      ");
                    w.writeStartElement("failure");
                    w.writeAttribute("message", clean(vs.isEmpty() ? i.violations() + " failures" : ViolationText.headline(vs.get(0))));
                    w.writeAttribute("type", "io.venomqa.InvariantViolation." + i.severity());
                    w.writeCharacters(clean(vs.stream().map(ViolationText::describe).collect(Collectors.joining("\n"))));
                    w.writeEndElement();
                    w.writeCharacters("\n    ");
                } else if (i.didWarn()) {
                    // JUnit has no "warned": the case passes (the run does not fail for it) and says what it found.
                    w.writeCharacters("\n      ");
                    w.writeStartElement("system-out");
                    w.writeCharacters(clean("warned " + i.warnedDetail()));
                    w.writeEndElement();
                    w.writeCharacters("\n    ");
                } else if (i.didNotRun()) {
                    // JUnit's "did not run": a check that could not judge its moves did not pass them either.
                    w.writeCharacters("\n      ");
                    w.writeEmptyElement("skipped");
                    w.writeAttribute("message", clean("not run: " + i.notRunDetail()));
                    w.writeCharacters("\n    ");
                }
                w.writeEndElement();
            }
            if (!r.warnings().isEmpty() || !r.neverRun().isEmpty()) {
                w.writeCharacters("\n    ");
                w.writeStartElement("system-err");
                StringBuilder err = new StringBuilder();
                r.warnings().forEach(x -> err.append("warning: ").append(x).append('\n'));
                r.neverRun().forEach(n -> err.append("never ran: ").append(n.move()).append(" — ").append(n.detail()).append('\n'));
                w.writeCharacters(clean(err.toString()));
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
            throw new IllegalStateException("Could not write the exploration JUnit XML report: " + e.getMessage(), e);
        }
        return sw.toString();
    }

    private static void counts(XMLStreamWriter w, int tests, long failures, long skipped, String time) throws XMLStreamException {
        w.writeAttribute("tests", String.valueOf(tests));
        w.writeAttribute("failures", String.valueOf(failures));
        w.writeAttribute("errors", "0");
        w.writeAttribute("skipped", String.valueOf(skipped));
        w.writeAttribute("time", time);
    }

    private static void property(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        w.writeCharacters("\n      ");
        w.writeEmptyElement("property");
        w.writeAttribute("name", name);
        w.writeAttribute("value", clean(value));
    }

    private static String clean(String s) {
        return JUnitXmlReporter.clean(s);
    }
}
