package io.venomqa.spring.internal;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.support.GenericApplicationContext;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which DataSource bean VenomQA wraps when a context has several: the bean definitions decide, not the
 * order in which Spring creates the beans (until 2026-12-05 the first one created was wrapped, and the
 * application's main pool, created after it, wrote around VenomQA). A context of plain bean definitions,
 * without the state manager: only the choice is tested here.
 */
class DataSourceChoiceTest {

    @Test
    @DisplayName("two DataSource beans, the @Primary one created last: it is the one wrapped")
    void thePrimaryOneIsWrappedWhateverTheOrder() {
        try (GenericApplicationContext context = context("", true)) {
            assertThat(context.getBean("auditDataSource")).isNotInstanceOf(SwitchingDataSource.class);
            assertThat(context.getBean("dataSource")).isInstanceOf(SwitchingDataSource.class);
        }
    }

    @Test
    @DisplayName("two DataSource beans and none @Primary: the context fails, naming both and the annotation attribute")
    void noPrimaryIsAnError() {
        assertThatThrownBy(() -> context("", false))
                .hasStackTraceContaining("The application context of com.example.ShopTest has several DataSource beans "
                        + "(auditDataSource, dataSource) and none is @Primary: name the one the application writes through "
                        + "with @VenomQASpringTest(dataSource = \"auditDataSource\")");
    }

    @Test
    @DisplayName("the bean named in @VenomQASpringTest(dataSource) is the one wrapped, @Primary or not")
    void theNamedOneIsWrapped() {
        try (GenericApplicationContext context = context("auditDataSource", true)) {
            assertThat(context.getBean("auditDataSource")).isInstanceOf(SwitchingDataSource.class);
            assertThat(context.getBean("dataSource")).isNotInstanceOf(SwitchingDataSource.class);
        }
    }

    @Test
    @DisplayName("a bean name that is not there: the error lists the DataSource beans and the close one")
    void aMistypedNameListsTheBeans() {
        ManagedDatabase database = database("datasource");
        try (GenericApplicationContext context = context(database, false)) {
            assertThat(context.getBean("dataSource")).isNotInstanceOf(SwitchingDataSource.class);
            assertThatThrownBy(database::afterSingletonsInstantiated)
                    .hasMessage("VenomQA found no DataSource bean named 'datasource' in the application context of "
                            + "com.example.ShopTest (its DataSource beans: auditDataSource, dataSource; did you mean "
                            + "'dataSource'?). @VenomQASpringTest works with the application's own JDBC DataSource: check "
                            + "spring.datasource.url and the bean name.");
        }
    }

    private static ManagedDatabase database(String named) {
        return new ManagedDatabase(new SpringSettings(SpringSettings.SAVEPOINT, named, List.of(), List.of(), Map.of()),
                "com.example.ShopTest");
    }

    private static GenericApplicationContext context(String named, boolean primary) {
        return context(database(named), primary);
    }

    /** {@code auditDataSource} registered (and so created) first, then {@code dataSource}, @Primary when asked. */
    private static GenericApplicationContext context(ManagedDatabase database, boolean primary) {
        GenericApplicationContext context = new GenericApplicationContext();
        context.registerBeanDefinition("wrapping", new RootBeanDefinition(DataSourceWrapping.class,
                () -> new DataSourceWrapping(database)));
        context.registerBeanDefinition("auditDataSource", new RootBeanDefinition(DataSource.class, DataSourceChoiceTest::h2));
        RootBeanDefinition main = new RootBeanDefinition(DataSource.class, DataSourceChoiceTest::h2);
        main.setPrimary(primary);
        context.registerBeanDefinition("dataSource", main);
        context.refresh();
        return context;
    }

    private static DataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:choice");
        return ds;
    }
}
