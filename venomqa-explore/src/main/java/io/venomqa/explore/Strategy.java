package io.venomqa.explore;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The order in which the explorer tries (state, move) pairs. Every strategy tries each pair at
 * most once and stops when none is left within the depth bound, or at a limit. Immutable.
 *
 * <ul>
 *   <li>{@link #breadthFirst()}: states in order of distance from the start; finds the shortest
 *       path to every state (jumps across the tree, so it profits most from a
 *       {@link io.venomqa.state.CheckpointTree}).</li>
 *   <li>{@link #depthFirst()}: follows each new state at once, down to the depth bound.</li>
 *   <li>{@link #random(long)}: a random walk with restarts; the same seed gives the same run.</li>
 *   <li>{@link #coverageGuided()}: the pair whose move has run least so far first (ties: the current
 *       state, then the earliest state and move), so every move gets its turn early.</li>
 * </ul>
 */
public final class Strategy {

    /** The kinds of strategy. */
    public enum Kind {
        BREADTH_FIRST("bfs"), DEPTH_FIRST("dfs"), RANDOM("random"), COVERAGE_GUIDED("coverage");

        private final String shortName;

        Kind(String shortName) {
            this.shortName = shortName;
        }

        /** The name {@link Strategy#parse} accepts. */
        public String shortName() {
            return shortName;
        }
    }

    /** The names {@link #parse} accepts, in order. */
    public static final List<String> NAMES = List.of("bfs", "dfs", "random", "coverage");

    private final Kind kind;
    private final Long seed;

    private Strategy(Kind kind, Long seed) {
        this.kind = kind;
        this.seed = seed;
    }

    public static Strategy breadthFirst() {
        return new Strategy(Kind.BREADTH_FIRST, null);
    }

    public static Strategy depthFirst() {
        return new Strategy(Kind.DEPTH_FIRST, null);
    }

    /** A random walk with seed {@code seed}: the same seed and the same API give the same run. */
    public static Strategy random(long seed) {
        return new Strategy(Kind.RANDOM, seed);
    }

    /** A random walk with a seed taken from the clock; the result reports it, to repeat the run. */
    public static Strategy random() {
        return random(System.nanoTime());
    }

    public static Strategy coverageGuided() {
        return new Strategy(Kind.COVERAGE_GUIDED, null);
    }

    /**
     * The strategy named {@code name} ({@code bfs}, {@code dfs}, {@code random}, {@code coverage},
     * case-insensitive; also the long forms {@code breadth-first}, {@code depth-first},
     * {@code coverage-guided}); {@code seed} is used by {@code random} only, a clock seed when null.
     *
     * @throws IllegalArgumentException for another name, listing the valid ones
     */
    public static Strategy parse(String name, Long seed) {
        Objects.requireNonNull(name, "name");
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "bfs", "breadth-first", "breadth_first", "breadthfirst":
                return breadthFirst();
            case "dfs", "depth-first", "depth_first", "depthfirst":
                return depthFirst();
            case "random":
                return seed == null ? random() : random(seed);
            case "coverage", "coverage-guided", "coverage_guided", "coverageguided":
                return coverageGuided();
            default:
                throw new IllegalArgumentException("Unknown exploration strategy '" + name + "'. Valid strategies: "
                        + String.join(", ", NAMES) + ".");
        }
    }

    /** As {@link #parse(String, Long)} without a seed. */
    public static Strategy parse(String name) {
        return parse(name, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The short name: {@code bfs}, {@code dfs}, {@code random} or {@code coverage}. */
    public String name() {
        return kind.shortName();
    }

    /** The seed of a random strategy. */
    public OptionalLong seed() {
        return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Strategy s && s.kind == kind && Objects.equals(s.seed, seed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, seed);
    }

    @Override
    public String toString() {
        return seed == null ? name() : name() + "(seed " + seed + ")";
    }
}
