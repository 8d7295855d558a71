package io.venomqa.explore.internal;

import io.venomqa.context.ExecutionContext;
import io.venomqa.explore.ExplorationException;
import io.venomqa.explore.Observation;
import io.venomqa.explore.StateProjection;
import io.venomqa.state.StateManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The built-in {@link StateProjection}s. */
public final class Projections {

    private Projections() {
    }

    public static StateProjection tableContents() {
        TableContents contents = new TableContents(); // its cache lives as long as this projection
        return new Named("table contents", contents::capture);
    }

    public static StateProjection rowCounts() {
        return new Named("row counts", o -> {
            Map<String, Object> out = new LinkedHashMap<>();
            for (String[] t : Backends.trackedTables(o.stateManager())) {
                out.put(t[0], Backends.countRows(o.stateManager(), t[0]));
            }
            return out;
        });
    }

    public static StateProjection sql(List<String> queries) {
        if (queries.isEmpty()) {
            throw new IllegalArgumentException("StateProjection.sql needs at least one query.");
        }
        List<String> qs = List.copyOf(queries);
        return new Named("sql " + qs, o -> {
            List<Object> out = new ArrayList<>();
            for (String q : qs) {
                out.add(o.db().query(q));
            }
            return out;
        });
    }

    public static StateProjection contextKeys(List<String> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("StateProjection.contextKeys needs at least one key.");
        }
        List<String> ks = List.copyOf(keys);
        return new Named("context keys " + ks, o -> {
            ExecutionContext c = o.context();
            Map<String, Object> out = new LinkedHashMap<>();
            for (String k : ks) {
                if (c.contains(k)) {
                    out.put(k, c.get(k));
                }
            }
            return out;
        });
    }

    public static StateProjection memoryStore() {
        return new Named("memory store", o -> Backends.memoryStore(o.stateManager()));
    }

    public static StateProjection combined(List<StateProjection> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("StateProjection.of needs at least one part.");
        }
        List<StateProjection> ps = List.copyOf(parts);
        List<String> names = ps.stream().map(StateProjection::describe).toList();
        return new Named(String.join(" + ", names), o -> {
            List<Object> out = new ArrayList<>();
            for (StateProjection p : ps) {
                out.add(p.capture(o));
            }
            return out;
        });
    }

    public static StateProjection defaultFor(StateManager m) {
        Objects.requireNonNull(m, "stateManager");
        if (Backends.isSql(m)) {
            return tableContents();
        }
        if (Backends.isMemory(m)) {
            return memoryStore();
        }
        throw new ExplorationException("No default state projection for the state manager " + m.getClass().getName()
                + " (backend " + m.backendName() + "). Choose one with .projection(...): StateProjection.contextKeys(...), "
                + "StateProjection.custom(...), or sql(...) for a SQL backend.");
    }

    private record Named(String description, StateProjection.Capture fn) implements StateProjection {
        @Override
        public String describe() {
            return description;
        }

        @Override
        public Object capture(Observation observation) throws Exception {
            return fn.capture(observation);
        }

        @Override
        public String toString() {
            return "StateProjection[" + description + "]";
        }
    }
}
