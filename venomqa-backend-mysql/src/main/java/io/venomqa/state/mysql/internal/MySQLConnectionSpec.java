package io.venomqa.state.mysql.internal;

import io.venomqa.core.CredentialMasker;
import io.venomqa.state.StateConfig;
import io.venomqa.core.DatabaseUrl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * How to open a Connector/J connection for a {@link StateConfig}: the {@code jdbc:mysql:} URL
 * (without credentials when they came from a {@code mysql://} URL or the options) and the
 * connection properties. Internal: not part of the public API.
 *
 * <p>Accepted URLs: {@code mysql://user:pass@host:3306/db}, {@code mariadb://…} (same form),
 * {@code jdbc:mysql:…} (passed to Connector/J as written) and {@code jdbc:mariadb:…} (rewritten to
 * {@code jdbc:mysql:} because the MySQL driver serves both servers). In the native forms user and
 * password are percent-decoded; query parameters are passed to Connector/J as properties except
 * the pool settings of the seed's SQLAlchemy-style URLs ({@code pool_size}, …), which are dropped
 * with a logged note, and {@code charset}, which is read like the option of that name.
 *
 * <p>Properties always set, whatever the URL says: {@code autoReconnect=false} (a silent
 * reconnect would continue on a connection without our transaction and savepoints) and
 * {@code connectTimeout} from option {@code connection_timeout} (default 30 s).
 */
public final class MySQLConnectionSpec {

    private static final System.Logger LOG = System.getLogger(MySQLConnectionSpec.class.getName());

    /** Query parameters of the seed's URLs that configure a pool we do not have. */
    private static final Set<String> DROPPED_PARAMETERS = Set.of(
            "pool_size", "max_overflow", "pool_timeout", "pool_recycle", "pool_pre_ping", "echo");

    /** Default {@code connection_timeout}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final String jdbcUrl;
    private final Properties properties;
    private final String charset;
    private final String maskedUrl;

    private MySQLConnectionSpec(String jdbcUrl, Properties properties, String charset, String maskedUrl) {
        this.jdbcUrl = jdbcUrl;
        this.properties = properties;
        this.charset = charset;
        this.maskedUrl = maskedUrl;
    }

    /** Whether {@code url} is one of the forms this backend reads. */
    public static boolean accepts(String url) {
        if (url == null) {
            return false;
        }
        String u = url.trim().toLowerCase(Locale.ROOT);
        return u.startsWith("mysql://") || u.startsWith("mariadb://")
                || u.startsWith("jdbc:mysql:") || u.startsWith("jdbc:mariadb:");
    }

    /**
     * Reads {@code config}, with the connect timeout from its {@code connection_timeout} option.
     *
     * @throws IllegalArgumentException naming what is wrong (with the URL masked)
     */
    public static MySQLConnectionSpec of(StateConfig config) {
        return of(config, config.optionDuration("connection_timeout", DEFAULT_CONNECT_TIMEOUT));
    }

    /**
     * Reads {@code config}; {@code connectTimeout} is what the manager resolved from {@code connection_timeout}.
     *
     * @throws IllegalArgumentException naming what is wrong (with the URL masked)
     */
    public static MySQLConnectionSpec of(StateConfig config, Duration connectTimeout) {
        return of(config, connectTimeout, true);
    }

    /**
     * The MySQL character set the session must end up with, or {@code null} when a {@code jdbc:}
     * URL sets {@code characterEncoding} itself; reads the configuration again without logging.
     */
    public static String requestedCharset(StateConfig config) {
        return of(config, DEFAULT_CONNECT_TIMEOUT, false).charset();
    }

    private static MySQLConnectionSpec of(StateConfig config, Duration connectTimeout, boolean log) {
        String url = config.url();
        if (url == null) {
            throw new IllegalArgumentException("The mysql backend needs db_url, such as mysql://user:password@localhost:3306/test_db");
        }
        String masked = CredentialMasker.maskUrl(url);
        if (!accepts(url)) {
            throw new IllegalArgumentException("db_url " + masked + " is not a MySQL/MariaDB URL. Use mysql://user:password@host:3306/database, "
                    + "mariadb://…, jdbc:mysql://… or jdbc:mariadb://…");
        }
        Properties props = new Properties();
        String charsetFromUrl = null;
        String jdbcUrl;
        String trimmed = url.trim();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:")) {
            // Connector/J reads its own URL syntax (several hosts, load balancing, properties);
            // only the sub-protocol changes, because the MySQL driver serves MariaDB too.
            jdbcUrl = lower.startsWith("jdbc:mariadb:") ? "jdbc:mysql:" + trimmed.substring("jdbc:mariadb:".length()) : trimmed;
        } else {
            int schemeEnd = trimmed.indexOf("://");
            String rest = trimmed.substring(schemeEnd + 3);
            String query = null;
            int q = rest.indexOf('?');
            if (q >= 0) {
                query = rest.substring(q + 1);
                rest = rest.substring(0, q);
            }
            int at = rest.lastIndexOf('@');
            if (at >= 0) {
                String userInfo = rest.substring(0, at);
                rest = rest.substring(at + 1);
                int colon = userInfo.indexOf(':');
                String user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo);
                if (!user.isEmpty()) {
                    props.setProperty("user", user);
                }
                if (colon >= 0) {
                    props.setProperty("password", decode(userInfo.substring(colon + 1)));
                }
            }
            int slash = rest.indexOf('/');
            String hostPort = slash >= 0 ? rest.substring(0, slash) : rest;
            String database = slash >= 0 ? rest.substring(slash + 1) : "";
            if (hostPort.isEmpty()) {
                throw new IllegalArgumentException("db_url " + masked + " has no host. Use mysql://user:password@host:3306/database");
            }
            if (database.isEmpty() || database.contains("/")) {
                throw new IllegalArgumentException("db_url " + masked + " names no database (or more than one path segment). "
                        + "Use mysql://user:password@host:3306/database: VenomQA works inside one database.");
            }
            jdbcUrl = "jdbc:mysql://" + hostPort + "/" + database;
            if (query != null) {
                for (String pair : query.split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    String key = decode(eq >= 0 ? pair.substring(0, eq) : pair);
                    String value = eq >= 0 ? decode(pair.substring(eq + 1)) : "";
                    if (DROPPED_PARAMETERS.contains(key.toLowerCase(Locale.ROOT))) {
                        if (log) {
                            LOG.log(System.Logger.Level.INFO, "db_url parameter ''{0}'' ignored: the mysql backend keeps one connection, not a pool", key);
                        }
                    } else if (key.equalsIgnoreCase("charset")) {
                        charsetFromUrl = value;
                    } else {
                        props.setProperty(key, value);
                    }
                }
            }
        }
        // Options win over the URL for credentials: they are how a password stays out of the URL.
        String user = firstNonBlank(config.optionString("user", null), config.optionString("username", null));
        if (user != null) {
            props.setProperty("user", user);
        }
        String password = config.optionString("password", null);
        if (password != null) {
            props.setProperty("password", password);
        }
        String charsetOption = config.optionString("charset", null);
        if (charsetOption != null && charsetFromUrl != null && !charsetOption.equalsIgnoreCase(charsetFromUrl)) {
            throw new IllegalArgumentException("Option charset '" + charsetOption + "' contradicts charset='" + charsetFromUrl
                    + "' in db_url " + masked + "; set it in one place.");
        }
        String charset = firstNonBlank(charsetOption, charsetFromUrl);
        boolean urlSetsEncoding = hasProperty(jdbcUrl, props, "characterEncoding");
        if (charset != null && urlSetsEncoding) {
            throw new IllegalArgumentException("db_url " + masked + " sets characterEncoding and option charset is '" + charset
                    + "'; set it in one place.");
        }
        if (!urlSetsEncoding) {
            charset = charset == null ? MySQLCharsets.DEFAULT : charset.trim();
            props.setProperty("characterEncoding", MySQLCharsets.javaName(charset));
        }
        // Connector/J reads 0 as "no timeout": never let a tiny duration round down to that.
        props.setProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toMillis())));
        if (log && (isTrue(props.getProperty("autoReconnect")) || jdbcUrl.toLowerCase(Locale.ROOT).contains("autoreconnect=true"))) {
            LOG.log(System.Logger.Level.WARNING, "autoReconnect=true ignored for {0}: a reconnected session has lost every checkpoint, "
                    + "so VenomQA reports a lost connection instead", masked);
        }
        props.setProperty("autoReconnect", "false");
        // jOOQ's meta API asks DatabaseMetaData with a null catalog, which Connector/J reads as "every
        // database on the server": slow on a shared server, and broken by any other database's
        // broken view or concurrently dropped table. Null must mean the connection's own database.
        props.setProperty("nullDatabaseMeansCurrent", "true");
        return new MySQLConnectionSpec(jdbcUrl, props, urlSetsEncoding ? null : charset, masked);
    }

    /** The URL handed to Connector/J (may carry credentials when the user wrote a jdbc: URL with them). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** A copy of the connection properties, password included. */
    public Properties properties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    /** The MySQL charset the session must use, or {@code null} when the jdbc: URL chose the encoding itself. */
    public String charset() {
        return charset;
    }

    /** The configured URL with its password masked. */
    public String maskedUrl() {
        return maskedUrl;
    }

    /** Connection properties safe to print: password masked. */
    public Map<String, String> printableProperties() {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(properties.stringPropertyNames());
        keys.sort(null);
        for (String k : keys) {
            out.put(k, CredentialMasker.isSecretKey(k) ? CredentialMasker.MASK : properties.getProperty(k));
        }
        return out;
    }

    private static boolean hasProperty(String jdbcUrl, Properties props, String key) {
        if (props.getProperty(key) != null) {
            return true;
        }
        String lower = jdbcUrl.toLowerCase(Locale.ROOT);
        String k = key.toLowerCase(Locale.ROOT) + "=";
        return lower.contains("?" + k) || lower.contains("&" + k);
    }

    private static boolean isTrue(String v) {
        return v != null && (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"));
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : null;
    }

    /** Percent-decoding as the jdbc core does it: {@code +} stays a plus, a stray {@code %} stays as written. */
    private static String decode(String s) {
        return DatabaseUrl.decode(s);
    }
}

