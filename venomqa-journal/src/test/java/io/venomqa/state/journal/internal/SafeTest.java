package io.venomqa.state.journal.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Names read from the journal (an attacker may have chosen them) on their way into logs and exceptions. */
class SafeTest {

    @Test
    void controlCharactersAreEscapedSoAForgedNameCannotForgeLogLines() {
        assertThat(Safe.name("users\n[main] INFO fake line\r\u001b[31m\u202e"))
                .isEqualTo("'users\\u000a[main] INFO fake line\\u000d\\u001b[31m\\u202e'");
    }

    @Test
    void credentialsInANameAreMasked() {
        assertThat(Safe.name("postgresql://admin:s3cret@db.internal:5432/prod"))
                .doesNotContain("s3cret").contains("admin:***@");
    }

    @Test
    void longNamesAreCut() {
        String shown = Safe.name("x".repeat(10_000));
        assertThat(shown).hasSizeLessThan(130).endsWith("…'");
        assertThat(Safe.name(null)).isEqualTo("null");
    }
}
