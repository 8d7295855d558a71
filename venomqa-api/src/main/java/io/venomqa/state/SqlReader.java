package io.venomqa.state;

import java.util.List;
import java.util.Map;

/**
 * Optional capability of a {@link StateManager} over a SQL database: running a query where it sees
 * what the run sees (in the savepoint strategy, inside the run's open transaction, so the steps' own
 * uncommitted writes are visible), for checks such as a step's {@code checkSql}. Obtained with
 * {@link StateManager#sqlReader()}.
 *
 * <p>Guarantees: the query cannot change the state of the run: it runs inside a savepoint that is
 * rolled back afterwards, whatever it did (except statements the database commits by itself, such as
 * DDL on MySQL/MariaDB or H2: do not run those); the run's transaction and checkpoints are untouched;
 * a failing query raises an exception naming it and leaves the transaction usable.
 */
public interface SqlReader {

    /**
     * Every row of {@code sql}, each a column label → value map in column order.
     *
     * @param params bound in order with {@code PreparedStatement.setObject}
     */
    List<Map<String, Object>> query(String sql, List<?> params);
}
