package io.venomqa.spring;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@code @SpringBootTest} class with VenomQA, against the application's own server and database:
 *
 * <pre>{@code
 * @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
 * @VenomQASpringTest
 * class CheckoutTest { ... }
 * }</pre>
 *
 * <p>What it guarantees (see {@link VenomQASpringExtension} for the test side):
 * <ul>
 *   <li><b>No setup.</b> The database is the application's {@code DataSource} bean (its JDBC URL
 *       chooses the backend; user, password and current schema are read from it); {@code base_url} is
 *       {@code http://localhost:<local.server.port>}.</li>
 *   <li><b>Migrations stay.</b> Flyway, Liquibase and {@code spring.sql.init} run on the application's
 *       real pool while the context starts and commit as usual; VenomQA connects only once every
 *       singleton of the context exists, so what they did is the state every test starts from and is
 *       never rolled back. Migration tables are never reset.</li>
 *   <li><b>One state manager per application context</b>: Spring caches contexts across test classes,
 *       and so does VenomQA; the manager is disconnected when the context closes (at the end of the
 *       run, on Ctrl-C or SIGTERM too), which leaves the database as the context found it after its
 *       migrations.</li>
 *   <li><b>savepoint</b> ({@link #checkpointStrategy()}, the default): the {@code DataSource} bean is
 *       wrapped, so every connection the application takes (JPA, {@code JdbcTemplate}, Spring Data,
 *       {@code @Transactional} with {@code REQUIRES_NEW}, {@code @Async} and scheduled work) is a view
 *       of the manager's one connection inside its transaction. Requests are therefore served one at a
 *       time, each seeing the others' writes only once they are whole; a thread that waits longer than
 *       {@code shared_connection_wait} (default 30 s, set with {@link #options()}) fails with an error
 *       naming the thread that holds the connection, instead of hanging the build.
 *       <b>journal</b>: the application is not wrapped and keeps its pool; triggers record its writes.</li>
 *   <li>The database attributes ({@code checkpointStrategy}, {@code dataSource}, {@code tablesToReset},
 *       {@code excludeTables}, {@code options}) and the {@code -Dvenomqa.*} system properties that configure the
 *       database (over the attributes, as for {@code @VenomQATest}) are part of Spring's context cache key:
 *       classes that agree on them (and on the Spring configuration) share one context and one manager.</li>
 *   <li><b>Either order</b>: {@code @SpringBootTest} may come before or after this annotation; the
 *       checkpoints are taken by {@link VenomQATestExecutionListener}, around Spring's {@code @Sql} scripts
 *       and test-managed transactions.</li>
 * </ul>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(VenomQASpringExtension.class)
public @interface VenomQASpringTest {

    /** {@code checkpoint_strategy}: {@code savepoint} (wraps the DataSource, default) or {@code journal} (does not). */
    String checkpointStrategy() default "savepoint";

    /** The bean name of the DataSource to use, when the context has several. */
    String dataSource() default "";

    /** {@code tables_to_reset}: what {@code StateManager.reset()} empties (default: every table but the excluded ones). */
    String[] tablesToReset() default {};

    /** {@code exclude_tables}: tables never reset nor tracked (migration tables always are excluded). */
    String[] excludeTables() default {};

    /**
     * Backend options as {@code key=value}, for example {@code "shared_connection_wait=5s"} or
     * {@code "allow_remote=true"}. The connection options ({@code user}, {@code password},
     * {@code schema}) come from the DataSource and need not be given.
     */
    String[] options() default {};

    /** Whether each test class and each test method is rolled back to the state it started from (default true). */
    boolean isolation() default true;

    /**
     * {@code report_dir}: where injected runners write each journey's JSON, JUnit XML and HTML reports
     * (relative to the working directory); {@code -Dvenomqa.report_dir} wins over it. Empty (the default) and
     * no such property: no reports, which the first runner of the run says once on standard output.
     */
    String reportDir() default "";

    /** Whether injected runners print the journey tree to standard output (default true). */
    boolean console() default true;
}
