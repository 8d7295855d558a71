package io.venomqa.junit.support;

import io.venomqa.junit.fixtures.InterruptedFixture;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Runs {@link InterruptedFixture} through the JUnit Platform, as an IDE or Surefire would, in a JVM of its own. */
public final class JUnitChild {

    private JUnitChild() {
    }

    public static void main(String[] args) {
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(InterruptedFixture.class)).build());
    }
}
