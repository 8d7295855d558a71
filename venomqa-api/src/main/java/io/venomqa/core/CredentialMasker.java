package io.venomqa.core;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides passwords in URLs and free text before they reach a log line, an exception message or a
 * report. Masking errs on the side of hiding: when a URL is ambiguous, more is masked, never less.
 * URLs are read by {@link DatabaseUrl}'s rules, so the password hidden is the password the driver gets.
 *
 * <pre>
 * postgresql://qa:secret@localhost:5432/qa_test   → postgresql://qa:***@localhost:5432/qa_test
 * jdbc:mysql://h/db?user=qa&amp;password=secret      → jdbc:mysql://h/db?user=qa&amp;password=***
 * jdbc:h2:mem:x;USER=sa;PASSWORD=secret            → jdbc:h2:mem:x;USER=sa;PASSWORD=***
 * </pre>
 */
public final class CredentialMasker {

    /** What a hidden value is replaced with. */
    public static final String MASK = "***";

    private CredentialMasker() {
    }

    /**
     * Returns {@code url} with the password of its user info and of any password-like query or
     * property parameter replaced by {@value #MASK}. {@code null} stays {@code null}.
     */
    public static String maskUrl(String url) {
        return DatabaseUrl.mask(url);
    }

    /**
     * Returns {@code text} with every occurrence of each non-blank secret replaced by {@value #MASK},
     * and every URL-like credential masked as {@link #maskUrl(String)} does. In free text a URL ends at
     * whitespace, so a password with a space must be written {@code %20} to be found by its URL.
     */
    public static String maskText(String text, String... secrets) {
        if (text == null) {
            return null;
        }
        String result = text;
        if (secrets != null) {
            for (String secret : secrets) {
                if (secret != null && !secret.isBlank()) {
                    result = result.replace(secret, MASK);
                }
            }
        }
        return maskUrlsIn(result);
    }

    /*
     * The scheme part is bounded (jdbc:postgresql is 15 characters): an unbounded one made the
     * search quadratic in the length of a run of letters and digits, and masking a 10 kB
     * alphanumeric response body (base64, tokens, padding) took tens of milliseconds of CPU per
     * HTTP call (found by the runner memory benchmark of venomqa-benchmarks).
     */
    private static final Pattern URL_IN_TEXT = Pattern.compile("[A-Za-z][A-Za-z0-9+.:\\-]{0,63}://\\S+");

