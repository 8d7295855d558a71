package io.venomqa.state.journal;

import io.venomqa.state.CheckpointTree;
import io.venomqa.state.RollbackException;
import io.venomqa.state.StateManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quartz.CronScheduleBuilder;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.PersistJobDataAfterExecution;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.calendar.HolidayCalendar;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.utils.ConnectionProvider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A third-party application that writes from its own threads: a Quartz scheduler with its JDBC job store (the table
 * scripts its jar ships, unchanged), firing jobs on its worker threads through connections of its own, taking its row
 * locks ({@code SELECT … FOR UPDATE} on {@code QRTZ_LOCKS}, whose rows it inserts on first use), keeping job data and
 * calendars as serialized Java objects in binary columns and updating a job's data after every run. Between the
 * checkpoints the scheduler is put in standby and its running jobs are let finish, so that the dump it is compared
 * with is a state the database holds still in; the scheduler carries on after every rollback and restore, on the
 * state given back.
 */
class QuartzJournalTest {

    @RegisterExtension
    static final OwnPgDatabase DATABASE = new OwnPgDatabase();

    /** The database the scheduler's {@link Provider} connects to (one test at a time). */
    static volatile JournalDb current;

    /** How often each job has run, by job name. */
    static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

    @Test
    @DisplayName("PostgreSQL: a running Quartz scheduler's job store and its jobs' writes are undone exactly")
    void postgres() throws Exception {
        try (PgDb db = new PgDb(DATABASE)) {
            exercise(db, "tables_postgres.sql", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate", db::dump);
        }
    }

    @Test
    @DisplayName("MariaDB: a running Quartz scheduler's job store (InnoDB script) and its jobs' writes are undone exactly")
    void mariadb() throws Exception {
        try (MyDb db = new MyDb()) {
            exercise(db, "tables_mysql_innodb.sql", "org.quartz.impl.jdbcjobstore.StdJDBCDelegate", db::dump);
        }
    }

    private void exercise(JournalDb db, String script, String delegate, ThirdPartyApps.Dump dump) throws Exception {
        db.exec(ThirdPartyApps.script(Scheduler.class, "/org/quartz/impl/jdbcjobstore/" + script).toArray(String[]::new));
        db.exec("create table fired (job varchar(100) not null, n int not null, note varchar(200), primary key (job, n))");
        current = db;
        RUNS.clear();
        String name = "vq" + Long.toHexString(System.nanoTime());
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", name);
        p.setProperty("org.quartz.threadPool.threadCount", "2");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", delegate);
        p.setProperty("org.quartz.jobStore.dataSource", "app");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        // Row locks in the database, as a clustered scheduler takes them (an unclustered one locks in memory).
        p.setProperty("org.quartz.jobStore.lockHandler.class", "org.quartz.impl.jdbcjobstore.StdRowLockSemaphore");
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.dataSource.app.connectionProvider.class", Provider.class.getName());
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();

        List<String> before = dump.take();
        StateManager manager = db.manager();
        manager.connect();
        try {
            manager.checkpoint("start");
            scheduler.start();
            HolidayCalendar holidays = new HolidayCalendar();
            holidays.addExcludedDate(new Date(1_800_000_000_000L));
            scheduler.addCalendar("holidays", holidays, false, false);
            scheduler.scheduleJob(TriggerBuilder.newTrigger().withIdentity("nightly", "later")
                    .forJob(addJob(scheduler, "report"))
                    .withSchedule(CronScheduleBuilder.cronSchedule("0 0 3 * * ?")).modifiedByCalendar("holidays").build());
            scheduler.pauseTriggers(GroupMatcher.triggerGroupEquals("later"));
            fire(scheduler, "import", 5);
            List<String> a = settle(scheduler, dump);
            manager.checkpoint("a");

            scheduler.start();
            fire(scheduler, "export", 3);
            holidays.addExcludedDate(new Date(1_900_000_000_000L));
            scheduler.addCalendar("holidays", holidays, true, true);
            scheduler.resumeTriggers(GroupMatcher.triggerGroupEquals("later"));
            fire(scheduler, "import", 2);
            List<String> b = settle(scheduler, dump);
            manager.checkpoint("b");

            CheckpointTree tree = manager.checkpointTree().orElseThrow();
            tree.restore("a");
            assertThat(dump.take()).as("after restore(a)").isEqualTo(a);
            scheduler.start();
            fire(scheduler, "export", 4);
            List<String> c = settle(scheduler, dump);
            manager.checkpoint("c");

            ThirdPartyApps.acrossTheTree(manager, dump, a, b, c);
            scheduler.start();
            fire(scheduler, "export", 2);

            // Checkpoints and rollbacks while the scheduler fires a job every few milliseconds, each rollback after
            // the job has run since its checkpoint: each rolls back exactly at one moment, the scheduler's writes
            // waiting for the undo (MariaDB: LOCK TABLES since 2026-12-07; before, most were refused there because
            // the scheduler committed during the undo). Once the scheduler is still, going back to the start
            // gives the start.
            scheduler.scheduleJob(TriggerBuilder.newTrigger().withIdentity("busy", "now").forJob(addJob(scheduler, "busy"))
                    .startNow().withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(5)
                            .repeatForever()).build());
            AtomicInteger busy = RUNS.computeIfAbsent("busy", k -> new AtomicInteger());
            List<String> refused = new ArrayList<>();
            int ranBetween = 0;
            for (int i = 0; i < 6; i++) {
                manager.checkpoint("busy" + i);
                // A rollback puts back the scheduler's rows too (a trigger BLOCKED while its job ran, say), which
                // its memory does not follow: it may stop firing. So wait for a run, but not forever.
                int seen = busy.get();
                long end = System.nanoTime() + 2_000_000_000L;
                while (busy.get() == seen && System.nanoTime() < end) {
                    Thread.sleep(2);
                }
                ranBetween += busy.get() > seen ? 1 : 0;
                try {
                    manager.rollback("busy" + i);
                } catch (RollbackException e) {
                    refused.add(e.getMessage());
                }
            }
            assertThat(ranBetween).as("rollbacks with the job run since their checkpoint").isPositive();
            assertThat(refused).as("rollbacks refused").isEmpty();
            scheduler.shutdown(true); // its jobs finished and its threads stopped: nothing writes any more
            tree.restore("start");
            assertThat(dump.take()).as("after restore(start)").isEqualTo(before);
        } finally {
            scheduler.shutdown(true);
            manager.disconnect();
            current = null;
        }
        assertThat(dump.take()).as("after disconnect()").isEqualTo(before);
    }

