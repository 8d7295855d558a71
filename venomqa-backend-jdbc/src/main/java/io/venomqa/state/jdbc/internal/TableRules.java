package io.venomqa.state.jdbc.internal;

import io.venomqa.state.ResetException;
import io.venomqa.state.jdbc.spi.ForeignKeyInfo;
import io.venomqa.state.jdbc.spi.ResetPlan;
import io.venomqa.state.jdbc.spi.SchemaInfo;
import io.venomqa.state.jdbc.spi.TableInfo;
import io.venomqa.state.spi.TableSelection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The exclusion rules of DESIGN.md and the reset planning built on them. Not API.
 */
public final class TableRules {

    private static final Logger LOG = LoggerFactory.getLogger(TableRules.class);

    /** Migration tables (lower case): {@link TableSelection#MIGRATION_TABLES}, the one list. */
    public static final Set<String> MIGRATION_TABLES = TableSelection.MIGRATION_TABLES.stream()
            .map(t -> t.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** Prefix of VenomQA's own tables (journal, bookkeeping): never reset, never tracked. */
    public static final String VENOMQA_TABLE_PREFIX = TableSelection.VENOMQA_TABLE_PREFIX;

    private TableRules() {
    }

    /** Why {@code table} is always excluded, or empty when it is an ordinary table. */
    public static Optional<String> builtInExclusion(String table) {
        return TableSelection.builtInExclusion(table);
    }

    /** The tables a checkpoint covers: every table but the built-in and configured exclusions. */
    public static List<TableInfo> tracked(SchemaInfo schema, List<String> excludeTables) {
        Set<String> excluded = resolveExcluded(schema, excludeTables, false);
        List<TableInfo> out = new ArrayList<>();
        for (TableInfo t : schema.tables().values()) {
            if (!excluded.contains(t.name()) && builtInExclusion(t.name()).isEmpty()) {
                out.add(t);
            } else if (TableSelection.lookalike(t.name()) && LOOKALIKES_SAID.add(schema.schema() + "\u0000" + t.name())) {
                LOG.warn("Table '{}'{} is not one of VenomQA's own tables, but its name starts with '{}', the "
                        + "prefix VenomQA keeps for them: VenomQA leaves it out as one of its own. It is never reset, and "
                        + "the journal strategy never rolls it back (what a step writes there stays), nor are its changes "
                        + "shown or part of an explored state. Rename the table (VenomQA's own are {}).", t.name(),
                        schema.schema() == null || schema.schema().isEmpty() ? "" : " of schema '" + schema.schema() + "'",
                        VENOMQA_TABLE_PREFIX, new java.util.TreeSet<>(TableSelection.VENOMQA_TABLES));
            }
        }
        return out;
    }

    /** Tables {@link #tracked} has warned about (schema and name), so that each is said once, not at each introspection. */
    private static final Set<String> LOOKALIKES_SAID = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Decides what a reset empties.
     *
     * @param enforcesForeignKeys whether the database enforces keys (when not, an excluded child
     *                            does not stop the reset of its parent)
     * @throws ResetException when {@code tablesToReset} names a table that does not exist or is
     *                        excluded, or when an excluded table has a foreign key into the reset set
     */
    public static ResetPlan plan(SchemaInfo schema, List<String> tablesToReset, List<String> excludeTables,
                                 boolean enforcesForeignKeys) {
        for (String name : excludeTables) {
            // An unmatched pattern would silently exclude nothing, and reset would empty the tables it meant to protect.
            if (looksLikePattern(name) && schema.table(name).isEmpty()) {
                throw new ResetException("exclude_tables names '" + name + "', which is no table of schema '"
                        + schema.schema() + "'." + NO_PATTERNS + " Tables there: "
                        + (schema.tableNames().isEmpty() ? "(none)" : String.join(", ", schema.tableNames()))
                        + ". Nothing was reset.");
            }
        }
        Set<String> configuredExcluded = resolveExcluded(schema, excludeTables, true);
        Map<String, String> whyExcluded = new LinkedHashMap<>();
        for (String t : schema.tableNames()) {
            builtInExclusion(t).ifPresent(reason -> whyExcluded.put(t, reason));
            if (configuredExcluded.contains(t)) {
                whyExcluded.put(t, "listed in exclude_tables");
            }
        }
        Set<String> reset = new LinkedHashSet<>();
        if (!tablesToReset.isEmpty()) {
            for (String requested : tablesToReset) {
                TableInfo t = schema.table(requested).orElseThrow(() -> new ResetException("tables_to_reset names '"
                        + requested + "', which does not exist in schema '" + schema.schema() + "'. Tables there: "
                        + (schema.tableNames().isEmpty() ? "(none)" : String.join(", ", schema.tableNames()))
                        + "." + (looksLikePattern(requested) ? NO_PATTERNS : "")
                        + " Fix the name or create the table before reset()."));
                String reason = whyExcluded.get(t.name());
                if (reason != null) {
                    throw new ResetException("tables_to_reset names '" + requested + "', which is " + reason
                            + " and is never reset. Remove it from tables_to_reset"
                            + (reason.startsWith("listed") ? " or from exclude_tables." : "."));
                }
                reset.add(t.name());
            }
            for (String t : schema.tableNames()) {
                if (!reset.contains(t) && !whyExcluded.containsKey(t)) {
                    whyExcluded.put(t, "not listed in tables_to_reset");
                }
            }
        } else {
            for (String t : schema.tableNames()) {
                if (!whyExcluded.containsKey(t)) {
                    reset.add(t);
                }
            }
        }
        if (enforcesForeignKeys) {
            for (String parent : reset) {
                for (ForeignKeyInfo fk : schema.referencing(parent)) {
                    if (!reset.contains(fk.fromTable())) {
                        throw new ResetException("Cannot reset table '" + parent + "': table '" + fk.fromTable()
                                + "' (" + whyExcluded.get(fk.fromTable()) + ") has a foreign key '" + fk.name()
                                + "' to it, so emptying '" + parent + "' would force emptying '" + fk.fromTable()
                                + "' too (or break the key). VenomQA never empties an excluded table. Add '"
                                + fk.fromTable() + "' to the reset tables, or leave '" + parent + "' out of them.");
                    }
                }
            }
        }
        List<TableInfo> ordered = childrenFirst(schema, reset);
        return new ResetPlan(schema, ordered, List.copyOf(whyExcluded.keySet()));
    }

    /**
     * Orders {@code tables} so that a table referencing another comes before it. Tables in a
     * cycle keep their schema order; dialects defer or disable the checks for those.
     */
    static List<TableInfo> childrenFirst(SchemaInfo schema, Set<String> tables) {
        List<TableInfo> out = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        Set<String> remaining = new LinkedHashSet<>(tables);
        while (!remaining.isEmpty()) {
            boolean progress = false;
            for (String t : List.copyOf(remaining)) {
                // t can go now when no remaining table other than itself still references it
                boolean referencedByRemaining = schema.referencing(t).stream()
                        .anyMatch(fk -> !fk.isSelfReference() && remaining.contains(fk.fromTable()));
                if (!referencedByRemaining) {
                    out.add(schema.tables().get(t));
                    done.add(t);
                    remaining.remove(t);
                    progress = true;
                }
            }
            if (!progress) {
                for (String t : remaining) {
                    out.add(schema.tables().get(t));
                }
                break;
            }
        }
        return out;
    }

    private static final String NO_PATTERNS = " Table names are exact: wildcards (*, ?, %) are not expanded, so list"
            + " every table.";

    private static boolean looksLikePattern(String name) {
        return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('%') >= 0;
    }

    private static Set<String> resolveExcluded(SchemaInfo schema, List<String> excludeTables, boolean warn) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : excludeTables) {
            Optional<TableInfo> t = schema.table(name);
            if (t.isPresent()) {
                out.add(t.get().name());
            } else if (warn) {
                LOG.info("exclude_tables names '{}', which does not exist in schema '{}' (yet); nothing to exclude",
                        name, schema.schema());
            }
        }
        return out;
    }
}
