package io.venomqa.state;

import io.venomqa.state.spi.ActiveCheckpoint;
import io.venomqa.state.spi.BaseStateManager;
import io.venomqa.state.spi.StateManagerProvider;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;

/** Providers used by the discovery tests, and a class loader that exposes exactly the ones a test names. */
public final class TestProviders {
    private TestProviders() {
    }

    /** Registered for real in src/test/resources/META-INF/services. */
    public static final class TinyStateManagerProvider implements StateManagerProvider {
        public String name() {
            return "tiny";
        }

        public Set<String> aliases() {
            return Set.of("Tiny-Alias");
        }

        public StateManager create(StateConfig c) {
            return new RecordingStateManager(c);
        }

        @Override
        public boolean acceptsUrl(String url) {
            return url.startsWith("tiny://");
        }
    }

    public static final class TwinAStateManagerProvider implements StateManagerProvider {
        public String name() {
            return "twin";
        }

        public Set<String> aliases() {
            return Set.of();
        }

        public StateManager create(StateConfig c) {
            return new RecordingStateManager(c);
        }
    }

    public static final class TwinBStateManagerProvider implements StateManagerProvider {
        public String name() {
            return "other";
        }

        public Set<String> aliases() {
            return Set.of("TWIN");
        }

        public StateManager create(StateConfig c) {
            return new RecordingStateManager(c);
        }
    }

    /** Counts creations, to prove that only the chosen provider builds a manager. */
    public static final class CountingStateManagerProvider implements StateManagerProvider {
        static int created;

        public String name() {
            return "counting";
        }

        public Set<String> aliases() {
            return Set.of();
        }

        public StateManager create(StateConfig c) {
            created++;
            return new RecordingStateManager(c);
        }

        @Override
        public String artifact() {
            return "com.example:counting-backend";
        }
    }

    /** A manager with no storage at all: enough for discovery and bookkeeping tests. */
    public static final class RecordingStateManager extends BaseStateManager {
        public RecordingStateManager(StateConfig config) {
            super(config);
        }

        protected void doConnect() {
        }

        protected void doDisconnect() {
        }

        protected void doCheckpoint(ActiveCheckpoint checkpoint) {
        }

        protected void doRollback(ActiveCheckpoint target, List<ActiveCheckpoint> discarded) {
        }

        protected void doRelease(ActiveCheckpoint target, List<ActiveCheckpoint> released) {
        }

        protected void doReset() {
        }

        public String backendName() {
            return "recording";
        }
    }

    /** A loader whose META-INF/services file for StateManagerProvider lists exactly {@code providers}. */
    static ClassLoader loaderWith(Class<?>... providers) throws IOException {
        Path file = Files.createTempFile("venomqa-services", ".txt");
        file.toFile().deleteOnExit();
        StringBuilder sb = new StringBuilder();
        for (Class<?> p : providers) {
            sb.append(p.getName()).append('\n');
        }
        Files.writeString(file, sb);
        URL url = file.toUri().toURL();
        String serviceFile = "META-INF/services/" + StateManagerProvider.class.getName();
        return new ClassLoader(TestProviders.class.getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.equals(serviceFile) ? Collections.enumeration(List.of(url)) : super.getResources(name);
            }
        };
    }
}
