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
        for (Path doc : docs()) {
            assertThat(Files.readString(doc)).as("%s must contain CheckoutJourneyTest's sample verbatim", doc).contains(snippet);
        }
    }

    /** README.md and docs/junit-cli.md both show the sample. */
    private static java.util.List<Path> docs() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("README.md above the module").isNotNull();
        return java.util.List.of(dir.resolve("README.md"), dir.resolve("docs/junit-cli.md"));
    }
}
