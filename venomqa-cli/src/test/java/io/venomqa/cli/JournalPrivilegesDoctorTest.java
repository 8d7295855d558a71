package io.venomqa.cli;

import io.venomqa.cli.support.Cli;
import io.venomqa.cli.support.Cli.Result;
import io.venomqa.cli.support.PgDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * venomqa doctor for a least-privilege journal on PostgreSQL: a database of its own with the
 * tables owned by a role of their own, VenomQA's role a member of it without CREATE on the
 * database, and the journal installed by an administrator with the SQL of venomqa journal-sql.
 */
class JournalPrivilegesDoctorTest {

    private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final String database = "vqcli_" + id;
    private final String owner = "vqcli_" + id + "_owner";
    private final String venomqa = "vqcli_" + id + "_vq";
    private PgDatabase pg;

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() throws Exception {
        pg = new PgDatabase();
        pg.exec("create database " + database, "create role " + owner + " nologin",
                "create role " + venomqa + " login in role " + owner);
        admin("create schema shop authorization " + owner, "set role " + owner,
                "create table shop.users (id serial primary key, email text)", "reset role",
                Cli.run("journal-sql", "--database", "postgresql", "--role", venomqa).out());
    }

    @AfterEach
    void tearDown() throws Exception {
        pg.exec("drop database if exists " + database + " with (force)", "drop role if exists " + venomqa,
                "drop role if exists " + owner);
        pg.close();
    }

    private void admin(String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + pg.host + ":" + pg.port + "/" + database,
                pg.user, null); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private Result doctor() throws Exception {
        Path f = dir.resolve("venomqa.yaml");
        Files.writeString(f, "db_url: postgresql://" + venomqa + "@" + pg.host + ":" + pg.port + "/" + database
                + "\ncheckpoint_strategy: journal\ndb_options: {schema: shop}\n");
        return Cli.run("doctor", "--skip-api", "-c", f.toString());
    }

    @Test
    void aPreInstalledJournalAndTableOwnershipAreAllTheJournalNeeds() throws Exception {
        Result r = doctor();

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("✓ journal: uses the journal " + pg.user + " installed (venomqa journal-sql)")
                .contains("✓ journal: the user may create the journal and triggers on all 1 tracked tables.");
    }

    @Test
    void aMissingGrantOnThePreInstalledJournalIsNamed() throws Exception {
        admin("revoke delete on venomqa.journal from " + venomqa, "revoke " + owner + " from " + venomqa,
                "grant usage on schema shop to " + venomqa, "grant all on shop.users to " + venomqa,
                "grant all on all sequences in schema shop to " + venomqa);

        Result r = doctor();

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("✗ journal: the user may not create or use the journal: schema venomqa belongs to "
                        + pg.user + " and this user lacks [DELETE on venomqa.journal].")
                .contains("fix: Have " + pg.user + " run the SQL printed by 'venomqa journal-sql --role " + venomqa + "'")
                .contains("✗ journal: the user does not own [shop.users]: PostgreSQL lets only a table's owner drop a trigger")
                .contains("GRANT " + owner + " TO " + venomqa + ";");
    }
}
