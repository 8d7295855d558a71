package io.venomqa.spring.support;

import io.venomqa.http.Client;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * Runs one test method {@code (Client)} of a class through the JUnit Platform, as an IDE or Surefire
 * would, in a JVM of its own: {@code SpringTestChild <class> <method>}. Prints
 * {@code TESTS SUCCEEDED n FAILED m} and exits 0 only when exactly that one test passed.
 */
public final class SpringTestChild {

    private SpringTestChild() {
    }

    public static void main(String[] args) throws ClassNotFoundException {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(Class.forName(args[0]), args[1], Client.class.getName())).build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        summary.printFailuresTo(out, 30);
        out.println("TESTS SUCCEEDED " + summary.getTestsSucceededCount() + " FAILED " + summary.getTotalFailureCount());
        System.exit(summary.getTestsSucceededCount() == 1 && summary.getTotalFailureCount() == 0 ? 0 : 1);
    }
}
