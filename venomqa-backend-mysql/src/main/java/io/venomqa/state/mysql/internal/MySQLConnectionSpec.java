package io.venomqa.state.mysql.internal;

import io.venomqa.core.CredentialMasker;
import io.venomqa.core.DatabaseUrl;
import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.spi.BackendUrls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    /** Option: the connection's character set (declared by {@code MySQLDialect}). */
    public static final String OPTION_CHARSET = "charset";
    /** Option: another spelling of {@code user} (declared by {@code MySQLDialect}). */
    public static final String OPTION_USERNAME = "username";


    private static final Logger LOG = LoggerFactory.getLogger(MySQLConnectionSpec.class);

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

    /** Whether {@code url} is one of the forms this backend reads (the prefixes of {@link BackendUrls}). */
    public static boolean accepts(String url) {
        return BackendUrls.claims("mysql", url);
    }

    /**
     * Reads {@code config}, with the connect timeout from its {@code connection_timeout} option.
     *
     * @throws IllegalArgumentException naming what is wrong (with the URL masked)
     */
    public static MySQLConnectionSpec of(StateConfig config) {
        return of(config, config.optionDuration(JdbcStateManager.OPTION_CONNECTION_TIMEOUT, DEFAULT_CONNECT_TIMEOUT));
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
        DatabaseUrl parsed = DatabaseUrl.parse(url);
        String masked = parsed.masked();
        if (!accepts(url)) {
            throw new IllegalArgumentException("db_url " + masked + " is not a MySQL/MariaDB URL. Use mysql://user:password@host:3306/database, "
                    + "mariadb://…, jdbc:mysql://… or jdbc:mariadb://…");
        }
        Properties props = new Properties();
        FromUrl fromUrl = parsed.isJdbc() ? fromJdbcUrl(parsed) : fromNativeUrl(parsed, props, log);
        String jdbcUrl = fromUrl.jdbcUrl();
        applyCredentialOptions(config, props);
        String charset = resolveCharset(config.optionString(OPTION_CHARSET, null), fromUrl, props, masked);
        applyFixedProperties(props, jdbcUrl, connectTimeout, masked, log);
        return new MySQLConnectionSpec(jdbcUrl, props, charset, masked);
    }

    /** Options win over the URL for credentials: they are how a password stays out of the URL. */
    private static void applyCredentialOptions(StateConfig config, Properties props) {
        String user = firstNonBlank(config.optionString(JdbcDialect.OPTION_USER, null), config.optionString(OPTION_USERNAME, null));
        if (user != null) {
            props.setProperty("user", user);
        }
        String password = config.optionString(JdbcDialect.OPTION_PASSWORD, null);
        if (password != null) {
            props.setProperty("password", password);
        }
    }

    /**
     * The charset from option {@code charset} or the URL (set in one place only), written to
     * {@code characterEncoding}; {@code null} when a {@code jdbc:} URL sets {@code characterEncoding} itself.
     */
    private static String resolveCharset(String charsetOption, FromUrl fromUrl, Properties props, String masked) {
        String charsetFromUrl = fromUrl.charset();
        if (charsetOption != null && charsetFromUrl != null && !charsetOption.equalsIgnoreCase(charsetFromUrl)) {
            throw new IllegalArgumentException("Option charset '" + charsetOption + "' contradicts charset='" + charsetFromUrl
                    + "' in db_url " + masked + "; set it in one place.");
        }
        String charset = firstNonBlank(charsetOption, charsetFromUrl);
        boolean urlSetsEncoding = hasProperty(fromUrl.jdbcUrl(), props, "characterEncoding");
        if (charset != null && urlSetsEncoding) {
            throw new IllegalArgumentException("db_url " + masked + " sets characterEncoding and option charset is '" + charset
                    + "'; set it in one place.");
        }
        if (urlSetsEncoding) {
            return null;
        }
        charset = charset == null ? MySQLCharsets.DEFAULT : charset.trim();
        props.setProperty("characterEncoding", MySQLCharsets.javaName(charset));
        return charset;
    }

    /** Properties VenomQA always sets, whatever the URL says. */
    private static void applyFixedProperties(Properties props, String jdbcUrl, Duration connectTimeout, String masked, boolean log) {
        // Connector/J reads 0 as "no timeout": never let a tiny duration round down to that.
        props.setProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toMillis())));
        if (log && (isTrue(props.getProperty("autoReconnect")) || jdbcUrl.toLowerCase(Locale.ROOT).contains("autoreconnect=true"))) {
            LOG.warn("autoReconnect=true ignored for {}: a reconnected session has lost every checkpoint, "
                    + "so VenomQA reports a lost connection instead", masked);
        }
        props.setProperty("autoReconnect", "false");
        // jOOQ's meta API asks DatabaseMetaData with a null catalog, which Connector/J reads as "every
        // database on the server": slow on a shared server, and broken by any other database's
        // broken view or concurrently dropped table. Null must mean the connection's own database.
        props.setProperty("nullDatabaseMeansCurrent", "true");
    }

    /** What a URL contributes: the URL for Connector/J and the charset it names, if any. */
    private record FromUrl(String jdbcUrl, String charset) {
    }

    /**
     * Connector/J reads its own URL syntax (several hosts, load balancing, properties); only the
     * sub-protocol changes, because the MySQL driver serves MariaDB too.
     */
    private static FromUrl fromJdbcUrl(DatabaseUrl url) {
        String u = url.original();
        String jdbcUrl = url.scheme().equals("jdbc:mariadb") ? "jdbc:mysql:" + u.substring("jdbc:mariadb:".length()) : u;
        return new FromUrl(jdbcUrl, null);
    }

    /**
     * The native form: credentials into {@code props}, the hosts exactly as {@link DatabaseUrl} read
     * them (the hosts the guard checked), query parameters into {@code props} but the seed's pool settings.
     */
    private static FromUrl fromNativeUrl(DatabaseUrl url, Properties props, boolean log) {
        String masked = url.masked();
        if (url.user() != null) {
            props.setProperty("user", url.user());
        }
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        if (url.hosts().isEmpty() || url.hosts().stream().anyMatch(h -> !h.readable())) {
            throw new IllegalArgumentException("db_url " + masked + " has no host. Use mysql://user:password@host:3306/database");
        }
        String database = url.path() == null ? "" : url.path().substring(1);
        if (database.isEmpty() || database.contains("/")) {
            throw new IllegalArgumentException("db_url " + masked + " names no database (or more than one path segment). "
                    + "Use mysql://user:password@host:3306/database: VenomQA works inside one database.");
        }
        String charset = null;
        for (Map.Entry<String, String> e : url.parameters().entrySet()) {
            String key = e.getKey();
            if (DROPPED_PARAMETERS.contains(key.toLowerCase(Locale.ROOT))) {
                if (log) {
                    LOG.info("db_url parameter '{}' ignored: the mysql backend keeps one connection, not a pool", key);
                }
            } else if (key.equalsIgnoreCase("charset")) {
                charset = e.getValue();
            } else {
                props.setProperty(key, e.getValue());
            }
        }
        return new FromUrl("jdbc:mysql://" + url.hostList() + "/" + database, charset);
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
}
