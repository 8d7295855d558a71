package io.venomqa.explore.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Canonical text of a projected value, and its fingerprint. Map keys and set elements are sorted, so equal maps and
 * sets read the same whatever order they iterate in. Values that differ read differently: a text that could be read
 * as something else (a number, {@code true}, {@code null}, bytes, nothing at all, or text holding the characters
 * that separate entries and elements) is written between single quotes, {@code '1'}, {@code 'a, b'}, {@code ''},
 * a quote in it doubled; any other text is written as it is, so the common state reads as it did.
 */
public final class Canonical {

    private Canonical() {
    }

    /**
     * A table's rows as {@link #row} writes them, sorted: a list of strings like any other to whoever reads the
     * projection's value, written as they are by {@link #text} (each row holds {@code =}, and a plain string holding
     * one is quoted), since {@link #row} made them unambiguous already.
     */
    public static final class Rows extends java.util.AbstractList<String> implements java.util.RandomAccess {
        private final List<String> rows;

        public Rows(List<String> rows) {
            this.rows = List.copyOf(rows);
        }

        @Override
        public String get(int index) {
            return rows.get(index);
        }

        @Override
        public int size() {
            return rows.size();
        }
    }

    public static String text(Object value) {
        StringBuilder sb = new StringBuilder();
        append(sb, value);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object v) {
        if (v instanceof Map<?, ?> m) {
            // Sorted by the key's text, then by the value's: keys of two types that read the same (1 and "1") are both
            // kept (until 2026-12-06 one replaced the other, and two different maps could read the same).
            TreeMap<String, List<String>> sorted = new TreeMap<>();
            m.forEach((k, x) -> sorted.computeIfAbsent(text(k), key -> new ArrayList<>()).add(text(x)));
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, List<String>> e : sorted.entrySet()) {
                List<String> values = e.getValue();
                java.util.Collections.sort(values);
                for (String value : values) {
                    if (!first) {
                        sb.append(", ");
                    }
                    first = false;
                    sb.append(e.getKey()).append('=').append(value);
                }
            }
            sb.append('}');
        } else if (v instanceof java.util.Set<?> set) {
            // A set has no order: written in its iteration order, equal sets read differently (the in-memory store's
            // copies are LinkedHashSets in the order they were filled, an application's HashSet is in hash order), and
            // a state reached again, or restored, became a new one until 2026-12-06.
            List<String> elements = new ArrayList<>(set.size());
            for (Object x : set) {
                elements.add(text(x));
            }
            java.util.Collections.sort(elements);
            sb.append('[').append(String.join(", ", elements)).append(']');
        } else if (v instanceof Rows rows) {
            sb.append('[').append(String.join(", ", rows)).append(']');
        } else if (v instanceof Collection<?> c) {
            sb.append('[');
            boolean first = true;
            for (Object x : c) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                append(sb, x);
            }
            sb.append(']');
        } else if (v instanceof byte[] b) {
            sb.append("0x").append(HexFormat.of().formatHex(b));
        } else if (v instanceof java.sql.Array a) {
            appendArray(sb, a);
        } else if (v instanceof Object[] a) {
            append(sb, java.util.Arrays.asList(a)); // List.of refused an array holding null
        } else if (v == null || v instanceof Number || v instanceof Boolean
                || v instanceof com.fasterxml.jackson.databind.JsonNode) {
            // A JSON node's text is JSON, which tells its strings from its numbers itself.
            sb.append(v);
        } else {
            leaf(sb, v.toString());
        }
    }

    /**
     * A text (a {@code String}, or any other value by its {@code toString}) as it is, or quoted where it could be read
     * as another value: until 2026-12-06 the text {@code "1"} and the number 1 read the same (an SQLite column without
     * a type, a context value taken from a path parameter on one path and from a JSON body on another), and so did a
     * list holding {@code "a, b"} and one holding {@code "a"} and {@code "b"}, or {@code [""]} and {@code []}: one
     * state for two, and the explorer skipped the second's paths.
     */
    private static void leaf(StringBuilder sb, String t) {
        if (!ambiguous(t)) {
            sb.append(t);
            return;
        }
        sb.append('\'');
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\'') {
                sb.append('\'');
            }
            sb.append(c);
        }
        sb.append('\'');
    }

    private static final java.util.regex.Pattern NUMBER_LIKE = java.util.regex.Pattern.compile(
            "[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?|[-+]?(NaN|Infinity)");

    private static boolean ambiguous(String t) {
        if (t.isEmpty() || t.equals("null") || t.equals("true") || t.equals("false") || t.startsWith("0x")
                || t.charAt(0) == '\'') {
            return true;
        }
        for (int i = 0; i < t.length(); i++) {
            switch (t.charAt(i)) {
                case ',', '=', '[', ']', '{', '}' -> {
                    return true;
                }
                default -> {
                }
            }
        }
        char c = t.charAt(0);
        return (Character.isDigit(c) || c == '-' || c == '+' || c == '.' || c == 'N' || c == 'I')
                && NUMBER_LIKE.matcher(t).matches();
    }

    /**
     * A SQL array (an {@code sql(...)} projection's value) by its elements, {@code {"1",NULL,"3"}}, each quoted: not
     * by the driver's {@code toString}, which PostgreSQL's driver writes as the server sent it ({@code {1,NULL,3}})
     * while it receives a query's results as text, and its own way ({@code {"1",NULL,"3"}}) once it has prepared
     * the query on the server and receives them in binary, from the fifth run on: until 2026-12-06 the same rows
     * then became a new state. Where the elements cannot be had, the driver's text.
     */
    private static void appendArray(StringBuilder sb, java.sql.Array a) {
        Object elements;
        try {
            elements = a.getArray();
        } catch (java.sql.SQLException | RuntimeException e) {
            sb.append(a);
            return;
        }
        appendElements(sb, elements);
    }

    private static void appendElements(StringBuilder sb, Object elements) {
        if (elements == null || !elements.getClass().isArray()) {
            append(sb, elements);
            return;
        }
        sb.append('{');
        int n = java.lang.reflect.Array.getLength(elements);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object e = java.lang.reflect.Array.get(elements, i);
            if (e == null) {
                sb.append("NULL");
            } else if (e.getClass().isArray() && !(e instanceof byte[])) {
                appendElements(sb, e);
            } else {
                // Quoted here already: a text element as it is (text() would quote "a,b" once more).
                String t = e instanceof String str ? str : text(e);
                sb.append('"').append(t.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        sb.append('}');
    }

    /**
     * {@code value} as {@link #text} writes it, for reports, cut to {@code max} characters, its secrets masked
     * ({@code CredentialMasker.maskValues}: a {@code password} column, a {@code token} context key, secret fields of JSON,
     * passwords in URLs). The state's identity stays the unmasked {@link #text}: a changed password is another
     * state.
     */
    public static String shown(Object value, int max) {
        return cut(text(io.venomqa.core.CredentialMasker.maskValues(maskRows(value))), max);
    }

    /** {@code value} with every text in it passed through {@link #maskRow}; maps and lists copied where one changed. */
    private static Object maskRows(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, maskRows(v)));
            return out;
        }
        if (value instanceof Rows rows) {
            List<String> out = new ArrayList<>(rows.size());
            rows.forEach(r -> out.add(String.valueOf(io.venomqa.core.CredentialMasker.maskValues(maskRow(r)))));
            return new Rows(out);
        }
        if (value instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            c.forEach(x -> out.add(maskRows(x)));
            return out;
        }
        return value instanceof String text ? maskRow(text) : value;
    }

    /**
     * A table row as {@link #row} writes it ({@code id=1|token=abc|user_id=2}) with the value of each column whose
     * name looks secret masked, up to the next {@code |name=}: table contents give their rows as such text, so
     * the masking of map entries does not reach them. Text that is no row is returned as it is.
     */
    static String maskRow(String text) {
        if (text.indexOf('=') < 0 || !io.venomqa.core.CredentialMasker.mayHoldSecretKey(text)) {
            return text;
        }
        List<int[]> fields = new ArrayList<>(); // start of the name, index of its '='
        for (int start = 0; start >= 0 && start < text.length(); ) {
            int eq = text.indexOf('=', start);
            int bar = columnBar(text, start);
            if (eq > start && (bar < 0 || eq < bar)) {
                fields.add(new int[] {start, eq});
            }
            start = bar < 0 ? -1 : bar + 1;
        }
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0; i < fields.size(); i++) {
            int[] f = fields.get(i);
            if (!io.venomqa.core.CredentialMasker.isSecretKey(text.substring(f[0], f[1]))) {
                continue;
            }
            int end = i + 1 < fields.size() ? fields.get(i + 1)[0] - 1 : text.length();
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, f[1] + 1).append(io.venomqa.core.CredentialMasker.MASK);
            copied = end;
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /**
     * The first {@code |} from {@code from} that ends a column: one that {@link #row} escaped (after an odd number of
     * backslashes) is part of a value. Until 2026-12-06 a secret holding {@code |b=} was masked up to there only,
     * and what followed was shown.
     */
    private static int columnBar(String text, int from) {
        for (int bar = text.indexOf('|', from); bar >= 0; bar = text.indexOf('|', bar + 1)) {
            int slashes = 0;
            while (bar - slashes - 1 >= from && text.charAt(bar - slashes - 1) == '\\') {
                slashes++;
            }
            if (slashes % 2 == 0) {
                return bar;
            }
        }
        return -1;
    }

    /**
     * A row as text with columns in the order given ({@code id=1|name=ann}): what table contents sort and hash, so
     * two different rows of a table never give the same text. A value is written as {@link #text} writes it (a text
     * that could be read as another value quoted: {@code 'null'}, {@code '1'}, {@code 'a, v=b'}), SQL {@code NULL} as
     * {@code null}, a value of another type whose text is {@code null} as {@code \null}; in a value holding a
     * backslash, a {@code |}, or a {@code ", "} and a {@code =} (which a table's list of rows, {@code [row, row]},
     * could split into two rows), each of these is escaped with a backslash. Until 2026-12-06 they were written as
     * they were: a row holding {@code NULL} and one holding {@code 'null'}, one row holding {@code 'a, v=b'} and two
     * rows holding {@code 'a'} and {@code 'b'}, or (SQLite, a column without a type) one holding 1 and one holding
     * {@code '1'}, were one state, and the explorer skipped the paths from the second
     * ({@code TableContentsProjectionTest.rowsThatDifferAreNeverOneState}).
     */
    public static String row(Map<String, Object> row) {
        List<String> cells = new ArrayList<>(row.size());
        row.forEach((k, v) -> cells.add(k + "=" + cell(v)));
        return String.join("|", cells);
    }

    /** A value of {@link #row}: its text as it is when nothing else reads the same, else escaped (always with a backslash). */
    private static String cell(Object v) {
        if (v == null) {
            return "null";
        }
        String t = text(v);
        if (t.equals("null")) {
            return "\\null";
        }
        boolean commas = t.contains(", ") && t.indexOf('=') >= 0;
        if (t.indexOf('\\') < 0 && t.indexOf('|') < 0 && !commas) {
            return t;
        }
        StringBuilder sb = new StringBuilder(t.length() + 8);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\\' || c == '|' || (commas && c == ',')) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** First 16 hex digits of the SHA-256 of {@code text}. */
    public static String fingerprint(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** {@code text} cut to {@code max} characters with an ellipsis. */
    public static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
