package io.venomqa.cli.internal;

import io.venomqa.state.BackendInfo;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManager;
import io.venomqa.state.StateManagers;
import io.venomqa.state.jdbc.JdbcStateManager;
import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.jdbc.spi.ResetPlan;
import io.venomqa.state.jdbc.spi.TableInfo;
import io.venomqa.state.spi.OptionSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Read-only looks at a configured database, shared by {@code doctor} and {@code reset}. Not API.
 */
public final class Inspection {

    private Inspection() {
    }

    /**
     * The configuration to inspect with: {@link #savepointOnly}, relaxed where the dialect says
     * ({@link JdbcDialect#inspectionConfig}) so that what it would refuse can be reported in full.
     */
    public static StateConfig readOnly(StateConfig config, JdbcDialect dialect) {
        return dialect.inspectionConfig(savepointOnly(config, dialect));
    }

    /**
     * The same database with the {@code savepoint} strategy, so that looking never installs a
     * journal's triggers (and disconnecting undoes anything), without the options only the
     * configured strategy reads.
     */
    public static StateConfig savepointOnly(StateConfig config, JdbcDialect dialect) {
        StateConfig savepoint = config.toBuilder()
                .option(JdbcStateManager.OPTION_CHECKPOINT_STRATEGY, JdbcStateManager.DEFAULT_CHECKPOINT_STRATEGY).build();
        List<String> accepted = JdbcStateManager.acceptedOptions(dialect, savepoint).stream().map(OptionSpec::name).toList();
        StateConfig.Builder b = savepoint.toBuilder();
        for (String key : config.options().keySet()) {
            if (!accepted.contains(key)) {
                b.option(key, null);
            }
        }
        return b.build();
    }

    /** The backend a manager came from (by its {@link StateManager#backendName()}), or null. */
    public static BackendInfo backendOf(StateManager m) {
        String name = m.backendName();
        for (BackendInfo b : StateManagers.available()) {
            if (b.name().equalsIgnoreCase(name) || b.aliases().stream().anyMatch(name::equalsIgnoreCase)) {
                return b;
            }
        }
        return null;
    }

    /** Every table of the schema that reset leaves alone, with the reason, in name order. */
    public static Map<String, String> keptTables(JdbcStateManager m, ResetPlan plan, StateConfig config) {
        Set<String> reset = plan.tables().stream().map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        Set<String> excluded = config.excludeTables().stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        Map<String, String> kept = new LinkedHashMap<>();
        for (String table : plan.schema().tableNames().stream().sorted().toList()) {
            String lower = table.toLowerCase(Locale.ROOT);
            if (reset.contains(lower)) {
                continue;
            }
            String why;
            if (JdbcStateManager.MIGRATION_TABLES.contains(lower)) {
                why = "migration table (always kept)";
            } else if (io.venomqa.state.spi.TableSelection.lookalike(table)) {
                why = "named like VenomQA's own tables (venomqa_*) but not one: kept out, never rolled back by the journal; rename it";
            } else if (lower.startsWith(JdbcStateManager.VENOMQA_TABLE_PREFIX)) {
                why = "VenomQA's own table";
            } else if (m.dialect().isSystemTable(table)) {
                why = "the database's own table";
            } else if (excluded.contains(lower)) {
                why = "listed in exclude_tables";
            } else if (!config.tablesToReset().isEmpty()) {
                why = "not listed in tables_to_reset";
            } else {
                why = "excluded";
            }
            kept.put(table, why);
        }
        return kept;
    }

    /** The names of tables, in reset order. */
    public static List<String> names(List<TableInfo> tables) {
        List<String> out = new ArrayList<>();
        tables.forEach(t -> out.add(t.name()));
        return out;
    }
}
