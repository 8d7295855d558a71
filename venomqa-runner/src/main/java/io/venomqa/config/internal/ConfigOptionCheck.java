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
     * Checks the backend options against what the chosen backend and strategy declare. Without
     * a database, top-level options are checked against every backend on the class path; when
     * the backend's artifact is missing, nothing is checked here: making the manager says
     * which artifact to add, and checks the options once it is there.
     */
    public static void check(VenomQAConfig config, Set<String> topLevel, Set<String> nested, String text,
                                     String name, YAMLFactory yaml) {
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
                    throw new ConfigException(name + ": " + e.getMessage(), e);
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
        Map<String, Integer> lines = null;
        StringBuilder sb = new StringBuilder();
        for (String k : OptionSpec.unknown(topLevel, topAccepted)) {
            if (undeclared && OptionSpec.nearest(k, ownKeys).isEmpty()) {
                continue;
            }
            if (lines == null) {
                lines = topLevelKeyLines(text, yaml);
            }
            sb.append(sb.length() == 0 ? "" : "\n").append(name).append(lines.containsKey(k) ? ":" + lines.get(k) : "")
                    .append(": unknown key '").append(k).append("'");
            java.util.Optional<String> near = OptionSpec.nearest(k, candidates);
            sb.append(near.isPresent() ? ", did you mean '" + near.get() + "'?"
                    : otherStrategysOption(k, chosen, chosenConfig).orElse("."));
        }
        if (declared) {
            List<String> names = accepted.stream().map(OptionSpec::name).distinct().sorted().toList();
            Map<String, Integer> nestedLines = null;
            for (String k : OptionSpec.unknown(nested, accepted)) {
                if (nestedLines == null) {
                    nestedLines = optionLines(text, yaml);
                }
                sb.append(sb.length() == 0 ? "" : "\n").append(name)
                        .append(nestedLines.containsKey(k) ? ":" + nestedLines.get(k) : "").append(": db_options: unknown option '")
                        .append(k).append("' for ").append(owner);
                java.util.Optional<String> near = OptionSpec.nearest(k, names);
                sb.append(near.isPresent() ? ", did you mean '" + near.get() + "'?"
                        : otherStrategysOption(k, chosen, chosenConfig).orElse("."));
            }
        }
        if (sb.length() == 0) {
            return;
        }
        sb.append("\nKnown keys: ").append(String.join(", ", KNOWN_KEYS)).append("; ")
                .append(declared ? "options of " + owner : undeclared ? "safety options" : "backend options").append(": ")
                .append(String.join(", ", optionNames)).append(undeclared ? "; " + owner + " declares no options "
                        + "(its provider's options() is empty), so any other key is passed to it unchecked (an option of its own "
                        + "named like one of these goes under db_options)" : "")
                .append(". 'venomqa backends --options' describes every option.");
        throw new ConfigException(sb.toString());
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
    private static List<OptionSpec> anyBackendsOptions() {
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
