package io.venomqa.spring.support;

import org.springframework.context.ApplicationContext;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The application contexts test classes of one configuration were given, to check that Spring shared one. */
public final class SharedContexts {

    private static final Map<String, Set<ApplicationContext>> SEEN = new ConcurrentHashMap<>();

    private SharedContexts() {
    }

    public static void seen(String configuration, ApplicationContext context) {
        SEEN.computeIfAbsent(configuration, k -> Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>())))
                .add(context);
    }

    public static Set<ApplicationContext> contexts(String configuration) {
        return SEEN.getOrDefault(configuration, Set.of());
    }
}