    private static String maskUrlsIn(String text) {
        if (!text.contains("://")) {
            return text; // no URL: skip the regular expression altogether
        }
        if (text.indexOf('@') < 0 && text.indexOf('=') < 0 && !mayHoldCutPassword(text)) {
            // maskUrl hides only a user-info password (after which comes '@'), password-like
            // parameters (name=value) and a URL cut inside its password: without these no URL here has
            // anything to hide. Every recorded request URL passes here (benchmark row 7).
            return text;
        }
        Matcher m = URL_IN_TEXT.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String url = m.group();
            int end = closedAt(text, m.start(), url);
            String tail = url.substring(end);
            url = url.substring(0, end);
            m.appendReplacement(sb, Matcher.quoteReplacement(keepReference(url, maskUrl(url)) + tail));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Opening characters that quote a URL in text, and the character that closes each. */
    private static final String OPENERS = "'\"(<[`";
    private static final String CLOSERS = "'\")>]`";

    /**
     * Where {@code url}, found at {@code start} of {@code text}, ends: at the last character that closes the
     * quote or bracket just before it ({@code 'jdbc:…?password=x'} in a message), else at its end. The URL
     * runs to the next whitespace, and the masked value of a parameter to its end: a closing quote was masked
     * with it and the message lost it. The last one is taken, so a password holding that character is still
     * masked whole.
     */
    private static int closedAt(String text, int start, String url) {
        if (start == 0) {
            return url.length();
        }
        int kind = OPENERS.indexOf(text.charAt(start - 1));
        if (kind < 0) {
            return url.length();
        }
        int close = url.lastIndexOf(CLOSERS.charAt(kind));
        return close < 0 ? url.length() : close;
    }

    /**
     * A password that is only a reference to an environment variable ({@code ${DB_PASSWORD}}, as in
     * the examples VenomQA prints for the user to copy) is not a secret, and masking it would make
     * the example wrong: it is put back. {@code ${VAR:-default}} stays masked, since its default may
     * be a real password.
     */
    private static final Pattern REFERENCE_PASSWORD =
            Pattern.compile("^([A-Za-z][A-Za-z0-9+.:\\-]*://[^:/@\\s]*:)(\\$\\{[A-Za-z_][A-Za-z0-9_]*})@");

    private static String keepReference(String url, String masked) {
        Matcher r = REFERENCE_PASSWORD.matcher(url);
        if (r.find()) {
            String hidden = r.group(1) + MASK + "@";
            if (masked.startsWith(hidden)) {
                return r.group(1) + r.group(2) + "@" + masked.substring(hidden.length());
            }
        }
        return masked;
    }

    /**
     * A form-encoded text ({@code user=qa&password=…}, a query string): names and values without spaces, joined by
     * {@code &}. Possessive: linear on a long text that is no form.
     */
    private static final Pattern FORM = Pattern.compile("[^=&\\s]++=[^&\\s]*+(?:&[^=&\\s]++=[^&\\s]*+)*+");

    /** Whether the whole of {@code text} is form-encoded ({@code name=value} pairs joined by {@code &}, no spaces). */
    public static boolean isFormEncoded(String text) {
        return text != null && text.indexOf('=') >= 0 && FORM.matcher(text).matches();
    }

    /**
     * {@code text} with the value of every field whose name looks secret ({@link #isSecretKey}, the name
     * percent-decoded) replaced by {@value #MASK}, when the whole text is form-encoded ({@code user=qa&password=…},
     * a request body or a query string a database column holds); the same string otherwise. Until 2026-12-05 a
     * column holding {@code api_key=…&access_token=…} showed both in every report while the same text in a body
     * was masked.
     */
    public static String maskFormFields(String text) {
        if (text == null || !mayHoldSecretKey(text) || !isFormEncoded(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        boolean masked = false;
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String name = DatabaseUrl.decode(pair.substring(0, eq).replace('+', ' '));
            boolean secret = isSecretKey(name) && eq + 1 < pair.length();
            masked |= secret;
            out.append(out.isEmpty() ? "" : "&").append(pair, 0, eq + 1).append(secret ? MASK : pair.substring(eq + 1));
        }
        return masked ? out.toString() : text;
    }

    /**
     * {@code text} with the value of every field whose name looks secret ({@link #isSecretKey}) replaced by
     * {@code "***"}, when it is a JSON object or array (a database column of JSON, say); the same string when it
     * holds no such field or is not JSON. Nested fields count, a secret field's value is masked whole (an object
     * under {@code "credentials"} too), and a name spelt with JSON escapes (a letter written as its unicode escape) is read as
     * what it spells. Text that starts like JSON, may hold a secret name and cannot be read to its end is
     * {@value #MASK} as a whole: masking errs on the side of hiding.
     */
    public static String maskJsonFields(String text) {
        if (text == null) {
            return null;
        }
        int start = 0;
        while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        if (start == text.length() || (text.charAt(start) != '{' && text.charAt(start) != '[') || !mayHoldSecretKey(text)) {
            return text;
        }
        StringBuilder out = null;
        int copied = 0;
        int i = start;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (ch != '"') {
                i++;
                continue;
            }
            int end = jsonStringEnd(text, i);
            if (end < 0) {
                return MASK;
            }
            int colon = skipWhitespace(text, end);
            if (colon < text.length() && text.charAt(colon) == ':' && isSecretKey(jsonStringValue(text, i, end))) {
                int value = skipWhitespace(text, colon + 1);
                int valueEnd = jsonValueEnd(text, value);
                if (valueEnd < 0) {
                    return MASK;
                }
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, copied, value).append('"').append(MASK).append('"');
                copied = valueEnd;
                i = valueEnd;
                continue;
            }
            if (colon >= text.length() || text.charAt(colon) != ':') {
                // A string value that is itself JSON ({"raw": "{\"password\": …}"}): masked inside, written back escaped
                String inner = jsonStringValue(text, i, end);
                String masked = maskJsonFields(inner);
                if (masked != inner) {
                    if (out == null) {
                        out = new StringBuilder(text.length());
                    }
                    out.append(text, copied, i).append(jsonString(masked));
                    copied = end;
                }
            }
            i = end;
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /** {@code value} as a JSON string, quoted and escaped. */
    private static String jsonString(String value) {
        StringBuilder b = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /**
     * {@code value} as reports may show it: in maps at any depth the value of a key that looks secret
     * ({@link #isSecretKey}) becomes {@value #MASK} whatever it is, and text has its secret JSON fields
     * ({@link #maskJsonFields}) and URL passwords ({@link #maskText}) masked; lists and arrays are masked element
     * by element. Anything else, and a value holding no secret, is returned as it is (the same object).
     */
    public static Object maskValues(Object value) {
        if (value instanceof java.util.Map<?, ?> m) {
            return maskValues(m);
        }
        if (value instanceof java.util.Collection<?> c) {
            java.util.List<Object> out = new java.util.ArrayList<>(c.size());
            boolean changed = false;
            for (Object x : c) {
                Object masked = maskValues(x);
                changed |= masked != x;
                out.add(masked);
            }
            return changed ? java.util.Collections.unmodifiableList(out) : value;
        }
        if (value instanceof Object[] a) {
            return maskValues(java.util.Arrays.asList(a));
        }
        if (value instanceof CharSequence text) {
            String s = text.toString();
            String masked = maskText(maskJsonFields(s));
            return masked.equals(s) ? value : masked;
        }
        return value;
    }

    /** {@code map} masked as {@link #maskValues(Object)} does, in its order; the same map when it holds no secret. */
    @SuppressWarnings("unchecked")
    public static <K, V> java.util.Map<K, Object> maskValues(java.util.Map<K, V> map) {
        java.util.Map<K, Object> out = null;
        for (java.util.Map.Entry<K, V> e : map.entrySet()) {
            Object v = e.getValue();
            Object masked = v != null && isSecretKey(String.valueOf(e.getKey())) ? MASK : maskValues(v);
            if (masked != v && out == null) {
                out = new java.util.LinkedHashMap<>(map);
            }
            if (out != null) {
                out.put(e.getKey(), masked);
            }
        }
        return out == null ? (java.util.Map<K, Object>) map : java.util.Collections.unmodifiableMap(out);
    }

    /** The index after the JSON string starting at {@code quote}, or -1 when it does not end. */
    private static int jsonStringEnd(String s, int quote) {
        for (int i = quote + 1; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\') {
                i++;
            } else if (ch == '"') {
                return i + 1;
            }
        }
        return -1;
    }

    /** The text a JSON string between {@code quote} and {@code end} spells (its escapes read). */
    private static String jsonStringValue(String s, int quote, int end) {
        StringBuilder b = new StringBuilder(end - quote);
        for (int i = quote + 1; i < end - 1; i++) {
            char ch = s.charAt(i);
            if (ch != '\\' || i + 1 >= end - 1) {
                b.append(ch);
                continue;
            }
            char e = s.charAt(++i);
            if (e == 'u' && i + 4 < end - 1) {
                try {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                } catch (NumberFormatException notHex) {
                    b.append(e);
                }
            } else {
                b.append(switch (e) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    default -> e;
                });
            }
        }
        return b.toString();
    }

    private static int skipWhitespace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The index after the JSON value starting at {@code i} (a string, an object or array with what it holds, or a bare word), or -1. */
    private static int jsonValueEnd(String s, int i) {
        if (i >= s.length()) {
            return -1;
        }
        char first = s.charAt(i);
        if (first == '"') {
            return jsonStringEnd(s, i);
        }
        if (first == '{' || first == '[') {
            int depth = 0;
            for (int j = i; j < s.length(); j++) {
                char ch = s.charAt(j);
                if (ch == '"') {
                    j = jsonStringEnd(s, j);
                    if (j < 0) {
                        return -1;
                    }
                    j--;
                } else if (ch == '{' || ch == '[') {
                    depth++;
                } else if ((ch == '}' || ch == ']') && --depth == 0) {
                    return j + 1;
                }
            }
            return -1;
        }
        int j = i;
        while (j < s.length() && ",}] \t\r\n".indexOf(s.charAt(j)) < 0) {
            j++;
        }
        return j == i ? -1 : j;
    }

    /**
     * Whether a URL in {@code text} has an authority with a colon followed by something other than a port's
     * digits ({@code postgresql://qa:s3cr}, an excerpt cut inside the password), which {@code maskUrl} masks.
     */
    private static boolean mayHoldCutPassword(String text) {
        for (int i = text.indexOf("://"); i >= 0; i = text.indexOf("://", i + 3)) {
            for (int j = i + 3; j < text.length(); j++) {
                char ch = text.charAt(j);
                if (ch == '/' || ch == '?' || ch == '#' || Character.isWhitespace(ch)) {
                    break;
                }
                if (ch == ':' && j + 1 < text.length() && !Character.isDigit(text.charAt(j + 1))
                        && !Character.isWhitespace(text.charAt(j + 1))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** What a key contains to be secret ({@link #isSecretKey}); {@value #SECRET_KEY_EXACT} must be the whole key. */
    private static final String[] SECRET_KEY_PARTS = {"password", "passwd", "secret", "token", "api_key", "api-key", "apikey",
        "credential", "private_key", "private-key", "privatekey"};
    private static final String SECRET_KEY_EXACT = "pwd";

    /** Whether {@code key} names a configuration value that must never be printed. */
    public static boolean isSecretKey(String key) {
        if (key == null) {
            return false;
        }
        String k = key.toLowerCase(Locale.ROOT);
        if (k.equals(SECRET_KEY_EXACT)) {
            return true;
        }
        for (String part : SECRET_KEY_PARTS) {
            if (k.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code text} (a JSON document, say) may hold a key for which {@link #isSecretKey} is
     * true. {@code false} guarantees that none of its keys is secret: no key can contain a secret
     * part the text does not, and a backslash-u escape, which could spell one, answers {@code true}.
     * Lets the HTTP client skip parsing bodies that cannot hold a secret field.
     */
    public static boolean mayHoldSecretKey(String text) {
        if (text == null) {
            return false;
        }
        String t = text.toLowerCase(Locale.ROOT);
        if (t.contains(SECRET_KEY_EXACT) || t.contains("\\u")) {
            return true;
        }
        for (String part : SECRET_KEY_PARTS) {
            if (t.contains(part)) {
                return true;
            }
        }
        return false;
    }
}
