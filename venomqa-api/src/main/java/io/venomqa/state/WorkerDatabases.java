package io.venomqa.state;

/**
 * Optional capability of a {@link StateManager}: making isolated copies of the database under test,
 * one per parallel worker, and dropping them afterwards. Obtained with
 * {@link StateManager#workerDatabases()}; empty where the backend cannot copy its database.
 *
 * <p>Guarantees of every implementation:
 * <ul>
 *   <li>{@link #create(int)} checks the database under test and every copy with the test-database
 *       guard ({@link io.venomqa.state.spi.TestDatabaseGuard}) before creating anything: host rules,
 *       {@code VENOMQA_ENV=production}, name rules. A copy of a database that {@code allowed_databases}
 *       lets through is allowed too, because VenomQA made it.</li>
 *   <li>Each copy holds the committed schema and rows of the database under test as they were when
 *       it was made; writes to one copy are invisible to the others and to the original. (A backend
 *       that copies only the schema under test, PostgreSQL's schema copies, says so: other schemas
 *       of the database are then shared.)</li>
 *   <li>Copies are named recognisably: {@code <database>_vqw_<run>_<n>} (the database name cut so
 *       that the whole fits the server's identifier limit; {@code <schema>_vqw_<run>_<n>} for schema
 *       copies), {@code run} eight lower-case letters and digits, {@code n} from 1.</li>
 *   <li>A run holds a liveness lock (a session lock on the server, a file lock for file databases)
 *       until {@link WorkerSet#close()}; {@link #create(int)} first drops the copies of every run
 *       whose lock is free, that is, of runs that died without cleaning up, and lists them in
 *       {@link WorkerSet#droppedLeftovers()}. Copies of a live run, in this JVM or another process,
 *       are never touched.</li>
 *   <li>When creating one copy fails, the copies made so far are dropped before the exception
 *       ({@link WorkerDatabaseException}, saying what to do) is thrown.</li>
 * </ul>
 */
public interface WorkerDatabases {

    /** The infix of every copy's name: {@code <database>_vqw_<run>_<n>}. */
    String NAME_INFIX = "_vqw_";

    /**
     * Makes {@code count} copies of the database under test (see the class guarantees).
     *
     * @param count 1 or more
     * @throws UnsafeDatabaseException  when the guard refuses the database or a copy
     * @throws WorkerDatabaseException when a copy could not be made or a leftover not dropped
     */
    WorkerSet create(int count);
}
