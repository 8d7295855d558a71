package io.venomqa.spring.internal;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import javax.sql.DataSource;

/**
 * Puts a {@link SwitchingDataSource} in place of the application's DataSource bean, after the bean
 * is initialised (so the pool is configured as the application configured it), and hands it to the
 * {@link ManagedDatabase}. With a journal strategy nothing is wrapped; the bean is only remembered,
 * to read where the database is. Not API.
 */
final class DataSourceWrapping implements BeanPostProcessor, Ordered {

    private final ManagedDatabase database;

    DataSourceWrapping(ManagedDatabase database) {
        this.database = database;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (!(bean instanceof DataSource ds) || bean instanceof SwitchingDataSource || !database.wants(beanName)) {
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

    @Override
    public int getOrder() {
        // Last: other post-processors (Boot's own DataSource decorators, tracing proxies) see the
        // application's DataSource and we wrap what they return.
        return Ordered.LOWEST_PRECEDENCE;
    }
}
