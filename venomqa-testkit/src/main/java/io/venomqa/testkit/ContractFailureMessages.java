package io.venomqa.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;

/**
 * Puts the contract that failed, in words (the test's {@code @DisplayName}), in front of an
 * assertion's message, so that a backend writer reads "Contract broken: rollback(n) restores the
 * data …" and not only "Expecting empty but was …". Expected and actual values are kept for IDE diffs.
 */
final class ContractFailureMessages implements TestExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        if (!(thrown instanceof AssertionError) || String.valueOf(thrown.getMessage()).startsWith("Contract broken: ")) {
            throw thrown;
        }
        String message = "Contract broken: " + context.getDisplayName() + "\n" + thrown.getMessage();
        AssertionError named;
        if (thrown instanceof AssertionFailedError f && (f.isExpectedDefined() || f.isActualDefined())) {
            named = new AssertionFailedError(message, f.isExpectedDefined() ? f.getExpected().getValue() : null,
                    f.isActualDefined() ? f.getActual().getValue() : null, thrown);
        } else {
            named = new AssertionError(message, thrown);
        }
        named.setStackTrace(thrown.getStackTrace());
        throw named;
    }
}
