package io.venomqa.journey;

import io.venomqa.state.DbChanges;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a step is expected to write to the database, checked against the rows it did write
 * ({@link DbChanges}) after it ran:
 *
 * <pre>{@code
 * Step.builder("pay").action(pay).expectDb(db -> db.inserted("payments", 1).updated("orders", 1).unchanged("carts"))
 * }</pre>
 *
 * A failed expectation fails the step with every expectation that did not hold and the changes as
 * they were. When the changes are not tracked (no state manager, or one that cannot), the step
 * fails saying so: an expectation that cannot be checked never passes. Table names match as the
 * database spells them, else ignoring case; a name that is not one of the tracked tables (when the
 * state manager can list them, {@link io.venomqa.state.ChangeTracker#tables()}) fails the step with
 * the nearest tracked name, since a typo in {@code unchanged("prodcut")} would otherwise always hold
 * (until 2026-12-06 it did). Mutable while the step is built; not thread-safe.
 */
public final class DbExpectation {

    private record Rule(String table, String kind, int count) {
    }

    private final List<Rule> rules = new ArrayList<>();

    DbExpectation() {
    }

    /** Exactly {@code rows} rows inserted into {@code table}. */
    public DbExpectation inserted(String table, int rows) {
        return add(table, "inserted", rows);
    }

    /** Exactly {@code rows} rows of {@code table} updated. */
    public DbExpectation updated(String table, int rows) {
        return add(table, "updated", rows);
    }

    /** Exactly {@code rows} rows deleted from {@code table}. */
    public DbExpectation deleted(String table, int rows) {
        return add(table, "deleted", rows);
    }

    /** No row of {@code table} inserted, updated or deleted. */
    public DbExpectation unchanged(String table) {
        return add(table, "changed", 0);
    }

    /** No row of any table written. */
    public DbExpectation nothingWritten() {
        return add(null, "changed", 0);
    }

    private DbExpectation add(String table, String kind, int rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("A row count cannot be negative: " + rows);
        }
        rules.add(new Rule(table, kind, rows));
        return this;
    }

    /** Whether no expectation was declared. */
    boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * Checks {@code changes}; empty when every expectation holds, else why not (each failed
     * expectation, then the changes as they were).
     */
    public Optional<String> check(DbChanges changes) {
        return check(changes, null);
    }

    /**
     * {@link #check(DbChanges)}, where an expectation naming a table that is not among {@code knownTables} (the
     * tables whose changes are tracked, as {@link DbChanges} names them; null when not known) fails, naming the
     * nearest tracked table.
     */
    public Optional<String> check(DbChanges changes, java.util.Collection<String> knownTables) {
        if (rules.isEmpty()) {
            return Optional.empty();
        }
        if (!changes.tracked()) {
            return Optional.of("Database expectations cannot be checked: " + changes.summary());
        }
        List<String> failed = new ArrayList<>();
        for (Rule r : rules) {
            String unknown = r.table() == null || knownTables == null ? null : unknown(r.table(), knownTables);
            if (unknown != null) {
                failed.add(unknown);
                continue;
            }
            int actual = actual(changes, r);
            if (actual != r.count()) {
                String where = r.table() == null ? "any table" : r.table();
                failed.add(r.kind().equals("changed")
                        ? where + " expected unchanged, but " + actual + (actual == 1 ? " row was" : " rows were") + " written"
                        : r.count() + (r.count() == 1 ? " row " : " rows ") + r.kind() + " in " + where
                        + " expected, " + actual + " actual");
            }
        }
        if (failed.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("Database expectation failed: " + String.join("; ", failed) + ". Written: " + changes.summary());
    }

    /** Why {@code table} is no tracked table's name, or null when it is one (exactly, else ignoring case). */
    private static String unknown(String table, java.util.Collection<String> known) {
        for (String k : known) {
            if (k.equals(table) || k.equalsIgnoreCase(table)) {
                return null;
            }
        }
        int dot = table.lastIndexOf('.');
        String bare = dot >= 0 ? table.substring(dot + 1) : null;
        Optional<String> near = bare != null && known.stream().anyMatch(k -> k.equalsIgnoreCase(bare)) ? Optional.of(bare)
                : io.venomqa.core.DidYouMean.nearest(table, known);
        List<String> sorted = known.stream().sorted().toList();
        return "table '" + table + "' is not one whose changes are tracked" + near.map(n -> " (did you mean '" + n + "'?"
                + (bare != null && n.equals(bare) ? " Tables are named without their schema" : "") + ")").orElse("")
                + "; tracked: " + (sorted.isEmpty() ? "none" : String.join(", ", sorted.subList(0, Math.min(sorted.size(), 20)))
                + (sorted.size() > 20 ? " and " + (sorted.size() - 20) + " more" : ""));
    }

    private static int actual(DbChanges c, Rule r) {
        if (r.table() == null) {
            return c.totalCount();
        }
        return switch (r.kind()) {
            case "inserted" -> c.inserted(r.table());
            case "updated" -> c.updated(r.table());
            case "deleted" -> c.deleted(r.table());
            default -> c.table(r.table()).map(t -> t.count()).orElse(0);
        };
    }
}
