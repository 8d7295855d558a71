package io.venomqa.spring.internal;

import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternUtils;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the first statement of Spring Boot's {@code spring.sql.init} schema scripts that takes a table lock an open
 * transaction of another context would hold it up on ({@code DROP}, {@code ALTER}, {@code TRUNCATE}, {@code LOCK},
 * {@code CREATE INDEX}, …), reading the properties Boot reads, without Boot on the class path. Only
 * {@code spring.sql.init.mode=always} counts: {@code embedded} (Boot's default) runs them on in-memory databases
 * only, whose lock waits end with an error of their own. Not API.
 */
final class SqlInitScripts {

    /** Statements that wait for a lock every other transaction's read or write of the table conflicts with. */
    private static final Pattern LOCKING = Pattern.compile(
            "^(drop|alter|truncate|lock|reindex|cluster|vacuum|comment\\s+on|create\\s+(unique\\s+)?index)\\b");
    private static final Pattern COMMENTS = Pattern.compile("--[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);

    private SqlInitScripts() {
    }

    /**
     * The first locking statement of the schema scripts Boot would run at start-up, as
     * {@code "spring.sql.init schema script <resource>: <statement>"}, or empty when none would run or none locks.
     */
    static Optional<String> lockingStatement(Environment env, ResourceLoader loader) {
        String mode = property(env, "spring.sql.init.mode", "spring.sql.init.mode");
        if (mode == null || !mode.trim().equalsIgnoreCase("always") || loader == null) {
            return Optional.empty();
        }
        String platform = Optional.ofNullable(property(env, "spring.sql.init.platform", "spring.sql.init.platform"))
                .map(String::trim).filter(p -> !p.isEmpty()).orElse("all");
        List<String> locations = list(env, "spring.sql.init.schema-locations", "spring.sql.init.schemaLocations");
        if (locations.isEmpty()) {
            locations = List.of("optional:classpath*:schema-" + platform + ".sql", "optional:classpath*:schema.sql");
        }
        Charset charset = Optional.ofNullable(property(env, "spring.sql.init.encoding", "spring.sql.init.encoding"))
                .map(String::trim).map(Charset::forName).orElse(StandardCharsets.UTF_8);
        String separator = Optional.ofNullable(property(env, "spring.sql.init.separator", "spring.sql.init.separator"))
                .filter(x -> !x.isEmpty()).orElse(";");
        ResourcePatternResolver resolver = ResourcePatternUtils.getResourcePatternResolver(loader);
        for (String location : locations) {
            String where = location.trim();
            if (where.startsWith("optional:")) {
                where = where.substring("optional:".length());
            }
            Resource[] found;
            try {
                found = resolver.getResources(where);
            } catch (IOException e) {
                continue; // Boot reports a missing script itself
            }
            for (Resource script : found) {
                if (!script.exists() || !script.isReadable()) {
                    continue;
                }
                String text;
                try (var in = script.getInputStream()) {
                    text = new String(in.readAllBytes(), charset);
                } catch (IOException e) {
                    continue;
                }
                Optional<String> statement = firstLocking(text, separator);
                if (statement.isPresent()) {
                    return Optional.of("spring.sql.init schema script " + script.getDescription() + ": " + statement.get());
                }
            }
        }
        return Optional.empty();
    }

    /** The first statement of {@code script} that {@link #LOCKING} matches, cut to one line of at most 80 characters. */
    static Optional<String> firstLocking(String script, String separator) {
        for (String statement : COMMENTS.matcher(script).replaceAll(" ").split(Pattern.quote(separator))) {
            String s = statement.strip().replaceAll("\\s+", " ");
            Matcher m = LOCKING.matcher(s.toLowerCase(Locale.ROOT));
            if (m.find()) {
                return Optional.of(s.length() > 80 ? s.substring(0, 77) + "..." : s);
            }
        }
        return Optional.empty();
    }

    private static String property(Environment env, String kebab, String camel) {
        String v = env.getProperty(kebab);
        return v != null ? v : env.getProperty(camel);
    }

    /** A list property given as one comma-separated value or as indexed entries ({@code name[0]}, …). */
    private static List<String> list(Environment env, String kebab, String camel) {
        for (String name : List.of(kebab, camel)) {
            String joined = env.getProperty(name);
            if (joined != null && !joined.isBlank()) {
                return List.of(joined.split(","));
            }
            List<String> indexed = new ArrayList<>();
            for (int i = 0; env.getProperty(name + "[" + i + "]") != null; i++) {
                indexed.add(env.getProperty(name + "[" + i + "]"));
            }
            if (!indexed.isEmpty()) {
                return indexed;
            }
        }
        return List.of();
    }
}
