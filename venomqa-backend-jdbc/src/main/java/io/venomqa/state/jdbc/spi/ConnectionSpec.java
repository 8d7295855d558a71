package io.venomqa.state.jdbc.spi;

import io.venomqa.core.CredentialMasker;

import java.util.Objects;
import java.util.Properties;

/**
 * What a dialect derived from the configuration to open the one connection: the JDBC URL, the
 * driver properties (user, password, timeouts), and the URL as the user should see it in
 * messages. {@link #toString()} never shows the password.
 *
 * @param jdbcUrl     URL for {@link java.sql.Driver#connect}; may hold a password for {@code jdbc:} URLs given as such
 * @param properties  driver properties; a copy is handed to the driver
 * @param displayUrl  the user's URL with its password masked, for messages and logs
 */
public record ConnectionSpec(String jdbcUrl, Properties properties, String displayUrl) {
    public ConnectionSpec {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Properties copy = new Properties();
        if (properties != null) {
            copy.putAll(properties);
        }
        properties = copy;
        displayUrl = displayUrl == null ? CredentialMasker.maskUrl(jdbcUrl) : displayUrl;
    }

    /** A copy of the driver properties, password included: for the driver only. */
    @Override
    public Properties properties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    /** The password that will be sent, or {@code null}: used to scrub driver messages. */
    public String password() {
        return properties.getProperty("password");
    }

    @Override
    public String toString() {
        return "ConnectionSpec[" + CredentialMasker.maskUrl(jdbcUrl) + ", user=" + properties.getProperty("user") + "]";
    }
}
