package io.venomqa.state.journal;

import io.venomqa.state.StateManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.support.JobOperatorFactoryBean;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.support.ListItemReader;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A third-party application's own schema and writes: Spring Batch's JDBC job repository (the schema scripts shipped in
 * its jar, unchanged) and a job whose chunk step writes an application table, run by Spring Batch through a DataSource
 * of its own, as a batch service would run beside the API under test. Its tables hold what real applications hold:
 * ids drawn from sequences (PostgreSQL, MariaDB's {@code SEQUENCE} objects), from tables used as counters through
 * {@code LAST_INSERT_ID(expr)} (its MySQL scripts) or from {@code AUTOINCREMENT} tables emptied as they go (SQLite),
 * optimistic-lock versions updated many times, long exit messages holding stack traces, serialized execution contexts,
 * timestamps with fractions of a second, floats. A failed run and its restart update the same rows again.
 *
 * <p>Each test compares the server's full dump after every rollback, tree restore and {@code disconnect()} with the
 * state it must give back.
 */
class SpringBatchJournalTest {

    @RegisterExtension
    static final OwnPgDatabase DATABASE = new OwnPgDatabase();

    @Test
    @DisplayName("PostgreSQL: Spring Batch's own schema and job runs through its own connections are undone exactly")
    void postgres() throws Exception {
        try (PgDb db = new PgDb(DATABASE)) {
            exercise(db, "postgresql", "POSTGRES", "double precision", db::dump);
        }
    }

    @Test
    @DisplayName("MariaDB with Spring Batch's MariaDB schema (SEQUENCE objects): undone exactly")
    void mariadb() throws Exception {
        try (MyDb db = new MyDb()) {
            exercise(db, "mariadb", "MARIADB", "double", db::dump);
        }
    }

    @Test
    @DisplayName("MariaDB with Spring Batch's MySQL schema (tables as counters, LAST_INSERT_ID(ID + 1)): undone exactly")
    void mysqlSchemaOnMariadb() throws Exception {
        try (MyDb db = new MyDb()) {
            exercise(db, "mysql", "MYSQL", "float", db::dump);
        }
    }

    @Test
    @DisplayName("SQLite with Spring Batch's SQLite schema (AUTOINCREMENT counter tables): undone exactly")
    void sqlite() throws Exception {
        try (SqliteDb db = new SqliteDb()) {
            exercise(db, "sqlite", "SQLITE", "real", () -> SqliteJournalFuzzTest.Lite.dump(db));
        }
    }

    /** Which item the writer fails on (null: none); read by the job's writer. */
    private final AtomicReference<String> failOn = new AtomicReference<>();

    private void exercise(JournalDb db, String script, String databaseType, String floatType, ThirdPartyApps.Dump dump) throws Exception {
        db.exec(ThirdPartyApps.script(JobRepository.class, "/org/springframework/batch/core/schema-" + script + ".sql").toArray(String[]::new));
        db.exec("create table person (id bigint primary key, name varchar(100) not null, score " + floatType
                + ", note varchar(4000))", "create table totals (id int primary key, people bigint, score_sum " + floatType + ")",
                "insert into totals values (1, 0, 0)");

        Batch batch = new Batch(db, databaseType);
        List<String> before = dump.take();
        StateManager manager = db.manager();
        manager.connect();
        try {
            manager.checkpoint("start");
            assertThat(batch.run(1).getStatus()).isEqualTo(BatchStatus.COMPLETED);
            List<String> afterOne = dump.take();
            assertThat(afterOne).isNotEqualTo(before);
            manager.checkpoint("one");

            failOn.set("p2-7");
            JobExecution failed = batch.run(2);
            assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
            failOn.set(null);
            assertThat(batch.run(2).getStatus()).as("the failed run restarted").isEqualTo(BatchStatus.COMPLETED);
            assertThat(batch.run(3).getStatus()).isEqualTo(BatchStatus.COMPLETED);
            List<String> afterThree = dump.take();
            manager.checkpoint("three");

            // A jump across the tree keeps "three"; a rollback would drop the checkpoints after "one".
            manager.checkpointTree().orElseThrow().restore("one");
            assertThat(dump.take()).as("after restore(one)").isEqualTo(afterOne);
            assertThat(batch.run(4).getStatus()).isEqualTo(BatchStatus.COMPLETED);
            List<String> afterFour = dump.take();
            manager.checkpoint("four");

            manager.checkpointTree().orElseThrow().restore("three");
            assertThat(dump.take()).as("after restore(three)").isEqualTo(afterThree);
            manager.checkpointTree().orElseThrow().restore("four");
            assertThat(dump.take()).as("after restore(four)").isEqualTo(afterFour);
            manager.rollback("one");
            assertThat(dump.take()).as("after rollback(one)").isEqualTo(afterOne);
            manager.checkpointTree().orElseThrow().restore("start");
            assertThat(dump.take()).as("after restore(start)").isEqualTo(before);
            assertThat(batch.run(5).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        } finally {
            manager.disconnect();
        }
        assertThat(dump.take()).as("after disconnect()").isEqualTo(before);
    }

    /** Spring Batch on {@code db}: its JDBC job repository and operator, and the job, on connections of its own. */
    private final class Batch {

        private final JobRepository repository;
        private final JobOperator operator;
        private final JdbcTemplate jdbc;
        private final JdbcTransactionManager tx;

        Batch(JournalDb db, String databaseType) throws Exception {
            DataSource dataSource = ThirdPartyApps.dataSource(db);
            JdbcTransactionManager tx = new JdbcTransactionManager(dataSource);
            JdbcJobRepositoryFactoryBean factory = new JdbcJobRepositoryFactoryBean();
            factory.setDataSource(dataSource);
            factory.setTransactionManager(tx);
            factory.setDatabaseType(databaseType);
            factory.afterPropertiesSet();
            repository = factory.getObject();
            JobOperatorFactoryBean operators = new JobOperatorFactoryBean();
            operators.setJobRepository(repository);
            operators.setTransactionManager(tx);
            operators.setJobRegistry(new MapJobRegistry());
            operators.afterPropertiesSet();
            operator = operators.getObject();

            jdbc = new JdbcTemplate(dataSource);
            this.tx = tx;
        }

        /** Runs (or restarts, when its last run failed) the job instance of {@code run}: ten people loaded, then the totals. */
        JobExecution run(int run) throws Exception {
            List<String> items = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                items.add("p" + run + "-" + i);
            }
            Job runJob = new JobBuilder("import", repository)
                    .start(new StepBuilder("load", repository).<String, String>chunk(3, tx)
                            .reader(new ListItemReader<>(items))
                            .writer(chunk -> {
                                for (String name : chunk) {
                                    if (name.equals(failOn.get())) {
                                        throw new IllegalStateException("planted failure on " + name + "\n\tline two");
                                    }
                                    int n = Integer.parseInt(name.substring(name.indexOf('-') + 1));
                                    jdbc.update("delete from person where id = ?", run * 100L + n);
                                    jdbc.update("insert into person (id, name, score, note) values (?, ?, ?, ?)",
                                            run * 100L + n, name, n / 3.0 + 0.1, "x".repeat(200 * n) + " é ✓");
                                }
                            })
                            .build())
                    .next(new StepBuilder("tally", repository).tasklet((contribution, context) -> {
                        jdbc.update("update totals set people = (select count(*) from person), "
                                + "score_sum = (select coalesce(sum(score), 0) from person) where id = 1");
                        return RepeatStatus.FINISHED;
                    }, tx).build())
                    .build();
            JobParameters params = new JobParametersBuilder().addLong("run", (long) run).addString("label", "run ✓ " + run)
                    .toJobParameters();
            // Started again with the parameters of a failed instance, Spring Batch restarts that instance.
            return operator.start(runJob, params);
        }
    }

}
