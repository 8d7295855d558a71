package io.venomqa.state.journal.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run's {@code connect()} found of the schema that no trigger records, kept in its run record so that the
 * recovery of the run after a {@code kill -9} can tell whether the dead run also changed the schema: the
 * {@link DefinitionWatch.Marks} (columns, enums, sequences' options, MySQL's kept definitions, composite types, the
 * schema's objects), the journaled tables' shapes, and the materialized views' contents
 * ({@link MaterializedViews.State}). Until 2026-12-06 these were kept in the manager only, and a recovery reported
 * success after a dead run that had rewritten a column, created a view or refreshed a materialized view.
 *
 * <p>Text form: a first line {@code venomqa-definitions 3}, then one line per entry, {@code section key value}, with
 * key and value in Base64 (keys hold NULs, values spaces and line breaks). Versions 1 and 2 (until 2026-12-07) are read
 * too, but their schema objects are not compared ({@code objectsComparable} false): on MySQL/MariaDB version 2 reads an
 * index's visibility, the events and the order of triggers, which version 1 did not; version 3 reads a foreign key's
 * columns and a generated column's expression there, and on PostgreSQL a column's default and a table's parents,
 * which neither did, so every index, foreign key or inheriting table would read as redefined.
 *
 * @param marks  the definitions read at {@code connect()}
 * @param shapes per journaled table, its shape ({@link TableMeta#shape()}) at {@code connect()}
 * @param views  per materialized view, its marks and the digest of its rows at {@code connect()}
 * @param tables every base table of the schema at {@code connect()}, journaled or not (empty in a record that did
 *               not keep them): one there now and not then was created during the run
 * @param objectsComparable whether {@link DefinitionWatch.Marks#objects} were read as this version reads them
 */
record RunDefinitions(DefinitionWatch.Marks marks, Map<String, String> shapes, Map<String, MaterializedViews.State> views,
                      java.util.Set<String> tables, boolean objectsComparable) {

    private static final String HEAD = "venomqa-definitions 3";
    /** The heads of the records written until 2026-12-07, whose objects this version reads otherwise. */
    private static final java.util.Set<String> EARLIER = java.util.Set.of("venomqa-definitions 1", "venomqa-definitions 2");

    /** The definitions this version read. */
    RunDefinitions(DefinitionWatch.Marks marks, Map<String, String> shapes, Map<String, MaterializedViews.State> views,
                   java.util.Set<String> tables) {
        this(marks, shapes, views, tables, true);
    }

    RunDefinitions {
        shapes = Map.copyOf(shapes);
        views = Map.copyOf(views);
        tables = java.util.Set.copyOf(tables);
    }

    String serialize() {
        StringBuilder out = new StringBuilder(HEAD).append('\n');
        write(out, "a", marks.columns());
        write(out, "e", marks.enums());
        write(out, "s", marks.sequences());
        write(out, "k", marks.kept());
        write(out, "c", marks.composites());
        write(out, "o", marks.objects());
        write(out, "m", marks.matviews());
        write(out, "h", shapes);
        views.forEach((name, state) -> line(out, "v", name, state.marks() + '\n' + state.digest()));
        tables.forEach(t -> line(out, "t", t, ""));
        return out.toString();
    }

    /**
     * The definitions {@link #serialize} wrote; null for null or empty text (a run record written by a version that
     * kept none).
     *
     * @throws IllegalArgumentException for text this version did not write
     */
    static RunDefinitions parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String[] lines = text.split("\n");
        if (!lines[0].equals(HEAD) && !EARLIER.contains(lines[0])) {
            throw new IllegalArgumentException("the run record's definitions start with '" + lines[0] + "', not '" + HEAD
                    + "' (written by another VenomQA version)");
        }
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] p = lines[i].split(" ", -1);
            if (p.length != 3) {
                throw new IllegalArgumentException("the run record's definitions have a malformed line " + (i + 1));
            }
            sections.computeIfAbsent(p[0], k -> new LinkedHashMap<>()).put(decode(p[1]), decode(p[2]));
        }
        Map<String, MaterializedViews.State> views = new LinkedHashMap<>();
        section(sections, "v").forEach((name, v) -> {
            int nl = v.indexOf('\n');
            views.put(name, new MaterializedViews.State(v.substring(0, nl), v.substring(nl + 1)));
        });
        return new RunDefinitions(new DefinitionWatch.Marks(section(sections, "a"), section(sections, "e"),
                section(sections, "s"), section(sections, "k"), section(sections, "c"), section(sections, "o"),
                section(sections, "m")), section(sections, "h"), views, section(sections, "t").keySet(), lines[0].equals(HEAD));
    }

    private static Map<String, String> section(Map<String, Map<String, String>> sections, String tag) {
        return sections.getOrDefault(tag, Map.of());
    }

    private static void write(StringBuilder out, String tag, Map<String, String> entries) {
        entries.forEach((k, v) -> line(out, tag, k, v));
    }

    private static void line(StringBuilder out, String tag, String key, String value) {
        out.append(tag).append(' ').append(encode(key)).append(' ').append(encode(value)).append('\n');
    }

    private static String encode(String s) {
        return Base64.getEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }
}
