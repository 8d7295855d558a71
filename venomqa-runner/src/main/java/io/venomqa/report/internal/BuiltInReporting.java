package io.venomqa.report.internal;

import io.venomqa.report.ConsoleReporter;
import io.venomqa.report.Reports;
import io.venomqa.runner.JourneyListener;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.internal.Reporting;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The built-in reporters, as the runner reaches them (see {@link Reporting}). Not API. */
public final class BuiltInReporting implements Reporting {

    @Override
    public JourneyListener console() {
        return ConsoleReporter.toStdout();
    }

    @Override
    public List<Path> writeAll(JourneyResult result, Path dir) throws IOException {
        return Reports.writeAll(result, dir);
    }
}
