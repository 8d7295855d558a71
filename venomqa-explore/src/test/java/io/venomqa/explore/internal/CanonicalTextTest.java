package io.venomqa.explore.internal;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        assertThat(Canonical.text(both)).isEqualTo("{'1'=b, 1=a}").isEqualTo(Canonical.text(reversed))
                .isNotEqualTo(Canonical.text(one));
        assertThat(Canonical.text(Map.of("b", 2, "a", 1))).isEqualTo("{a=1, b=2}");
    }

    @Test
    @DisplayName("values that differ read differently: a text that could be read as another value is quoted (until "
            + "2026-12-06 \"1\" and 1, [\"a, b\"] and [\"a\", \"b\"], [\"\"] and [] read the same)")
    void valuesThatDifferReadDifferently() {
        List<List<Object>> pairs = List.of(
                List.of(1, "1"),
                List.of(1.5, "1.5"),
                List.of(-2L, "-2"),
                List.of(new java.math.BigDecimal("1E+3"), "1E+3"),
                List.of(Double.NaN, "NaN"),
                List.of(true, "true"),
                List.of(new byte[] {1}, "0x01"),
                List.of(List.of("a, b"), List.of("a", "b")),
                List.of(List.of(""), List.of()),
                List.of(List.of("null"), Arrays.asList((Object) null)),
                List.of(Map.of("k", "a=b"), Map.of("k=a", "b")),
                List.of(Map.of("k", "{x=1}"), Map.of("k", Map.of("x", 1))),
                List.of(List.of("[a]"), List.of(List.of("a"))),
                List.of("'1'", "1"),
                List.of(IntNode.valueOf(1), TextNode.valueOf("1")),
                List.of(Set.of("a, b"), Set.of("a", "b")));
        for (List<Object> pair : pairs) {
            assertThat(Canonical.text(pair.get(0))).as("%s and %s", pair.get(0), pair.get(1))
                    .isNotEqualTo(Canonical.text(pair.get(1)));
        }
        assertThat(Canonical.text("1")).isEqualTo("'1'");
        assertThat(Canonical.text(List.of("a, b", "it's", "'q'"))).isEqualTo("['a, b', it's, '''q''']");
    }

    @Test
    @DisplayName("the text a state usually holds reads as it is: no quotes around words, addresses, ids or times")
    void usualTextReadsAsItIs() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", "PAID");
        state.put("email", "ann@example.com");
        state.put("order_id", 42);
        state.put("uuid", java.util.UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        state.put("at", "2026-12-06T12:00:00Z");
        state.put("items", List.of("apple pie", "C:\\tmp", "a|b"));
        assertThat(Canonical.text(state)).isEqualTo("{at=2026-12-06T12:00:00Z, email=ann@example.com, items=[apple pie, "
                + "C:\\tmp, a|b], order_id=42, status=PAID, uuid=123e4567-e89b-12d3-a456-426614174000}");
        assertThat(Canonical.text(Map.of("t", new Canonical.Rows(List.of("id=1|v='1'", "id=2|v=x")))))
                .isEqualTo("{t=[id=1|v='1', id=2|v=x]}");
    }

    @Test
    @DisplayName("an array holding null is written like a list holding null (it threw)")
    void arrayHoldingNull() {
        assertThat(Canonical.text(new Object[] {"a", null})).isEqualTo(Canonical.text(Arrays.asList("a", null)))
                .isEqualTo("[a, null]");
    }
}
