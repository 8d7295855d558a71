package io.venomqa.spring.internal;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a {@link SwitchingDataSource} in place of the application's DataSource bean, after the bean
 * is initialised (so the pool is configured as the application configured it), and hands it to the
 * {@link ManagedDatabase}. With a journal strategy nothing is wrapped; the bean is only remembered,
 * to read where the database is. Not API.
 */
final class DataSourceWrapping implements BeanPostProcessor, Ordered, BeanFactoryAware {

    private final ManagedDatabase database;
    private ConfigurableListableBeanFactory beanFactory;
    /** The DataSource bean to use, chosen from the bean definitions at the first DataSource bean. */
    private String chosen;

    DataSourceWrapping(ManagedDatabase database) {
        this.database = database;
    }

    @Override
    public void setBeanFactory(BeanFactory factory) {
        if (factory instanceof ConfigurableListableBeanFactory listable) {
            this.beanFactory = listable;
        }
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (!(bean instanceof DataSource ds) || bean instanceof SwitchingDataSource || !wanted(beanName)) {
            return bean;
        }
        if (!database.settings().wraps()) {
            database.found(beanName, ds, null);
            return bean;
        }
        SwitchingDataSource wrapped = new SwitchingDataSource(ds, beanName);
        database.found(beanName, ds, wrapped);
        return wrapped;
    }

    /**
     * Whether bean {@code name} is the DataSource to use: the one named in the settings, else the only
     * DataSource bean of the context, else its {@code @Primary} one. Chosen from the bean definitions,
     * not from the order in which Spring happens to create the beans: with two DataSource beans the first
     * one created was taken, possibly not the application's main pool, whose writes then stayed.
     */
    private synchronized boolean wanted(String name) {
        database.seen(name);
        String named = database.settings().dataSource();
        if (!named.isEmpty()) {
            return named.equals(name);
        }
        if (chosen == null) {
            chosen = beanFactory == null ? name : choose(name);
        }
        return chosen.equals(name);
    }

    private String choose(String first) {
        List<String> names = new ArrayList<>(List.of(beanFactory.getBeanNamesForType(DataSource.class, true, false)));
        if (!names.contains(first)) {
            names.add(first); // made by a factory whose type the definitions do not show
        }
        if (names.size() == 1) {
            return first;
        }
        List<String> primary = names.stream().filter(n -> beanFactory.containsBeanDefinition(n)
                && beanFactory.getMergedBeanDefinition(n).isPrimary()).toList();
        if (primary.size() == 1) {
            return primary.get(0);
        }
        throw new IllegalStateException("The application context of " + database.testClass() + " has several DataSource beans ("
                + String.join(", ", names) + ") and " + (primary.isEmpty() ? "none is" : "more than one is") + " @Primary: "
                + "name the one the application writes through with @VenomQASpringTest(dataSource = \"" + names.get(0) + "\").");
    }

    @Override
    public int getOrder() {
        // Last: other post-processors (Boot's own DataSource decorators, tracing proxies) see the
        // application's DataSource and we wrap what they return.
        return Ordered.LOWEST_PRECEDENCE;
    }
}
