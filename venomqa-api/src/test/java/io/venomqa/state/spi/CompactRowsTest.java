package io.venomqa.state.spi;

import io.venomqa.state.DbChanges;
import io.venomqa.state.RowChange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Compact rows ({@link ChangeTracking.RowShape}) are maps like any other, and a table compared from
 * compact rows gives exactly the changes the same rows as hash maps give.
 */
class CompactRowsTest {

    private static Map<String, String> map(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void aCompactRowIsAnImmutableMapInColumnOrder() {
        ChangeTracking.RowShape shape = ChangeTracking.RowShape.of(List.of("id", "note", "total"));
        String[] values = {"1", null, "9.50"};
        Map<String, String> row = shape.row(values);
        values[0] = "2"; // the row keeps its own copy
        Map<String, String> same = map("id", "1", "note", null, "total", "9.50");

        assertThat(row).isEqualTo(same);
        assertThat(same).isEqualTo(row);
        assertThat(row.hashCode()).isEqualTo(same.hashCode());
        assertThat(new HashMap<>(row)).isEqualTo(row);
        assertThat(row.keySet()).containsExactly("id", "note", "total");
        assertThat(new ArrayList<>(row.values())).containsExactly("1", null, "9.50");
        assertThat(row.containsKey("note")).isTrue();
        assertThat(row.get("note")).isNull();
        assertThat(row.get("missing")).isNull();
        assertThat(row.containsKey("missing")).isFalse();
        assertThat(row.toString()).isEqualTo(same.toString());
        assertThat(row).isNotEqualTo(map("id", "1", "note", null)).isNotEqualTo(map("id", "1", "note", "", "total", "9.50"));
        // The same columns in another order are the same map.
        assertThat(ChangeTracking.RowShape.of(List.of("total", "id", "note")).row("9.50", "1", null)).isEqualTo(row);

        assertThatThrownBy(() -> row.put("id", "3")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> row.remove("id")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> row.entrySet().iterator().next().setValue("3")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> row.keySet().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ChangeTracking.RowShape.of(List.of("id", "id")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'id' appears twice");
        assertThatThrownBy(() -> shape.row("1", "2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 values for 3 columns");
    }

    /** Each row of {@code rows} made compact with one shape per list, as a recorder reading a table does. */
    private static List<Map<String, String>> compact(List<Map<String, String>> rows) {
        List<Map<String, String>> out = new ArrayList<>();
        ChangeTracking.RowShape shape = null;
        for (Map<String, String> r : rows) {
            if (shape == null || !shape.columns().equals(List.copyOf(r.keySet()))) {
                shape = ChangeTracking.RowShape.of(List.copyOf(r.keySet()));
            }
            out.add(shape.row(r.values().toArray(new String[0])));
        }
        return out;
    }

    private static DbChanges diff(List<String> keys, List<Map<String, String>> before, List<Map<String, String>> after,
                                  boolean compact) {
        DbChanges.Builder b = DbChanges.builder();
        ChangeTracking.diff(b, "t", new ChangeTracking.TableSnapshot(keys, compact ? compact(before) : before),
                new ChangeTracking.TableSnapshot(keys, compact ? compact(after) : after));
        return b.build();
    }

    @Test
    void compactRowsGiveTheChangesHashMapsGive() {
        List<Map<String, String>> before = List.of(
                map("id", "1", "status", "NEW", "api_token", "t1"),
                map("id", "2", "status", "NEW", "api_token", null),
                map("id", "3", "status", "PAID", "api_token", "t3"),
                map("id", null, "status", "ORPHAN", "api_token", "t0"));
        List<Map<String, String>> after = List.of(
                map("id", "1", "status", "PAID", "api_token", "t1"), // one column
                map("id", "2", "status", "NEW", "api_token", "t2"), // a secret from null
                map("id", "4", "status", "NEW", "api_token", "t4"), // inserted; 3 deleted
                map("id", null, "status", "ORPHAN", "api_token", "t0")); // a null key, unchanged
        DbChanges plain = diff(List.of("id"), before, after, false);
        DbChanges compact = diff(List.of("id"), before, after, true);
        assertThat(compact).isEqualTo(plain);
        assertThat(compact.summary()).isEqualTo("+1 t  ~2 t  -1 t");
        RowChange paid = compact.table("t").orElseThrow().updated().get(0);
        assertThat(paid.changed()).containsExactly("status");
        assertThat(paid.key()).isEqualTo(Map.of("id", "1"));
        assertThat(paid.after()).containsEntry("api_token", "***").containsEntry("status", "PAID");
        RowChange secret = compact.table("t").orElseThrow().updated().get(1);
        assertThat(secret.changed()).containsExactly("api_token");
        assertThat(secret.before()).containsEntry("api_token", null);
        assertThat(secret.after()).containsEntry("api_token", "***");
        assertThat(compact.toString()).doesNotContain("t4").doesNotContain("t1");
    }

    @Test
    void compositeKeysKeylessDuplicatesAndAChangedShapeToo() {
        List<Map<String, String>> lines = List.of(map("o", "1", "n", "1", "q", "2"), map("o", "1", "n", "2", "q", "1"));
        List<Map<String, String>> linesAfter = List.of(map("o", "1", "n", "1", "q", "3"), map("o", "2", "n", "2", "q", "1"));
        assertThat(diff(List.of("o", "n"), lines, linesAfter, true)).isEqualTo(diff(List.of("o", "n"), lines, linesAfter, false))
                .extracting(DbChanges::summary).isEqualTo("+1 t  ~1 t  -1 t");

        List<Map<String, String>> log = List.of(map("m", "a"), map("m", "a"), map("m", "b"));
        List<Map<String, String>> logAfter = List.of(map("m", "a"), map("m", "b"), map("m", "b"), map("m", "c"));
        assertThat(diff(List.of(), log, logAfter, true)).isEqualTo(diff(List.of(), log, logAfter, false))
                .extracting(DbChanges::summary).isEqualTo("+2 t  -1 t");

        // A column added between the two reads: two shapes, compared by name.
        List<Map<String, String>> wide = List.of(map("id", "1", "status", "NEW", "note", null));
        List<Map<String, String>> narrow = List.of(map("id", "1", "status", "NEW"));
        assertThat(diff(List.of("id"), narrow, wide, true)).isEqualTo(diff(List.of("id"), narrow, wide, false));
        assertThat(diff(List.of("id"), wide, narrow, true)).isEqualTo(diff(List.of("id"), wide, narrow, false));
    }

    @Test
    void aKeyThatStopsBeingNullIsFoldedWithTheRowsEarlierEvents() {
        // SQLite lets a non-integer primary key hold NULL: the row is still one row.
        DbChanges c = DbChanges.builder()
                .inserted("t", List.of("code"), map("code", null, "v", "1"))
                .updated("t", List.of("code"), map("code", null, "v", "1"), map("code", "x", "v", "1"))
                .updated("t", List.of("code"), map("code", "x", "v", "1"), map("code", "x", "v", "2"))
                .build();
        assertThat(c.summary()).isEqualTo("+1 t");
        assertThat(c.table("t").orElseThrow().inserted().get(0).after()).containsEntry("code", "x").containsEntry("v", "2");
    }

    @Test
    void changedColumnsOfCompactRowsAreInTableOrderAndCannotBeChanged() {
        ChangeTracking.RowShape read1 = ChangeTracking.RowShape.of(List.of("id", "a", "b", "c"));
        ChangeTracking.RowShape read2 = ChangeTracking.RowShape.of(List.of("id", "a", "b", "c"));
        DbChanges c = DbChanges.builder()
                .updated("t", List.of("id"), read1.row("1", "x", "y", "z"), read2.row("1", "x2", "y", "z2"))
                .inserted("t", List.of("id"), read2.row("2", "p", null, "r"))
                .build();
        RowChange update = c.table("t").orElseThrow().updated().get(0);
        RowChange insert = c.table("t").orElseThrow().inserted().get(0);
        assertThat(update.changed()).containsExactly("a", "c");
        assertThat(insert.changed()).containsExactly("id", "a", "b", "c");
        assertThat(insert.key()).containsExactly(Map.entry("id", "2"));
        assertThatThrownBy(() -> update.changed().add("b")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> insert.changed().remove("a")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> update.changed().iterator().remove()).isInstanceOf(RuntimeException.class);
    }

    @Test
    void aSecondBuildStillSeesTheRealValuesOfCompactRows() {
        ChangeTracking.RowShape shape = ChangeTracking.RowShape.of(List.of("id", "password"));
        DbChanges.Builder b = DbChanges.builder().updated("users", List.of("id"), shape.row("1", "a"), shape.row("1", "b"));
        DbChanges first = b.build();
        DbChanges second = b.build();
        assertThat(second).isEqualTo(first);
        assertThat(second.table("users").orElseThrow().updated().get(0).changed()).containsExactly("password");
    }
}
