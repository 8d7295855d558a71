package io.venomqa.junit;

import io.venomqa.junit.internal.FailureText;
import io.venomqa.runner.JourneyResult;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions on journey results whose failure messages show what went wrong: for each failed step
 * its location, message, request (method, URL, body) and response (status, body). Bodies are cut
 * to {@value FailureText#MAX_BODY_CHARS} characters; credentials are masked as in every report.
 */
public final class JourneyAssertions {

    private JourneyAssertions() {
    }

    /**
     * Passes when {@code result} passed.
     *
     * @throws AssertionFailedError listing every failure with its request and response
     */
    public static void assertPassed(JourneyResult result) {
        if (result == null) {
            throw new AssertionFailedError("Expected a journey result, got null");
        }
        if (!result.passed()) {
            throw new AssertionFailedError(FailureText.ofJourney(result));
        }
    }
}
