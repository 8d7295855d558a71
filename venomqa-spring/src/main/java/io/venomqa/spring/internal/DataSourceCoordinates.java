package io.venomqa.spring.internal;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Where an application's DataSource points: JDBC URL, user, password and current schema, read from
 * the pool's own configuration (HikariCP's {@code jdbcUrl}/{@code username}/{@code password}, or the
 * {@code url}/{@code user} properties of other pools and drivers' DataSources) and, for what it does
 * not say, from one of its connections; HikariCP's driver properties are added to the URL. Not API.
 */
record DataSourceCoordinates(String url, String user, String password, String schema) {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DataSourceCoordinates.class);

    static DataSourceCoordinates of(DataSource ds) {
        DataSource target = ds;
        while (target instanceof DelegatingDataSource d && d.getTargetDataSource() != null) {
            target = d.getTargetDataSource();
        }
        BeanWrapper bw = PropertyAccessorFactory.forBeanPropertyAccess(target);
        String url = read(bw, "jdbcUrl", "url", "URL");
        String user = read(bw, "username", "user");
        String password = read(bw, "password");
        String schema;
        try (Connection c = ds.getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            if (url == null) {
                url = md.getURL();
            }
            if (user == null) {
                user = md.getUserName();
            }
            schema = c.getSchema();
        } catch (SQLException e) {
            throw new IllegalStateException("VenomQA could not open a connection from the application's DataSource ("
                    + (url == null ? target.getClass().getName() : io.venomqa.core.CredentialMasker.maskUrl(url)) + ") to see "
                    + "where it points: " + io.venomqa.core.CredentialMasker.maskText(e.getMessage())
                    + ". Check the application's spring.datasource.* settings and that the database is running.", e);
        }
        if (url == null) {
            throw new IllegalStateException("VenomQA cannot tell the JDBC URL of the application's DataSource ("
                    + target.getClass().getName() + "): it has no jdbcUrl or url property and its connections do not say.");
        }
        url = withDriverProperties(url, bw);
        String initSql = read(bw, "connectionInitSql");
        if (initSql != null) {
            LOG.warn("The application's pool runs connectionInitSql on each of its connections ({}); VenomQA's shared "
                    + "connection, which the application gets during the test, does not: settings it makes (a time zone, a "
                    + "search path) are not in effect there. Give them as driver properties (HikariCP's data-source-properties, "
                    + "e.g. PostgreSQL's options=-c TimeZone=…), which VenomQA passes on.", initSql);
        }
        return new DataSourceCoordinates(url, blankToNull(user), blankToNull(password), blankToNull(schema));
    }

    /**
     * {@code url} with the pool's driver properties (HikariCP's {@code dataSourceProperties}, e.g.
     * PostgreSQL's {@code stringtype=unspecified}) added as query parameters, for the drivers whose URLs
     * take them (PostgreSQL, MySQL, MariaDB): the shared connection the application gets during the test
     * must behave as the pool's did. Credentials are left out (they come apart). Elsewhere they are named
     * in a warning.
     */
    static String withDriverProperties(String url, BeanWrapper bw) {
        if (!bw.isReadableProperty("dataSourceProperties")) {
            return url;
        }
        Object value;
        try {
            value = bw.getPropertyValue("dataSourceProperties");
        } catch (RuntimeException e) {
            return url;
        }
        if (!(value instanceof java.util.Properties props) || props.isEmpty()) {
            return url;
        }
        java.util.List<String> keys = props.stringPropertyNames().stream()
                .filter(k -> !k.equalsIgnoreCase("user") && !k.equalsIgnoreCase("password")).sorted().toList();
        if (keys.isEmpty()) {
            return url;
        }
        if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:mysql:") && !url.startsWith("jdbc:mariadb:")) {
            LOG.warn("The application's pool sets driver properties {} that VenomQA cannot pass on to its connection to {}: "
                    + "put them in the JDBC URL if the driver reads them there.", keys,
                    io.venomqa.core.CredentialMasker.maskUrl(url));
            return url;
        }
        StringBuilder sb = new StringBuilder(url);
        char sep = url.contains("?") ? '&' : '?';
        for (String k : keys) {
            sb.append(sep).append(k).append('=')
                    .append(java.net.URLEncoder.encode(props.getProperty(k), java.nio.charset.StandardCharsets.UTF_8));
            sep = '&';
        }
        return sb.toString();
    }

    private static String read(BeanWrapper bw, String... names) {
        for (String n : names) {
            if (bw.isReadableProperty(n)) {
                try {
                    Object v = bw.getPropertyValue(n);
                    if (v != null && !v.toString().isBlank()) {
                        return v.toString();
                    }
                } catch (RuntimeException ignored) {
                    // a getter that refuses (a closed pool, a write-only password): try the next name
                }
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return io.venomqa.core.CredentialMasker.maskUrl(url) + (schema == null ? "" : " schema " + schema);
    }
}
