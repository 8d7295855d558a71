package io.venomqa.explore.internal;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The canonical text of values a projection returns: equal values read the same, different ones differently. */
class CanonicalTextTest {

    @Test
    @DisplayName("a map with keys of two types that read the same (1 and \"1\") keeps both entries, in one order whatever the map's")
    void keysThatReadTheSameAreBothKept() {
        Map<Object, Object> both = new LinkedHashMap<>();
        both.put(1, "a");
        both.put("1", "b");
        Map<Object, Object> reversed = new LinkedHashMap<>();
        reversed.put("1", "b");
        reversed.put(1, "a");
        Map<Object, Object> one = new HashMap<>(Map.of(1, "a"));
        assertThat(Canonical.text(both)).isEqualTo("{1=a, 1=b}").isEqualTo(Canonical.text(reversed))
                .isNotEqualTo(Canonical.text(one));
        assertThat(Canonical.text(Map.of("b", 2, "a", 1))).isEqualTo("{a=1, b=2}");
    }

    @Test
    @DisplayName("an array holding null is written like a list holding null (it threw)")
    void arrayHoldingNull() {
        assertThat(Canonical.text(new Object[] {"a", null})).isEqualTo(Canonical.text(Arrays.asList("a", null)))
                .isEqualTo("[a, null]");
    }
}
