package io.venomqa.state.jdbc.spi;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The identity counters of a schema at one moment, each in the dialect's own exact text form:
 * PostgreSQL {@code last_value:is_called} per sequence (keyed by its {@code quote_ident}ed
 * qualified name), MySQL/MariaDB the next {@code AUTO_INCREMENT} value per table and
 * {@code sequence n} per MariaDB {@code SEQUENCE} (its next value), SQLite the
 * {@code sqlite_sequence} value per table, H2 the next identity value per {@code table\0column}.
 * Taken by {@link JdbcDialect#captureSequences} and put back by {@link JdbcDialect#restoreSequences},
 * so that a path run after a rollback sees the same generated ids as its sibling did.
 *
 * <p>{@link #serialize()} turns it into one line of text and {@link #parse} back, so that a run
 * can store its {@code connect()} counters in the database and a later run can restore them after
 * a crash; the form is stable across versions.
 *
 * @param values the saved value per counter, in the dialect's text form
 */
public record SequenceSnapshot(Map<String, String> values) {

    /** A snapshot of a schema without counters, or of a database whose counters are transactional. */
    public static final SequenceSnapshot EMPTY = new SequenceSnapshot(Map.of());

    public SequenceSnapshot {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** {@code key=value&…}, URL-encoded, so that any table or sequence name fits. */
    public String serialize() {
        StringJoiner j = new StringJoiner("&");
        values.forEach((k, v) -> j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return j.toString();
    }

    /** The snapshot {@link #serialize()} wrote; {@link #EMPTY} for null or empty text. */
    public static SequenceSnapshot parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        if (text != null && !text.isEmpty()) {
            for (String pair : text.split("&")) {
                int eq = pair.indexOf('=');
                m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return new SequenceSnapshot(m);
    }
}
