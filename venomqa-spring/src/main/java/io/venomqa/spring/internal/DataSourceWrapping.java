package io.venomqa.spring.internal;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Puts a {@link SwitchingDataSource} in place of the application's DataSource bean, after the bean
 * is initialised (so the pool is configured as the application configured it), and hands it to the
 * {@link ManagedDatabase}. With a journal strategy nothing is wrapped; the bean is only remembered,
 * to read where the database is. Not API.
 */
final class DataSourceWrapping implements BeanPostProcessor, Ordered, BeanFactoryAware, EnvironmentAware, ResourceLoaderAware {

    private final ManagedDatabase database;
    private ConfigurableListableBeanFactory beanFactory;
    private Environment environment;
    private ResourceLoader resourceLoader;
    /** The DataSource bean to use, chosen from the bean definitions at the first DataSource bean. */
    private String chosen;

    DataSourceWrapping(ManagedDatabase database) {
        this.database = database;
    }

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setResourceLoader(ResourceLoader resourceLoader) {
        this.resourceLoader = resourceLoader;
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
        refuseStartupDdlUnderAnotherContext(ds);
        SwitchingDataSource wrapped = new SwitchingDataSource(ds, beanName);
        database.found(beanName, ds, wrapped);
        return wrapped;
    }

    /**
     * Fails the context, instead of letting it hang, when it is about to drop, alter or create its tables at start-up
     * (Hibernate's schema generation, {@link #STARTUP_DDL}, or a {@code spring.sql.init} schema script with such a
     * statement, {@link SqlInitScripts}) in a database and schema where another cached context's savepoint manager
     * holds its open transaction: the DDL would wait for that transaction's locks, which are released only when the
     * other context closes, at the end of the run. Checked after this bean is made, before the EntityManagerFactory
     * or the script initializer uses it.
     */
    private void refuseStartupDdlUnderAnotherContext(DataSource ds) {
        if (environment == null || !ManagedDatabase.anyOpenTransaction()) {
            return;
        }
        DataSourceCoordinates where = DataSourceCoordinates.of(ds);
        Optional<String> holder = ManagedDatabase.openTransactionAt(where);
        if (holder.isEmpty()) {
            return;
        }
        String ddl = null;
        for (Map.Entry<String, Set<String>> p : STARTUP_DDL.entrySet()) {
            String v = environment.getProperty(p.getKey());
            if (v != null && p.getValue().contains(v.trim().toLowerCase(java.util.Locale.ROOT))) {
                ddl = "Hibernate's schema generation (" + p.getKey() + "=" + v.trim() + ")";
                break;
            }
        }
        if (ddl == null) {
            ddl = SqlInitScripts.lockingStatement(environment, resourceLoader).orElse(null);
        }
        if (ddl == null) {
            return;
        }
        throw new IllegalStateException("The application context of " + database.testClass() + " would run " + ddl
                + " on " + io.venomqa.core.CredentialMasker.maskUrl(where.url()) + ", schema "
                + where.schema() + ", where the cached application context of " + holder.get() + " holds VenomQA's open "
                + "transaction (savepoint strategy): the DDL would wait for that transaction's locks until the run ends. "
                + "Give these classes one context (the same Spring and @VenomQASpringTest configuration), give each context "
                + "a schema of its own, let Flyway or Liquibase make the schema (an applied migration runs no DDL), or close "
                + "the other context first (@DirtiesContext on " + holder.get() + ").");
    }

    /** Properties under which Hibernate drops or creates tables at start-up, with the values that do. */
    static final Map<String, Set<String>> STARTUP_DDL = Map.of(
            "spring.jpa.hibernate.ddl-auto", Set.of("create", "create-drop", "drop"),
            "spring.jpa.properties.hibernate.hbm2ddl.auto", Set.of("create", "create-drop", "drop", "create-only"),
            "spring.jpa.properties.jakarta.persistence.schema-generation.database.action", Set.of("drop-and-create", "create", "drop"));

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
