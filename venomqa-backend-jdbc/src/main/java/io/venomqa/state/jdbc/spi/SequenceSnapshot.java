package io.venomqa.state.jdbc.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The identity counters of a schema at one moment: for every sequence (or identity column) the
 * value the database would hand out next. Taken by {@link JdbcDialect#captureSequences} and put
 * back by {@link JdbcDialect#restoreSequences}, so that a path run after a rollback sees the same
 * generated ids as its sibling did.
 *
 * @param nextValues next value per counter, keyed by a dialect-specific name (a qualified sequence
 *                   name, or {@code table.column})
 */
public record SequenceSnapshot(Map<String, Long> nextValues) {

    /** A snapshot of a schema without counters, or of a database whose counters are transactional. */
    public static final SequenceSnapshot EMPTY = new SequenceSnapshot(Map.of());

    public SequenceSnapshot {
        nextValues = Collections.unmodifiableMap(new LinkedHashMap<>(nextValues));
    }

    public boolean isEmpty() {
        return nextValues.isEmpty();
    }
}
