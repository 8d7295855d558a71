package io.venomqa.state.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable row of text values over a column list shared by every row of one read ({@link Shape}):
 * one array per row instead of a hash map with a node per column. A step that changes a thousand rows
 * made two thousand {@code LinkedHashMap}s of them and copied each again on its way into
 * {@link io.venomqa.state.DbChanges}; most of the change capture's time on SQLite went there (benchmark
 * row 10). Being immutable, it is handed on without copies. Behaves as any {@link Map}: iteration in
 * column order, {@code equals} and {@code hashCode} as {@link AbstractMap} defines them. Not API: other
 * modules make these through {@link io.venomqa.state.spi.ChangeTracking.RowShape}.
 */
public final class CompactRow extends AbstractMap<String, String> {

    /** The columns of a set of rows, in order; names are distinct. */
    public static final class Shape {
        private final String[] columns;
        private final Map<String, Integer> index;
        private final List<String> list;
        private final Set<String> keys;

        /** The shape of {@code columns}; throws {@link IllegalArgumentException} when a name is repeated or null. */
        public Shape(List<String> columns) {
            this.columns = columns.toArray(new String[0]);
            this.index = new HashMap<>(Math.max(4, this.columns.length * 2));
            for (int i = 0; i < this.columns.length; i++) {
                String c = Objects.requireNonNull(this.columns[i], "column name");
                if (index.put(c, i) != null) {
                    throw new IllegalArgumentException("Column '" + c + "' appears twice in " + columns);
                }
            }
            this.list = List.of(this.columns);
            this.keys = new ColumnSet(list, index);
        }

        /** Whether rows of {@code other} have the same columns in the same order. */
        public boolean sameColumns(Shape other) {
            return other == this || Arrays.equals(columns, other.columns);
        }

        /** The column names as an immutable set, in order. */
        public Set<String> columnSet() {
            return keys;
        }

        /** The column names, in order. */
        public List<String> columns() {
            return list;
        }

        /** The position of {@code column}, or -1. */
        public int indexOf(Object column) {
            Integer i = index.get(column);
            return i == null ? -1 : i;
        }

        /**
         * A row of this shape holding {@code values} (one per column, nulls allowed), which it takes:
         * the caller must not change the array afterwards.
         */
        public CompactRow row(String[] values) {
            if (values.length != columns.length) {
                throw new IllegalArgumentException(values.length + " values for " + columns.length + " columns " + list);
            }
            return new CompactRow(this, values);
        }
    }

    /**
     * An immutable set of column names in a given order, which {@link io.venomqa.state.RowChange} keeps
     * without a copy: a row's columns, or the ones an update changed.
     */
    public static final class ColumnSet extends AbstractSet<String> {
        private final List<String> names;
        private final Map<String, Integer> index; // null: small, searched in order

        /** The names of {@code names} (distinct, in order); an immutable list is kept as it is, another copied. */
        public ColumnSet(List<String> names) {
            this(List.copyOf(names), null);
        }

        private ColumnSet(List<String> names, Map<String, Integer> index) {
            this.names = names;
            this.index = index;
        }

        @Override
        public Iterator<String> iterator() {
            return names.iterator(); // an immutable list's: no remove
        }

        @Override
        public int size() {
            return names.size();
        }

        @Override
        public boolean contains(Object o) {
            return index != null ? index.containsKey(o) : names.contains(o);
        }
    }

    private final Shape shape;
    private final String[] values;
    private int hash; // 0: not computed yet (a computed 0 is computed again: harmless)
    private Set<Entry<String, String>> entries;

    private CompactRow(Shape shape, String[] values) {
        this.shape = shape;
        this.values = values;
    }

    /** The row's shape. */
    public Shape shape() {
        return shape;
    }

    /** The value at column position {@code i}. */
    public String valueAt(int i) {
        return values[i];
    }

    /** This row with the value at position {@code i} replaced by {@code value}. */
    public CompactRow with(int i, String value) {
        String[] copy = values.clone();
        copy[i] = value;
        return new CompactRow(shape, copy);
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public boolean isEmpty() {
        return values.length == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        return shape.indexOf(key) >= 0;
    }

    @Override
    public String get(Object key) {
        int i = shape.indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super String> action) {
        for (int i = 0; i < values.length; i++) {
            action.accept(shape.columns[i], values[i]);
        }
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        Set<Entry<String, String>> e = entries;
        if (e == null) {
            e = new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, String>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < values.length;
                        }

                        @Override
                        public Entry<String, String> next() {
                            if (next >= values.length) {
                                throw new NoSuchElementException();
                            }
                            int i = next++;
                            return new SimpleImmutableEntry<>(shape.columns[i], values[i]);
                        }
                    };
                }

                @Override
                public int size() {
                    return values.length;
                }
            };
            entries = e;
        }
        return e;
    }

    @Override
    public Set<String> keySet() {
        return shape.keys;
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (o instanceof CompactRow r && r.shape.sameColumns(shape)) {
            return Arrays.equals(values, r.values);
        }
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            for (int i = 0; i < values.length; i++) {
                h += shape.columns[i].hashCode() ^ Objects.hashCode(values[i]);
            }
            hash = h;
        }
        return h;
    }
}
