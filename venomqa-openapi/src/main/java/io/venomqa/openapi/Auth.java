package io.venomqa.openapi;

import io.venomqa.core.CredentialMasker;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How every generated move authenticates: a bearer token, an API key (header, query parameter or cookie),
 * HTTP basic, or nothing. Immutable. The secret is handed to the client as a secret, so it is masked
 * in histories and reports, and {@link #toString()} never shows it.
 */
public final class Auth {

    private final String kind;
    private final String name;
    private final String value;
    /** Where the secret goes: {@code header}, {@code query} or {@code cookie}. */
    private final String in;

    private Auth(String kind, String name, String value, String in) {
        this.kind = kind;
        this.name = name;
        this.value = value;
        this.in = in;
    }

    /** No authentication (the default). */
    public static Auth none() {
        return new Auth("none", null, null, "header");
    }

    /** {@code Authorization: Bearer <token>}. */
    public static Auth bearer(String token) {
        return new Auth("bearer", "Authorization", "Bearer " + require(token, "token"), "header");
    }

    /** An API key sent in header {@code header}. */
    public static Auth apiKey(String header, String key) {
        return new Auth("api_key", require(header, "header"), require(key, "key"), "header");
    }

    /** An API key sent as query parameter {@code parameter}. */
    public static Auth apiKeyInQuery(String parameter, String key) {
        return new Auth("api_key", require(parameter, "parameter"), require(key, "key"), "query");
    }

    /**
     * An API key sent as cookie {@code cookie} (an OpenAPI security scheme {@code in: cookie}); a cookie of that
     * name the API set itself is sent instead (see {@link io.venomqa.http.Client.RequestBuilder#cookie}).
     */
    public static Auth apiKeyInCookie(String cookie, String key) {
        return new Auth("api_key", require(cookie, "cookie name"), require(key, "key"), "cookie");
    }

    /** HTTP basic authentication. */
    public static Auth basic(String username, String password) {
        String pair = require(username, "username") + ":" + require(password, "password");
        return new Auth("basic", "Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)), "header");
    }

    private static String require(String v, String what) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("Authentication needs a " + what + " that is not blank.");
        }
        return v;
    }

    /** {@code none}, {@code bearer}, {@code api_key} or {@code basic}. */
    public String kind() {
        return kind;
    }

    /** Headers to send with every request (empty for none and for an API key in the query or a cookie). */
    public Map<String, String> headers() {
        return name != null && in.equals("header") ? Map.of(name, value) : Map.of();
    }

    /** Query parameters to send with every request. */
    public Map<String, String> query() {
        return name != null && in.equals("query") ? Map.of(name, value) : Map.of();
    }

    /** Cookies to send with every request. */
    public Map<String, String> cookies() {
        return name != null && in.equals("cookie") ? Map.of(name, value) : Map.of();
    }

    /** The values to mask wherever a request is shown. */
    public List<String> secrets() {
        if (value == null) {
            return List.of();
        }
        int space = value.indexOf(' ');
        return space > 0 && name.equals("Authorization") ? List.of(value, value.substring(space + 1)) : List.of(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Auth a && kind.equals(a.kind) && Objects.equals(name, a.name) && Objects.equals(value, a.value)
                && in.equals(a.in);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name, value, in);
    }

    @Override
    public String toString() {
        return "Auth[" + kind + (name == null ? "" : ", " + in + " " + name + "=" + CredentialMasker.MASK) + "]";
    }
}
