package io.venomqa.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The documentation shows the @VenomQATest sample (CheckoutJourneyTest) verbatim, so it never rots. */
class JUnitSampleDocTest {

    @Test
    void documentationShowsTheSampleVerbatim() throws IOException {
        String source = Files.readString(Path.of("src/test/java/io/venomqa/examples/CheckoutJourneyTest.java"));
        Matcher m = Pattern.compile("// tag::junit5-sample\\[]\\n(.*?)\\n\\s*// end::junit5-sample\\[]", Pattern.DOTALL).matcher(source);
        assertThat(m.find()).isTrue();
        String snippet = m.group(1).stripIndent().strip();
        Path doc = findDoc();
        assertThat(Files.readString(doc)).as("%s must contain CheckoutJourneyTest's sample verbatim", doc).contains(snippet);
    }

    /** docs/junit-cli.md while the documentation is a draft, README.md once it is folded in. */
    private static Path findDoc() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("README.md above the module").isNotNull();
        Path draft = dir.resolve("docs/junit-cli.md");
        return Files.exists(draft) ? draft : dir.resolve("README.md");
    }
}
