package io.venomqa.http;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * An {@code application/x-www-form-urlencoded} body, as an HTML form or a Spring Security form login sends it:
 * {@link Client.RequestBuilder#form(Map)} sends one, {@link #encode(Map)} writes one as text, {@link #decode} reads one.
 */
public final class Form {

    /** The media type of a form body. */
    public static final String MEDIA_TYPE = "application/x-www-form-urlencoded";

    private Form() {
    }

    /**
     * {@code fields} as form text: each entry {@code name=value}, both UTF-8 and percent-encoded (a space as
     * {@code +}), in the map's order; an {@link Iterable} value repeats the name once per item; {@code null} values
     * and items are left out; any other value as {@link String#valueOf(Object)} writes it.
     */
    public static String encode(Map<String, ?> fields) {
        Objects.requireNonNull(fields, "fields");
        StringJoiner out = new StringJoiner("&");
        fields.forEach((name, value) -> {
            Objects.requireNonNull(name, "a form field's name");
            for (Object item : value instanceof Iterable<?> items ? items : java.util.Collections.singletonList(value)) {
                if (item != null) {
                    out.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                            + URLEncoder.encode(String.valueOf(item), StandardCharsets.UTF_8));
                }
            }
        });
        return out.toString();
    }

    /**
     * The fields of form text as {@link #encode} writes it: each name with its values in order (a repeated name's
     * values together), names in the order they first appear; a pair without {@code =} is a name with an empty value.
     */
    public static Map<String, List<String>> decode(String form) {
        Objects.requireNonNull(form, "form");
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                fields.computeIfAbsent(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        k -> new ArrayList<>()).add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }
}
