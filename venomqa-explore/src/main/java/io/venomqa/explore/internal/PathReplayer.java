package io.venomqa.explore.internal;

import io.venomqa.context.ExecutionContext;
import io.venomqa.explore.Exploration;
import io.venomqa.explore.ExplorationException;
import io.venomqa.explore.Invariant;
import io.venomqa.explore.Move;
import io.venomqa.explore.Outcome;
import io.venomqa.explore.PathStep;
import io.venomqa.explore.ReplayNotPutBackException;
import io.venomqa.explore.ReplayResult;
import io.venomqa.explore.Severity;
import io.venomqa.http.Client;
import io.venomqa.state.RollbackException;
import io.venomqa.state.StateManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs one path of moves from the state the manager is in, checks everything after every move, and
 * rolls back to where it started: {@link Exploration#replay(List)}.
 */
public final class PathReplayer {

    private final Exploration ex;
    private final StateManager m;
    private final Client client;
    private final String prefix;

    public PathReplayer(Exploration exploration) {
        this.ex = exploration;
        this.m = exploration.stateManager();
        // On workers the path is replayed on the first one, whose manager stateManager() is.
        this.client = exploration.workers().map(w -> exploration.client().withBaseUrl(w.baseUrls().get(0)))
                .orElse(exploration.client());
        this.prefix = "vqr" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff)) + "-";
    }

    public ReplayResult replay(List<Move> path) {
        boolean connectedHere = !m.isConnected();
        if (connectedHere) {
            m.connect();
        }
        String origin = prefix + "origin";
        m.checkpoint(origin);
        List<ReplayResult.Step> steps = new ArrayList<>();
        // A replay starts as the exploration did, with a fresh context and no session, and leaves the client's
        // cookies as it found them, as it leaves the database.
        Client.CookieSnapshot cookies = client.cookies();
        client.clearCookies();
        Throwable failed = null;
        RollbackException notPutBack = null;
        try (MoveRunner runner = new MoveRunner(client, ex.limits().moveTimeout(), m)) {
            ExecutionContext ctx = ex.context().map(ExecutionContext::copy).orElseGet(ExecutionContext::new);
            Explorer.runStartJourney(ex, runner, ctx);
            for (Move mv : path) {
                MoveRunner.Run r = runner.run(mv, ctx);
                List<ReplayResult.Failure> failures = new ArrayList<>();
                Map<String, String> notRun = new LinkedHashMap<>();
                if (r.outcome() == Outcome.ERROR || r.outcome() == Outcome.TIMEOUT) {
                    failures.add(new ReplayResult.Failure(Invariant.MOVE_COMPLETES, Severity.CRITICAL, "move '" + mv.name() + "' " + r.error()));
                }
                if (r.outcome() == Outcome.UNEXPECTED_STATUS) {
                    failures.add(new ReplayResult.Failure(Invariant.EXPECTED_STATUS, Severity.HIGH, "move '" + mv.name() + "' got HTTP "
                            + r.status() + Explorer.lastCall(r.exchanges()) + ", expected " + mv.expectedDescription()));
                }
                try (GuardedDb db = new GuardedDb(m)) {
                    Obs o = new Obs(client, ctx, mv, r, db, m, steps.size() + 1);
                    for (Invariant i : ex.invariants()) {
                        String message;
                        try {
                            message = Explorer.failureOf(i, o);
                        } catch (Invariant.NotRun notJudged) {
                            notRun.putIfAbsent(i.name(), client.mask(notJudged.reason())); // neither a failure nor a pass
                            continue;
                        } catch (Invariant.Warned warned) {
                            // A replay asks whether the problem still happens: one the check now only warns about
                            // (its level changed since the run) still does, and must not read as fixed.
                            message = "warned: " + warned.problem();
                        }
                        if (message != null) {
                            failures.add(new ReplayResult.Failure(i.name(), i.severity(), client.mask(message)));
                        }
                    }
                }
                steps.add(new ReplayResult.Step(new PathStep(steps.size() + 1, mv.name(), mv.args(), "?", "?", r.status(),
                        r.outcome(), r.error(), r.exchanges()), failures, notRun));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed = new ExplorationException("The replay of a path of '" + ex.name() + "' was interrupted; the database was put back as found.", e);
        } catch (RuntimeException | Error e) {
            failed = e;
        }
        client.restoreCookies(cookies);
        // The database is put back whatever happened; the first failure is thrown, the later ones ride in it.
        try {
            m.rollback(origin);
            m.release(origin);
        } catch (RuntimeException | Error e) {
            failed = first(failed, e);
        }
        if (connectedHere) {
            try {
                m.disconnect();
            } catch (RollbackException e) {
                if (failed == null) {
                    notPutBack = e; // thrown with the result below, so that the replay's findings are not lost
                } else {
                    failed.addSuppressed(e);
                }
            } catch (RuntimeException | Error e) {
                failed = first(failed, e);
            }
        }
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        if (failed instanceof Error e) {
            throw e;
        }
        ReplayResult result = new ReplayResult(ex.name(), steps);
        if (notPutBack != null) {
            throw new ReplayNotPutBackException(result, notPutBack);
        }
        return result;
    }

    private static Throwable first(Throwable failed, Throwable next) {
        if (failed == null) {
            return next;
        }
        failed.addSuppressed(next);
        return failed;
    }
}
