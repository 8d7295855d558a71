package io.venomqa.runner.internal;

import io.venomqa.context.ExecutionContext;
import io.venomqa.runner.KeepResponses;
import io.venomqa.runner.StepResult;

/**
 * {@code keep_responses} for one journey run: which step results keep their bodies, in the
 * journey's result and in the execution context. Under {@link KeepResponses#FAILURES} the context
 * holds the full result of the last step only, so that the step after it can still read the
 * response while a long journey does not keep every body in memory.
 */
final class KeptResponses {

    private final ExecutionContext context;
    private KeepResponses mode = KeepResponses.ALL;
    /** The step whose full result the context may still hold for the step after it ({@code keep_responses: failures}). */
    private String lastStep;

    KeptResponses(ExecutionContext context) {
        this.context = context;
    }

    void mode(KeepResponses mode) {
        this.mode = mode;
    }

    /** What the journey's result keeps of a step: everything, unless it passed under {@code keep_responses: failures}. */
    StepResult kept(StepResult r) {
        return mode == KeepResponses.FAILURES && r.passed() ? r.withoutBodies() : r;
    }

    /** Called once {@code stepName}'s result is stored in the context: the previous step's full result may go. */
    void stored(String stepName) {
        if (mode == KeepResponses.FAILURES) {
            if (!stepName.equals(lastStep)) {
                releaseLastStep();
            }
            lastStep = stepName;
        }
    }

    /**
     * Under {@code keep_responses: failures}, replaces the full result of the previous step in the context by
     * what the journey's result keeps of it: only the step right after a step may read its response.
     * After a branch restored the context the name may stand for an older result or none; either way
     * only a passing result that still holds bodies is replaced.
     */
    void releaseLastStep() {
        if (lastStep != null && context.getStepResult(lastStep) instanceof StepResult previous && previous.bodiesKept()
                && previous.passed()) {
            context.replaceStepResult(lastStep, previous.withoutBodies());
        }
        lastStep = null;
    }
}
