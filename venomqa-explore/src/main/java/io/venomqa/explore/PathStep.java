package io.venomqa.explore;

import io.venomqa.http.HttpExchange;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One move of a reproduction path, with everything needed to read or replay it.
 *
 * @param index     position in the path, from 1
 * @param move      the move's name
 * @param args      the move's arguments (as given to {@link Move.Builder#arg}), with the values of secret-looking
 *                  names at any depth ({@code password}, a nested {@code client_secret}) as {@code ***}, as the
 *                  exchanges are masked: every report and {@code toString()} show them
 * @param from      id of the state it ran in, or {@code "?"} for a state the exploration never reached
 * @param to        id of the state it led to, or {@code "?"}
 * @param status    HTTP status of its result, or {@code null}
 * @param outcome   how it ended
 * @param error     what the action threw, or {@code null}
 * @param exchanges every request and response it made (masked and cut as in the client's history)
 */
public record PathStep(int index, String move, Map<String, Object> args, String from, String to, Integer status,
                       Outcome outcome, String error, List<HttpExchange> exchanges) {
    public PathStep {
        Objects.requireNonNull(move, "move");
        args = Collections.unmodifiableMap(new LinkedHashMap<>(io.venomqa.core.CredentialMasker.maskValues(args)));
        exchanges = List.copyOf(exchanges);
    }
}
