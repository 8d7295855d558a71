package io.venomqa.state.journal;

import io.venomqa.state.journal.internal.JournalSql;
import io.venomqa.state.journal.internal.PostgresJournalSql;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journal's catalog read on PostgreSQL finds a schema's tables through their dependency on the
 * schema (by index) instead of a scan of {@code pg_class}: it must list exactly the base and
 * partitioned tables a scan lists, whatever way they came into the schema, and never a table of
 * another schema. A table it missed would go unjournaled (a rollback that is not exact).
 */
class PostgresJournalCatalogTest {

    private final PgDb db = new PgDb();
    private final PgDb other = new PgDb();

    @AfterEach
    void tearDown() throws SQLException {
        try {
            db.close();
        } finally {
            other.close();
        }
    }

    /** The base and partitioned tables of {@code schema} as a scan of {@code pg_class} lists them. */
    private static List<String> scanned(Connection c, String schema) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select c.relname from pg_class c join "
                + "pg_namespace n on n.oid = c.relnamespace where n.nspname = '" + schema + "' and c.relkind in ('r', 'p') "
                + "order by 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    @DisplayName("the catalog lists the tables a pg_class scan lists: created, partitioned, attached, moved in, renamed, like another, inheriting; not views, sequences or other schemas' tables")
    void tablesAsAScanListsThem() throws SQLException {
        String s = db.schema;
        String o = other.schema;
        db.exec("create table " + s + ".plain (id serial primary key, note text)",
                "create table " + s + ".events (id int, at date not null) partition by range (at)",
                "create table " + s + ".events_2026 partition of " + s + ".events for values from ('2026-01-01') to ('2027-01-01')",
                "create table " + o + ".loose (id int)",
                "create table " + o + ".moved (id int primary key)",
                "alter table " + o + ".moved set schema " + s,
                "create table " + s + ".to_rename (id int)",
                "alter table " + s + ".to_rename rename to renamed",
                "create table " + s + ".events_2027 (id int, at date not null)",
                "alter table " + s + ".events attach partition " + s + ".events_2027 for values from ('2027-01-01') to ('2028-01-01')",
                "create table " + s + ".copy (like " + s + ".plain including all)",
                "create table " + s + ".child () inherits (" + s + ".plain)",
                "create unlogged table " + s + ".scratch (id int)",
                "create view " + s + ".v as select * from " + s + ".plain",
                "create materialized view " + s + ".mv as select 1 as one",
                "create sequence " + s + ".seq",
                "create table " + s + ".\"Odd \"\"name\" (id int)",
                "create table " + s + ".dropped (id int)", "drop table " + s + ".dropped");
        JournalSql sql = new PostgresJournalSql();
        try (Connection c = db.connect()) {
            List<String> expected = scanned(c, s);
            assertThat(expected).contains("plain", "events", "events_2026", "events_2027", "moved", "renamed", "copy",
                    "child", "scratch", "Odd \"name").doesNotContain("v", "mv", "seq", "dropped", "loose");
            assertThat(sql.currentTables(c, s)).containsExactlyElementsOf(expected);
            assertThat(sql.shapes(c, s, expected).keySet()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(sql.shapes(c, s, Set.of("plain")).get("plain")).isEqualTo("id integer key, note text");
            JournalSql.Catalog catalog = sql.catalog(c, s, expected);
            assertThat(catalog.tables()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(catalog.shapes()).isEqualTo(sql.shapes(c, s, expected));
            assertThat(catalog.definitions()).isEqualTo(sql.definitions(c, s));
            assertThat(catalog.definitions().columns().keySet()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(catalog.definitions().sequences().keySet()).as("every sequence of the schema, as the counters key it")
                    .contains(s + ".seq").allMatch(k -> k.startsWith(s + "."));
            assertThat(sql.currentTables(c, o)).as("the other schema keeps its own").containsExactly("loose");
        }
    }

    @Test
    @DisplayName("the catalog's journal triggers are those of the schema's tables named like the journal's, partitions' clones included")
    void journalTriggersOfTheSchema() throws SQLException {
        String s = db.schema;
        String o = other.schema;
        String fn = s + ".noop";
        db.exec("create function " + fn + "() returns trigger language plpgsql as 'begin return null; end'",
                "create table " + s + ".plain (id int)",
                "create table " + s + ".events (id int, at date not null) partition by range (at)",
                "create table " + s + ".events_2026 partition of " + s + ".events for values from ('2026-01-01') to ('2027-01-01')",
                "create table " + o + ".elsewhere (id int)",
                "create trigger venomqa_journal_i after insert on " + s + ".plain for each row execute function " + fn + "()",
                "create trigger venomqa_journal_d after delete on " + s + ".events for each row execute function " + fn + "()",
                "create trigger app_audit after insert on " + s + ".plain for each row execute function " + fn + "()",
                "create trigger venomqa_journal_i after insert on " + o + ".elsewhere for each row execute function " + fn + "()");
        JournalSql sql = new PostgresJournalSql();
        try (Connection c = db.connect()) {
            assertThat(sql.triggerState(c, s).keySet()).containsExactlyInAnyOrder("plain.venomqa_journal_i",
                    "events.venomqa_journal_d", "events_2026.venomqa_journal_d");
            assertThat(sql.catalog(c, s, List.of("plain")).triggers()).isEqualTo(sql.triggerState(c, s));
            assertThat(sql.triggerState(c, o).keySet()).containsExactly("elsewhere.venomqa_journal_i");
        }
    }
}
