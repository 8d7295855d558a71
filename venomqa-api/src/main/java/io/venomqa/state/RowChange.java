package io.venomqa.state;

import io.venomqa.state.internal.CompactRow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One row a step inserted, updated or deleted, as part of {@link DbChanges}.
 *
 * <p>Values are the database's text for them ({@code null} for SQL {@code NULL}; binary values as
 * {@code 0x…} hex), not typed objects: they are for reading and comparing. A value reads the same whichever
 * strategy captured it: the database's own text ({@code {1,NULL}} for a PostgreSQL array,
 * {@code 2020-01-01 00:00:00+00} for a {@code timestamptz}), booleans as {@code true}/{@code false} where
 * the database has them (a MySQL/MariaDB {@code BOOLEAN} is a {@code TINYINT}, shown as its number), MySQL's
 * {@code BIT} as its number ({@code b'1011'} as {@code 11}). On SQLite, where one
 * column may hold values of several storage classes, a value that changes its storage class alone
 * (the integer {@code 1} to the text {@code '1'}) reads as unchanged, and rows whose keys read as the
 * same text (an untyped key holding {@code 1} and {@code '1'}) are taken for one. Values of columns whose
 * name looks secret ({@link io.venomqa.core.CredentialMasker#isSecretKey(String)}: {@code password},
 * {@code token}, {@code secret}, {@code api_key}, …) are already replaced by
 * {@link io.venomqa.core.CredentialMasker#MASK}, and so are the values of such fields inside a value of JSON
 * ({@link io.venomqa.core.CredentialMasker#maskJsonFields(String)}); whether they changed is still known.
 *
 * @param kind    what happened to the row
 * @param key     the values identifying the row: its primary key, or every column for a table without one
 *                (for an update, the key after it)
 * @param before  every column before the change, in table order; empty for an insert
 * @param after   every column after the change, in table order; empty for a delete
 * @param changed the columns whose value differs between {@code before} and {@code after}, in table
 *                order: every column for an insert or a delete
 */
public record RowChange(Kind kind, Map<String, String> key, Map<String, String> before, Map<String, String> after,
                        Set<String> changed) {

    /** What happened to a row. */
    public enum Kind {
        /** The row did not exist before and does after. */
        INSERTED('+'),
        /** The row existed before and after, with some columns changed. */
        UPDATED('~'),
        /** The row existed before and does not after. */
        DELETED('-');

        private final char symbol;

        Kind(char symbol) {
            this.symbol = symbol;
        }

        /** {@code +}, {@code ~} or {@code -}, as in {@link DbChanges#summary()}. */
        public char symbol() {
            return symbol;
        }
    }

    public RowChange {
        Objects.requireNonNull(kind, "kind");
        key = frozen(key);
        before = frozen(before);
        after = frozen(after);
        changed = changed instanceof Owned.Columns own ? own.view : changed instanceof CompactRow.ColumnSet immutable
                ? immutable : Collections.unmodifiableSet(new LinkedHashSet<>(changed));
    }

    /**
     * An unmodifiable copy of {@code row}; no copy for a map {@link DbChanges.Builder} made for this
     * row and handed over, nor for an immutable {@link CompactRow} (a step that changes thousands of rows
     * would otherwise copy each twice).
     */
    private static Map<String, String> frozen(Map<String, String> row) {
        if (row instanceof CompactRow compact) {
            return compact; // immutable already
        }
        return row instanceof Owned.Row own ? own.view : Collections.unmodifiableMap(new LinkedHashMap<>(row));
    }

    /**
     * Collections {@link DbChanges.Builder} builds for one row and never touches again: only this
     * package can make them, so taking them without a copy keeps every RowChange immutable.
     */
    static final class Owned {
        private Owned() {
        }

        /** A row's values, handed over to one RowChange. */
        static final class Row extends LinkedHashMap<String, String> {
            final Map<String, String> view = Collections.unmodifiableMap(this);

            Row(int columns) {
                super(Math.max(4, columns * 2));
            }

            Row(Map<String, String> values) {
                super(values);
            }
        }

        /** A row's changed columns, handed over to one RowChange. */
        static final class Columns extends LinkedHashSet<String> {
            final Set<String> view = Collections.unmodifiableSet(this);
        }
    }

    /** The columns of the row, in table order (those of {@code after}, else of {@code before}). */
    public List<String> columns() {
        return List.copyOf(after.isEmpty() ? before.keySet() : after.keySet());
    }

    /** The key as text, such as {@code id=7} or {@code order_id=7, line=2}. */
    public String keyText() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : key.entrySet()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(e.getKey()).append('=').append(e.getValue() == null ? "NULL" : e.getValue());
        }
        return b.toString();
    }
}
