package io.venomqa.cli;

import io.venomqa.cli.support.Cli;
import io.venomqa.cli.support.Cli.Result;
import io.venomqa.cli.support.PgDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** venomqa reset against the machine's PostgreSQL: what it shows, when it asks, when it refuses, what it empties. */
class ResetTest {

    PgDatabase db;
    Path config;
    final List<String> questions = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        db = new PgDatabase();
        config = dir.resolve("venomqa.yaml");
        Files.writeString(config, "db_url: " + db.url + "\nexclude_tables: [countries]\ndb_options: {schema: " + db.schema + "}\n");
    }

    @AfterEach
    void stop() throws Exception {
        ResetCommand.confirmation = question -> {
            throw new AssertionError("no terminal in tests");
        };
        db.close();
    }

    private void answer(String answer) {
        ResetCommand.confirmation = question -> {
            questions.add(question);
            return answer;
        };
    }

    @Test
    void withYesItShowsTheTablesEmptiesThemAndRestartsTheIdentities() throws Exception {
        Result r = Cli.run("reset", "--yes", "-c", config.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("database  " + db.url, "schema    " + db.schema, "will empty (2): orders, users")
                .containsPattern("countries +listed in exclude_tables")
                .containsPattern("flyway_schema_history +migration table")
                .contains("Emptied. Identity counters restarted.");
        assertThat(db.count("users")).isZero();
        assertThat(db.count("orders")).isZero();
        assertThat(db.count("countries")).isEqualTo(2);
        assertThat(db.count("flyway_schema_history")).isEqualTo(1);
        assertThat(db.column("insert into " + db.schema + ".users(email) values ('new@example.com') returning id"))
                .containsExactly("1");
    }

    @Test
    void onATerminalItAsksAndOnlyYesGoesOn() throws Exception {
        answer("no");
        Result no = Cli.run("reset", "-c", config.toString());
        assertThat(no.code()).isEqualTo(ExitCodes.REFUSED);
        assertThat(no.out()).contains("Not confirmed ('no'). Nothing was changed.");
        assertThat(questions).containsExactly("Empty these tables of " + db.url + "? Type 'yes' to go on: ");
        assertThat(db.count("users")).isEqualTo(2);

        answer("yes");
        Result yes = Cli.run("reset", "-c", config.toString());
        assertThat(yes.code()).as(yes.toString()).isEqualTo(ExitCodes.OK);
        assertThat(db.count("users")).isZero();
    }

    @Test
    void withoutTerminalAndWithoutYesItRefuses() throws Exception {
        answer(null);
        Result r = Cli.run("reset", "-c", config.toString());

        assertThat(r.code()).isEqualTo(ExitCodes.REFUSED);
        assertThat(r.err()).contains("no terminal to ask on. Pass --yes");
        assertThat(db.count("users")).isEqualTo(2);
    }

    @Test
    void aDatabaseThatIsNotLocalIsRefusedBeforeConnecting() throws Exception {
        Files.writeString(config, "db_url: postgresql://qa:pw123456@db.staging.example.com:5432/shop\n");

        Result r = Cli.run("reset", "--yes", "-c", config.toString());

        assertThat(r.code()).isEqualTo(ExitCodes.REFUSED);
        assertThat(r.err()).contains("Refusing to reset postgresql://qa:***@db.staging.example.com:5432/shop: host"
                        + " 'db.staging.example.com' is not local")
                .contains("allowed_hosts: [db.staging.example.com]")
                .doesNotContain("pw123456");
    }

    @Test
    void anUnreachableDatabaseExitsWithFour() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(config, "db_url: postgresql://qa:pw123456@127.0.0.1:" + port + "/shop\n");

        Result r = Cli.run("reset", "--yes", "-c", config.toString());

        assertThat(r.code()).isEqualTo(ExitCodes.DATABASE);
        assertThat(r.err()).contains("postgresql://qa:***@127.0.0.1:" + port + "/shop", "venomqa doctor")
                .doesNotContain("pw123456");
    }

    @Test
    void noConfigurationExitsWithThree() {
        Result r = Cli.run("reset", "--yes", "-c", dir.resolve("missing.yaml").toString());

        assertThat(r.code()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("venomqa reset: Configuration file " + dir.resolve("missing.yaml") + " not found (-c).");
        assertThat(r.out()).doesNotContain("Emptied");
    }

    @Test
    void aDatabaseNamedLikeADevelopmentOneIsRefusedByResetWarnedByDoctorAndAllowedByName() throws Exception {
        Path file = dir.resolve("development.sqlite3");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement st = c.createStatement()) {
            st.execute("create table users (id integer primary key, email text)");
            st.execute("insert into users(email) values ('keep@example.com')");
        }
        Files.writeString(config, "db_url: sqlite:" + file + "\n");

        Result reset = Cli.run("reset", "--yes", "-c", config.toString());
        Result doctor = Cli.run("doctor", "--skip-api", "-c", config.toString());

        assertThat(reset.code()).as(reset.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(reset.err()).contains("database 'development' looks like a development database")
                .contains("allowed_databases: [development]");
        assertThat(doctor.out()).as(doctor.toString()).contains("will refuse this database")
                .contains("looks like a development database");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("select count(*) from users")) {
            rs.next();
            assertThat(rs.getInt(1)).as("nothing was emptied").isEqualTo(1);
        }

        Files.writeString(config, "db_url: sqlite:" + file + "\nallowed_databases: [develop*]\n");
        Result allowed = Cli.run("reset", "--yes", "-c", config.toString());
        assertThat(allowed.code()).as(allowed.toString()).isEqualTo(ExitCodes.OK);
    }
}
