package io.venomqa.explore.internal;

import io.venomqa.explore.Observation;
import io.venomqa.state.StateManager;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The table-contents projection ({@link io.venomqa.explore.StateProjection#tableContents()}): every
 * tracked table's rows, canonical and sorted, so that equal contents are one state whatever order the
 * database keeps them in.
 *
 * <p>Reading every table after every move costs what the database holds. So a table that held
 * {@value #FINGERPRINT_FROM_ROWS} rows or more when last read is not read again while its
 * fingerprint, computed in the database ({@code JdbcDialect.tableFingerprint}: on PostgreSQL an md5
 * of the row count and every row's text, on SQLite the rows' text), is one seen before: its rows are
 * taken from a cache keyed by that fingerprint. Equal fingerprints mean the same rows in the same
 * order, so the projection is exactly what a full read gives; rows that only moved give a new
 * fingerprint and cost one read, never a wrong state. Smaller tables are read every time, in the same
 * round trip as the fingerprints of the larger ones (one round trip when nothing large changed, two
 * when something did). Backends without fingerprints (MySQL/MariaDB, H2) read every table, as before.
 * The cache holds at most {@value #CACHED_ROWS} rows in all (least recently used out first) and is
 * shared by every worker of an exploration (equal fingerprints are equal contents on any copy).
 *
 * <p>Where the checkpoint strategy keeps a digest of the contents from its own records (the journal:
 * {@code JdbcStateManager.contentsDigest()}) and the tables held {@value #DIGEST_FROM_ROWS} rows or more
 * in all at the first capture on a manager, the tables are not read after that: the first capture pins
 * the contents of that moment (the exploration's start) as the base, and the projection is the digest's row: per table that differs from the start, its change in rows and the
 * sums of its changed rows' hashes, plus the tables' columns and the fingerprint of a full read made
 * at the pin (so that two workers' values are equal only if their starts were). It costs what changed since the start,
 * not what the tables hold, and is equal for equal contents whatever path led there (the journal holds
 * the current path's changes only). If the digest stops being valid (an undo below the start, a table
 * picked up during the run) or its read fails, the tables are read from then on: states captured
 * before and after that are then told apart by their form, never merged wrongly.
 * Not API: public for the explorer's tests.
 */
public final class TableContents {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TableContents.class);

    /** From this many rows a table is fingerprinted instead of read (below it the read is as cheap). */
    static final int FINGERPRINT_FROM_ROWS = 500;
    /** Rows kept in the cache in all. */
    static final long CACHED_ROWS = 2_000_000;

    /** The read with fingerprints failed: {@link #capture} reads again without them. */
    private static final class FingerprintFailed extends RuntimeException {
        FingerprintFailed(RuntimeException cause) {
            super(cause);
        }
    }

    /** What the last read of each table learnt: its columns (for the fingerprint) and its size. */
    private record Known(List<String> columns, int rows) {
    }

    private final Map<String, Known> known = new HashMap<>();
    /**
     * Per table, the columns read through the database's exact form ({@code JdbcDialect.exactRead}), with
     * that form: on MySQL/MariaDB a FLOAT, whose text has six digits, so that 12345.67 and 12345.68 were one
     * state; on PostgreSQL an array, whose text the driver makes itself, one way while it receives the
     * column as text and another once it has prepared the read on the server and receives it in binary
     * ({@code {1,NULL,3}}, then {@code {"1",NULL,"3"}} from the fifth read on): until 2026-12-06 the same rows
     * became a new state there, and a state restored was not recognised. Learnt from a read that gave such
     * values; the table is then read again at once, so a captured value always has the exact form.
     */
    private final Map<String, Map<String, String>> exact = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * From how many rows in all, at the first capture on a manager, its contents digest is used
     * ({@link Long#MAX_VALUE}: never). Below it reading the tables is as cheap or cheaper (a few rows:
     * one query, where the digest is one to five round trips), measured in docs/performance.md.
     */
    private final long digestFromRows;
    /**
     * What the first capture on a manager pinned: the digest based there (empty: none, or no longer
     * usable) and the fingerprint of a full read of the tables at that moment, which makes the values
     * of two managers (an exploration's workers) comparable only when they started from equal contents.
     */
    private record Pin(Optional<Backends.Digest> digest, String start) {
    }

    private final Map<StateManager, Pin> pinned = new java.util.WeakHashMap<>();
    /**
     * Per manager, its tables' columns that {@code select *} leaves out ({@code JdbcDialect.hiddenColumnsQuery}:
     * MySQL's and H2's INVISIBLE columns), read once: they are state like any other column, so a move
     * that changes only one of them reaches a new state.
     */
    private final Map<StateManager, Map<String, List<String>>> hidden = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
    /** Canonical sorted rows by table and fingerprint, least recently used first. */
    private final LinkedHashMap<String, List<String>> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedRows;
    private volatile boolean fingerprintsOff;
    /** Full reads of tables that could have been fingerprinted, for tests. */
    private long largeReads;

    /** Rows in all from which the digest is used by default: where reading the tables starts to cost more. */
    static final long DIGEST_FROM_ROWS = FINGERPRINT_FROM_ROWS;

    /** A projection that uses the managers' contents digests where they have one and the tables hold {@value #DIGEST_FROM_ROWS} rows or more. */
    public TableContents() {
        this(DIGEST_FROM_ROWS);
    }

    private TableContents(long digestFromRows) {
        this.digestFromRows = digestFromRows;
    }

    /** A projection that always reads the tables (for tests: what a digest must agree with). */
    public static TableContents readingTables() {
        return new TableContents(Long.MAX_VALUE);
    }

    /** A projection that uses the digest whatever the tables hold (for tests on small tables). */
    public static TableContents digestAlways() {
        return new TableContents(0);
    }

    /**
     * The projection's value in the state {@code o} observes: table name to its canonical rows, sorted;
     * or, where the manager keeps a contents digest, the digest's reading (see the class comment).
     */
    public Map<String, Object> capture(Observation o) {
        if (digestFromRows == Long.MAX_VALUE) {
            return readTables(o);
        }
        Pin pin;
        synchronized (this) {
            pin = pinned.get(o.stateManager());
        }
        if (pin == null) {
            // The first capture on this manager reads the tables, and pins a digest if they are large enough.
            Map<String, Object> tables = readTables(o);
            pin = pin(o.stateManager(), tables);
            if (pin.digest().isEmpty()) {
                return tables;
            }
        }
        if (pin.digest().isPresent()) {
            try {
                Backends.Digest digest = pin.digest().get();
                Optional<String> query = digest.query();
                Map<String, ?> row;
                if (query.isPresent()) {
                    List<List<Map<String, Object>>> rows = o.db() instanceof GuardedDb g
                            ? g.readWithExpected(List.of(query.get()))
                            : Backends.queryEach(o.stateManager(), List.of(query.get()));
                    row = rows.get(0).get(0);
                } else {
                    row = digest.read().orElse(null);
                }
                if (row != null) { // else no longer valid: the tables from now on
                    Map<String, Object> out = new LinkedHashMap<>();
                    String changes = String.valueOf(column(row, "venomqa_changes"));
                    out.put("changed since the start", changes.isEmpty() ? "nothing" : changes);
                    out.put("start", pin.start());
                    out.put("columns", column(row, "venomqa_columns"));
                    return out;
                }
            } catch (RuntimeException e) {
                synchronized (this) {
                    pinned.put(o.stateManager(), new Pin(Optional.empty(), pin.start()));
                }
                LOG.debug("The contents digest failed ({}); the table-contents projection reads the tables from now on",
                        e.getMessage());
            }
        }
        return readTables(o);
    }

    /** Every tracked table's canonical rows, large ones by fingerprint while the database computes them. */
    private Map<String, Object> readTables(Observation o) {
        List<String[]> tables = Backends.trackedTables(o.stateManager());
        if (!fingerprintsOff) {
            try {
                return read(o, tables, true);
            } catch (FingerprintFailed e) {
                // A fingerprint the database cannot compute (a type without a text form, a permission):
                // read whole tables from now on, which is slower but gives the same states.
                fingerprintsOff = true;
                LOG.debug("Table fingerprints failed ({}); the table-contents projection reads every table from now on",
                        e.getCause().getMessage());
            }
        }
        return read(o, tables, false);
    }

    private Map<String, Object> read(Observation o, List<String[]> tables, boolean fingerprints) {
        StateManager m = o.stateManager();
        List<String[]> printed = new ArrayList<>();
        List<String> printSql = new ArrayList<>();
        List<String> queries = new ArrayList<>();
        List<String[]> direct = new ArrayList<>();
        for (String[] t : tables) {
            Optional<String> print = fingerprints ? fingerprintSql(m, t) : Optional.empty();
            if (print.isPresent()) {
                printed.add(t);
                printSql.add(print.get() + " as venomqa_fp" + printSql.size());
            } else {
                direct.add(t);
                queries.add(selectAll(m, t));
            }
        }
        if (!printSql.isEmpty()) {
            queries.add(0, "select " + String.join(", ", printSql));
        }
        // One guarded read: a savepoint and an end of transaction per table were most of the
        // projection's round trips (benchmark row 11). The observation's expected SQL invariants join it.
        List<List<Map<String, Object>>> first;
        try {
            first = o.db() instanceof GuardedDb g ? g.readWithExpected(queries) : Backends.queryEach(m, queries);
        } catch (RuntimeException e) {
            if (printSql.isEmpty()) {
                throw e;
            }
            throw new FingerprintFailed(e);
        }
        Map<String, List<String>> contents = new HashMap<>();
        int offset = printSql.isEmpty() ? 0 : 1;
        for (int i = 0; i < direct.size(); i++) {
            contents.put(direct.get(i)[0], canonical(direct.get(i)[0], exactly(m, direct.get(i), first.get(i + offset)), null));
        }
        if (!printSql.isEmpty()) {
            Map<String, Object> prints = first.get(0).get(0);
            List<String[]> changed = new ArrayList<>();
            List<String> changedKeys = new ArrayList<>();
            for (int i = 0; i < printed.size(); i++) {
                String table = printed.get(i)[0];
                String key = table + "\u0000" + digest(String.valueOf(printOf(prints, i)));
                List<String> hit = cached(key);
                if (hit != null) {
                    contents.put(table, hit);
                } else {
                    changed.add(printed.get(i));
                    changedKeys.add(key);
                }
            }
            if (!changed.isEmpty()) {
                List<String> again = new ArrayList<>();
                for (String[] t : changed) {
                    again.add(selectAll(m, t));
                }
                List<List<Map<String, Object>>> rows = Backends.queryEach(m, again);
                for (int i = 0; i < changed.size(); i++) {
                    String table = changed.get(i)[0];
                    contents.put(table, canonical(table, exactly(m, changed.get(i), rows.get(i)), changedKeys.get(i)));
                }
                synchronized (this) {
                    largeReads += changed.size();
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String[] t : tables) {
            // Rows are canonical text already: as plain strings, each (holding '=') would be quoted once more.
            out.put(t[0], new Canonical.Rows(contents.get(t[0])));
        }
        return out;
    }

    /** Every row of {@code t}, its columns of {@link #exact} read through their exact form (same label, so the value replaces the column's own). */
    private String selectAll(StateManager m, String[] t) {
        List<String> forms = new ArrayList<>();
        exact.getOrDefault(t[0], Map.of()).forEach((c, form) -> forms.add(form + " as " + Backends.quote(m, c)));
        List<String> hiddenHere = hidden.computeIfAbsent(m, Backends::hiddenColumns).getOrDefault(t[0], List.of());
        return Backends.selectEveryColumn(m, t[1], hiddenHere, forms);
    }

    /**
     * {@code rows} of {@code t}, or, where they hold values of columns the database reads exactly only
     * through another form (not yet in {@link #exact}), the table read again with it.
     */
    private List<Map<String, Object>> exactly(StateManager m, String[] t, List<Map<String, Object>> rows) {
        Map<String, String> columns = exact.getOrDefault(t[0], Map.of());
        Map<String, String> needed = new LinkedHashMap<>(columns);
        for (Map<String, Object> r : rows) {
            for (Map.Entry<String, Object> e : r.entrySet()) {
                if (needed.containsKey(e.getKey())) {
                    continue;
                }
                exactForm(m, t[1], e.getKey(), e.getValue()).ifPresent(f -> needed.put(e.getKey(), f));
            }
        }
        if (needed.size() == columns.size()) {
            return rows;
        }
        exact.put(t[0], java.util.Collections.unmodifiableMap(needed));
        return Backends.queryEach(m, List.of(selectAll(m, t))).get(0);
    }

    /**
     * The exact form of {@code column}, judged by a value the driver gave for it: the kinds of value a driver makes
     * itself from what the server sends, where {@code JdbcDialect.exactRead} may have the server's text instead.
     * A FLOAT (MySQL/MariaDB: six digits), an array (PostgreSQL: printed one way when received as text, another
     * in binary), a boolean (MySQL/MariaDB: a {@code TINYINT(1)} holding 5 is {@code true} like 1) and a time
     * (a {@code java.sql.Time} has no fraction of a second, no offset and no sign: MySQL/MariaDB's -00:00:01 read as
     * 00:00:01, PostgreSQL's and H2's 00:00:01.5 as 00:00:01). Empty for anything else, and where the dialect reads
     * the column as it is. (A MySQL/MariaDB {@code TIME} outside a day, 25:00:00, fails the driver's read itself
     * when it is in the first read of its table that holds a time: the projection then fails, saying so.)
     */
    private static Optional<String> exactForm(StateManager m, String table, String column, Object value) {
        if (value instanceof Float) {
            return Backends.exactRead(m, table, column, java.sql.Types.REAL, "FLOAT");
        }
        if (value instanceof java.sql.Array) {
            return Backends.exactRead(m, table, column, java.sql.Types.ARRAY, null);
        }
        if (value instanceof Boolean) {
            return Backends.exactRead(m, table, column, java.sql.Types.BOOLEAN, "BOOLEAN");
        }
        if (value instanceof java.sql.Time) {
            return Backends.exactRead(m, table, column, java.sql.Types.TIME, "TIME");
        }
        return Optional.empty();
    }

    /** Pins on {@code m}, whose tables hold {@code tables} now: a digest based now, if they are large enough. */
    private Pin pin(StateManager m, Map<String, Object> tables) {
        long rows = 0;
        for (Object t : tables.values()) {
            rows += ((List<?>) t).size();
        }
        // Outside this object's lock: pinning reads the database, and workers capture in parallel.
        Optional<Backends.Digest> d = rows >= digestFromRows ? Backends.contentsDigest(m) : Optional.empty();
        Pin p = new Pin(d, d.isEmpty() ? "" : Canonical.fingerprint(Canonical.text(tables)));
        synchronized (this) {
            Pin raced = pinned.putIfAbsent(m, p);
            return raced != null ? raced : p;
        }
    }

    /** A column of the digest's row, by name whatever case the driver gives it. */
    private static Object column(Map<String, ?> row, String name) {
        for (Map.Entry<String, ?> e : row.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        throw new IllegalStateException("the contents digest returned no column " + name + ": " + row.keySet());
    }

    /** The fingerprint expression of a table known to be large, when the backend has one. */
    private Optional<String> fingerprintSql(StateManager m, String[] t) {
        Known k;
        synchronized (this) {
            k = known.get(t[0]);
        }
        // A table is fingerprinted once a read has shown it large (and named its columns).
        if (k == null || k.rows() < FINGERPRINT_FROM_ROWS) {
            return Optional.empty();
        }
        return Backends.tableFingerprint(m, t[1], k.columns());
    }

    /** The rows as the projection gives them; learns the table's columns and size, caches under {@code key}. */
    private List<String> canonical(String table, List<Map<String, Object>> rows, String key) {
        List<String> out = new ArrayList<>(rows.size());
        for (Map<String, Object> r : rows) {
            out.add(Canonical.row(r));
        }
        Collections.sort(out);
        List<String> result = List.copyOf(out); // immutable: Canonical.Rows then holds it without a copy
        synchronized (this) {
            List<String> columns = rows.isEmpty() ? known.getOrDefault(table, new Known(List.of(), 0)).columns()
                    : List.copyOf(rows.get(0).keySet());
            known.put(table, new Known(columns, rows.size()));
            if (key != null) {
                put(key, result);
            }
        }
        return result;
    }

    /** Fingerprint {@code i} of the row, by its alias (never by position: the row's order is the driver's). */
    private static Object printOf(Map<String, Object> row, int i) {
        String alias = "venomqa_fp" + i;
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (e.getKey().equalsIgnoreCase(alias)) {
                return e.getValue();
            }
        }
        throw new IllegalStateException("the fingerprint query returned no column " + alias + ": " + row.keySet());
    }

    /** The whole SHA-256 of a fingerprint: a false hit would be a wrong state. */
    private static String digest(String fingerprint) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(fingerprint.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private synchronized List<String> cached(String key) {
        return cache.get(key);
    }

    private void put(String key, List<String> rows) {
        List<String> old = cache.put(key, rows);
        if (old != null) {
            cachedRows -= old.size();
        }
        cachedRows += rows.size();
        Iterator<Map.Entry<String, List<String>>> it = cache.entrySet().iterator();
        while (cachedRows > CACHED_ROWS && it.hasNext()) {
            Map.Entry<String, List<String>> e = it.next();
            if (e.getValue() == rows) {
                continue;
            }
            cachedRows -= e.getValue().size();
            it.remove();
        }
    }

    /** Full reads of tables large enough to be fingerprinted, so far (for tests: a table whose fingerprint is cached is not read). */
    public synchronized long largeReads() {
        return largeReads;
    }
}
