package io.venomqa.explore.internal;

import io.venomqa.context.ContextSnapshot;
import io.venomqa.context.ExecutionContext;
import io.venomqa.explore.ExplorationException;
import io.venomqa.explore.Exploration;
import io.venomqa.explore.Invariant;
import io.venomqa.explore.Move;
import io.venomqa.explore.Outcome;
import io.venomqa.explore.Severity;
import io.venomqa.explore.Warning;
import io.venomqa.http.Client;
import io.venomqa.state.StateManager;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes moves where one API and its database stand, and observes what they did: the state's
 * projection, every invariant, and which moves may run next. The explorer has one on its own state
 * manager; each worker lane of a parallel run has one on its worker. Keeps no count and no graph:
 * what it sees is handed back for the explorer to record.
 */
final class Probe {

    /** One failed check. */
    record Failure(String invariant, Severity severity, String message) {
    }

    /**
     * Which moves may run in a state, in declaration order, why each other may not (move index to
     * the first condition that failed), the warnings of preconditions that threw, and the context's keys
     * there (for "did you mean" when a required key is never present).
     */
    record Expansion(List<Integer> enabled, Map<Integer, String> blocked, List<Warning> warnings,
                     java.util.Set<String> contextKeys) {
    }

    /**
     * One move made and observed: {@code shown} is the state's projection as reports show it (masked, cut) and
     * {@code fingerprint} the {@link Canonical#fingerprint} of its canonical text; {@code unheld} the invariants that
     * neither failed nor held the move; {@code expansion} is null when it was not asked for.
     */
    record Step(MoveRunner.Run run, String shown, String fingerprint, List<Failure> failures, Unheld unheld,
                ContextSnapshot after, io.venomqa.http.Client.CookieSnapshot cookiesAfter, Expansion expansion) {
    }

    /**
     * The invariants that neither failed nor held one move: those that could not judge it ({@link Invariant.NotRun})
     * with their reasons, and those that only warned ({@link Invariant.Warned}) with their problems, both masked.
     */
    record Unheld(Map<String, String> notRun, Map<String, String> warned) {
        static Unheld create() {
            return new Unheld(new LinkedHashMap<>(), new LinkedHashMap<>());
        }
    }

    /** A state's projection: its canonical {@code text}, and the masked, cut text reports show ({@link Canonical#shown}). */
    record Captured(String text, String shown) {
    }

    /** How much of a state's projection reports show. */
    static final int SHOWN_CHARACTERS = 300;

    final Exploration ex;
    final Client client;
    final StateManager manager;
    final MoveRunner runner;
    final ExecutionContext ctx;
    /**
     * The queries of the SQL invariants checked before any other invariant: nothing but read-only SQL
     * runs between the state's capture and them, so they can be read together with the projection.
     */
    private final List<String> leadingSql;
    private final GuardedDb.Batch batch = new GuardedDb.Batch();

    Probe(Exploration ex, Client client, StateManager manager, MoveRunner runner, ExecutionContext ctx) {
        this.ex = ex;
        this.client = client;
        this.manager = manager;
        this.runner = runner;
        this.ctx = ctx;
        List<String> sql = new ArrayList<>();
        for (Invariant i : ex.invariants()) {
            if (i.sqlQuery() == null) {
                break;
            }
            sql.add(i.sqlQuery());
        }
        this.leadingSql = List.copyOf(sql);
    }

    /**
     * Makes move {@code mi} in the current state, captures the state it reaches, checks every invariant
     * there (built-in ones first), and with {@code expand} decides which moves may run next.
     */
    Step step(int mi, int depth, boolean expand) throws InterruptedException {
        Move mv = ex.moves().get(mi);
        MoveRunner.Run r = runner.run(mv, ctx);
        List<Failure> failures = new ArrayList<>();
        Unheld unheld = Unheld.create();
        Captured captured;
        try (GuardedDb db = new GuardedDb(manager, leadingSql, batch)) {
            Obs o = new Obs(client, ctx, mv, r, db, manager, depth);
            captured = captureShown(o, "move '" + mv.name() + "'");
            checkAll(o, mv, r, failures, unheld);
        }
        return new Step(r, captured.shown(), Canonical.fingerprint(captured.text()), failures, unheld, ctx.snapshot(),
                client.cookies(), expand ? expansion() : null);
    }

    /** Replays move {@code mi} and captures the state it reaches, without checks: the fingerprint of that state. */
    String replay(int mi, int depth) throws InterruptedException {
        Move mv = ex.moves().get(mi);
        MoveRunner.Run r = runner.run(mv, ctx);
        try (GuardedDb db = new GuardedDb(manager)) {
            return Canonical.fingerprint(capture(new Obs(client, ctx, mv, r, db, manager, depth), "replayed move '" + mv.name() + "'"));
        }
    }

