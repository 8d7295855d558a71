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
 * database spells them, else ignoring case. Mutable while the step is built; not thread-safe.
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
        if (rules.isEmpty()) {
            return Optional.empty();
        }
        if (!changes.tracked()) {
            return Optional.of("Database expectations cannot be checked: " + changes.summary());
        }
        List<String> failed = new ArrayList<>();
        for (Rule r : rules) {
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
