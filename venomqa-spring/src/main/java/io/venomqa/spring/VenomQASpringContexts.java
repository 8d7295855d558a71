package io.venomqa.spring;

import io.venomqa.spring.internal.ManagedDatabase;
import io.venomqa.state.StateManager;
import org.springframework.context.ApplicationContext;

import java.util.Objects;

/**
 * What VenomQA keeps in an application context that {@link VenomQASpringTest} configured, for code
 * that holds the context rather than a JUnit parameter (a {@code TestExecutionListener}, a
 * benchmark driving the context itself).
 *
 * <p>Guarantees: the state manager returned is the one the extension injects as a
 * {@link StateManager} parameter and checkpoints around each test class and method, connected on
 * first use; it belongs to the context and is disconnected when the context closes — do not
 * disconnect it yourself.
 */
public final class VenomQASpringContexts {

    private VenomQASpringContexts() {
    }

    /**
     * The state manager of {@code context}.
     *
     * @throws IllegalStateException when {@code context} was not configured by {@link VenomQASpringTest}
     */
    public static StateManager stateManager(ApplicationContext context) {
        Objects.requireNonNull(context, "context");
        if (!context.containsBean(ManagedDatabase.BEAN_NAME)) {
            throw new IllegalStateException("The application context " + context.getDisplayName() + " has no VenomQA database: "
                    + "annotate the test class @VenomQASpringTest, with venomqa-spring's META-INF/spring.factories on the class path.");
        }
        return context.getBean(ManagedDatabase.BEAN_NAME, ManagedDatabase.class).manager();
    }
}
