package io.venomqa.state.sqlite;

import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.JdbcContractFixture;
import io.venomqa.testkit.ContractFixture;
import io.venomqa.testkit.StateManagerContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.UUID;

/** The published contract on a temporary SQLite file. */
class SQLiteContractTest extends StateManagerContract {

    private static Path file;

    @BeforeAll
    static void createFile() throws IOException {
        file = Files.createDirectories(Path.of("target", "sqlite-tests"))
                .resolve("contract-" + UUID.randomUUID() + ".db").toAbsolutePath();
    }

    @AfterAll
    static void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    @Override
    protected ContractFixture createFixture() {
        return new JdbcContractFixture(new SQLiteStateManager(StateConfig.builder().url("sqlite:///" + file).build()),
                () -> DriverManager.getConnection("jdbc:sqlite:" + file), "text");
    }
}
