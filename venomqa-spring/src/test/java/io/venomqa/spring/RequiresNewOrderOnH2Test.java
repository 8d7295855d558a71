package io.venomqa.spring;

import io.venomqa.spring.sample.SampleApp;
import io.venomqa.spring.support.TestDatabase;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the savepoint strategy does with a {@code REQUIRES_NEW} transaction inside one that rolls back
 * (docs/spring.md, "Limits of the savepoint strategy"): the outer transaction's savepoint is taken at its
 * first statement, so an inner commit made before that statement survives the outer rollback and one
 * made after it is undone with it. Either way the rows stay inside the test's checkpoint and are undone
 * after the test.
 */
@SpringBootTest(classes = SampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.H2.class)
@VenomQASpringTest(options = "shared_connection_wait=5s")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RequiresNewOrderOnH2Test {

    @Autowired
    DataSource dataSource;

    @Test
    @Order(1)
    void anInnerCommitBeforeTheOuterTransactionsFirstStatementSurvivesItsRollback() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        DataSourceTransactionManager tm = new DataSourceTransactionManager(dataSource);
        TransactionTemplate outer = new TransactionTemplate(tm);
        TransactionTemplate inner = new TransactionTemplate(tm);
        inner.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        assertThatThrownBy(() -> outer.executeWithoutResult(s -> {
            inner.executeWithoutResult(t -> jdbc.update("insert into audit_log (message) values ('before the outer statement')"));
            jdbc.queryForObject("select count(*) from products", Integer.class); // the outer unit's savepoint is taken here
            inner.executeWithoutResult(t -> jdbc.update("insert into audit_log (message) values ('after the outer statement')"));
            throw new IllegalStateException("refused");
        })).hasMessage("refused");
        assertThat(jdbc.queryForList("select message from audit_log", String.class)).containsExactly("before the outer statement");
    }

    @Test
    @Order(2)
    void theTestsRollbackUndoesTheKeptOneToo() {
        assertThat(new JdbcTemplate(dataSource).queryForObject("select count(*) from audit_log", Integer.class)).isZero();
    }
}
