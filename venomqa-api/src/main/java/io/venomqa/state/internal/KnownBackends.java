package io.venomqa.state.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The backends VenomQA publishes, known even when their artifact is not on the class path, so an
 * error can say which artifact to add. The one list of their URL prefixes (read by backends through
 * {@link io.venomqa.state.spi.BackendUrls}). Not API: may change in any release.
 */
public final class KnownBackends {

    /** One published backend. */
    public record Known(String name, String displayName, String artifactId, Set<String> aliases, List<String> urlPrefixes) {
        public String coordinates() {
            return "io.venomqa:" + artifactId;
        }

        public boolean answersTo(String nameOrAlias) {
            String n = nameOrAlias.toLowerCase(Locale.ROOT);
            return name.equals(n) || aliases.contains(n);
        }

        public boolean claimsUrl(String url) {
            return io.venomqa.core.DatabaseUrl.hasPrefix(url, urlPrefixes);
        }
    }

    public static final List<Known> ALL = List.of(
            new Known("postgresql", "PostgreSQL", "venomqa-backend-postgres", Set.of("postgres"),
                    List.of("postgresql://", "postgres://", "jdbc:postgresql:")),
            new Known("mysql", "MySQL/MariaDB", "venomqa-backend-mysql", Set.of("mariadb"),
                    List.of("mysql://", "mariadb://", "jdbc:mysql:", "jdbc:mariadb:")),
            new Known("sqlite", "SQLite", "venomqa-backend-sqlite", Set.of("sqlite3"),
                    List.of("sqlite:", "jdbc:sqlite:")),
            new Known("h2", "H2", "venomqa-backend-h2", Set.of(),
                    List.of("jdbc:h2:", "h2:")),
            new Known("memory", "in-memory", "venomqa-backend-memory", Set.of("inmemory", "in-memory"),
                    List.of("memory://", "memory:")));

    private KnownBackends() {
    }

    public static Optional<Known> byName(String nameOrAlias) {
        return ALL.stream().filter(k -> k.answersTo(nameOrAlias)).findFirst();
    }

    public static Optional<Known> byUrl(String url) {
        return url == null ? Optional.empty() : ALL.stream().filter(k -> k.claimsUrl(url)).findFirst();
    }

    /** The published backend whose name or an alias is closest to {@code typed}, if it is close enough to be a typo. */
    public static Optional<Known> nearest(String typed) {
        String t = typed.toLowerCase(Locale.ROOT);
        Known best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Known k : ALL) {
            for (String candidate : concat(k.name(), k.aliases())) {
                int d = Strings.editDistance(t, candidate);
                if (candidate.startsWith(t) || t.startsWith(candidate)) {
                    d = Math.min(d, 1);
                }
                if (d < bestDistance) {
                    bestDistance = d;
                    best = k;
                }
            }
        }
        return bestDistance <= Math.max(2, t.length() / 3) ? Optional.ofNullable(best) : Optional.empty();
    }

    private static List<String> concat(String first, Set<String> rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream()).toList();
    }
}
