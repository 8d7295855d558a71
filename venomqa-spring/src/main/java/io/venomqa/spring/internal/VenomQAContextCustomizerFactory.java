package io.venomqa.spring.internal;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

import java.util.List;

/**
 * Registered in {@code META-INF/spring.factories}: Spring's test framework asks it for every test
 * class, and it answers only for those annotated {@code @VenomQASpringTest}. Not API.
 */
public final class VenomQAContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        SpringSettings settings = SpringSettings.of(testClass);
        return settings == null ? null : new VenomQAContextCustomizer(settings, testClass.getName());
    }
}
