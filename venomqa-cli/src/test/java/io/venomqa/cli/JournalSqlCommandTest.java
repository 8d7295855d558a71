package io.venomqa.cli;

import io.venomqa.cli.support.Cli;
import io.venomqa.cli.support.Cli.Result;
import io.venomqa.cli.support.PgDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class JournalSqlCommandTest {

    @TempDir
    Path dir;

    @Test
    void postgresqlScriptInstallsTheJournalWithNothingForPublicAndRunsAsIs() throws Exception {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String role = "vqcli_" + id + "_vq";
        Result r = Cli.run("journal-sql", "--database", "postgresql", "--role", role);

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("security definer set search_path = pg_catalog, pg_temp",
                        "revoke all on venomqa.journal, venomqa.runs, venomqa.large_objects from public",
                        "grant select, insert, update, delete on venomqa.large_objects to \"" + role + "\";",
                        "grant select, insert, delete on venomqa.journal to \"" + role + "\";",
                        "grant usage on sequence venomqa.journal_id_seq to \"" + role + "\";")
                .doesNotContainPattern("(?im)^(?!--).*\\bto public");

        // The script as printed runs on a fresh database and leaves the journal unreachable for anyone else.
        try (PgDatabase pg = new PgDatabase()) {
            String database = "vqcli_" + id;
            pg.exec("create database " + database, "create role " + role + " login");
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + pg.host + ":" + pg.port + "/" + database,
                    pg.user, null); Statement st = c.createStatement()) {
                st.execute(r.out());
                try (ResultSet rs = st.executeQuery("select has_table_privilege('public', 'venomqa.journal', 'INSERT'), "
                        + "has_table_privilege('" + role + "', 'venomqa.journal', 'SELECT'), "
                        + "has_table_privilege('public', 'venomqa.large_objects', 'SELECT'), "
                        + "(select count(*) from pg_proc where pronamespace = 'venomqa'::regnamespace and prosecdef)")) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).isFalse();
                    assertThat(rs.getBoolean(2)).isTrue();
                    assertThat(rs.getBoolean(3)).as("copies of large objects hidden from public").isFalse();
                    assertThat(rs.getInt(4)).as("SECURITY DEFINER trigger functions: insert (statement and row), update and delete (row and statement), truncate (of the table alone, and the earlier one kept for older runs), the four statement-level v2b ones with whole-row references written alias.*, and the two for tables with xml columns (statement and row)").isEqualTo(14);
                }
            } finally {
                pg.exec("drop database if exists " + database + " with (force)", "drop role if exists " + role);
            }
        }
    }

    @Test
    void mysqlGrantNamesTheDatabaseOfDbUrl() throws Exception {
        Path f = dir.resolve("venomqa.yaml");
        Files.writeString(f, "db_url: mysql://qa:secret@127.0.0.1:3306/shop_test\ncheckpoint_strategy: journal\n");

        Result r = Cli.run("journal-sql", "-c", f.toString(), "--role", "venomqa@localhost");

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, TRIGGER, LOCK TABLES ON `shop_test`.* "
                + "TO 'venomqa'@'localhost';").doesNotContain("secret");
    }

    @Test
    void sqliteHasNothingToGrant() {
        Result r = Cli.run("journal-sql", "--database", "sqlite", "--role", "x");

        assertThat(r.out()).contains("SQLite has no users");
        assertThat(Cli.run("journal-sql", "--database", "h2", "--role", "x").code()).isEqualTo(ExitCodes.CONFIG);
    }
}
