package io.venomqa.runner.internal;

import io.venomqa.core.DatabaseUrl;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The JDBC form of a database URL as VenomQA writes it, for a worker command's {@code ${jdbc_url}}:
 * a {@code jdbc:} URL as it is, {@code sqlite:} with {@code jdbc:} in front, a PostgreSQL or
 * MySQL/MariaDB server URL as {@code jdbc:<driver>://hosts/db?user=…&password=…} (the URL's own
 * parameters kept). Empty for anything else (memory). Not API; the result holds the password, so it
 * goes only to the worker's process, never to a message.
 */
public final class JdbcUrls {

    private JdbcUrls() {
    }

    public static Optional<String> of(String url) {
        DatabaseUrl u = DatabaseUrl.parse(url);
        if (u.isJdbc()) {
            return Optional.of(url);
        }
        if (u.scheme().equals("sqlite")) {
            return Optional.of("jdbc:" + url);
        }
        String driver = switch (u.scheme()) {
            case "postgresql", "postgres" -> "postgresql";
            case "mysql" -> "mysql";
            case "mariadb" -> "mariadb";
            default -> null;
        };
        if (driver == null || !u.isHierarchical()) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>(u.parameters());
        if (u.user() != null) {
            params.putIfAbsent("user", u.user());
        }
        if (u.password() != null) {
            params.putIfAbsent("password", u.password());
        }
        StringBuilder sb = new StringBuilder("jdbc:").append(driver).append("://")
                .append(u.hostList(driver.equals("postgresql") ? 5432 : 3306)).append('/').append(u.database() == null ? "" : u.database());
        String sep = "?";
        for (Map.Entry<String, String> p : params.entrySet()) {
            sb.append(sep).append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
            sep = "&";
        }
        return Optional.of(sb.toString());
    }
}
