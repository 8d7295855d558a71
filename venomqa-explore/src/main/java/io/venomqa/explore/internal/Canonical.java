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

/** Canonical text of a projected value, and its fingerprint. Map keys are sorted, so HashMaps compare equal. */
public final class Canonical {

    private Canonical() {
    }

    public static String text(Object value) {
        StringBuilder sb = new StringBuilder();
        append(sb, value);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object v) {
        if (v instanceof Map<?, ?> m) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            m.forEach((k, x) -> sorted.put(String.valueOf(k), x));
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(e.getKey()).append('=');
                append(sb, e.getValue());
            }
            sb.append('}');
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
        } else if (v instanceof Object[] a) {
            append(sb, List.of(a));
        } else {
            sb.append(v);
        }
    }

    /**
     * {@code value} as {@link #text} writes it, for reports, cut to {@code max} characters, its secrets masked
     * ({@code CredentialMasker.maskValues}: a {@code password} column, a {@code token} context key, secret fields of JSON,
     * passwords in URLs). The state's identity stays the unmasked {@link #text}: a changed password is another
     * state.
     */
    public static String shown(Object value, int max) {
        return cut(text(io.venomqa.core.CredentialMasker.maskValues(value)), max);
    }

    /** A row as text with columns in the order given: what table contents sort and hash. */
    public static String row(Map<String, Object> row) {
        List<String> cells = new ArrayList<>(row.size());
        row.forEach((k, v) -> cells.add(k + "=" + text(v)));
        return String.join("|", cells);
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
