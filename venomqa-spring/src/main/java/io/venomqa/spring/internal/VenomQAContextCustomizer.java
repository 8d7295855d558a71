package io.venomqa.spring.internal;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Adds VenomQA to the application context of a {@code @VenomQASpringTest} class: the
 * {@link ManagedDatabase} bean and the post-processor that wraps the DataSource. Equal settings make
 * equal customizers, so Spring's context cache shares a context between classes that agree. Not API.
 */
final class VenomQAContextCustomizer implements ContextCustomizer {

    private final SpringSettings settings;
    private final String testClass;

    VenomQAContextCustomizer(SpringSettings settings, String testClass) {
        this.settings = settings;
        this.testClass = testClass;
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
        if (!(context instanceof BeanDefinitionRegistry registry)) {
            throw new IllegalStateException("VenomQA needs an application context that accepts bean definitions; "
                    + context.getClass().getName() + " does not.");
        }
        ManagedDatabase database = new ManagedDatabase(settings, testClass);
        RootBeanDefinition db = new RootBeanDefinition(ManagedDatabase.class, () -> database);
        db.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
        registry.registerBeanDefinition(ManagedDatabase.BEAN_NAME, db);
        RootBeanDefinition bpp = new RootBeanDefinition(DataSourceWrapping.class, () -> new DataSourceWrapping(database));
        bpp.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
        registry.registerBeanDefinition(DataSourceWrapping.class.getName(), bpp);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VenomQAContextCustomizer other && other.settings.equals(settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }
}
