package io.venomqa.openapi;

import io.venomqa.core.CredentialMasker;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How every generated move authenticates: a bearer token, an API key (header or query parameter),
 * HTTP basic, or nothing. Immutable. The secret is handed to the client as a secret, so it is masked
 * in histories and reports, and {@link #toString()} never shows it.
 */
public final class Auth {

    private final String kind;
    private final String name;
    private final String value;
    private final boolean inQuery;

    private Auth(String kind, String name, String value, boolean inQuery) {
        this.kind = kind;
        this.name = name;
        this.value = value;
        this.inQuery = inQuery;
    }

    /** No authentication (the default). */
    public static Auth none() {
        return new Auth("none", null, null, false);
    }

    /** {@code Authorization: Bearer <token>}. */
    public static Auth bearer(String token) {
        return new Auth("bearer", "Authorization", "Bearer " + require(token, "token"), false);
    }

    /** An API key sent in header {@code header}. */
    public static Auth apiKey(String header, String key) {
        return new Auth("api_key", require(header, "header"), require(key, "key"), false);
    }

    /** An API key sent as query parameter {@code parameter}. */
    public static Auth apiKeyInQuery(String parameter, String key) {
        return new Auth("api_key", require(parameter, "parameter"), require(key, "key"), true);
    }

    /** HTTP basic authentication. */
    public static Auth basic(String username, String password) {
        String pair = require(username, "username") + ":" + require(password, "password");
        return new Auth("basic", "Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)), false);
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

    /** Headers to send with every request (empty for none and for a query API key). */
    public Map<String, String> headers() {
        return name == null || inQuery ? Map.of() : Map.of(name, value);
    }

    /** Query parameters to send with every request. */
    public Map<String, String> query() {
        return name != null && inQuery ? Map.of(name, value) : Map.of();
    }

    /** The values to mask wherever a request is shown. */
    public List<String> secrets() {
        if (value == null) {
            return List.of();
        }
        int space = value.indexOf(' ');
        return space > 0 && !inQuery && name.equals("Authorization") ? List.of(value, value.substring(space + 1)) : List.of(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Auth a && kind.equals(a.kind) && Objects.equals(name, a.name) && Objects.equals(value, a.value)
                && inQuery == a.inQuery;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name, value, inQuery);
    }

    @Override
    public String toString() {
        return "Auth[" + kind + (name == null ? "" : ", " + (inQuery ? "query " : "header ") + name + "=" + CredentialMasker.MASK) + "]";
    }
}
