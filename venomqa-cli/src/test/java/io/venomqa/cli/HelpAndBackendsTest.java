package io.venomqa.cli;

import io.venomqa.cli.support.Cli;
import io.venomqa.cli.support.Cli.Result;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HelpAndBackendsTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "backends", "doctor", "explore", "journal-sql", "merge-reports", "replay", "reset", "run"})
    void everyCommandHasHelpWithTheExitCodes(String command) {
        Result r = command.isEmpty() ? Cli.run("--help") : Cli.run(command, "--help");

        assertThat(r.code()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("Usage: venomqa" + (command.isEmpty() ? "" : " " + command))
                .contains("Exit codes:", "3  configuration unusable", "5  refused");
        assertThat(r.err()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "docs/junit-cli.md"})
    @DisplayName("the venomqa --help shown in the docs is the real one")
    void theHelpInTheDocsIsTheRealOne(String doc) throws java.io.IOException {
        String text = java.nio.file.Files.readString(OptionTablesTest.readme().resolveSibling(doc)).replace("\r\n", "\n");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("```\n\\$ venomqa --help\n(.*?)\n```", java.util.regex.Pattern.DOTALL)
                .matcher(text);
        assertThat(m.find()).as(doc + " shows `$ venomqa --help` in a code block").isTrue();
        String real = Cli.run("--help").out().replace("\r\n", "\n").stripTrailing();
        assertThat(m.group(1)).as(doc + "'s `venomqa --help`: paste the output of java -jar venomqa-cli/target/venomqa.jar --help")
                .isEqualTo(real);
    }

    @Test
    void theOptionsOfEachCommandAreDocumented() {
        assertThat(Cli.run("doctor", "--help").out()).contains("-c, --config=FILE", "--skip-api");
        assertThat(Cli.run("reset", "--help").out()).contains("-y, --yes", "-c, --config=FILE");
        assertThat(Cli.run("run", "--help").out()).contains("-t, --tag=TAG", "--class=CLASS", "-cp, --class-path=PATH",
                "--report-dir=DIR", "--fail-fast", "--list");
    }

    @Test
    void aWrongCommandLineExitsWithTwo() {
        Result unknownCommand = Cli.run("frobnicate");
        assertThat(unknownCommand.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknownCommand.err()).contains("Unmatched argument at index 0: 'frobnicate'");

        Result unknownOption = Cli.run("doctor", "--nope");
        assertThat(unknownOption.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknownOption.err()).contains("Unknown option: '--nope'");
    }

    @Test
    void versionNamesTheBuild() {
        Result r = Cli.run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("venomqa 0.1.0-SNAPSHOT").contains("Java " + System.getProperty("java.version"));
    }

    @Test
    void backendsListsEveryBackendWithAliasesAndArtifactsAndTheStrategies() {
        Result r = Cli.run("backends");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("postgresql +postgres +io\\.venomqa:venomqa-backend-postgres")
                .containsPattern("mysql +mariadb +io\\.venomqa:venomqa-backend-mysql")
                .containsPattern("sqlite +sqlite3 +io\\.venomqa:venomqa-backend-sqlite")
                .containsPattern("h2 +- +io\\.venomqa:venomqa-backend-h2")
                .containsPattern("memory +in-memory, inmemory +io\\.venomqa:venomqa-backend-memory")
                .contains("savepoint (built in, default)", "journal (io.venomqa.state.journal.JournalStrategyProvider)");
    }
}
