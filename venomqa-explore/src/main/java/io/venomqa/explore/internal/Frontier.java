package io.venomqa.explore.internal;

import io.venomqa.explore.Strategy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;

/** The (state, move) pairs not tried yet, handed out in the order of a {@link Strategy}. */
abstract class Frontier {

    /** One pair. */
    record Pair(Node node, int move) {
    }

    /** Adds the pairs of a newly expanded state, moves in declaration order. */
    abstract void add(Node node, List<Integer> moves);

    /** The next pair to try, standing in {@code current} (may be null); null when none is left. */
    abstract Pair next(Node current);

    /** The pairs not handed out yet, in whatever order the strategy keeps them. */
    abstract Collection<Pair> pairs();

    final boolean isEmpty() {
        return pairs().isEmpty();
    }

    /** The pairs not handed out. */
    final List<Pair> remaining() {
        return new ArrayList<>(pairs());
    }

    static Frontier of(Strategy s, IntUnaryOperator runsOfMove) {
        return switch (s.kind()) {
            case BREADTH_FIRST -> new Fifo();
            case DEPTH_FIRST -> new Lifo();
            case RANDOM -> new RandomWalk(new Random(s.seed().orElseThrow()));
            case COVERAGE_GUIDED -> new LeastTried(runsOfMove);
        };
    }

    private static final class Fifo extends Frontier {
        private final Deque<Pair> pairs = new ArrayDeque<>();

        @Override
        Collection<Pair> pairs() {
            return pairs;
        }

        @Override
        void add(Node node, List<Integer> moves) {
            moves.forEach(m -> pairs.addLast(new Pair(node, m)));
        }

        @Override
        Pair next(Node current) {
            return pairs.pollFirst();
        }
    }

    /** Depth-first: the newest state's pairs on top, its first move first. */
    private static final class Lifo extends Frontier {
        private final Deque<Pair> pairs = new ArrayDeque<>();

        @Override
        Collection<Pair> pairs() {
            return pairs;
        }

        @Override
        void add(Node node, List<Integer> moves) {
            for (int i = moves.size() - 1; i >= 0; i--) {
                pairs.addFirst(new Pair(node, moves.get(i)));
            }
        }

        @Override
        Pair next(Node current) {
            return pairs.pollFirst();
        }
    }

    /** A random walk: a random untried move of the current state, else a random untried pair anywhere. */
    private static final class RandomWalk extends Frontier {
        private final List<Pair> pairs = new ArrayList<>();

        @Override
        Collection<Pair> pairs() {
            return pairs;
        }
        private final Random random;

        RandomWalk(Random random) {
            this.random = random;
        }

        @Override
        void add(Node node, List<Integer> moves) {
            moves.forEach(m -> pairs.add(new Pair(node, m)));
        }

        @Override
        Pair next(Node current) {
            if (pairs.isEmpty()) {
                return null;
            }
            List<Integer> here = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
                if (pairs.get(i).node() == current) {
                    here.add(i);
                }
            }
            int pick = here.isEmpty() ? random.nextInt(pairs.size()) : here.get(random.nextInt(here.size()));
            return pairs.remove(pick);
        }
    }

    /** The pair whose move ran least; ties: the current state, then the earliest state, then the earliest move. */
    private static final class LeastTried extends Frontier {
        private final List<Pair> pairs = new ArrayList<>();

        @Override
        Collection<Pair> pairs() {
            return pairs;
        }
        private final IntUnaryOperator runs;

        LeastTried(IntUnaryOperator runs) {
            this.runs = runs;
        }

        @Override
        void add(Node node, List<Integer> moves) {
            moves.forEach(m -> pairs.add(new Pair(node, m)));
        }

        @Override
        Pair next(Node current) {
            int best = -1;
            for (int i = 0; i < pairs.size(); i++) {
                if (best < 0 || better(pairs.get(i), pairs.get(best), current)) {
                    best = i;
                }
            }
            return best < 0 ? null : pairs.remove(best);
        }

        private boolean better(Pair a, Pair b, Node current) {
            int ra = runs.applyAsInt(a.move());
            int rb = runs.applyAsInt(b.move());
            if (ra != rb) {
                return ra < rb;
            }
            boolean ha = a.node() == current;
            boolean hb = b.node() == current;
            if (ha != hb) {
                return ha;
            }
            if (a.node().index != b.node().index) {
                return a.node().index < b.node().index;
            }
            return a.move() < b.move();
        }
    }
}
