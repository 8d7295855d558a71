package io.venomqa.state.mysql.internal;

import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.PooledSequences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MariaDB {@code SEQUENCE} objects as identity counters, captured and put back exactly (the journal's
 * checkpoints and rollbacks; the savepoint strategy leaves MySQL counters alone).
 *
 * <p>Why it works this way: MariaDB cannot read a sequence's next value without taking it (the
 * sequence's row shows only {@code next_not_cached_value}, the end of the block the server keeps in
 * memory), and moves one back only by DDL ({@code SETVAL} ignores a lower value). So the first
 * capture of a sequence takes its next value with {@code NEXTVAL} and gives it straight back with
 * {@code ALTER SEQUENCE … RESTART WITH} that value (DDL: it commits, and empties the server's
 * cache). Right after that, the row shows exactly that value, and <em>any</em> later use changes the
 * row: the first {@code NEXTVAL} allocates a new block (or, without a cache, writes the next value),
 * and a cycle raises {@code cycle_count}. The session remembers the row it left ({@link Mark}); a
 * later capture or restore that finds the row unchanged knows the next value without taking it and
 * writes nothing, so a sequence the application did not use costs one read per checkpoint.
 *
 * <p>Limits: a restart sets {@code cycle_count} to 0 (the values handed out are unaffected); a
 * sequence that has run out is recorded as such and left alone; {@code NEXTVAL} and the restart are
 * two statements, so an application taking a value from the same sequence between them (during a
 * checkpoint, when it should be idle) would get that value again later.
 */
public final class MySQLSequences {

    private static final Logger LOG = LoggerFactory.getLogger(MySQLSequences.class);

    /** How a {@link io.venomqa.state.jdbc.spi.SequenceSnapshot} value names a sequence's next value ({@code sequence 42}). */
    public static final String PREFIX = "sequence ";

    /** The value of a sequence that had run out when it was captured: there is nothing to put back. */
    static final String RUN_OUT = PREFIX + "run out";

    /** MariaDB's {@code ER_SEQUENCE_RUN_OUT}. */
    private static final int ER_SEQUENCE_RUN_OUT = 4084;

    private static final String MARKS_KEY = MySQLSequences.class.getName() + ".marks";

    private MySQLSequences() {
    }

    /** Whether a snapshot value is a sequence's (else it is a table's {@code AUTO_INCREMENT}). */
    public static boolean isSequenceValue(String value) {
        return value.startsWith(PREFIX);
    }

    /** The row this session left a sequence with, and the value the sequence hands out next from it. */
    record Mark(String row, long next) {
    }

    /** The session's {@link Mark}s, by sequence name (forgotten with the session's schema: then the next capture takes and gives back again). */
    static final class Marks {
        final Map<String, Mark> bySequence = new HashMap<>();
        /** The sequences that step by more than 1, with their steps, when {@link #pools} was last read. */
        Map<String, Long> poolCandidates = Map.of();
        /** The application's id pools found then ({@link #pools}), logged when they change. */
        List<String> pools = List.of();
    }

    private static Marks marks(JdbcSession session) throws SQLException {
        return session.cached(MARKS_KEY, Marks.class, s -> new Marks());
    }

