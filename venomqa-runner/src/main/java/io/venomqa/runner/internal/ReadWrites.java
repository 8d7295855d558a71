package io.venomqa.runner.internal;

import io.venomqa.http.HttpExchange;
import io.venomqa.runner.ReadRequestWrites;
import io.venomqa.state.DbChanges;
import io.venomqa.state.TableChanges;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The built-in check that a step made of read requests wrote nothing. Not API. */
final class ReadWrites {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private ReadWrites() {
    }

    /**
     * "GET /orders/1 inserted 1 row into audit_log" when every call of the step was a read and it
     * wrote to a table not in {@code allowed}; {@code null} otherwise (or when not checked).
     */
    static String describe(List<HttpExchange> exchanges, DbChanges written, ReadRequestWrites mode, Set<String> allowed) {
        if (mode == ReadRequestWrites.IGNORE || exchanges.isEmpty() || !written.tracked() || written.tables().isEmpty()) {
            return null;
        }
        for (HttpExchange x : exchanges) {
            if (!SAFE.contains(x.method().toUpperCase(Locale.ROOT))) {
                return null;
            }
        }
        List<String> parts = new ArrayList<>();
        for (TableChanges t : written.tables()) {
            if (allowed.contains(t.table().toLowerCase(Locale.ROOT))) {
                continue;
            }
            add(parts, t.inserted().size(), "inserted", "into", t.table());
            add(parts, t.updated().size(), "updated", "of", t.table());
            add(parts, t.deleted().size(), "deleted", "from", t.table());
        }
        if (parts.isEmpty()) {
            return null;
        }
        HttpExchange last = exchanges.get(exchanges.size() - 1);
        return last.method() + " " + path(last.url()) + " " + String.join(", ", parts)
                + " (a read request that writes; see readRequestWrites in the README to fail on it or allow a table)";
    }

    private static void add(List<String> parts, int n, String verb, String preposition, String table) {
        if (n > 0) {
            parts.add(verb + " " + n + (n == 1 ? " row " : " rows ") + preposition + " " + table);
        }
    }

    private static String path(String url) {
        try {
            URI u = URI.create(url);
            return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        } catch (IllegalArgumentException e) {
            return url;
        }
    }
}
