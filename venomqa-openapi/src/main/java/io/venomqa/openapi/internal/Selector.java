package io.venomqa.openapi.internal;

import io.venomqa.openapi.ApiOperation;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which operations a selector names: {@code tag:NAME}, a path glob ({@code /customers/**}, where
 * {@code *} is one segment and {@code **} any number, none included), {@code METHOD /path-glob}, or an operationId
 * (exact, or a glob with {@code *}).
 */
public final class Selector {

    private final String text;
    private final String tag;
    private final String method;
    private final Pattern path;
    private final Pattern operationId;

    private Selector(String text) {
        this.text = text;
        String t = text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("An empty operation selector: write an operationId, tag:NAME, a path glob (/customers/**) or 'METHOD /path'.");
        }
        String tagValue = null;
        String methodValue = null;
        Pattern pathValue = null;
        Pattern idValue = null;
        if (t.regionMatches(true, 0, "tag:", 0, 4)) {
            tagValue = t.substring(4).strip();
        } else if (t.startsWith("/")) {
            pathValue = glob(t);
        } else if (t.matches("(?i)(get|put|post|delete|options|head|patch|trace)\\s+/.*")) {
            int sp = t.indexOf(' ');
            methodValue = t.substring(0, sp).toUpperCase(Locale.ROOT);
            pathValue = glob(t.substring(sp).strip());
        } else {
            idValue = Pattern.compile(Pattern.quote(t).replace("*", "\\E.*\\Q"));
        }
        this.tag = tagValue;
        this.method = methodValue;
        this.path = pathValue;
        this.operationId = idValue;
    }

    public static Selector of(String text) {
        return new Selector(text);
    }

    private static Pattern glob(String g) {
        StringBuilder sb = new StringBuilder("^");
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            if (c == '/' && g.startsWith("/**", i)) {
                sb.append("(/.*)?");
                i += 2;
            } else if (c == '*' && i + 1 < g.length() && g.charAt(i + 1) == '*') {
                sb.append(".*");
                i++;
            } else if (c == '*') {
                sb.append("[^/]*");
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(sb.append("/?$").toString());
    }

    public boolean matches(ApiOperation op) {
        if (tag != null) {
            return op.tags().contains(tag);
        }
        if (path != null) {
            return (method == null || method.equals(op.method())) && path.matcher(op.path()).matches();
        }
        return operationId.matcher(op.operationId()).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
