package io.venomqa.runner.internal;

import io.venomqa.runner.JourneyListener;
import io.venomqa.runner.JourneyResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/**
 * How {@link io.venomqa.runner.JourneyRunner} reaches the reporters without depending on them:
 * the console reporter is a {@link JourneyListener} and the report files are written by an
 * implementation found with {@link ServiceLoader} ({@code io.venomqa.report.internal.BuiltInReporting},
 * registered by venomqa-runner itself). So {@code io.venomqa.report} depends on
 * {@code io.venomqa.runner} and never the other way round. Not API.
 */
public interface Reporting {

    /** A listener printing the journey tree to standard output while it runs. */
    JourneyListener console();

    /** Writes every report of {@code result} into {@code dir}, creating it; returns the files written. */
    List<Path> writeAll(JourneyResult result, Path dir) throws IOException;

    /** The registered implementation. */
    static Reporting builtIn() {
        return Holder.INSTANCE;
    }

    /** Loaded once, on first use. */
    final class Holder {
        private static final Reporting INSTANCE = ServiceLoader.load(Reporting.class, Reporting.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No " + Reporting.class.getName() + " on the class path: "
                        + "the venomqa-runner jar is incomplete (a repackaged jar must keep META-INF/services/"
                        + Reporting.class.getName() + ")"));

        private Holder() {
        }
    }
}
