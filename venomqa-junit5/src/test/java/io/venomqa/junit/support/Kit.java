package io.venomqa.junit.support;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Runs a fixture class with EngineTestKit and explains unexpected failures with their stack traces. */
public final class Kit {

    private Kit() {
    }

    public static EngineExecutionResults run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
    }

    /** Fails with the container failures' stack traces when there are any. */
    public static void assertNoContainerFailure(EngineExecutionResults results) {
        StringBuilder sb = new StringBuilder();
        for (Event e : results.containerEvents().failed().list()) {
            sb.append(e.getTestDescriptor().getDisplayName()).append(": ").append(stack(throwable(e))).append('\n');
        }
        if (sb.length() > 0) {
            throw new AssertionError("Unexpected container failures:\n" + sb);
        }
    }

    /** Fails with the test failures' stack traces when there are any. */
    public static void assertNoTestFailure(EngineExecutionResults results) {
        StringBuilder sb = new StringBuilder();
        for (Event e : results.testEvents().failed().list()) {
            sb.append(e.getTestDescriptor().getDisplayName()).append(": ").append(stack(throwable(e))).append('\n');
        }
        if (sb.length() > 0) {
            throw new AssertionError("Unexpected test failures:\n" + sb);
        }
    }

    public static Throwable throwable(Event e) {
        return e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).orElse(null);
    }

    private static String stack(Throwable t) {
        if (t == null) {
            return "(no throwable)";
        }
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        return sw.toString();
    }
}
