package io.venomqa.cli;

import io.venomqa.cli.support.Cli;
import io.venomqa.cli.support.Cli.Result;
import io.venomqa.cli.support.WalletApi;
import io.venomqa.state.memory.InMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code venomqa explore} with {@code worker_apis}: the wallet's exploration on two APIs, each with a
 * store of its own, prints what a serial run prints (apart from ports, times and the restore line)
 * and exits the same; each store is as found afterwards.
 */
class ExploreWorkersTest {

    private static final String OVERDRAFT = "io.venomqa.cli.support.WalletExplorations";

    @TempDir
    Path dir;

    private final List<WalletApi> apis = new ArrayList<>();

    @AfterEach
    void stop() {
        apis.forEach(WalletApi::close);
    }

    private WalletApi api() throws IOException {
        WalletApi a = new WalletApi();
        apis.add(a);
        return a;
    }

    private static String normalized(String out) {
        return out.replaceAll("http://127\\.0\\.0\\.1:\\d+", "http://api").replaceAll("\\d+(\\.\\d+)? ?(ms|s)\\b", "T")
                .replaceAll("(?m)^  restore: .*\\n", "")
                .replaceAll("(?m)^ *\\d+ steps, \\d+ states, .* steps/s.*\\n", ""); // progress: every 2 s, however long a run takes
    }

    @Test
    void workerApisExploreOnTheirOwnApisAndPrintWhatASerialRunPrints() throws IOException {
        WalletApi serialApi = api();
        WalletApi one = api();
        WalletApi two = api();
        Path serialConfig = dir.resolve("serial.yaml");
        Files.writeString(serialConfig, "base_url: " + serialApi.url() + "\ndb_url: memory://" + serialApi.store() + "\n");
        Path workerConfig = dir.resolve("venomqa.yaml");
        Files.writeString(workerConfig, "workers: 2\nworker_apis:\n"
                + "  - {base_url: " + one.url() + ", db_url: \"memory://" + one.store() + "\"}\n"
                + "  - {base_url: " + two.url() + ", db_url: \"memory://" + two.store() + "\"}\n");

        Result serial = Cli.run("explore", "-c", serialConfig.toString(), "--class", OVERDRAFT);
        Result parallel = Cli.run("explore", "-c", workerConfig.toString(), "--class", OVERDRAFT);

        assertThat(serial.code()).as(serial.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(parallel.code()).as(parallel.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(parallel.out()).contains("restore: REPLAY — 2 workers explored breadth-first");
        assertThat(normalized(parallel.out())).isEqualTo(normalized(serial.out()));
        for (WalletApi a : List.of(one, two)) {
            assertThat(InMemoryStore.named(a.store()).asMap()).as("store of %s as found", a.url()).isEmpty();
        }
    }
}
