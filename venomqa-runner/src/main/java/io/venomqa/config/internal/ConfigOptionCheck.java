package io.venomqa.config.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.venomqa.config.ConfigException;
import io.venomqa.config.VenomQAConfig;
import io.venomqa.state.StateConfig;
import io.venomqa.state.StateManagers;
import io.venomqa.state.spi.OptionSpec;
import io.venomqa.state.spi.StateManagerProvider;
import io.venomqa.state.spi.TestDatabaseGuard;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.venomqa.config.VenomQAConfig.CHECKPOINT_STRATEGY;
import static io.venomqa.config.VenomQAConfig.KNOWN_KEYS;

/**
 * Checks the backend options of a {@code venomqa.yaml} against what the chosen backend and
 * checkpoint strategy declare: every unknown key is named, with its line and the nearest known
 * name, in one {@link ConfigException}. Not API.
 */
public final class ConfigOptionCheck {

    private ConfigOptionCheck() {
    }

    /**
     * Where a configuration source set a backend option, for messages: the prefix of the sentence about
     * {@code key} set at the top level ({@code "venomqa.yaml:3: "}, {@code "-Dvenomqa.schema: "}) or under
     * {@code db_options} ({@code "venomqa.yaml:5: db_options: "}).
     */
    public interface Where {
        /** What the options were read from, for a message about none of them in particular ({@code venomqa.yaml}). */
        String source();

        String top(String key);

        String nested(String key);
    }

    /**
     * Checks the backend options of a {@code venomqa.yaml} against what the chosen backend and strategy
     * declare, naming each with its line in {@code text}.
     */
    public static void check(VenomQAConfig config, Set<String> topLevel, Set<String> nested, String text,
                                     String name, YAMLFactory yaml) {
        check(config, topLevel, nested, new Where() {
            private Map<String, Integer> top;
            private Map<String, Integer> under;

            @Override
            public String source() {
                return name;
            }

            @Override
            public String top(String key) {
                if (top == null) {
                    top = topLevelKeyLines(text, yaml);
                }
                return name + (top.containsKey(key) ? ":" + top.get(key) : "") + ": ";
            }

            @Override
            public String nested(String key) {
                if (under == null) {
                    under = optionLines(text, yaml);
                }
                return name + (under.containsKey(key) ? ":" + under.get(key) : "") + ": db_options: ";
            }
        });
    }

    /**
     * Checks the backend options that a source set ({@code topLevel} as if at the top level of the file,
     * {@code nested} under {@code db_options}) against what the backend and strategy {@code config} selects
     * declare: every name, and the value of every declared one against its type ({@link OptionSpec#accepts}).
     * Without a database, top-level options are checked against every backend on the class path; when the
     * backend's artifact is missing, nothing is checked here: making the manager says which artifact to add,
     * and checks the options once it is there.
     *
     * @throws ConfigException naming every unknown option and every value of the wrong type, each where it was set
     */
    public static void check(VenomQAConfig config, Set<String> topLevel, Set<String> nested, Where where) {
        if (topLevel.isEmpty() && nested.isEmpty()) {
            return;
        }
        List<OptionSpec> accepted = List.of();
        String owner = null;
        StateManagerProvider chosen = null;
        StateConfig chosenConfig = null;
        if (config.hasDatabase()) {
            StateConfig stateConfig = config.toStateConfig();
            StateManagerProvider provider = null;
            try {
                provider = StateManagers.provider(stateConfig);
            } catch (RuntimeException e) {
                // Making the manager reports this (backend missing, two claim one name) in full,
                // which says more than "unknown option" would; the options are checked then.
                return;
            }
            {
                try {
                    accepted = StateManagers.acceptedOptions(provider, stateConfig);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(where.source() + ": " + e.getMessage(), e);
                }
                chosen = provider;
                chosenConfig = stateConfig;
                String strategy = stateConfig.option(CHECKPOINT_STRATEGY).map(String::valueOf).orElse(null);
                owner = "db_backend '" + provider.name() + "'" + (strategy == null ? "" : " with checkpoint_strategy '" + strategy + "'");
            }
        }
        boolean declared = !accepted.isEmpty();
        // The chosen backend declares no options (StateManagerProvider.options() empty): they are not checked, so a
        // top-level key is passed to it as docs/configuration.md says, unless it is a typo of one of VenomQA's own
        // keys or of a guard option (before 2026-12-05 every such key was refused, its options compared with other
        // backends'; under db_options they passed).
        boolean undeclared = owner != null && !declared;
        List<String> ownKeys = new ArrayList<>(KNOWN_KEYS);
        TestDatabaseGuard.OPTIONS.forEach(o -> ownKeys.add(o.name()));
        List<OptionSpec> topAccepted = declared ? accepted : undeclared ? TestDatabaseGuard.OPTIONS : anyBackendsOptions();
        List<String> optionNames = topAccepted.stream().map(OptionSpec::name).distinct().sorted().toList();
        List<String> candidates = new ArrayList<>(KNOWN_KEYS);
        candidates.addAll(optionNames);
        StringBuilder sb = new StringBuilder();
        for (String k : OptionSpec.unknown(topLevel, topAccepted)) {
            if (undeclared && OptionSpec.nearest(k, ownKeys).isEmpty()) {
                continue;
            }
            sb.append(sb.length() == 0 ? "" : "\n").append(where.top(k)).append("unknown key '").append(k).append("'");
            java.util.Optional<String> near = OptionSpec.nearest(k, candidates);
            sb.append(near.isPresent() ? ", did you mean '" + near.get() + "'?"
                    : otherStrategysOption(k, chosen, chosenConfig).orElse("."));
        }
        if (declared) {
            List<String> names = accepted.stream().map(OptionSpec::name).distinct().sorted().toList();
            for (String k : OptionSpec.unknown(nested, accepted)) {
                sb.append(sb.length() == 0 ? "" : "\n").append(where.nested(k)).append("unknown option '")
                        .append(k).append("' for ").append(owner);
                java.util.Optional<String> near = OptionSpec.nearest(k, names);
                sb.append(near.isPresent() ? ", did you mean '" + near.get() + "'?"
                        : otherStrategysOption(k, chosen, chosenConfig).orElse("."));
            }
        }
        if (sb.length() > 0) {
            sb.append("\nKnown keys: ").append(String.join(", ", KNOWN_KEYS)).append("; ")
                    .append(declared ? "options of " + owner : undeclared ? "safety options" : "backend options").append(": ")
                    .append(String.join(", ", optionNames)).append(undeclared ? "; " + owner + " declares no options "
                            + "(its provider's options() is empty), so any other key is passed to it unchecked (an option of its own "
                            + "named like one of these goes under db_options)" : "")
                    .append(". 'venomqa backends --options' describes every option.");
        }
        StringBuilder bad = new StringBuilder();
        if (declared) {
            // A value its type does not read is refused here, before anything connects: read later, it failed as
            // "database unreachable" (lock_timeout) or, caught there, turned a safety check off (check_other_writers).
            Map<String, Object> values = chosenConfig.options();
            for (OptionSpec o : OptionSpec.invalid(chosenConfig, accepted)) {
                String k = o.name();
                String at = nested.contains(k) ? where.nested(k) : topLevel.contains(k) ? where.top(k) : null;
                if (at == null) {
                    continue; // set by another layer, which checks its own (or making the manager does)
                }
                bad.append(at).append(o.invalidValueMessage(values.get(k))).append(" (an option of ").append(owner)
                        .append("); correct it, or remove it to use the default")
                        .append(o.defaultValue() == null ? "" : " (" + o.shownDefault() + ")").append(".\n");
            }
        }
        if (sb.length() == 0 && bad.length() == 0) {
            return;
        }
        throw new ConfigException(sb.length() == 0 ? bad.toString().strip() : bad.append(sb).toString());
    }

