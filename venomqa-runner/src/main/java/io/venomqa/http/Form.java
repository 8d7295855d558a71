package io.venomqa.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * An {@code application/x-www-form-urlencoded} body, as an HTML form or a Spring Security form login sends it:
 * {@link Client.RequestBuilder#form(Map)} sends one, {@link #encode(Map)} writes one as text.
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
}