    /** Which moves may run in the current state. */
    Expansion expansion() {
        List<Integer> enabled = new ArrayList<>();
        Map<Integer, String> blocked = new LinkedHashMap<>();
        List<Warning> warnings = new ArrayList<>();
        try (GuardedDb db = new GuardedDb(manager)) {
            for (int i = 0; i < ex.moves().size(); i++) {
                String why = blocked(ex.moves().get(i), db, warnings);
                if (why == null) {
                    enabled.add(i);
                } else {
                    blocked.put(i, why);
                }
            }
        }
        return new Expansion(List.copyOf(enabled), blocked, warnings, java.util.Set.copyOf(ctx.keys()));
    }

    /** Why {@code mv} may not run now, or null when it may; a precondition that throws counts as false and warns. */
    String blocked(Move mv, GuardedDb db, Collection<Warning> warnings) {
        if (mv.maxRuns().isPresent() && mv.maxRuns().getAsInt() == 0) {
            return "maxRuns is 0";
        }
        for (String k : mv.requiredKeys()) {
            if (!ctx.contains(k)) {
                return "requires " + k;
            }
        }
        for (Move.Condition c : mv.conditions()) {
            try {
                if (!c.test().test(ctx, db)) {
                    return c.description();
                }
            } catch (Exception | AssertionError e) {
                warnings.add(new Warning("precondition '" + c.description() + "' of move '" + mv.name() + "' threw "
                        + e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : ""),
                        "it counted as false; make the precondition return false instead of throwing"));
                return c.description();
            }
        }
        return null;
    }

    /** The state's projection as canonical text. */
    String capture(Obs o, String after) {
        return Canonical.text(projected(o, after));
    }

    /** The state's projection as canonical text and as reports show it. */
    Captured captureShown(Obs o, String after) {
        Object value = projected(o, after);
        String text = Canonical.text(value);
        // Masking walks the value again: only where a secret can be (a secret-looking name, a URL)
        boolean mayHoldSecret = io.venomqa.core.CredentialMasker.mayHoldSecretKey(text) || text.contains("://");
        return new Captured(text, mayHoldSecret ? Canonical.shown(value, SHOWN_CHARACTERS) : Canonical.cut(text, SHOWN_CHARACTERS));
    }

    private Object projected(Obs o, String after) {
        try {
            return ex.projection().capture(o);
        } catch (Exception e) {
            throw new ExplorationException("The state projection '" + ex.projection().describe() + "' failed after "
                    + after + ": " + e + ". Fix the projection (or choose another with .projection(...)).", e);
        }
    }

    /**
     * The built-in invariants, then the user's, in declaration order; those that could not judge the move or only
     * warned go into {@code unheld}.
     */
    void checkAll(Obs o, Move mv, MoveRunner.Run r, List<Failure> failures, Unheld unheld) {
        if (r.outcome() == Outcome.ERROR || r.outcome() == Outcome.TIMEOUT) {
            failures.add(new Failure(Invariant.MOVE_COMPLETES, Severity.CRITICAL, "move '" + mv.name() + "' " + r.error()));
        }
        if (r.outcome() == Outcome.UNEXPECTED_STATUS) {
            failures.add(new Failure(Invariant.EXPECTED_STATUS, Severity.HIGH, "move '" + mv.name() + "' got HTTP "
                    + r.status() + Explorer.lastCall(r.exchanges()) + ", expected " + mv.expectedDescription()));
        }
        for (Invariant i : ex.invariants()) {
            check(i, o, failures, unheld);
        }
    }

    /**
     * Checks one invariant, adding its failure, if any, to {@code failures}, and to {@code unheld} why it could not
     * judge the move ({@link Invariant.NotRun}) or what it warned about ({@link Invariant.Warned}), masked.
     */
    void check(Invariant i, Obs o, List<Failure> failures, Unheld unheld) {
        String message;
        try {
            message = Explorer.failureOf(i, o);
        } catch (Invariant.NotRun e) {
            unheld.notRun().putIfAbsent(i.name(), client.addSecretsFrom(ctx).mask(e.reason()));
            return;
        } catch (Invariant.Warned e) {
            unheld.warned().putIfAbsent(i.name(), client.addSecretsFrom(ctx).mask(e.problem()));
            return;
        }
        if (message != null) {
            failures.add(new Failure(i.name(), i.severity(), client.addSecretsFrom(ctx).mask(message)));
        }
    }
}
