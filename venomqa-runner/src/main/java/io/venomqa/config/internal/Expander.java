package io.venomqa.config.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Expands {@code ${VAR}} and {@code ${VAR:-default}} in configuration values; {@code $$} is a
 * literal {@code $}. Not API.
 *
 * <p>{@code ${VAR:-default}} takes the default when {@code VAR} is unset or empty (as a shell
 * does); {@code ${VAR}} with {@code VAR} unset is an error the caller reports, naming the variable.
 */
public final class Expander {

    /** Result of expanding one value: the text, and the variables it needed that were missing. */
    public record Expansion(String value, List<String> missing) {
    }

    private final Map<String, String> environment;

    public Expander(Map<String, String> environment) {
        this.environment = environment;
    }

    public Expansion expand(String text) {
        if (text.indexOf('$') < 0) {
            return new Expansion(text, List.of());
        }
        StringBuilder out = new StringBuilder(text.length());
        List<String> missing = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("'${' at character " + (i + 1) + " is not closed with '}'");
                }
                String inner = text.substring(i + 2, close);
                String name = inner;
                String fallback = null;
                int sep = inner.indexOf(":-");
                if (sep >= 0) {
                    name = inner.substring(0, sep);
                    fallback = inner.substring(sep + 2);
                }
                if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new IllegalArgumentException("'${" + inner + "}' does not name an environment variable"
                            + " (letters, digits and _; write ${NAME} or ${NAME:-default})");
                }
                String value = environment.get(name);
                if (value == null || (value.isEmpty() && fallback != null)) {
                    if (fallback != null) {
                        out.append(fallback);
                    } else {
                        missing.add(name);
                    }
                } else {
                    out.append(value);
                }
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return new Expansion(out.toString(), missing);
    }
}
