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
 * not say, from one of its connections. Not API.
 */
record DataSourceCoordinates(String url, String user, String password, String schema) {

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
        return new DataSourceCoordinates(url, blankToNull(user), blankToNull(password), blankToNull(schema));
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
