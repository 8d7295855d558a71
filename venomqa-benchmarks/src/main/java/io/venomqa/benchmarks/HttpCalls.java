package io.venomqa.benchmarks;

import io.venomqa.journey.Journey;
import io.venomqa.runner.JourneyResult;
import io.venomqa.runner.JourneyRunner;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The two sides of the rows that time HTTP steps (7 and 14): a journey run by VenomQA's runner, which
 * must pass, and the same request sent by hand a number of times with a bare JDK {@link HttpClient},
 * each answer's status checked and its body read as a string. A wrong answer stops the benchmark
 * instead of timing an error path.
 */
final class HttpCalls {

    private HttpCalls() {
    }

    /** Runs {@code journey}; fails unless it passed. */
    static JourneyResult runPassing(JourneyRunner runner, Journey journey) {
        JourneyResult result = runner.run(journey);
        if (!result.passed()) {
            throw new IllegalStateException("journey failed: " + result.failures());
        }
        return result;
    }

    /** Sends {@code request} {@code times} times; fails on any status but {@code status}; returns the bodies' total length. */
    static int send(HttpClient http, HttpRequest request, int times, int status) throws IOException, InterruptedException {
        int total = 0;
        for (int i = 0; i < times; i++) {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != status) {
                throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " answered "
                        + r.statusCode() + ": " + r.body());
            }
            total += r.body().length();
        }
        return total;
    }
}
