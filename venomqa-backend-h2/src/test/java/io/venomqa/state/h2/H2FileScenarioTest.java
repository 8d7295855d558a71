package io.venomqa.state.h2;

import io.venomqa.state.StateConfig;
import io.venomqa.state.jdbc.SqlBackendScenarioTest;
import org.junit.jupiter.api.AfterAll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import java.util.stream.Stream;

/** The shared SQL scenarios on an H2 file database under target/, in a schema of its own. */
class H2FileScenarioTest extends SqlBackendScenarioTest {

    private static final Path DIR = Path.of("target", "h2-tests").toAbsolutePath();
    private static final String NAME = "file_" + UUID.randomUUID().toString().replace("-", "");
    private static final String URL = "jdbc:h2:file:" + DIR.resolve(NAME) + ";USER=sa;PASSWORD=s3cret";
    private static final String SCHEMA = "QA_SCHEMA";

    @AfterAll
    static void deleteFiles() throws IOException, SQLException {
        try (Connection c = DriverManager.getConnection(URL)) {
            c.createStatement().execute("shutdown");
        }
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith(NAME)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    protected StateConfig.Builder baseConfig() {
        return StateConfig.builder().url(URL).option("schema", "qa_schema");
    }

    @Override
    protected Connection openAdminConnection() throws SQLException {
        Connection c = DriverManager.getConnection(URL);
        c.createStatement().execute("create schema if not exists " + SCHEMA);
        c.setSchema(SCHEMA);
        return c;
    }

    @Override
    protected String identityColumn() {
        return "id integer auto_increment primary key";
    }
}
