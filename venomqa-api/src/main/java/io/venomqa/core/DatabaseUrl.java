package io.venomqa.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database URL taken apart: the one parser of VenomQA. The test-database guard, the credential
 * masker, backend discovery and every backend read URLs through this class, so the host the guard
 * checks is the host the driver is given, and the text that is masked is the text that was parsed.
 *
 * <p>Forms:
 * <ul>
 *   <li>the seed's URI form {@code scheme://user:password@host:port,host2:port2/database?key=value},
 *       with the user and password percent-decoded ({@code p%40ss} is {@code p@ss}), hosts as names,
 *       IPv4 or bracketed IPv6 addresses, and the query parsed into {@link #parameters()};</li>
 *   <li>a {@code jdbc:} URL, kept whole in {@link #original()} for the driver, which understands
 *       its own syntax; its {@link #scheme()} and, when it has a {@code //} authority
 *       ({@code jdbc:postgresql://h1,h2/db}, {@code jdbc:h2:tcp://h/db}), its {@link #hosts()} are read;</li>
 *   <li>embedded databases ({@code sqlite:}, {@code jdbc:sqlite:}, {@code jdbc:h2:mem:}, H2 files,
 *       {@code memory:}): no host at all ({@link #isEmbedded()}).</li>
 * </ul>
 * The user info ends at the last {@code @} before the query ({@code ?}) or fragment ({@code #}): an
 * unencoded password may hold {@code @}, {@code /} and {@code :}, but {@code ?} and {@code #} in a
 * password must be percent-encoded ({@code %3F}, {@code %23}).
 *
 * <p>Parsing never throws for odd but readable input; it throws {@link IllegalArgumentException}
 * (with the URL masked) only when a URI-form authority cannot be read: a port that is not a number or
 * outside 1-65535, an IPv6 address without brackets or without its closing {@code ]}, a host that is
 * neither a name nor an address (such as one with a space). A {@code jdbc:} host list the parser does not understand (Connector/J's
 * {@code address=(host=…)} form) gives a host with an empty name: unreadable, which the guard treats
 * as remote. {@link #toString()} is masked and safe to print; {@link #password()} is the only way to
 * the clear password.
 */
public final class DatabaseUrl {

    /** One host of the authority. */
    public record Host(String name, Integer port) {
        /**
         * @param name the host name or address, IPv6 without brackets; empty when it could not be read
         * @param port the port, or {@code null} when not given
         */
        public Host {
            Objects.requireNonNull(name, "name");
        }

        /** Whether the name could be read. */
        public boolean readable() {
            return !name.isEmpty();
        }

        /** {@code name:port} as a URL writes it: IPv6 in brackets, the port only when given. */
        @Override
        public String toString() {
            String n = name.indexOf(':') >= 0 ? "[" + name + "]" : name;
            return port == null ? n : n + ":" + port;
        }
    }

    /** Schemes (lower case, {@code jdbc:} included where it applies) whose databases live in a file or in memory. */
    private static final Set<String> EMBEDDED_SCHEMES = Set.of("memory", "sqlite", "sqlite3", "jdbc:sqlite", "h2", "jdbc:h2");

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._%\\-~]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9._\\-~]+)?");

    /**
     * A parameter whose name is or holds a secret's ({@code password}, {@code pass}, {@code pwd}, and any name
     * {@link CredentialMasker#isSecretKey} takes for one: {@code refresh_token}, {@code client_secret},
     * {@code api-key}, {@code sslpassword}, …). Until 2026-12-05 only a fixed list of whole names was masked, and
     * {@code ?refresh_token=} or {@code ?client_secret=} showed in step URLs and reports.
     */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)([?&;]\\s*(?:pass|pwd|[A-Za-z0-9_.\\-]*(?:password|passwd|secret|token|api_key|api-key|apikey|credential"
                    + "|private_key|private-key|privatekey)[A-Za-z0-9_.\\-]*)\\s*=)([^&;#]*)");

    private final String original;
    private final String scheme;
    private final boolean jdbc;
    private final boolean hierarchical;
    private final boolean embedded;
    private final boolean hasAuthority;
    private final String user;
    private final String password;
    private final List<Host> hosts;
    private final String path;
    private final Map<String, String> parameters;
    /** Where the path begins in {@link #original} (just after the hosts); -1 without an authority. */
    private final int pathStart;

    private DatabaseUrl(String original, String scheme, boolean jdbc, boolean hierarchical, boolean embedded,
                        boolean hasAuthority, String user, String password, List<Host> hosts, String path,
                        Map<String, String> parameters, int pathStart) {
        this.original = original;
        this.scheme = scheme;
        this.jdbc = jdbc;
        this.hierarchical = hierarchical;
        this.embedded = embedded;
        this.hasAuthority = hasAuthority;
        this.user = user;
        this.password = password;
        this.hosts = List.copyOf(hosts);
        this.path = path;
        this.parameters = Collections.unmodifiableMap(parameters);
        this.pathStart = pathStart;
    }

    /**
     * Parses {@code url}.
     *
     * @throws IllegalArgumentException when the URL is blank or its URI-form authority is unreadable;
     *                                  the message shows the URL masked
     */
    public static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("db_url is missing: set it to a database URL such as "
                    + "postgresql://user:password@localhost:5432/dbname");
        }
        String u = url.trim();
        String lower = u.toLowerCase(Locale.ROOT);
        boolean jdbc = lower.startsWith("jdbc:");
        String scheme = schemeOf(u);
        int authorityStart = authorityStart(u);
        // "sqlite:/x.db" and "h2:" forms have no "://" right after their scheme; only the URI form is hierarchical.
        boolean hierarchical = !jdbc && authorityStart == scheme.length() + 3;
        boolean embedded = EMBEDDED_SCHEMES.contains(scheme) && !isH2Server(lower);
        Map<String, String> params = new LinkedHashMap<>();
        int query = firstIndexOf(u, Math.max(authorityStart, 0), '?', '#');
        if (query < u.length() && u.charAt(query) == '?') {
            int hash = u.indexOf('#', query);
            parseQuery(u.substring(query + 1, hash < 0 ? u.length() : hash), params);
        }
        if (embedded || authorityStart < 0) {
            return new DatabaseUrl(u, scheme, jdbc, hierarchical, embedded, false, null, null, List.of(), null,
                    jdbc ? new LinkedHashMap<>() : params, -1);
        }
        String user = null;
        String password = null;
        int at = userInfoEnd(u, authorityStart);
        int hostStart = authorityStart;
        if (at >= 0) {
            hostStart = at + 1;
            if (!jdbc) {
                String userInfo = u.substring(authorityStart, at);
                int c = userInfo.indexOf(':');
                user = decode(c >= 0 ? userInfo.substring(0, c) : userInfo);
                password = c >= 0 ? decode(userInfo.substring(c + 1)) : null;
                if (user.isEmpty()) {
                    user = null;
                }
            }
        }
        int slash = u.indexOf('/', hostStart);
        int hostEnd = Math.min(query, slash < 0 ? u.length() : slash);
        String hostPart = u.substring(hostStart, hostEnd);
        String path = hostEnd < query ? u.substring(hostEnd, query) : null;
        List<Host> hosts = hosts(hostPart, u, !jdbc);
        return new DatabaseUrl(u, scheme, jdbc, hierarchical, false, true, user, password, hosts, path,
                jdbc ? new LinkedHashMap<>() : params, hostEnd);
    }

    private static String schemeOf(String u) {
        String lower = u.toLowerCase(Locale.ROOT);
        int from = lower.startsWith("jdbc:") ? 5 : 0;
        int colon = u.indexOf(':', from);
        return colon < 0 ? (from == 0 ? "" : lower) : lower.substring(0, colon);
    }

    private static boolean isH2Server(String lower) {
        return lower.startsWith("jdbc:h2:tcp://") || lower.startsWith("jdbc:h2:ssl://")
                || lower.startsWith("h2:tcp://") || lower.startsWith("h2:ssl://");
    }

    /** Where the authority begins (just after {@code ://}), or -1 when the URL has none. */
    private static int authorityStart(String u) {
        int sep = u.indexOf("://");
        return sep < 0 ? -1 : sep + 3;
    }

    /** The index of the {@code @} ending the user info: the last one before the query or fragment; -1 when none. */
    private static int userInfoEnd(String u, int authorityStart) {
        int query = firstIndexOf(u, authorityStart, '?', '#');
        int at = u.lastIndexOf('@', query - 1);
        return at >= authorityStart ? at : -1;
    }

    private static List<Host> hosts(String hostPart, String url, boolean strict) {
        if (hostPart.isEmpty()) {
            return List.of(); // no host: the driver's default (local socket or localhost)
        }
        List<Host> out = new ArrayList<>();
        for (String one : hostPart.split(",", -1)) {
            out.add(host(one.trim(), url, strict));
        }
        return out;
    }

    private static Host host(String hostPort, String url, boolean strict) {
        String name;
        String portText = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                if (strict) {
                    throw new IllegalArgumentException("db_url '" + mask(url)
                            + "' has an IPv6 host without its closing ']': write it as [::1]:5432");
                }
                return new Host("", null);
            }
            name = hostPort.substring(1, close);
            String after = hostPort.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    return unreadable(url, strict, "has text after an IPv6 host: '" + after + "'");
                }
                portText = after.substring(1);
            }
            if (!IPV6.matcher(name).matches()) {
                return unreadable(url, strict, "has an IPv6 host that is not an address: '" + name + "'");
            }
        } else {
            int colon = hostPort.indexOf(':');
            if (colon >= 0 && hostPort.indexOf(':', colon + 1) >= 0) {
                // A bare IPv6 address: the driver would read it in its own way; say we cannot.
                return unreadable(url, strict, "has an IPv6 host without brackets: write it as [" + hostPort + "]");
            }
            name = colon < 0 ? hostPort : hostPort.substring(0, colon);
            portText = colon < 0 ? null : hostPort.substring(colon + 1);
            if (!name.isEmpty() && !HOST_NAME.matcher(name).matches()) {
                return unreadable(url, strict, "has a host that is not a name or an address: '" + name + "'");
            }
        }
        Integer port = null;
        if (portText != null && !portText.isEmpty()) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                if (strict) {
                    throw new IllegalArgumentException("db_url '" + mask(url) + "' has a port that is not a number: '"
                            + portText + "'");
                }
                return new Host("", null);
            }
            if (port <= 0 || port > 65535) {
                if (strict) {
                    throw new IllegalArgumentException("db_url '" + mask(url) + "' has a port outside 1-65535: " + port);
                }
                return new Host("", null);
            }
        }
        return new Host(name, port);
    }

    private static Host unreadable(String url, boolean strict, String what) {
        if (strict) {
            throw new IllegalArgumentException("db_url '" + mask(url) + "' " + what);
        }
        return new Host("", null);
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

    private static int firstIndexOf(String s, int from, char... chars) {
        int best = s.length();
        for (char c : chars) {
            int i = s.indexOf(c, from);
            if (i >= 0 && i < best) {
                best = i;
            }
        }
        return best;
    }

    /**
     * {@code url} with its password hidden: the password of the user info (found by the same rule
     * {@link #parse(String)} uses) and the value of every password-like query or property parameter
     * ({@code password=}, {@code token=}, {@code ;PASSWORD=} of H2, …) become {@value CredentialMasker#MASK}.
     * Never throws; {@code null} stays {@code null}. When a URL is ambiguous, more is masked, never less:
     * if no {@code @} precedes the query but one follows it, and the authority looks like
     * {@code user:…}, everything from that colon to the last {@code @} is masked (an unencoded
     * {@code ?} or {@code #} in the password).
     */
    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        String result = maskUserInfo(url);
        Matcher m = SECRET_PARAMETER.matcher(result);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + (m.group(2).isEmpty() ? "" : CredentialMasker.MASK)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String maskUserInfo(String url) {
        int authorityStart = authorityStart(url);
        if (authorityStart < 0) {
            return url;
        }
        int at = userInfoEnd(url, authorityStart);
        if (at < 0) {
            int last = url.lastIndexOf('@');
            int colon = url.indexOf(':', authorityStart);
            if (last > authorityStart && colon > authorityStart && colon < last
                    && firstIndexOf(url.substring(authorityStart, colon), 0, '/', '?', '#') == colon - authorityStart) {
                return url.substring(0, colon + 1) + CredentialMasker.MASK + url.substring(last);
            }
            if (last < 0 && colon > authorityStart && url.charAt(authorityStart) != '['
                    && firstIndexOf(url, authorityStart, '/', '?', '#', ',') == url.length()
                    && !url.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                // A URL cut off inside its password (an excerpt of a config line: "postgresql://qa:s3cr"):
                // what follows the colon is no port, so it may be the password's start
                return url.substring(0, colon + 1) + CredentialMasker.MASK;
            }
            return url;
        }
        int colon = url.indexOf(':', authorityStart);
        if (colon < 0 || colon > at) {
            return url;
        }
        return url.substring(0, colon + 1) + CredentialMasker.MASK + url.substring(at);
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

    /** Whether {@code url} begins with one of {@code prefixes}, compared case-insensitively after trimming. */
    public static boolean hasPrefix(String url, List<String> prefixes) {
        if (url == null) {
            return false;
        }
        String u = url.trim().toLowerCase(Locale.ROOT);
        return prefixes.stream().anyMatch(p -> u.startsWith(p.toLowerCase(Locale.ROOT)));
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

    /** Whether the database is embedded (a file or memory): the URL names no host. */
    public boolean isEmbedded() {
        return embedded;
    }

    /**
     * Whether the URL has a {@code //} authority (possibly empty). A server URL without one, such as
     * {@code jdbc:postgresql:db}, leaves the host to the driver's defaults.
     */
    public boolean hasAuthority() {
        return hasAuthority;
    }

    /** The user from the URI form's user info, percent-decoded, or {@code null}. */
    public String user() {
        return user;
    }

    /** The password from the URI form's user info, percent-decoded, or {@code null}. Never print it. */
    public String password() {
        return password;
    }

    /**
     * The hosts of the authority in the order written. Empty for embedded databases and for an empty
     * authority ({@code postgresql:///db}: the driver's default, a local socket or {@code localhost}).
     * A host whose name is empty could not be read.
     */
    public List<Host> hosts() {
        return hosts;
    }

    /** The first host as a URL writes it (IPv6 in brackets, no port), or {@code null} when there is none. */
    public String host() {
        if (hosts.isEmpty() || !hosts.get(0).readable()) {
            return null;
        }
        String n = hosts.get(0).name();
        return n.indexOf(':') >= 0 ? "[" + n + "]" : n;
    }

    /** The first host's port, or {@code null} when not given. */
    public Integer port() {
        return hosts.isEmpty() ? null : hosts.get(0).port();
    }

    /**
     * The host list for a JDBC URL, {@code h1:5432,[::1]:5433}, each host with {@code defaultPort}
     * when it has none; {@code localhost:defaultPort} when the URL names no host.
     */
    public String hostList(int defaultPort) {
        if (hosts.isEmpty()) {
            return "localhost:" + defaultPort;
        }
        List<String> parts = new ArrayList<>();
        for (Host h : hosts) {
            parts.add(new Host(h.name(), h.port() == null ? defaultPort : h.port()).toString());
        }
        return String.join(",", parts);
    }

    /** The host list as written, {@code h1:3306,[::1]}: ports only where given; empty when the URL names no host. */
    public String hostList() {
        List<String> parts = new ArrayList<>();
        for (Host h : hosts) {
            parts.add(h.toString());
        }
        return String.join(",", parts);
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

    /**
     * This URL naming database {@code name} instead of {@link #database()}: everything else (scheme,
     * user, password, hosts, query) as written. For server URLs with an authority, native or
     * {@code jdbc:} ({@code postgresql://h/shop?x=1} becomes {@code postgresql://h/<name>?x=1}).
     *
     * @throws IllegalArgumentException for embedded databases and URLs without an authority, which
     *                                  name no database in a path
     */
    public String withDatabase(String name) {
        Objects.requireNonNull(name, "name");
        if (embedded || pathStart < 0) {
            throw new IllegalArgumentException("db_url '" + masked() + "' names no server database in its path; write it as "
                    + "scheme://host:port/database to let VenomQA derive other databases of the same server from it");
        }
        int end = firstIndexOf(original, pathStart, '?', '#');
        String encoded = java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return original.substring(0, pathStart) + "/" + encoded + original.substring(end);
    }

    /**
     * What follows the scheme's colon, up to the query or fragment, as written: the place an
     * embedded database names ({@code //readme} for {@code memory://readme}, {@code shop} for
     * {@code memory:shop}, {@code ///build/qa.db} for {@code sqlite:///build/qa.db}). Empty when
     * nothing follows the colon.
     */
    public String location() {
        int start = original.toLowerCase(Locale.ROOT).startsWith("jdbc:") ? 5 : 0;
        int colon = original.indexOf(':', start);
        if (colon < 0) {
            return "";
        }
        int end = firstIndexOf(original, colon + 1, '?', '#');
        return original.substring(colon + 1, end);
    }

    /** Query parameters of the URI form in the order given, percent-decoded (values of secret keys included). */
    public Map<String, String> parameters() {
        return parameters;
    }

    /** The URL with its password masked, as {@link #mask(String)} does. */
    public String masked() {
        return mask(original);
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
