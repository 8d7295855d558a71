package io.venomqa.state.spi;

import io.venomqa.state.ResetException;
import io.venomqa.state.StateConfig;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The table rules every backend applies, for backends of any kind (SQL or not) to share: which
 * tables a {@code reset()} empties and which it keeps, and why. The SQL backends of
 * {@code venomqa-backend-jdbc} use the same rules, adding only what foreign keys require.
 *
 * <ul>
 *   <li>Migration tables ({@link #MIGRATION_TABLES}) and VenomQA's own ({@code venomqa_*}) are
 *       always kept, whatever the configuration says.</li>
 *   <li>{@code tables_to_reset}, when given, is the whole reset set; a name that is no table, or
 *       that is always kept or excluded, is a {@link ResetException} naming it.</li>
 *   <li>Otherwise every table but {@code exclude_tables} is reset. A name in {@code exclude_tables}
 *       that is no table excludes nothing; one that looks like a pattern ({@code *}, {@code ?},
 *       {@code %}) and matches no table is an error, because names are never expanded and the
 *       table it meant to protect would be emptied, and so is one spelled almost like a table that
 *       would be emptied (a typo: {@code itemz} for {@code items}).</li>
 *   <li>Names match ignoring case, as SQL identifiers usually do; results use the store's spelling.</li>
 * </ul>
 *
 * <pre>{@code
 * TableSelection s = TableSelection.of(myStore.tableNames(), config());
 * for (String t : s.toReset()) { myStore.clear(t); }
 * }</pre>
 */
public final class TableSelection {

    /**
     * Tables of migration tools, never reset and never tracked: Flyway ({@code flyway_schema_history},
     * and {@code schema_version} before Flyway 5), Liquibase, Alembic, Django, Rails, Prisma, Knex,
     * Sequelize, goose and Entity Framework.
     */
    public static final List<String> MIGRATION_TABLES = List.of("flyway_schema_history", "schema_version",
            "databasechangelog", "databasechangeloglock", "alembic_version", "django_migrations", "schema_migrations",
            "_prisma_migrations", "knex_migrations", "knex_migrations_lock", "SequelizeMeta", "goose_db_version",
            "__EFMigrationsHistory");

    /** Prefix of VenomQA's own tables (journal, bookkeeping), compared ignoring case. */
    public static final String VENOMQA_TABLE_PREFIX = "venomqa_";

    /**
     * The tables VenomQA itself makes beside the application's (the journal's, on MySQL/MariaDB and SQLite), lower
     * case. Any other table whose name starts with {@link #VENOMQA_TABLE_PREFIX} is an application's that VenomQA keeps
     * out all the same: {@link #lookalike(String)}.
     */
    public static final Set<String> VENOMQA_TABLES = Set.of("venomqa_journal", "venomqa_journal_blob",
            "venomqa_journal_app_trigger", "venomqa_run", "venomqa_pending", "venomqa_layout", "venomqa_replay");

    /**
     * Whether {@code table} starts with {@link #VENOMQA_TABLE_PREFIX} (any case) without being one of
     * {@link #VENOMQA_TABLES}: such a table is left out as VenomQA's own (never reset, not journaled, its changes not
     * shown), so a backend says so when it finds one rather than leave it out without a word.
     */
    public static boolean lookalike(String table) {
        String t = table.toLowerCase(Locale.ROOT);
        return t.startsWith(VENOMQA_TABLE_PREFIX) && !VENOMQA_TABLES.contains(t);
    }

    private static final Set<String> MIGRATION_LOWER = MIGRATION_TABLES.stream()
            .map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());

    private final List<String> toReset;
    private final Map<String, String> kept;

    private TableSelection(List<String> toReset, Map<String, String> kept) {
        this.toReset = List.copyOf(toReset);
        this.kept = Collections.unmodifiableMap(new LinkedHashMap<>(kept));
    }

    /** Why {@code table} is always kept ("a migration table", "one of VenomQA's own tables"), or empty. */
    public static Optional<String> builtInExclusion(String table) {
        String t = table.toLowerCase(Locale.ROOT);
        if (MIGRATION_LOWER.contains(t)) {
            return Optional.of("a migration table");
        }
        if (t.startsWith(VENOMQA_TABLE_PREFIX)) {
            return Optional.of("one of VenomQA's own tables");
        }
        return Optional.empty();
    }

    /** The selection for {@code tables} (the store's tables, in its order) under {@code config}'s lists. */
    public static TableSelection of(Collection<String> tables, StateConfig config) {
        return of(tables, config.tablesToReset(), config.excludeTables());
    }

    /**
     * The selection for {@code tables} (the store's tables, in its order).
     *
     * @throws ResetException when {@code tablesToReset} names a table that does not exist or is
     *                        kept, or {@code excludeTables} has a pattern that matches no table
     */
    public static TableSelection of(Collection<String> tables, List<String> tablesToReset, List<String> excludeTables) {
        for (String name : excludeTables) {
            if (looksLikePattern(name) && find(tables, name).isEmpty()) {
                throw new ResetException("exclude_tables names '" + name + "', which is no table. Table names are exact:"
                        + " wildcards (*, ?, %) are not expanded, so list every table. Tables there: " + list(tables)
                        + ". Nothing was reset.");
            }
        }
        Map<String, String> kept = new LinkedHashMap<>();
        for (String t : tables) {
            builtInExclusion(t).ifPresent(reason -> kept.put(t, reason));
            if (!kept.containsKey(t) && excludeTables.stream().anyMatch(e -> e.equalsIgnoreCase(t))) {
                kept.put(t, "listed in exclude_tables");
            }
        }
        if (tablesToReset.isEmpty()) {
            for (String name : excludeTables) {
                if (find(tables, name).isPresent()) {
                    continue;
                }
                // A typo of a table that would be reset: the table it meant to keep would be emptied. Until 2026-12-05
                // this was only logged (a name that is no table may be one a later migration creates, and that stays so
                // when no table to be emptied is spelled almost like it).
                List<String> emptied = tables.stream().filter(t -> !kept.containsKey(t)).toList();
                Optional<String> near = io.venomqa.core.DidYouMean.nearest(name.toLowerCase(Locale.ROOT),
                        emptied.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList());
                if (near.isPresent()) {
                    String table = find(emptied, near.get()).orElse(near.get());
                    throw new ResetException("exclude_tables names '" + name + "', which is no table; did you mean '" + table
                            + "'? As written it keeps nothing, and reset() would empty '" + table + "'. Correct the name in "
                            + "exclude_tables. Nothing was reset.");
                }
            }
        }
        List<String> reset = new ArrayList<>();
        if (!tablesToReset.isEmpty()) {
            for (String requested : tablesToReset) {
                String t = find(tables, requested).orElseThrow(() -> new ResetException("tables_to_reset names '"
                        + requested + "', which does not exist. Tables there: " + list(tables)
                        + ". Fix the name or create the table before reset()."));
                String reason = kept.get(t);
                if (reason != null) {
                    throw new ResetException("tables_to_reset names '" + requested + "', which is " + reason
                            + " and is never reset. Remove it from tables_to_reset"
                            + (reason.startsWith("listed") ? " or from exclude_tables." : "."));
                }
                if (!reset.contains(t)) {
                    reset.add(t);
                }
            }
            for (String t : tables) {
                if (!reset.contains(t) && !kept.containsKey(t)) {
                    kept.put(t, "not listed in tables_to_reset");
                }
            }
        } else {
            for (String t : tables) {
                if (!kept.containsKey(t)) {
                    reset.add(t);
                }
            }
        }
        return new TableSelection(reset, kept);
    }

    /** The tables to empty, in the store's order (tables_to_reset's order when given). */
    public List<String> toReset() {
        return toReset;
    }

    /** The tables kept, each with the reason, in the store's order. */
    public Map<String, String> kept() {
        return kept;
    }

    private static Optional<String> find(Collection<String> tables, String name) {
        if (tables.contains(name)) {
            return Optional.of(name);
        }
        return tables.stream().filter(t -> t.equalsIgnoreCase(name)).findFirst();
    }

    private static String list(Collection<String> tables) {
        return tables.isEmpty() ? "(none)" : String.join(", ", tables);
    }

    private static boolean looksLikePattern(String name) {
        return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('%') >= 0;
    }

    @Override
    public String toString() {
        return "TableSelection[reset=" + toReset + ", kept=" + kept + "]";
    }
}
