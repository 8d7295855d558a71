package io.venomqa.core;


import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A database URL taken apart, in either of the forms VenomQA accepts:
 * <ul>
 *   <li>the seed's URI form {@code scheme://user:password@host:port/database?key=value}, with the
 *       user and password percent-decoded ({@code p%40ss} is {@code p@ss}) and the query parsed into
 *       {@link #parameters()};</li>
 *   <li>a {@code jdbc:} URL, kept whole in {@link #original()} for the driver, which understands
 *       its own syntax; only {@link #isJdbc()} and {@link #scheme()} are filled.</li>
 * </ul>
 * Anything else (such as {@code sqlite:relative.db}) is kept as {@link #original()} with only the
 * scheme filled, for the dialect to interpret. Parsing never throws for odd but readable input;
 * it throws {@link IllegalArgumentException} (with the URL masked) only when the authority cannot be
 * read at all, such as a port that is not a number.
 *
 * <p>{@link #toString()} is masked and safe to print; {@link #password()} is the only way to the
 * clear password.
 */
public final class DatabaseUrl {

    private final String original;
    private final String scheme;
    private final boolean jdbc;
    private final boolean hierarchical;
    private final String user;
    private final String password;
    private final String host;
    private final Integer port;
    private final String path;
    private final Map<String, String> parameters;

    private DatabaseUrl(String original, String scheme, boolean jdbc, boolean hierarchical, String user,
                        String password, String host, Integer port, String path, Map<String, String> parameters) {
        this.original = original;
        this.scheme = scheme;
        this.jdbc = jdbc;
        this.hierarchical = hierarchical;
        this.user = user;
        this.password = password;
        this.host = host;
        this.port = port;
        this.path = path;
        this.parameters = Collections.unmodifiableMap(parameters);
    }

    /**
     * Parses {@code url}.
     *
     * @throws IllegalArgumentException when the URL is blank or its authority is unreadable; the
     *                                  message shows the URL masked
     */
    public static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("db_url is missing: set it to a database URL such as "
                    + "postgresql://user:password@localhost:5432/dbname");
        }
        String u = url.trim();
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:")) {
            int colon = u.indexOf(':', 5);
            String scheme = colon < 0 ? lower : lower.substring(0, colon);
            return new DatabaseUrl(u, scheme, true, false, null, null, null, null, null, new LinkedHashMap<>());
        }
        int sep = u.indexOf("://");
        int colon = u.indexOf(':');
        if (sep < 0 || colon < sep) {
            String scheme = colon < 0 ? "" : lower.substring(0, colon);
            return new DatabaseUrl(u, scheme, false, false, null, null, null, null, null, new LinkedHashMap<>());
        }
        String scheme = lower.substring(0, sep);
        String rest = u.substring(sep + 3);
        Map<String, String> params = new LinkedHashMap<>();
        int q = rest.indexOf('?');
        if (q >= 0) {
            parseQuery(rest.substring(q + 1), params);
            rest = rest.substring(0, q);
        }
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            rest = rest.substring(0, hash);
        }
        // The user info ends at the last '@': an unencoded password may itself contain '@' or '/'.
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int c = userInfo.indexOf(':');
            if (c >= 0) {
                user = decode(userInfo.substring(0, c));
                password = decode(userInfo.substring(c + 1));
            } else {
                user = decode(userInfo);
            }
            if (user != null && user.isEmpty()) {
                user = null;
            }
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? null : rest.substring(slash);
        String host = authority;
        Integer port = null;
        if (authority.startsWith("[") && authority.indexOf(']') < 0) {
            throw new IllegalArgumentException("db_url '" + CredentialMasker.maskUrl(u)
                    + "' has an IPv6 host without its closing ']': write it as [::1]:5432");
        }
        int portColon = authority.startsWith("[") ? authority.indexOf(':', authority.indexOf(']')) : authority.lastIndexOf(':');
        if (portColon >= 0) {
            host = authority.substring(0, portColon);
            String p = authority.substring(portColon + 1);
            if (!p.isEmpty()) {
                try {
                    port = Integer.parseInt(p);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("db_url '" + CredentialMasker.maskUrl(u)
                            + "' has a port that is not a number: '" + p + "'");
                }
                if (port <= 0 || port > 65535) {
                    throw new IllegalArgumentException("db_url '" + CredentialMasker.maskUrl(u)
                            + "' has a port outside 1-65535: " + port);
                }
            }
        }
        return new DatabaseUrl(u, scheme, false, true, user, password, host.isEmpty() ? null : host, port,
                path, params);
    }

    private static void parseQuery(String query, Map<String, String> into) {
        for (String pair : query.split("[&;]")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            into.put(key, value);
        }
    }

    /**
     * Percent-decodes {@code s} as UTF-8. Unlike {@link java.net.URLDecoder}, {@code +} stays a plus
     * (passwords contain them), and a stray {@code %} that is not followed by two hex digits is kept
     * as written instead of failing.
     */
    public static String decode(String s) {
        if (s == null || s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
                out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        return Character.digit((char) b, 16);
    }

    /** The URL exactly as given (password included): hand it only to a driver, never print it. */
    public String original() {
        return original;
    }

    /** Lower-case scheme: {@code postgresql}, {@code postgres}, {@code sqlite}, {@code jdbc:h2}, … */
    public String scheme() {
        return scheme;
    }

    /** Whether this is a {@code jdbc:} URL, left for the driver to read. */
    public boolean isJdbc() {
        return jdbc;
    }

    /** Whether the URL had the {@code scheme://authority/path} shape and was taken apart. */
    public boolean isHierarchical() {
        return hierarchical;
    }

    /** The user from the URL's user info, percent-decoded, or {@code null}. */
    public String user() {
        return user;
    }

    /** The password from the URL's user info, percent-decoded, or {@code null}. Never print it. */
    public String password() {
        return password;
    }

    /** Host name or address, or {@code null} when the authority is empty. */
    public String host() {
        return host;
    }

    /** The port, or {@code null} when not given. */
    public Integer port() {
        return port;
    }

    /** The raw path after the authority, leading {@code /} included, or {@code null}. */
    public String path() {
        return path;
    }

    /** The path without its leading {@code /}, percent-decoded: the database name for server URLs. */
    public String database() {
        if (path == null || path.length() <= 1) {
            return null;
        }
        return decode(path.substring(1));
    }

    /** Query parameters in the order given, percent-decoded (values of secret keys included). */
    public Map<String, String> parameters() {
        return parameters;
    }

    /** The URL with its password masked. */
    public String masked() {
        return CredentialMasker.maskUrl(original);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatabaseUrl d && d.original.equals(original);
    }

    @Override
    public int hashCode() {
        return Objects.hash(original);
    }

    /** The masked URL. */
    @Override
    public String toString() {
        return masked();
    }
}
