package io.venomqa.cli;

import io.venomqa.cli.support.Cli;
import io.venomqa.cli.support.Cli.Result;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's option tables are the declarations of the backends and strategies (all on this
 * module's class path), printed by {@code venomqa backends --options --markdown}: adding or
 * changing an option without the README fails here. To update the README, paste the command's
 * output between the markers.
 */
class OptionTablesTest {

    private static final String BEGIN = "<!-- options:begin";
    private static final String END = "<!-- options:end -->";

    @Test
    void theReadmeTablesAreTheDeclarations() throws Exception {
        Result r = Cli.run("backends", "--options", "--markdown");
        assertThat(r.code()).as(r.toString()).isZero();
        String readme = Files.readString(readme());
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertThat(begin).as("README.md has the options:begin marker").isNotNegative();
        assertThat(end).as("README.md has the options:end marker after it").isGreaterThan(begin);
        String inReadme = readme.substring(readme.indexOf('\n', begin) + 1, end);
        assertThat(inReadme)
                .as("README.md's option tables differ from the declarations; replace them with the output of"
                        + " 'venomqa backends --options --markdown'")
                .isEqualTo(r.out().replace("\r\n", "\n"));
        assertThat(inReadme).contains("| `schema` | text | public |", "| `journal_recovery` | text | restore |",
                "| `allow_remote` | boolean | false |");
    }

    /** README.md of the repository, found above the module. */
    static Path readme() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("README.md above the module").isNotNull();
        return dir.resolve("README.md");
    }
}
