package io.venomqa.state.journal.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contents of the schema's materialized views (PostgreSQL), which no trigger sees: a {@code REFRESH
 * MATERIALIZED VIEW} during the run (an endpoint that refreshes a reporting view) leaves them as the run's rows made
 * them, after the journal has put those rows back. Guarantee: after a rollback, a tree restore or {@code disconnect()}
 * each view that was refreshed since the checkpoint (or {@code connect()}) holds what it held then, or the call
 * throws naming it; never a silent success with the run's contents.
 *
 * <p>How: the view's {@code pg_class} row ({@link DefinitionWatch.Marks#matviews}, read in the catalog read every
 * checkpoint, rollback and restore already makes) changes with every refresh, concurrent or not. A digest of each
 * view's rows is read at {@code connect()} and at a checkpoint where the view changed since the last digest (a
 * schema without views pays nothing, one whose views were not refreshed pays nothing more either). A rollback that
 * finds a view changed since its checkpoint reads its digest (an {@code ANALYZE} changes the row too), and where it
 * differs refreshes the view on the restored tables, in the undo's transaction: equal digests, exact, committed with
 * the tables; different ones (the view was stale at the checkpoint, or its query reads tables the journal does not
 * put back) fail the rollback or restore with nothing undone, as other refusals do, and make {@code disconnect()}
 * put the tables back and name the view, left as the run left it. Across a {@code kill -9} the digests of
 * {@code connect()} are in the run record ({@link RunDefinitions}), and the recovery restores the views the same way.
 */
final class MaterializedViews {

    /** A view's marks ({@code oid relfilenode xmin populated readable}) and the digest of its rows under them. */
    record State(String marks, String digest) {
    }

    /** The digest of a view not populated ({@code WITH NO DATA}), which cannot be read. */
    private static final String UNPOPULATED = "unpopulated";
    /** The digest of a view VenomQA's role may not read: whether it changed cannot be told. */
    private static final String UNREADABLE = "unreadable";

    private final JournalSql sql;
    /** Per view, the last digest read and the marks it was read under. */
    private final Map<String, State> known = new HashMap<>();

    MaterializedViews(JournalSql sql) {
        this.sql = sql;
    }

    /**
     * The state of each view {@code now} lists (as {@link DefinitionWatch.Marks#matviews} has them), a digest read only
     * where its marks changed since the last one. Empty, reading nothing, where there are no views.
     */
    Map<String, State> note(Connection c, Map<String, String> now) throws SQLException {
        if (now.isEmpty()) {
            return Map.of();
        }
        Map<String, State> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> v : ordered(now)) {
            String marks = marks(v.getValue());
            State last = known.get(v.getKey());
            if (last == null || !last.marks().equals(marks)) {
                last = new State(marks, digest(c, v.getValue()));
                known.put(v.getKey(), last);
            }
            out.put(v.getKey(), last);
        }
        return out;
    }

    /**
     * Puts each view of {@code target} back to its contents there, in the order the views were created (a view on
     * another one after it), in the caller's transaction: a rollback's or restore's undo, which commits them with the
     * tables or, where this finds a view it cannot put back, is rolled back whole; {@code disconnect()}'s own, after
     * the tables. Each refresh that does not give the view's contents of then is rolled back to a savepoint.
     * {@code target} takes the new marks of a view found exact (marks are only a hint: a view whose marks differ is
     * digested again, so marks of a transaction that rolled back cost a digest, never a wrong answer).
     *
     * @param now the views as the catalog read them before the undo (an undo refreshes none)
     * @return null when every view holds its contents of {@code target}; else why not, one entry per view
     */
    List<String> restore(Connection c, String schema, Map<String, State> target, Map<String, String> now) throws SQLException {
        if (target.isEmpty()) {
            return null;
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> v : ordered(now)) {
            String name = v.getKey();
            State then = target.get(name);
            if (then == null) {
                continue; // created after the target: like a table created during the run, left as it is
            }
            String marks = marks(v.getValue());
            if (marks.equals(then.marks())) {
                continue;
            }
            String digest = digest(c, v.getValue());
            known.put(name, new State(marks, digest));
            if (UNREADABLE.equals(digest) || UNREADABLE.equals(then.digest())) {
                problems.add("'" + name + "' (VenomQA's role may not read it, so whether it holds its rows of then cannot "
                        + "be told; GRANT SELECT on it to that role, and make the role its owner or a member of the owner "
                        + "so that it can refresh it)");
                continue;
            }
            if (digest.equals(then.digest())) {
                target.put(name, new State(marks, digest));
                continue;
            }
            String qualified = qualified(v.getValue());
            Savepoint before = c.setSavepoint();
            try {
                sql.refreshMatview(c, qualified, !UNPOPULATED.equals(then.digest()));
                String refreshed = UNPOPULATED.equals(then.digest()) ? UNPOPULATED : sql.matviewDigest(c, qualified);
                if (refreshed.equals(then.digest())) {
                    c.releaseSavepoint(before);
                    State exact = new State(marks(sql.matviewMarks(c, schema).getOrDefault(name, v.getValue())), refreshed);
                    known.put(name, exact);
                    target.put(name, exact);
                } else {
                    c.rollback(before);
                    problems.add("'" + name + "' (" + rows(then.digest()) + " then, " + rows(digest) + " as the run left it, "
                            + rows(refreshed) + " refreshed on the restored tables, with other rows: it was not fresh when it "
                            + "was taken, or its query reads tables the journal does not put back, excluded ones or other "
                            + "schemas)");
                }
            } catch (SQLException e) {
                c.rollback(before);
                problems.add("'" + name + "' (it could not be refreshed: " + e.getMessage() + ("42501".equals(e.getSQLState())
                        ? "; VenomQA's role must own the view or be a member of its owner)" : ")"));
            }
        }
        for (String name : target.keySet()) {
            if (!now.containsKey(name)) {
                problems.add("'" + name + "' (dropped or renamed during the run)");
            }
        }
        return problems.isEmpty() ? null : problems;
    }

    /** What {@link #restore} found, as a sentence that says what to do; {@code what} the call ("the rollback"). */
    static String describe(List<String> problems, String what) {
        return "Materialized view(s) " + String.join(", ", problems) + " were changed during the run (REFRESH MATERIALIZED "
                + "VIEW), and " + what + " could not give them back their contents. Refresh "
                + "the views before connect() and before taking checkpoints (REFRESH MATERIALIZED VIEW <name>), keep the "
                + "tables their queries read tracked, or, with the application in this JVM, use checkpoint_strategy: "
                + "savepoint.";
    }

    private String digest(Connection c, String value) throws SQLException {
        String[] parts = value.split(" ", 6);
        return !"1".equals(parts[3]) ? UNPOPULATED : !"1".equals(parts[4]) ? UNREADABLE : sql.matviewDigest(c, parts[5]);
    }

    private static String rows(String digest) {
        if (UNPOPULATED.equals(digest)) {
            return "not populated";
        }
        String n = digest.substring(0, digest.indexOf(' '));
        return n + ("1".equals(n) ? " row" : " rows");
    }

    private static String marks(String value) {
        String[] parts = value.split(" ", 6);
        return String.join(" ", parts[0], parts[1], parts[2], parts[3], parts[4]);
    }

    private static String qualified(String value) {
        return value.split(" ", 6)[5];
    }

    private static List<Map.Entry<String, String>> ordered(Map<String, String> views) {
        List<Map.Entry<String, String>> out = new ArrayList<>(views.entrySet());
        out.sort(Comparator.comparingLong(e -> Long.parseLong(e.getValue().substring(0, e.getValue().indexOf(' ')))));
        return out;
    }
}
