package io.venomqa.state.journal.internal;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Identity counters at one moment, in a dialect-specific text form per counter (PostgreSQL:
 * {@code last_value:is_called} per sequence; MySQL: the next AUTO_INCREMENT value per table;
 * SQLite: the {@code sqlite_sequence} value per table). Serialisable to one text column so that a
 * crashed run's {@code connect()} counters survive in the database.
 */
public record Counters(Map<String, String> values) {

    public static final Counters NONE = new Counters(Map.of());

    public Counters {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** {@code key=value&…}, URL-encoded, so any table or sequence name fits. */
    public String serialize() {
        StringJoiner j = new StringJoiner("&");
        values.forEach((k, v) -> j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return j.toString();
    }

    public static Counters parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        if (text != null && !text.isEmpty()) {
            for (String pair : text.split("&")) {
                int eq = pair.indexOf('=');
                m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return new Counters(m);
    }
}
