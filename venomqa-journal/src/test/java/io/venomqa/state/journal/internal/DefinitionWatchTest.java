package io.venomqa.state.journal.internal;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the watch compares per journaled table: each table's objects with its own, whatever the other tables' names. */
class DefinitionWatchTest {

    private static DefinitionWatch.Marks marks(Map<String, String> objects) {
        return new DefinitionWatch.Marks(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), objects);
    }

    private static Map<String, String> objects(String... keysAndMarks) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndMarks.length; i += 2) {
            out.put(keysAndMarks[i], keysAndMarks[i + 1]);
        }
        return out;
    }

    @Test
    @DisplayName("tables whose names start alike ('a', 'ab') keep their objects apart; the schema's objects are compared too")
    void tablesWhoseNamesStartAlike() {
        String aIndex = DefinitionWatch.objectKey("a", "index", "a_i");
        String abIndex = DefinitionWatch.objectKey("ab", "index", "ab_i");
        String abTrigger = DefinitionWatch.objectKey("ab", "trigger", "ab_t");
        Map<String, String> shapes = Map.of("a", "id int", "ab", "id int");
        Map<String, TableMeta> installed = Map.of("a", new TableMeta("a", List.of(), List.of()),
                "ab", new TableMeta("ab", List.of(), List.of()));
        DefinitionWatch watch = new DefinitionWatch();
        watch.take(marks(objects(aIndex, "1|x", abIndex, "1|y")), List.of("a", "ab"));

        watch.compare(marks(objects(aIndex, "1|x", abIndex, "1|y")), shapes, shapes, installed);
        assertThat(watch.found()).as("nothing changed").isFalse();

        watch.compare(marks(objects(aIndex, "1|x", abIndex, "1|z", abTrigger, "t",
                DefinitionWatch.objectKey("", "view", "v"), "select 1")), shapes, shapes, installed);
        assertThat(watch.objects()).containsExactly("view 'v'", "index 'ab_i' on 'ab'", "trigger 'ab_t' on 'ab'");

        watch.compare(marks(objects(abIndex, "1|y")), shapes, shapes, installed);
        assertThat(watch.objects()).as("a's index dropped, ab's back as it was").containsExactly("index 'a_i' on 'a'");
    }
}
