package io.venomqa.junit;

import io.venomqa.junit.internal.ContainerFinder;
import io.venomqa.junit.support.Kit;
import io.venomqa.junit.support.SchemaPerClass;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Testcontainers is optional: the extension runs a user's test class in a class loader where no
 * Testcontainers class exists, and never even asks for one. The extension's own classes and the
 * fixture are loaded from this module's output child-first; everything else (JUnit, the runner,
 * the backends) from the normal class path, with {@code org.testcontainers} cut out.
 */
class NoTestcontainersTest extends SchemaPerClass {

    @Test
    void theExtensionWorksWithoutTestcontainersOnTheClassPath() throws Exception {
        db.exportAsSystemProperties(null);
        try (WithoutTestcontainers loader = new WithoutTestcontainers()) {
            // The filter works: the class is there for this test, and not for the loader.
            assertThat(ContainerFinder.testcontainersPresent(getClass().getClassLoader())).isTrue();
            assertThatThrownBy(() -> Class.forName(ContainerFinder.JDBC_CONTAINER_CLASS, false, loader))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThat(loader.refused).containsExactly(ContainerFinder.JDBC_CONTAINER_CLASS);
            loader.refused.clear(); // that was this test's own probe; from here on only the extension's count
            Class<?> fixture = loader.loadClass("io.venomqa.junit.fixtures.PlainFixture");
            assertThat(fixture.getClassLoader()).isSameAs(loader);
            assertThat(loader.loadClass("io.venomqa.junit.VenomQAExtension").getClassLoader()).isSameAs(loader);

            EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();

            Kit.assertNoContainerFailure(results);
            Kit.assertNoTestFailure(results);
            results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
            // The extension ran in the loader (its classes came from it) and never reached for Testcontainers.
            assertThat(loader.loaded).contains("io.venomqa.junit.VenomQAExtension", "io.venomqa.junit.internal.ContainerFinder");
            assertThat(loader.loaded).doesNotContain("io.venomqa.junit.internal.TestcontainersBridge");
            assertThat(loader.refused).isEmpty();
        }
    }

    /** Child-first for io.venomqa.junit.*, refuses org.testcontainers.*, parent for the rest. */
    static final class WithoutTestcontainers extends URLClassLoader {
        final List<String> loaded = new CopyOnWriteArrayList<>();
        final List<String> refused = new CopyOnWriteArrayList<>();

        WithoutTestcontainers() {
            super(new URL[] {location(VenomQAExtension.class), location(NoTestcontainersTest.class)},
                    NoTestcontainersTest.class.getClassLoader());
        }

        private static URL location(Class<?> c) {
            return c.getProtectionDomain().getCodeSource().getLocation();
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (name.startsWith("org.testcontainers.")) {
                    refused.add(name);
                    throw new ClassNotFoundException(name + " (hidden: this loader plays a class path without Testcontainers)");
                }
                if (name.startsWith("io.venomqa.junit.")) {
                    Class<?> c = findLoadedClass(name);
                    if (c == null) {
                        c = findClass(name);
                        loaded.add(name);
                    }
                    if (resolve) {
                        resolveClass(c);
                    }
                    return c;
                }
                return super.loadClass(name, resolve);
            }
        }

        @Override
        public URL getResource(String name) {
            return name.startsWith("org/testcontainers/") ? null : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return name.startsWith("org/testcontainers/") ? Collections.emptyEnumeration() : super.getResources(name);
        }
    }
}
