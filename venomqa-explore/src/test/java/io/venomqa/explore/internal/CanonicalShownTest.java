package io.venomqa.explore.internal;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The projection as reports show it: table rows, which table contents give as text, have secret columns masked. */
class CanonicalShownTest {

    @Test
    @DisplayName("a table row's secret-looking columns are *** in the shown text, the others as they are; the canonical text keeps them")
    void secretColumnsOfRowsAreMasked() {
        String row = Canonical.row(new java.util.LinkedHashMap<>(Map.of("id", 1)));
        assertThat(row).isEqualTo("id=1");
        Map<String, Object> contents = Map.of("sessions", List.of("token=tok-S3CR3T|user_id=1", "token=x|user_id=2"),
                "users", List.of("id=1|name=a|b|password_hash=h-S3CR3T|z=9"));
        String shown = Canonical.shown(contents, 1000);
        assertThat(shown).doesNotContain("S3CR3T").contains("token=***|user_id=1", "name=a|b|password_hash=***|z=9");
        assertThat(Canonical.text(contents)).contains("tok-S3CR3T");
        assertThat(Canonical.maskRow("no row here")).isEqualTo("no row here");
        assertThat(Canonical.maskRow("id=1|note=plain")).isEqualTo("id=1|note=plain");
    }

    @Test
    @DisplayName("a secret holding what looks like the next column is masked whole: the row escapes its '|'")
    void aSecretHoldingABarIsMaskedWhole() {
        java.util.Map<String, Object> r = new java.util.LinkedHashMap<>();
        r.put("id", 1);
        r.put("password", "a|b=S3CR3T");
        r.put("user_id", 2);
        String row = Canonical.row(r);
        assertThat(row).isEqualTo("id=1|password='a\\|b=S3CR3T'|user_id=2");
        assertThat(Canonical.shown(Map.of("users", List.of(row)), 1000)).doesNotContain("S3CR3T")
                .contains("password=***|user_id=2");
    }
}
