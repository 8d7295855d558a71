package io.venomqa.state.mysql;

import io.venomqa.state.spi.ActiveCheckpoint;
import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.WorkerDatabases;
import io.venomqa.state.mysql.internal.MySQLSavepointStrategy;
import io.venomqa.state.mysql.internal.MySQLWorkerDatabases;

import java.util.List;
import java.util.Optional;

/**
 * VenomQA state manager for MySQL and MariaDB ({@code db_backend: mysql}, alias {@code mariadb}),
 * over MySQL Connector/J.
 *
 * <pre>{@code
 * StateConfig config = StateConfig.builder()
 *         .backend("mysql")
 *         .url("mysql://qa:secret@localhost:3306/qa_test")
 *         .excludeTables(List.of("countries"))
 *         .build();
 * try (MySQLStateManager state = new MySQLStateManager(config)) {
 *     state.connect();
 *     state.checkpoint("cart-ready");
 *     // … the application writes through state.sharedDataSource() …
 *     state.rollback("cart-ready");
 * }
 * }</pre>
 *
 * <p>What it guarantees (beyond {@link JdbcStateManager}'s guarantees, which apply):
 * <ul>
 *   <li><b>Checkpoints are InnoDB savepoints</b> on one connection with autocommit off, named by
 *       generated identifiers; nothing is committed but {@link #reset()}. Rows of InnoDB tables are
 *       restored exactly, across foreign keys.</li>
 *   <li><b>Tables that ignore transactions</b> (MyISAM, Aria, MEMORY, CSV, …) among the tracked
 *       tables make {@link #connect()} fail with their names, because a rollback could not undo
 *       them; option {@code non_transactional_tables: warn} logs instead (and every rollback that
 *       the server reports as incomplete, warning 1196, is logged).</li>
 *   <li><b>AUTO_INCREMENT counters are not restored by {@link #rollback(String)}.</b> InnoDB hands
 *       out ids outside transactions, and only DDL can set a counter back, which in MySQL commits
 *       the transaction and would end every checkpoint. So after a rollback the next insert gets a
 *       new id (a path run after its sibling sees different ids for its new rows); the rows
 *       themselves are exactly restored. Do not assert literal generated ids across branches: read
 *       the id the API returned, or compare by a business key. {@link #reset()} does restart the
 *       counters at 1. {@link #disconnect()} puts the tracked tables' counters back as
 *       {@code connect()} found them, once the run's transaction is rolled back and the tracked
 *       tables compare as found (DDL is fine then; InnoDB never sets a counter at or below a row's
 *       id; each waits at most a second for another session's metadata lock, else it stays and a
 *       warning names it): the next run gets the same ids. MariaDB sequences are left alone.</li>
 *   <li><b>{@link #reset()}</b> runs {@code TRUNCATE TABLE} on each reset table that has rows or a
 *       used counter, with {@code FOREIGN_KEY_CHECKS} off for the session (InnoDB will not truncate a
 *       referenced table otherwise). {@code TRUNCATE} is DDL and commits implicitly: the reset is
 *       committed (as the contract wants), so is what the run wrote before it, and it ends every
 *       checkpoint, which is logged at INFO with their names, never done silently. Because the checks
 *       are off, the plan is checked first: a table outside the reset set with a foreign key into it
 *       stops the reset, naming both tables, before anything is touched. A {@code TRUNCATE} waits at
 *       most {@code reset_lock_timeout} (default 30 s) for another connection's lock; if one fails
 *       halfway, the error names the tables already emptied for good.</li>
 *   <li><b>A commit behind the manager's back</b> (DDL, {@code START TRANSACTION}, {@code LOCK
 *       TABLES} or a deadlock on the manager's connection, for instance through
 *       {@link #sharedDataSource()}) removes the savepoints on the server; the next rollback or
 *       release reports it (error 1305 underneath), says what was committed, and forgets every
 *       checkpoint.</li>
 *   <li><b>A killed connection</b> ({@code KILL}, server restart, {@code wait_timeout}) is reported
 *       by the next call as a {@link io.venomqa.state.StateConnectionException} saying that the
 *       checkpoints are gone (the server rolled the transaction back); {@link #disconnect()} still
 *       works. {@code autoReconnect} is always off, so the driver never silently continues on a new
 *       connection without the checkpoints.</li>
 *   <li>Option {@code charset} (a MySQL character set name, default {@code utf8mb4}) sets the
 *       session character set, checked after connecting.</li>
 * </ul>
 * Verified on MariaDB 10.11; what differs on MySQL 8 is listed in {@code docs/mysql-backend.md}.
 */
public class MySQLStateManager extends JdbcStateManager {

    /**
     * Builds an unconnected manager.
     *
     * @throws IllegalArgumentException when the URL is not a MySQL/MariaDB URL or an option is unusable
     */
    public MySQLStateManager(StateConfig config) {
        super(config, new MySQLDialect());
        // Checked now so a wrong value fails at configuration time, not at connect().
        MySQLSavepointStrategy.nonTransactionalPolicy(config);
    }

    /** Copies the schema (tables, views) and rows into a database per worker; sources with triggers or routines are refused. */
    @Override
    public Optional<WorkerDatabases> workerDatabases() {
        return Optional.of(new MySQLWorkerDatabases(config(), dialect()));
    }

    @Override
    protected void doRollback(ActiveCheckpoint target, List<ActiveCheckpoint> discarded) {
        try {
            super.doRollback(target, discarded);
        } catch (MySQLSavepointStrategy.SavepointsLostException e) {
            // The server dropped every savepoint: offering the checkpoints any longer would be a lie.
            forgetAllCheckpoints();
            throw e;
        }
    }

    @Override
    protected void doRelease(ActiveCheckpoint target, List<ActiveCheckpoint> released) {
        try {
            super.doRelease(target, released);
        } catch (MySQLSavepointStrategy.SavepointsLostException e) {
            forgetAllCheckpoints();
            throw e;
        }
    }
}
