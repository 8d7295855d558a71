package io.venomqa.cli;

import io.venomqa.cli.support.Cli;
import io.venomqa.cli.support.Cli.Result;
import io.venomqa.core.CredentialMasker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * venomqa doctor on the machine's MariaDB/MySQL (VENOMQA_TEST_MYSQL_URL, else root without password
 * on 127.0.0.1:3306): a database of its own, one InnoDB and one MyISAM table.
 */
class MySqlDoctorTest {

    static final String ENV = "VENOMQA_TEST_MYSQL_URL";
    static String host;
    static int port;
    static String user;
    static String password;
    static final String database = "vqcli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        String env = System.getenv(ENV);
        URI uri = URI.create((env == null || env.isBlank() ? "mysql://root@127.0.0.1:3306/test" : env.trim())
                .replaceFirst("^jdbc:", "").replaceFirst("^mariadb://", "mysql://"));
        host = uri.getHost();
        port = uri.getPort() < 0 ? 3306 : uri.getPort();
        String info = uri.getUserInfo() == null ? "root" : uri.getUserInfo();
        user = info.contains(":") ? info.substring(0, info.indexOf(':')) : info;
        password = info.contains(":") ? info.substring(info.indexOf(':') + 1) : "";
        try {
            exec("create database " + database,
                    "create table " + database + ".users (id int auto_increment primary key, email varchar(100)) engine=InnoDB",
                    "create table " + database + ".audit_log (id int auto_increment primary key, line text) engine=MyISAM");
        } catch (SQLException e) {
            throw new AssertionError("These tests need a MySQL or MariaDB server and none is reachable at "
                    + host + ":" + port + " as " + user + " (" + CredentialMasker.maskText(e.getMessage(), password)
                    + "). Start MariaDB on 127.0.0.1:3306 (root, empty password) or set " + ENV + ".", e);
        }
    }

    @AfterAll
    static void stop() throws SQLException {
        exec("drop database if exists " + database);
    }

    static void exec(String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mysql://" + host + ":" + port + "/", user, password);
             Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private String url() {
        return "mysql://" + user + (password.isEmpty() ? "" : ":" + password) + "@" + host + ":" + port + "/" + database;
    }

    @Test
    void aMyIsamTableIsAProblemWithTheAlterToRun() throws Exception {
        Path f = dir.resolve("venomqa.yaml");
        Files.writeString(f, "db_url: " + url() + "\n");

        Result r = Cli.run("doctor", "--skip-api", "-c", f.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("backend   mysql (io.venomqa:venomqa-backend-mysql)")
                .containsPattern("server    ✓ connected: (MariaDB|MySQL) \\d+")
                .contains("✗ table audit_log uses MyISAM, which ignores transactions")
                .contains("fix: ALTER TABLE audit_log ENGINE=InnoDB;")
                .contains("1 problem found");
    }

    @Test
    void anExcludedMyIsamTableIsNoProblem() throws Exception {
        Path f = dir.resolve("venomqa.yaml");
        Files.writeString(f, "db_url: " + url() + "\nexclude_tables: [audit_log]\n");

        Result r = Cli.run("doctor", "--skip-api", "-c", f.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("✓ every table checkpoints cover uses InnoDB")
                .containsPattern("audit_log +listed in exclude_tables");
    }

    @Test
    void allInnoDbAndJournalChecksTheTriggerPrivilege() throws Exception {
        exec("alter table " + database + ".audit_log engine=InnoDB");
        try {
            Path f = dir.resolve("venomqa.yaml");
            Files.writeString(f, "db_url: " + url() + "\ncheckpoint_strategy: journal\n");

            Result r = Cli.run("doctor", "--skip-api", "-c", f.toString());

            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
            assertThat(r.out()).contains("✓ every table uses InnoDB", "✓ journal: the user holds the TRIGGER privilege and every other one the journal needs",
                    "reset would empty (2): audit_log, users").doesNotContain("PROCESS").doesNotContain("LOCK TABLES");
        } finally {
            exec("alter table " + database + ".audit_log engine=MyISAM");
        }
    }

    @Test
    void journalWithoutProcessWarnsThatATruncateGoesUnnoticed() throws Exception {
        String limited = database + "_np";
        for (String h : new String[] {"%", "localhost"}) {
            exec("create user '" + limited + "'@'" + h + "'", "grant select, insert, update, delete, create, drop, alter, trigger on `"
                    + database + "`.* to '" + limited + "'@'" + h + "'");
        }
        try {
            Path f = dir.resolve("venomqa.yaml");
            Files.writeString(f, "db_url: mysql://" + limited + "@" + host + ":" + port + "/" + database
                    + "\ncheckpoint_strategy: journal\nexclude_tables: [audit_log]\n");

            Result r = Cli.run("doctor", "--skip-api", "-c", f.toString());

            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
            assertThat(r.out()).as(r.toString())
                    .contains("✓ journal: the user holds the TRIGGER privilege and every other one the journal needs")
                    .contains("⚠ journal: the user lacks the PROCESS privilege (global), so the journal cannot notice a TRUNCATE")
                    .contains("GRANT PROCESS ON *.* TO <user>;")
                    .contains("⚠ journal: the user lacks LOCK TABLES on " + database + ", so an undo cannot keep the application's writes out")
                    .contains("GRANT LOCK TABLES ON `" + database + "`.* TO <user>;")
                    .contains("No problems found (3 warnings)."); // and no base_url
        } finally {
            for (String h : new String[] {"%", "localhost"}) {
                exec("drop user if exists '" + limited + "'@'" + h + "'");
            }
        }
    }

    @Test
    void journalNamesEveryMissingPrivilege() throws Exception {
        String limited = database + "_vq";
        for (String h : new String[] {"%", "localhost"}) {
            exec("create user '" + limited + "'@'" + h + "'",
                    "grant select, insert, update, delete, trigger on `" + database + "`.* to '" + limited + "'@'" + h + "'");
        }
        try {
            Path f = dir.resolve("venomqa.yaml");
            Files.writeString(f, "db_url: mysql://" + limited + "@" + host + ":" + port + "/" + database
                    + "\ncheckpoint_strategy: journal\nexclude_tables: [audit_log]\n");

            Result r = Cli.run("doctor", "--skip-api", "-c", f.toString());

            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(r.out()).contains("✗ journal: the user lacks CREATE, DROP, ALTER on " + database + " (SHOW GRANTS).")
                    .contains("fix: GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, TRIGGER ON `" + database + "`.*");
        } finally {
            for (String h : new String[] {"%", "localhost"}) {
                exec("drop user if exists '" + limited + "'@'" + h + "'");
            }
        }
    }
}
