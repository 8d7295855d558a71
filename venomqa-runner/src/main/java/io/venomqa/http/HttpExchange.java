package io.venomqa.http;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One request and its response as kept in a {@link Client}'s history and in reports. Safe to print
 * and bounded in size: credentials are masked (the {@code Authorization} header and other secret
 * headers, JSON fields such as {@code password} or {@code token}, the bearer token of the client,
 * passwords in URLs) and each body is cut to the client's {@link Client.Builder#maxRecordedBodyChars(int)
 * limit}. The full response body stays available from the {@link Response} the action received.
 *
 * @param method          HTTP method
 * @param url             full URL with query, credentials masked
 * @param requestHeaders  request headers sent, secret values masked
 * @param requestBody     request body as text, masked and cut; empty when there was none
 * @param status          response status, or {@code null} when no response came
 * @param responseHeaders response headers (first value of each), secret values masked
 * @param responseBody    response body as text, masked and cut; empty when there was none
 * @param startedAt       when the request was sent
 * @param duration        time until the response was read (or the call failed)
 * @param error           why no response came, or {@code null}
 * @param bodiesKept      false when the runner dropped the headers and bodies ({@link #withoutBodies()}):
 *                        then the empty bodies mean "not kept", not "there was none"
 */
public record HttpExchange(String method, String url, Map<String, String> requestHeaders, String requestBody,
                           Integer status, Map<String, String> responseHeaders, String responseBody,
                           Instant startedAt, Duration duration, String error, boolean bodiesKept) {

    /** Said where the headers and bodies of an exchange were not kept. */
    public static final String NOT_KEPT = "not kept: the step passed and keep_responses is 'failures'";

    public HttpExchange {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        requestHeaders = requestHeaders == null || requestHeaders.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(requestHeaders));
        responseHeaders = responseHeaders == null || responseHeaders.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(responseHeaders));
        requestBody = requestBody == null ? "" : requestBody;
        responseBody = responseBody == null ? "" : responseBody;
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
    }

    /** An exchange with everything kept. */
    public HttpExchange(String method, String url, Map<String, String> requestHeaders, String requestBody,
                        Integer status, Map<String, String> responseHeaders, String responseBody,
                        Instant startedAt, Duration duration, String error) {
        this(method, url, requestHeaders, requestBody, status, responseHeaders, responseBody, startedAt, duration, error,
                true);
    }

    /**
     * This call without its headers and bodies (method, URL, status, start, duration and error stay):
     * what a passing step keeps under {@code keep_responses: failures}.
     */
    public HttpExchange withoutBodies() {
        return bodiesKept ? new HttpExchange(method, url, Map.of(), "", status, Map.of(), "", startedAt, duration, error, false)
                : this;
    }

    /** Whether a response came back. */
    public boolean hasResponse() {
        return status != null;
    }

    /** {@code POST http://localhost:8080/pay → 402} or {@code … → connection refused}. */
    public String summary() {
        return method + " " + url + " → " + (status != null ? status.toString() : String.valueOf(error));
    }

    @Override
    public String toString() {
        return summary();
    }
}