    /** A durable job {@code job} (its data a map with a counter and bytes), added or replaced; its key. */
    private static JobKey addJob(Scheduler scheduler, String job) throws Exception {
        JobDataMap data = new JobDataMap();
        data.put("count", 0);
        data.put("blob", new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xe9});
        data.put("label", "ünïcode ✓ " + job);
        scheduler.addJob(JobBuilder.newJob(CountingJob.class).withIdentity(job, "jobs").storeDurably()
                .usingJobData(data).build(), true);
        return JobKey.jobKey(job, "jobs");
    }

    /** Schedules {@code job} to run {@code times} times, 10 ms apart, and waits until its trigger is done. */
    private static void fire(Scheduler scheduler, String job, int times) throws Exception {
        JobKey key = JobKey.jobKey(job, "jobs");
        if (!scheduler.checkExists(key)) {
            addJob(scheduler, job);
        }
        int target = RUNS.computeIfAbsent(job, k -> new AtomicInteger()).get() + times;
        TriggerKey trigger = TriggerKey.triggerKey(job + "-" + target, "now");
        scheduler.scheduleJob(TriggerBuilder.newTrigger().withIdentity(trigger).forJob(key).startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(10).withRepeatCount(times - 1))
                .build());
        long end = System.nanoTime() + 30_000_000_000L;
        while (RUNS.get(job).get() < target || scheduler.getTriggerState(trigger) != Trigger.TriggerState.NONE) {
            assertThat(System.nanoTime()).as("job " + job + " ran " + times + " times within 30 s").isLessThan(end);
            Thread.sleep(10);
        }
    }

    /** Puts the scheduler in standby, lets its running jobs finish, and returns the dump of that still state. */
    private static List<String> settle(Scheduler scheduler, ThirdPartyApps.Dump dump) throws Exception {
        scheduler.standby();
        long end = System.nanoTime() + 30_000_000_000L;
        while (!scheduler.getCurrentlyExecutingJobs().isEmpty()) {
            assertThat(System.nanoTime()).as("running jobs finished within 30 s").isLessThan(end);
            Thread.sleep(10);
        }
        return dump.take();
    }

    /** The application's job: counts its runs in its persisted data (a binary column) and writes a row of its own. */
    @PersistJobDataAfterExecution
    @DisallowConcurrentExecution
    public static final class CountingJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            String job = context.getJobDetail().getKey().getName();
            JobDataMap data = context.getJobDetail().getJobDataMap();
            int n = data.getInt("count") + 1;
            data.put("count", n);
            try (Connection c = current.connect();
                 PreparedStatement st = c.prepareStatement("insert into fired (job, n, note) values (?, ?, ?)")) {
                st.setString(1, job);
                st.setInt(2, n);
                st.setString(3, "run " + n + " of " + job + " ✓");
                st.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            RUNS.computeIfAbsent(job, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** Quartz's connections: new ones to {@link #current}, as a pool would hand out. */
    public static final class Provider implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return current.connect();
        }

        @Override
        public void shutdown() {
        }

        @Override
        public void initialize() {
        }
    }

}
