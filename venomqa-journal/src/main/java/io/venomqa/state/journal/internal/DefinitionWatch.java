package io.venomqa.state.journal.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * DDL that leaves a journaled table's shape as it was and yet changes what the journal restores, seen
 * by the catalog rows it writes (PostgreSQL): a same-type {@code ALTER COLUMN … TYPE … USING} rewrites
 * every row without firing a row trigger, {@code ALTER TYPE … RENAME VALUE} changes what the rows of
 * an enum column read as, {@code ALTER TYPE … ADD, DROP or RENAME ATTRIBUTE} changes how the journal's
 * images of a composite column read back, {@code ALTER SEQUENCE … INCREMENT} (and the other options)
 * changes a counter the journal gives back only the value of. The journal restores data, not definitions: such a change
 * makes every later checkpoint, rollback and restore of the run fail (as a changed journal trigger
 * does), and {@code disconnect()} leaves the tables and sequences concerned as the run left them.
 *
 * <p>The reference is the state when the journal took the object in ({@code connect()}, a table picked
 * up or installed again for a new shape, a sequence first seen); a table whose shape differs from the
 * one its triggers were installed for is left to the shape check. Deliberately narrow: only the columns
 * of journaled tables, the enum types their values hold (directly, as arrays, through domains, inside
 * composite types and ranges), the attributes of the composite types they use (directly, as arrays, through
 * domains, inside other composite types, a table's row type too) and the schema's sequences, which
 * the journal restores.
 *
 * <p>On MySQL/MariaDB also the definitions DDL changes without touching a row ({@link Marks#kept}: a column's
 * default, type length, nullability, collation, comment). On every backend with a journal the schema's objects
 * ({@link Marks#objects}: views, routines, and a journaled table's indexes, constraints, options and application
 * triggers; on PostgreSQL also rules, policies and types; on SQLite views, indexes and triggers, since 2026-12-06
 * evening for both). The database as {@code connect()} found it is what VenomQA promises to leave: such a change
 * fails checkpoints and rollbacks too, and {@code disconnect()} names it. An object's change is reported only while
 * it lasts (it holds no rows), a column's for the rest of the run. A table's objects keep the reference of when the
 * table was first taken in ({@code connect()}, or its pick-up when created during the run): installing the journal's
 * triggers again for a new shape (on SQLite also for a new application trigger or unique index) does not make what
 * the run changed the reference.
 */
public final class DefinitionWatch {

    /**
     * The catalog facts, as {@link JournalSql#definitions} reads them.
     *
     * @param columns   per table: its {@code relfilenode}, then {@code attnum:xmin:hasmissing:collation} of each
     *                  live user column ({@code pg_attribute}), space-separated, in column order
     * @param enums     per column and enum type its values hold ({@code table + '\0' + column + '\0' + type oid}):
     *                  {@code oid=label,…} of the enum's labels ({@code pg_enum}, each label in hex of its UTF-8),
     *                  a space, the type's name
     * @param sequences per sequence of the schema (keyed as the counters' snapshot keys it): its oid and
     *                  options ({@code pg_sequence}) as {@code name value} pairs, space-separated, the oid first
     * @param composites per column and composite type its values hold ({@code table + '\0' + column + '\0' +
     *                  type oid}): the type's name in hex of its UTF-8, a space, and its attributes in order,
     *                  dropped ones included ({@code street text, (dropped), zip text})
     * @param objects   schema objects DDL changes without touching a row (MySQL): per {@link #objectKey key}, a
     *                  digest of the object's definition, without what changes by itself (counters, statistics).
     *                  A table's objects (its indexes, triggers other than the journal's, options) are compared
     *                  for journaled tables only; the schema's (views, routines) always
     * @param matviews  per materialized view of the schema (by name): {@code oid relfilenode xmin populated readable}
     *                  of its {@code pg_class} row and VenomQA's right to read it, a space and its qualified, quoted name; not watched here but by
     *                  {@link MaterializedViews}, which only needs them read in the same pass (empty: none)
     */
    public record Marks(Map<String, String> columns, Map<String, String> enums, Map<String, String> sequences,
                        Map<String, String> kept, Map<String, String> composites, Map<String, String> objects,
                        Map<String, String> matviews) {

        public Marks {
            columns = Map.copyOf(columns);
            enums = Map.copyOf(enums);
            sequences = Map.copyOf(sequences);
            kept = Map.copyOf(kept);
            composites = Map.copyOf(composites);
            objects = Map.copyOf(objects);
            matviews = Map.copyOf(matviews);
        }

        /** Marks without {@code matviews} (MySQL: no materialized views). */
        public Marks(Map<String, String> columns, Map<String, String> enums, Map<String, String> sequences,
                Map<String, String> kept, Map<String, String> composites, Map<String, String> objects) {
            this(columns, enums, sequences, kept, composites, objects, Map.of());
        }

        /** Marks without {@code objects} and {@code matviews}. */
        public Marks(Map<String, String> columns, Map<String, String> enums, Map<String, String> sequences,
                Map<String, String> kept, Map<String, String> composites) {
            this(columns, enums, sequences, kept, composites, Map.of(), Map.of());
        }

        /** Marks without {@code composites}, {@code objects} and {@code matviews} (SQLite: no composite types). */
        public Marks(Map<String, String> columns, Map<String, String> enums, Map<String, String> sequences,
                Map<String, String> kept) {
            this(columns, enums, sequences, kept, Map.of(), Map.of(), Map.of());
        }

        /** Marks without {@code kept}: DDL that leaves the rows alone is not watched (PostgreSQL). */
        public Marks(Map<String, String> columns, Map<String, String> enums, Map<String, String> sequences) {
            this(columns, enums, sequences, Map.of());
        }
    }

    /**
     * The key of an object in {@link Marks#objects}: {@code table}, a NUL, the kind (as it reads in a message:
     * {@code index}, {@code trigger}, {@code options}, {@code view}, {@code procedure}, {@code function}, …), a NUL,
     * the name. A schema's object (a view, a routine) has an empty {@code table}; one that belongs to another of the
     * schema's objects (PostgreSQL: a view's trigger or rule, a domain's constraint) has a NUL and the owner's name
     * after its own.
     */
    public static String objectKey(String table, String kind, String name) {
        return table + '\0' + kind + '\0' + name;
    }

    /**
     * The kind of the object that is the order in which a table's triggers of one timing and event fire (MySQL, where
     * {@code FOLLOWS}/{@code PRECEDES} set it; named by the timing and event, {@code BEFORE UPDATE}), its mark
     * {@link #triggerOrder}. Its triggers created or dropped are said by their own marks: only two that are there in
     * both marks and fire the other way round now make it "reordered".
     */
    public static final String TRIGGER_ORDER = "trigger order";

    /**
     * The kind of the object that is a generated column's expression (MySQL/MariaDB, where a {@code VIRTUAL} column's
     * changes in place, without a row rewritten or a new shape). Only "redefined" is said of it: a generated column
     * added or dropped changes its table's shape, which says so.
     */
    public static final String GENERATED_COLUMN = "generated column";

    /**
     * The kind of the object that is a column's definitions that DDL changes without rewriting a row or changing the
     * table's shape (PostgreSQL: its default, {@code NOT NULL}, identity kind): what the application's next writes
     * get. Only "redefined" is said of it, as of {@link #GENERATED_COLUMN}.
     */
    public static final String COLUMN = "column";

    /** The kinds said only when redefined: a column added or dropped is said by its table's shape. */
    private static final Set<String> REDEFINED_ONLY = Set.of(GENERATED_COLUMN, COLUMN);

    /** The mark of a {@link #TRIGGER_ORDER}: the triggers' names in the order they fire. */
    public static String triggerOrder(java.util.Collection<String> names) {
        return String.join("\0", names);
    }

    /** Whether two {@link #triggerOrder} marks put some pair of the triggers in both the other way round. */
    private static boolean reordered(String then, String is) {
        List<String> before = new ArrayList<>(List.of(then.split("\0", -1)));
        List<String> now = new ArrayList<>(List.of(is.split("\0", -1)));
        before.retainAll(now);
        now.retainAll(before);
        return !before.equals(now);
    }

    private final Map<String, String> columns = new HashMap<>();
    /** The reference of {@link Marks#objects}: a table's since it was taken in, the schema's since {@code connect()}. */
    private final NavigableMap<String, String> objects = new TreeMap<>();
    /** The prefixes ({@code table + '\0'}, or {@code "\0"} for the schema's) whose objects have their reference. */
    private final Set<String> objectsTaken = new java.util.HashSet<>();
    /**
     * The objects that differ from the reference at the last comparison, by key: what happened to each. Not kept
     * once the object is as it was again (dropped again, or defined as before): an object changes no row, so the
     * data the journal restores is exact whenever the objects are back to the reference.
     */
    private final NavigableMap<String, String> objectChanges = new TreeMap<>();
    /**
     * Foreign keys with an action ({@code CASCADE}, {@code SET NULL}, {@code SET DEFAULT}) created or redefined during
     * the run, by key: InnoDB carries out their actions without firing a trigger, and the journal records the rows
     * they change only for the keys it installed its {@code BEFORE} triggers for. Found once, kept: the rows they
     * changed stay missing from the journal even after the key is dropped again.
     */
    private final Map<String, String> cascades = new java.util.TreeMap<>();
    private final NavigableMap<String, String> enums = new TreeMap<>();
    private final NavigableMap<String, String> composites = new TreeMap<>();
    /** By oid: the key (as the counters' snapshot has it) and the options. */
    private final Map<String, String[]> sequences = new HashMap<>();

    /** Found so far, never forgotten: data written before such a change cannot be put back exactly any more. */
    private final Map<String, Set<String>> alteredColumns = new LinkedHashMap<>();
    private final Map<String, Set<String>> recollatedColumns = new LinkedHashMap<>();
    private final Map<String, Set<String>> enumUsers = new LinkedHashMap<>();
    private final Map<String, Set<String>> enumRenames = new LinkedHashMap<>();
    /** Per composite type's name: its attributes then and now; and the columns that hold it. */
    private final Map<String, String> compositeChanges = new LinkedHashMap<>();
    private final Map<String, Set<String>> compositeUsers = new LinkedHashMap<>();
    private final Map<String, String> sequenceChanges = new LinkedHashMap<>();
    /** Whether the reference of {@code connect()} was taken: sequences first seen after it were created during the run. */
    private boolean connected;
    /** By oid: the sequences first seen after {@code connect()}, each as its key and its start value. */
    private final Map<String, String[]> appeared = new LinkedHashMap<>();
    /** The oids of the database's sequences outside the schema at {@code connect()} ({@link #elsewhere(Set)}). */
    private Set<String> elsewhere = Set.of();
    private final Set<String> tables = new LinkedHashSet<>();
    /**
     * Per table, the definition facts DDL can change without rewriting a row ({@link Marks#kept}, MySQL: a
     * column's default, full type, nullability, collation or comment), one token per column; and what changed. The rows of such a table are still
     * put back by {@code disconnect()}; the definitions are not, and it says so.
     */
    private final Map<String, String> kept = new HashMap<>();
    private final Map<String, Set<String>> keptChanges = new LinkedHashMap<>();

    /** Takes {@code now} as the reference of {@code taken} (tables installed or installed again) and of sequences not seen yet. */
    void take(Marks now, Collection<String> taken) {
        if (now == null) {
            return;
        }
        NavigableMap<String, String> nowEnums = new TreeMap<>(now.enums());
        NavigableMap<String, String> nowComposites = new TreeMap<>(now.composites());
        NavigableMap<String, String> nowObjects = new TreeMap<>(now.objects());
        for (String t : taken) {
            columns.remove(t);
            String marks = now.columns().get(t);
            if (marks != null) {
                columns.put(t, marks);
            }
            kept.remove(t);
            String facts = now.kept().get(t);
            if (facts != null) {
                kept.put(t, facts);
            }
            under(enums, t + '\0').clear();
            enums.putAll(under(nowEnums, t + '\0'));
            under(composites, t + '\0').clear();
            composites.putAll(under(nowComposites, t + '\0'));
            takeObjects(nowObjects, t + '\0');
        }
        if (!connected) {
            takeObjects(nowObjects, "\0"); // the schema's views and routines, as connect() found them
            // And every table's, as found: a table the journal takes in later without a pick-up (a partition whose
            // entries its parent's triggers wrote) is compared with what connect() found, not with nothing.
            now.objects().keySet().stream().map(k -> k.substring(0, k.indexOf('\0') + 1)).distinct()
                    .forEach(prefix -> takeObjects(nowObjects, prefix));
        }
        now.sequences().forEach(this::firstSeen);
        connected = true;
    }

    private void takeObjects(NavigableMap<String, String> nowObjects, String prefix) {
        if (!objectsTaken.add(prefix)) {
            // Installed again (a new shape; on SQLite a new trigger or unique index is one): the run's objects are
            // compared with those it found, not taken in. Until 2026-12-06 they were, and disconnect() did not name them.
            return;
        }
        under(objects, prefix).clear();
        under(objectChanges, prefix).clear();
        objects.putAll(under(nowObjects, prefix));
    }

    /**
     * The entries of {@code map} whose keys start with {@code prefix}, a table's name and a NUL or a NUL alone, as a
     * view: every key with that start sorts from it up to the same start ending in {@code \u0001}. Compared per
     * journaled table, a scan of every key each time cost the square of the schema's size: 300 tables made each
     * checkpoint and rollback spend ~100 ms of CPU here (2026-12-07).
     */
    private static SortedMap<String, String> under(NavigableMap<String, String> map, String prefix) {
        if (prefix.isEmpty() || prefix.charAt(prefix.length() - 1) != '\0') {
            throw new IllegalArgumentException("not a prefix of object keys: " + prefix);
        }
        return map.subMap(prefix, true, prefix.substring(0, prefix.length() - 1) + '\u0001', false);
    }

    /**
     * The oids ({@code oid n}) of the database's sequences outside the schema at {@code connect()}
     * ({@link JournalSql#sequencesElsewhere}): one of them first seen in the schema later was moved in, not created
     * by the run, and is not set back to its start (until 2026-12-06 afternoon it was, a value it never had).
     */
    void elsewhere(Set<String> oids) {
        elsewhere = Set.copyOf(oids);
    }

    /**
     * Takes a sequence in when its oid is new; returns what was known of it before, or null. One first seen after
     * {@code connect()} was created during the run (or moved into the schema): a rollback to a checkpoint from before
     * that sets it back to its start ({@link #appearedSequences}), as the run found it not yet used. Created with
     * {@code CACHE > 1}, its values come from blocks each application session caches, which no {@code setval} reaches:
     * reported as a change, as {@code connect()} refuses such a sequence.
     */
    private String[] firstSeen(String key, String options) {
        String oid = oid(options);
        String[] then = sequences.putIfAbsent(oid, new String[] {key, options});
        if (then == null && connected && elsewhere.contains(oid)) {
            // Moved in (ALTER SEQUENCE … SET SCHEMA): not the run's, so not set back to its start. Its value at a
            // checkpoint from before the move was never read; a checkpoint taken since holds it as any other.
            String cache = option(options, "cache");
            if (cache != null && !cache.equals("1")) {
                sequenceChanges.put(key, "moved into the schema during the run with CACHE " + cache + " (each application "
                        + "session hands out values from a block it caches, which a rollback's setval does not reach: run "
                        + "ALTER SEQUENCE " + Safe.name(key) + " CACHE 1)");
            }
        } else if (then == null && connected) {
            appeared.put(oid, new String[] {key, option(options, "start")});
            String cache = option(options, "cache");
            if (cache != null && !cache.equals("1")) {
                sequenceChanges.put(key, "created during the run with CACHE " + cache + " (each application session hands "
                        + "out values from a block it caches, which a rollback's setval does not reach: run ALTER SEQUENCE "
                        + Safe.name(key) + " CACHE 1, or create it so)");
            }
        }
        return then;
    }

    /** The value after {@code name} in a sequence's options ({@code … cache 20 …}), or null. */
    private static String option(String options, String name) {
        String[] words = options.split(" ");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals(name)) {
                return words[i + 1];
            }
        }
        return null;
    }

    /**
     * The sequences created during the run (first seen after {@code connect()}), by their key as the counters'
     * snapshot has it, each with the value it started from ({@code pg_sequence.seqstart}).
     */
    Map<String, Long> appearedSequences() {
        Map<String, Long> out = new LinkedHashMap<>();
        appeared.values().forEach(a -> out.put(a[0], Long.parseLong(a[1])));
        return out;
    }

    /** The oid at the head of a sequence's options ({@code oid 12345 as bigint …}). */
    private static String oid(String options) {
        return options.substring(0, options.indexOf(' ', "oid ".length()));
    }

    /**
     * Compares {@code now} with the reference, for the journaled tables whose shape is the one their
     * triggers were installed for ({@code shapesNow} equal to {@code installedShapes}; their objects for every
     * journaled table still there), and remembers what changed. Objects without a reference yet are taken in.
     * A column whose catalog row changed only because a table rewrite (VACUUM FULL, CLUSTER) wrote its fast
     * default ({@code ADD COLUMN … DEFAULT}) into the rows and cleared {@code atthasmissing} is taken in again,
     * not reported.
     *
     * @param installed the journaled tables, for the names of their columns (in column order)
     */
    void compare(Marks now, Map<String, String> shapesNow, Map<String, String> installedShapes,
            Map<String, TableMeta> installed) {
        if (now == null) {
            return;
        }
        objectChanges.clear(); // found again below where still so
        NavigableMap<String, String> nowObjects = new TreeMap<>(now.objects());
        NavigableMap<String, String> nowEnums = new TreeMap<>(now.enums());
        NavigableMap<String, String> nowComposites = new TreeMap<>(now.composites());
        compareObjects(nowObjects, "\0");
        for (Map.Entry<String, TableMeta> e : installed.entrySet()) {
            String t = e.getKey();
            String shape = shapesNow.get(t);
            if (shape == null) {
                continue; // dropped: the shape check reports it
            }
            // Also for a table of another shape: a checkpoint installs the journal's triggers again for it and
            // goes on, so its objects (on SQLite a new trigger or unique index is a new shape) are compared here.
            if (objectsTaken.contains(t + '\0')) {
                compareObjects(nowObjects, t + '\0');
            } else {
                takeObjects(nowObjects, t + '\0'); // first seen: a table with no object at connect() and none picked up since
            }
            if (!shape.equals(installedShapes.get(t))) {
                continue; // altered: the shape check reports it
            }
            compareColumns(t, e.getValue(), now.columns().get(t));
            compareKept(t, e.getValue(), now.kept().get(t));
            under(nowEnums, t + '\0').forEach((k, v) -> compareEnum(t, k, v));
            under(nowComposites, t + '\0').forEach((k, v) -> compareComposite(t, k, v));
        }
        now.sequences().forEach((key, options) -> {
            String[] then = firstSeen(key, options);
            if (then == null) {
                return;
            }
            List<String> what = new ArrayList<>();
            if (!then[0].equals(key)) {
                what.add("renamed to " + Safe.name(key) + " (the counters no longer find it, so its value would not be "
                        + "put back)");
            }
            if (!then[1].equals(options)) {
                what.add(optionChanges(then[1], options));
                String cache = option(options, "cache");
                if (cache != null && !cache.equals("1") && !cache.equals(option(then[1], "cache"))) {
                    what.add("from now on each application session hands out values from a block it caches, which a "
                            + "rollback's setval does not reach (ALTER SEQUENCE " + Safe.name(key) + " CACHE 1 keeps it exact)");
                }
            }
            if (!what.isEmpty()) {
                sequenceChanges.put(then[0], String.join(", ", what));
            }
        });
    }

    /**
     * Reports the columns whose values may read back otherwise than the journal recorded them: rewritten
     * (a new catalog row and a new {@code relfilenode} since the reference: a same-type {@code ALTER COLUMN … TYPE
     * … USING}) or given another collation. A new catalog row alone ({@code SET STATISTICS}, {@code SET DEFAULT},
     * a column grant …, see {@code PostgresJournalSql.SHAPES}) changed no stored value: the marks become the reference.
     */
    private void compareColumns(String table, TableMeta meta, String marks) {
        String then = columns.get(table);
        if (marks == null || marks.equals(then)) {
            return;
        }
        if (then == null) {
            columns.put(table, marks);
            return;
        }
        String[] was = then.split(" ");
        String[] is = marks.split(" ");
        boolean rewritten = !was[0].equals(is[0]);
        List<String> altered = new ArrayList<>();
        List<String> recollated = new ArrayList<>();
        for (int i = 1; i < Math.max(was.length, is.length); i++) {
            String a = i < was.length ? was[i] : "";
            String b = i < is.length ? is[i] : "";
            if (a.equals(b)) {
                continue;
            }
            String name = i - 1 < meta.columns().size() ? meta.columns().get(i - 1).name() : "#" + i;
            String[] x = a.split(":");
            String[] y = b.split(":");
            if (x.length != 4 || y.length != 4 || !x[0].equals(y[0])) {
                altered.add(name); // not the column it was: the shape check reports it, never let through here
            } else if (!x[3].equals(y[3])) {
                recollated.add(name);
            } else if (rewritten && !fastDefaultWrittenOut(x, y)) {
                altered.add(name);
            }
        }
        if (altered.isEmpty() && recollated.isEmpty()) {
            columns.put(table, marks); // no stored value changed: the new catalog rows are the reference
            return;
        }
        if (!altered.isEmpty()) {
            alteredColumns.computeIfAbsent(table, k -> new LinkedHashSet<>()).addAll(altered);
        }
        if (!recollated.isEmpty()) {
            recollatedColumns.computeIfAbsent(table, k -> new LinkedHashSet<>()).addAll(recollated);
        }
        tables.add(table);
    }

    private void compareKept(String table, TableMeta meta, String facts) {
        String then = kept.get(table);
        if (facts == null || facts.equals(then)) {
            return;
        }
        if (then == null) {
            kept.put(table, facts);
            return;
        }
        String[] was = then.split(" ");
        String[] is = facts.split(" ");
        Set<String> what = keptChanges.computeIfAbsent(table, k -> new LinkedHashSet<>());
        for (int i = 0; i < Math.max(was.length, is.length); i++) {
            String a = i < was.length ? was[i] : "";
            String b = i < is.length ? is[i] : "";
            if (a.equals(b)) {
                continue;
            }
            what.add("column " + Safe.name(i < meta.columns().size() ? meta.columns().get(i).name() : "#" + (i + 1)));
        }
    }

    /**
     * The objects under {@code prefix} (a journaled table's, or with {@code "\0"} the schema's) that were created,
     * dropped or redefined since the reference; none are taken in: the schema as found is the reference.
     */
    private void compareObjects(NavigableMap<String, String> nowObjects, String prefix) {
        Set<String> keys = new java.util.TreeSet<>(under(objects, prefix).keySet());
        keys.addAll(under(nowObjects, prefix).keySet());
        for (String k : keys) {
            String then = objects.get(k);
            String is = nowObjects.get(k);
            if (k.contains("\0" + TRIGGER_ORDER + "\0")) {
                if (then != null && is != null && reordered(then, is)) {
                    objectChanges.put(k, "reordered");
                }
                continue;
            }
            if (REDEFINED_ONLY.contains(k.split("\0", -1)[1])) {
                if (then != null && is != null && !then.equals(is)) {
                    objectChanges.put(k, "redefined");
                }
                continue;
            }
            if (then == null) {
                objectChanges.put(k, "created");
            } else if (is == null) {
                objectChanges.put(k, "dropped");
            } else if (!then.equals(is)) {
                objectChanges.put(k, k.contains("\0options\0") ? "changed" : "redefined");
            }
            if (is != null && !is.equals(then) && k.contains("\0constraint\0") && hasAction(is)) {
                // Its actions changed rows no trigger saw: never forgotten, and the table's rows cannot be put back.
                String table = k.substring(0, k.indexOf('\0'));
                cascades.putIfAbsent(k, then == null ? "created" : "redefined");
                tables.add(table);
            }
        }
    }

    /** Whether a foreign key's mark ({@code foreign key|parent|update rule|delete rule|…}) has an action that changes rows. */
    private static boolean hasAction(String mark) {
        return mark.contains("foreign key|") && (mark.contains("|CASCADE") || mark.contains("|SET NULL")
                || mark.contains("|SET DEFAULT"));
    }

    /** {@code attnum:xmin:1:…} became {@code attnum:other xmin:0:…}: a table rewrite cleared the column's missing value. */
    private static boolean fastDefaultWrittenOut(String[] was, String[] is) {
        return was[2].equals("1") && is[2].equals("0");
    }

    /**
     * An enum type a column's values hold (directly, as an array, through a domain, inside a composite or a
     * range), by its oid: labels renamed since the reference. Labels only added ({@code ALTER TYPE … ADD VALUE},
     * {@code BEFORE} one too) change no row: the rows store a label's oid, and the others keep theirs and their order.
     */
    private void compareEnum(String table, String key, String now) {
        String then = enums.putIfAbsent(key, now);
        if (then == null || then.equals(now)) {
            return;
        }
        String column = key.substring(table.length() + 1, key.lastIndexOf('\0'));
        String type = now.substring(now.indexOf(' ') + 1);
        Map<String, String> was = labels(then);
        Map<String, String> is = labels(now);
        List<String> renamed = new ArrayList<>();
        was.forEach((oid, label) -> {
            String current = is.get(oid);
            if (current == null) {
                renamed.add("label " + Safe.name(label) + " removed");
            } else if (!current.equals(label)) {
                renamed.add("label " + Safe.name(label) + " renamed to " + Safe.name(current));
            }
        });
        if (!renamed.isEmpty()) { // labels only added (ALTER TYPE … ADD VALUE) change no row
            enumRenames.computeIfAbsent(type, k -> new LinkedHashSet<>()).addAll(renamed);
            enumUsers.computeIfAbsent(type, k -> new LinkedHashSet<>()).add(table + "." + column);
            tables.add(table);
        }
    }

    /**
     * A composite type a column's values hold, by its oid: attributes added, dropped, renamed (or, where
     * PostgreSQL allows it, retyped) since the reference. A type that a column no longer reaches, or reaches
     * anew, needs no entry of its own: the composite that holds it (or the column's type, a shape change)
     * changed its attributes, and is reported.
     */
    private void compareComposite(String table, String key, String now) {
        String then = composites.putIfAbsent(key, now);
        if (then == null || then.equals(now)) {
            return;
        }
        String column = key.substring(table.length() + 1, key.lastIndexOf('\0'));
        String type = new String(HexFormat.of().parseHex(now.substring(0, now.indexOf(' '))), StandardCharsets.UTF_8);
        compositeChanges.put(type, "attributes were (" + then.substring(then.indexOf(' ') + 1) + "), now ("
                + now.substring(now.indexOf(' ') + 1) + ")");
        compositeUsers.computeIfAbsent(type, k -> new LinkedHashSet<>()).add(table + "." + column);
        tables.add(table);
    }

    /** {@code oid=hex,…} (then a space and the type's name) as oid → label. */
    static Map<String, String> labels(String marks) {
        Map<String, String> out = new LinkedHashMap<>();
        String list = marks.substring(0, marks.indexOf(' '));
        for (String pair : list.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq), new String(HexFormat.of().parseHex(pair.substring(eq + 1)), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** {@code increment 1 → 5, cycle false → true}: the options that differ. */
    private static String optionChanges(String then, String now) {
        String[] was = then.split(" ");
        String[] is = now.split(" ");
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 1 < Math.min(was.length, is.length); i += 2) {
            if (!was[i + 1].equals(is[i + 1])) {
                out.add(is[i] + " " + was[i + 1] + " → " + is[i + 1]);
            }
        }
        return out.isEmpty() ? "options changed" : String.join(", ", out);
    }

    /** Whether anything was found: the run can no longer be rolled back exactly. */
    boolean found() {
        return !tables.isEmpty() || !sequenceChanges.isEmpty() || !keptChanges.isEmpty() || !objectChanges.isEmpty()
                || !cascades.isEmpty();
    }

    /**
     * The objects created, dropped or redefined during the run ({@link Marks#objects}), as they read in a message
     * ({@code view `v`}, {@code index `i` on `t`}, {@code the options of table `t`}): no row of theirs to put back.
     */
    List<String> objects() {
        return objectChanges.keySet().stream().filter(k -> !cascades.containsKey(k)).map(DefinitionWatch::objectName)
                .toList();
    }

    /** Whether {@link #objects} is all that was found: put back as found, they let the run go on. */
    boolean onlyObjects() {
        return tables.isEmpty() && sequenceChanges.isEmpty() && keptChanges.isEmpty() && cascades.isEmpty();
    }

    private static String objectName(String key) {
        String[] p = key.split("\0", -1);
        if (p[1].equals("options")) {
            return "the options of table " + Safe.name(p[0]);
        }
        if (p[1].equals(TRIGGER_ORDER)) {
            return "the " + p[2] + " triggers of table " + Safe.name(p[0]);
        }
        if (p[1].equals(COLUMN)) {
            return "column " + Safe.name(p[2]) + " on " + Safe.name(p[0]) + " (its default, NOT NULL or identity)";
        }
        // A schema's object that belongs to another (PostgreSQL: a view's trigger or rule, a domain's constraint)
        // has the owner's name after its own: names are unique per owner only.
        String owner = p.length > 3 ? p[3] : p[0];
        return p[1] + " " + Safe.name(p[2]) + (owner.isEmpty() ? "" : " on " + Safe.name(owner));
    }

    /** The journaled tables whose definitions changed without their rows being rewritten (their rows can be put back). */
    Set<String> keptTables() {
        return keptChanges.keySet();
    }

    /** The journaled tables whose rows such a change may have rewritten (or that use a renamed enum label). */
    Set<String> tables() {
        return tables;
    }

    /** The sequences whose options changed, keyed as in the counters' snapshot. */
    Set<String> sequences() {
        return sequenceChanges.keySet();
    }

    /** What was found, one part per table, enum type and sequence. */
    String describe() {
        List<String> parts = new ArrayList<>();
        alteredColumns.forEach((table, cols) -> parts.add("table " + Safe.name(table) + ": column" + (cols.size() > 1 ? "s " : " ")
                + String.join(", ", cols.stream().map(Safe::name).toList()) + " altered and the table's rows rewritten "
                + "(ALTER TABLE … ALTER COLUMN … TYPE … USING)"));
        if (!alteredColumns.isEmpty()) {
            // Said once: why a column "altered" matters although its type may read the same, and the one harmless case.
            parts.set(parts.size() - 1, parts.get(parts.size() - 1) + " — a same-type ALTER COLUMN … TYPE … USING rewrites "
                    + "every row without firing row triggers, and PostgreSQL marks the columns after an altered one too (also "
                    + "counted: another ALTER COLUMN, such as SET DEFAULT, with a TRUNCATE, VACUUM FULL, CLUSTER or SET "
                    + "TABLESPACE of the table between the same two checkpoints or rollbacks)");
        }
        recollatedColumns.forEach((table, cols) -> parts.add("table " + Safe.name(table) + ": column" + (cols.size() > 1 ? "s " : " ")
                + String.join(", ", cols.stream().map(Safe::name).toList()) + " given another collation (ALTER COLUMN … TYPE "
                + "… COLLATE …): its values now compare under other rules, so rows the journal recorded as different may now "
                + "be equal"));
        enumRenames.forEach((type, renames) -> parts.add("enum type " + Safe.name(type) + " (used by "
                + String.join(", ", enumUsers.get(type).stream().map(Safe::name).toList()) + "): "
                + String.join(", ", renames) + " (ALTER TYPE … RENAME VALUE)"));
        compositeChanges.forEach((type, what) -> parts.add("composite type " + Safe.name(type) + " (used by "
                + String.join(", ", compositeUsers.get(type).stream().map(Safe::name).toList()) + "): " + what
                + " (ALTER TYPE … ADD, DROP or RENAME ATTRIBUTE, or ALTER TABLE on a table whose row type a column holds;"
                + " the journal's copies of the rows were written in the old attributes and would be read back into the"
                + " new ones)"));
        sequenceChanges.forEach((key, what) -> parts.add("sequence " + Safe.name(key) + ": " + what + " (ALTER SEQUENCE)"));
        keptChanges.forEach((table, what) -> parts.add("table " + Safe.name(table) + ": the definition of "
                + String.join(", ", what) + " changed (a default, a type's length or values, nullability, a collation, "
                + "a comment: ALTER TABLE without rewriting the rows)"));
        if (!objectChanges.isEmpty()) {
            Map<String, List<String>> byWhat = new LinkedHashMap<>();
            objectChanges.forEach((k, what) -> {
                if (!cascades.containsKey(k)) { // said below, with what it did
                    byWhat.computeIfAbsent(what, w -> new ArrayList<>()).add(objectName(k));
                }
            });
            byWhat.forEach((what, names) -> parts.add(String.join(", ", names) + " " + what + (what.equals("changed")
                    ? " (ALTER TABLE … without touching a column: on MySQL its engine, character set, collation, row "
                    + "format, comment or another option; on PostgreSQL its row security, replica identity, persistence, "
                    + "storage parameters or the tables it inherits from)" : "") + " during the run"));
        }
        cascades.forEach((k, what) -> parts.add(objectName(k) + ", a foreign key with an action (CASCADE, SET NULL or SET "
                + "DEFAULT), " + what + " during the run: InnoDB carries out foreign key actions without firing a trigger, "
                + "so the rows it changed are not in the journal and table " + Safe.name(k.substring(0, k.indexOf('\0')))
                + " cannot be put back"));
        return String.join("; ", parts);
    }
}