    /**
     * The next value of each of {@code sequences}, as snapshot values ({@value #PREFIX}{@code n}), in
     * their order. Commits (DDL) only where a sequence was used since this session last left it.
     */
    public static Map<String, String> capture(JdbcSession session, List<String> sequences) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        if (sequences.isEmpty()) {
            return values;
        }
        Marks marks = marks(session);
        Map<String, Row> rows = rows(session, sequences);
        List<String> pools = pools(session, marks, rows);
        List<String> moved = new ArrayList<>();
        for (String s : sequences) {
            if (pools.contains(s)) {
                continue;
            }
            Mark m = marks.bySequence.get(s);
            Row row = rows.get(s);
            if (row == null) {
                continue; // not read: nothing to save (the query names each one, so this does not happen)
            }
            if (m != null && m.row().equals(row.text())) {
                values.put(s, PREFIX + m.next());
            } else {
                values.put(s, null); // keeps the order; filled in below
                moved.add(s);
            }
        }
        Map<String, Long> restarted = new LinkedHashMap<>();
        for (String s : moved) {
            Long next = peekNext(session.connection(), session.dialect().quote(s));
            if (next == null) {
                values.put(s, RUN_OUT);
                marks.bySequence.remove(s);
            } else {
                values.put(s, PREFIX + next);
                restarted.put(s, next);
            }
        }
        remember(session, marks, restarted);
        values.values().removeIf(v -> v == null);
        return values;
    }

    /**
     * Puts the sequences of {@code saved} (name to snapshot value) back: those this session left
     * unchanged at the saved value are not written; a sequence dropped since (not in {@code existing})
     * is skipped; one recorded as run out is left alone. A positive-step sequence is never set at or
     * below a value that a column whose default takes from it still holds (a row the caller's undo
     * did not remove): it is set past that value instead, with a warning. Commits (DDL) when it writes.
     */
    public static void restore(JdbcSession session, Map<String, String> saved, List<String> existing) throws SQLException {
        List<String> present = new ArrayList<>();
        for (String s : saved.keySet()) {
            if (existing.contains(s) && !RUN_OUT.equals(saved.get(s))) {
                present.add(s);
            }
        }
        if (present.isEmpty()) {
            return;
        }
        Marks marks = marks(session);
        Map<String, Row> rows = rows(session, present);
        Map<String, Long> targets = new LinkedHashMap<>();
        for (String s : present) {
            long next = Long.parseLong(saved.get(s).substring(PREFIX.length()));
            Mark m = marks.bySequence.get(s);
            Row row = rows.get(s);
            if (row != null && !(m != null && m.next() == next && m.row().equals(row.text()))) {
                targets.put(s, next);
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        Map<String, Long> floors = floors(session, targets.keySet(), rows);
        Map<String, Long> restarted = new LinkedHashMap<>();
        for (Map.Entry<String, Long> t : targets.entrySet()) {
            long next = t.getValue();
            Long floor = floors.get(t.getKey());
            if (floor != null && floor >= next) {
                long increment = rows.get(t.getKey()).increment();
                LOG.warn("Sequence {} is set to {} instead of its saved next value {}: a column that takes its values "
                                + "from it holds {} in rows the rollback did not remove (a table outside the journal?), so the "
                                + "next insert would collide.", t.getKey(), floor + increment, next, floor);
                next = floor + increment;
            }
            Mark m = marks.bySequence.get(t.getKey());
            if (m != null && m.next() == next && m.row().equals(rows.get(t.getKey()).text())) {
                continue; // already set past those rows by an earlier restore
            }
            restartQuoted(session.connection(), session.dialect().quote(t.getKey()), next);
            restarted.put(t.getKey(), next);
        }
        remember(session, marks, restarted);
    }

    /** The sequence's row as text (every column, so that any use or DDL changes it) and its step. */
    record Row(String text, long increment) {
    }

    /** The current row of each sequence, in one query. */
    static Map<String, Row> rows(JdbcSession session, List<String> sequences) throws SQLException {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < sequences.size(); i++) {
            if (i > 0) {
                sql.append(" union all ");
            }
            sql.append("select ").append(i).append(", concat_ws(':', next_not_cached_value, minimum_value, maximum_value, "
                            + "start_value, increment, cache_size, cycle_option, cycle_count), increment from ")
                    .append(session.dialect().quote(sequences.get(i)));
        }
        Map<String, Row> rows = new HashMap<>();
        try (Statement st = session.connection().createStatement(); ResultSet rs = st.executeQuery(sql.toString())) {
            while (rs.next()) {
                rows.put(sequences.get(rs.getInt(1)), new Row(rs.getString(2), rs.getLong(3)));
            }
        }
        return rows;
    }

    /**
     * Notes the rows of the sequences just restarted (sequence to the value it now hands out next),
     * which any later use will change.
     */
    private static void remember(JdbcSession session, Marks marks, Map<String, Long> restarted) throws SQLException {
        if (restarted.isEmpty()) {
            return;
        }
        Map<String, Row> after = rows(session, List.copyOf(restarted.keySet()));
        restarted.forEach((s, next) -> {
            Row row = after.get(s);
            if (row == null) {
                marks.bySequence.remove(s);
            } else {
                marks.bySequence.put(s, new Mark(row.text(), next));
            }
        });
    }

    /**
     * The value sequence {@code quoted} ({@code `db`.`s`}, already quoted) hands out next, read by
     * taking it and giving it straight back ({@code ALTER SEQUENCE … RESTART WITH} it: DDL, commits),
     * so that the sequence is left as it was; null when it has run out. For copies of a database
     * (worker databases), whose sequences must go on where the source's are.
     */
    public static Long peekNext(Connection c, String quoted) throws SQLException {
        Long next = takeNext(c, quoted);
        if (next != null) {
            restartQuoted(c, quoted, next);
        }
        return next;
    }

    /** {@code NEXTVAL} of {@code quoted}, or null when the sequence has run out (MariaDB error 4084). */
    private static Long takeNext(Connection c, String quoted) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select nextval(" + quoted + ")")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_SEQUENCE_RUN_OUT) {
                return null;
            }
            throw e;
        }
    }

    /** How long a restart waits for another connection's metadata lock on the sequence (the server's default is a day). */
    static final int LOCK_WAIT_SECONDS = 30;

    /** MariaDB's {@code ER_LOCK_WAIT_TIMEOUT}. */
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;

    /** {@code ALTER SEQUENCE quoted RESTART WITH next}, waiting at most {@value #LOCK_WAIT_SECONDS} s for a lock. */
    public static void restartQuoted(Connection c, String quoted, long next) throws SQLException {
        try (Statement st = c.createStatement()) {
            // DDL: commits implicitly and empties the server's cache of the sequence.
            st.execute("set statement lock_wait_timeout = " + LOCK_WAIT_SECONDS + " for alter sequence " + quoted
                    + " restart with " + next);
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_LOCK_WAIT_TIMEOUT) {
                throw new SQLException("Could not put sequence " + quoted + " back to " + next + ": another connection "
                        + "kept it locked for " + LOCK_WAIT_SECONDS + " s (an open transaction that used it). Let the "
                        + "application finish its transactions before a checkpoint or rollback.", e.getSQLState(),
                        e.getErrorCode(), e);
            }
            throw e;
        }
    }

    /**
     * Those of the sequences read ({@code rows}) that are an application's id pool ({@link PooledSequences}): they
     * step by more than 1 and no column of this schema has a default that takes from them (MariaDB shows
     * {@code nextval(`db`.`s`)}). Never captured, so never moved back. Kept in {@code marks} with the steps they
     * were found with.
     */
    private static List<String> pools(JdbcSession session, Marks marks, Map<String, Row> rows) throws SQLException {
        Map<String, Long> candidates = new HashMap<>();
        rows.forEach((s, row) -> {
            if (Math.abs(row.increment()) > 1) {
                candidates.put(s, row.increment());
            }
        });
        // The column defaults are read again only when the sequences stepping by more than 1 change: DDL during a
        // journal run is refused anyway, and this runs at every checkpoint.
        if (candidates.equals(marks.poolCandidates)) {
            return marks.pools;
        }
        Map<String, String> byDefault = new HashMap<>();
        candidates.keySet().forEach(s -> byDefault.put(defaultText(session, s), s));
        java.util.Set<String> drawn = new java.util.HashSet<>();
        if (!byDefault.isEmpty()) {
            columnsTakingFrom(session, byDefault).forEach(c -> drawn.add(c[0]));
        }
        List<String> out = new ArrayList<>();
        byDefault.values().stream().sorted().forEach(s -> {
            if (PooledSequences.isPool(rows.get(s).increment(), drawn.contains(s))) {
                out.add(s);
            }
        });
        if (!out.isEmpty() && !out.equals(marks.pools)) {
            LOG.info(PooledSequences.MESSAGE, out);
        }
        marks.poolCandidates = candidates;
        marks.pools = out;
        return out;
    }

    /** A column default that takes from sequence {@code s} of this schema, as MariaDB shows it ({@code nextval(`db`.`s`)}). */
    private static String defaultText(JdbcSession session, String s) {
        return "nextval(" + session.dialect().quote(session.schemaName()) + "." + session.dialect().quote(s) + ")";
    }

    /**
     * The columns of this schema whose default takes from a sequence, as {sequence, table, column}: {@code byDefault}
     * maps the default's text as MariaDB shows it ({@code nextval(`db`.`s`)}) to the sequence's name.
     */
    private static List<String[]> columnsTakingFrom(JdbcSession session, Map<String, String> byDefault) throws SQLException {
        List<String[]> columns = new ArrayList<>();
        try (Statement st = session.connection().createStatement(); ResultSet rs = st.executeQuery(
                "select column_default, table_name, column_name from information_schema.columns "
                        + "where table_schema = database() and column_default like 'nextval(%'")) {
            while (rs.next()) {
                String s = byDefault.get(rs.getString(1));
                if (s != null) {
                    columns.add(new String[] {s, rs.getString(2), rs.getString(3)});
                }
            }
        }
        return columns;
    }

    /**
     * For each of {@code sequences} with a positive step, the largest value held by a column of this
     * schema whose default is {@code NEXT VALUE FOR} it (MariaDB shows {@code nextval(`db`.`s`)}).
     */
    private static Map<String, Long> floors(JdbcSession session, Iterable<String> sequences, Map<String, Row> rows)
            throws SQLException {
        Map<String, String> byDefault = new HashMap<>();
        for (String s : sequences) {
            if (rows.get(s).increment() > 0) {
                byDefault.put(defaultText(session, s), s);
            }
        }
        Map<String, Long> floors = new HashMap<>();
        if (byDefault.isEmpty()) {
            return floors;
        }
        List<String[]> columns = columnsTakingFrom(session, byDefault);
        if (columns.isEmpty()) {
            return floors;
        }
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sql.append(" union all ");
            }
            sql.append("select ").append(i).append(", max(").append(session.dialect().quote(columns.get(i)[2])).append(") from ")
                    .append(session.dialect().quote(columns.get(i)[1]));
        }
        try (Statement st = session.connection().createStatement(); ResultSet rs = st.executeQuery(sql.toString())) {
            while (rs.next()) {
                long max = rs.getLong(2);
                if (!rs.wasNull()) {
                    floors.merge(columns.get(rs.getInt(1))[0], max, Math::max);
                }
            }
        }
        return floors;
    }
}