    /** The checkpoint strategies whose options a key of the chosen one's may be meant for. */
    private static final List<String> STRATEGIES = List.of("savepoint", "journal");

    /**
     * ", which is an option of checkpoint_strategy 'journal', not chosen here (…)" when {@code key} is, or nearly
     * is, an option the chosen backend declares under another strategy ({@code lock_timeout} with the savepoint
     * strategy): the message then says what to switch rather than only that the key is unknown.
     */
    private static java.util.Optional<String> otherStrategysOption(String key, StateManagerProvider provider,
                                                                  StateConfig config) {
        if (provider == null) {
            return java.util.Optional.empty();
        }
        String current = config.option(CHECKPOINT_STRATEGY).map(String::valueOf).orElse("savepoint");
        for (String strategy : STRATEGIES) {
            if (strategy.equals(current)) {
                continue;
            }
            List<String> names;
            try {
                names = StateManagers.acceptedOptions(provider, config.toBuilder().option(CHECKPOINT_STRATEGY, strategy).build())
                        .stream().map(OptionSpec::name).distinct().toList();
            } catch (RuntimeException e) {
                continue; // that strategy is not on the class path, or refuses this configuration
            }
            java.util.Optional<String> near = names.contains(key) ? java.util.Optional.of(key) : OptionSpec.nearest(key, names);
            if (near.isPresent()) {
                return java.util.Optional.of(": '" + near.get() + "' is an option of checkpoint_strategy '" + strategy
                        + "', not of '" + current + "' (set checkpoint_strategy: " + strategy + " to use it, or remove it).");
            }
        }
        return java.util.Optional.empty();
    }

    /** The guard's options and every option a backend on the class path declares. */
    static List<OptionSpec> anyBackendsOptions() {
        List<OptionSpec> all = new ArrayList<>(TestDatabaseGuard.OPTIONS);
        try {
            for (StateManagerProvider p : StateManagers.providers()) {
                all.addAll(p.options());
            }
        } catch (RuntimeException e) {
            // A broken provider registration is reported in full when the manager is made.
        }
        return OptionSpec.distinct(all);
    }

    /** Line numbers of the top-level keys, for messages (best effort). */
    private static Map<String, Integer> topLevelKeyLines(String text, YAMLFactory yaml) {
        return keyLines(text, yaml, null);
    }

    /** Line numbers of the keys under {@code db_options}, for messages (best effort). */
    private static Map<String, Integer> optionLines(String text, YAMLFactory yaml) {
        return keyLines(text, yaml, "db_options");
    }

    /** Line numbers of the top-level keys ({@code under} null) or of the keys of top-level key {@code under}. */
    private static Map<String, Integer> keyLines(String text, YAMLFactory yaml, String under) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = yaml.createParser(text)) {
            int depth = 0;
            boolean inside = false;
            JsonToken tok;
            while ((tok = p.nextToken()) != null) {
                if (tok == JsonToken.START_OBJECT || tok == JsonToken.START_ARRAY) {
                    depth++;
                } else if (tok == JsonToken.END_OBJECT || tok == JsonToken.END_ARRAY) {
                    depth--;
                } else if (tok == JsonToken.FIELD_NAME && depth == 1) {
                    inside = p.currentName().equals(under);
                    if (under == null) {
                        lines.putIfAbsent(p.currentName(), p.currentTokenLocation().getLineNr());
                    }
                } else if (tok == JsonToken.FIELD_NAME && depth == 2 && inside) {
                    lines.putIfAbsent(p.currentName(), p.currentTokenLocation().getLineNr());
                }
            }
        } catch (IOException e) {
            // Lines are a convenience; the message still names the key.
        }
        return lines;
    }

}
