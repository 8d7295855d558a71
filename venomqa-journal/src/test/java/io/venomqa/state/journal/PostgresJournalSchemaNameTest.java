package io.venomqa.state.journal;

import io.venomqa.state.CheckpointTree;
import io.venomqa.state.StateConfig;
import io.venomqa.state.postgres.PostgreSQLStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The journal's catalog reads name the schema as a string constant in their text (so that the server
 * plans them once per session): a schema whose name holds a quote, a backslash, a question mark and a
 * double quote is still read right — checkpoints, rollbacks and restores across branches with foreign
 * keys are exact, and the foreign-key check still sees that schema's keys.
 */
class PostgresJournalSchemaNameTest {

    private final String schema = "vqj_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + " it's \\ ? \"q\"";
    private final String quoted = "\"" + schema.replace("\"", "\"\"") + "\"";
    private Connection app;

    private static Connection open() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + PgDb.HOST + ":" + PgDb.PORT + "/" + PgDb.DATABASE, PgDb.USER, null);
    }

    @BeforeEach
    void setUp() throws SQLException {
        app = open();
        exec("create schema " + quoted,
                "create table " + quoted + ".orders (id serial primary key, status text not null)",
                "create table " + quoted + ".lines (id serial primary key, order_id integer not null references " + quoted
                        + ".orders on delete cascade, qty integer not null)",
                "insert into " + quoted + ".orders (status) values ('new')",
                "insert into " + quoted + ".lines (order_id, qty) values (1, 1)");
    }

    @AfterEach
    void tearDown() throws SQLException {
        try {
            exec("drop schema if exists " + quoted + " cascade");
        } finally {
            app.close();
        }
    }

    private void exec(String... sql) throws SQLException {
        try (Statement st = app.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private List<String> rows() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = app.createStatement();
             ResultSet rs = st.executeQuery("select 'o', id, status, null from " + quoted + ".orders union all "
                     + "select 'l', id, order_id::text, qty from " + quoted + ".lines order by 1, 2")) {
            while (rs.next()) {
                out.add(rs.getString(1) + rs.getInt(2) + ":" + rs.getString(3) + ":" + rs.getString(4));
            }
        }
        return out;
    }

    @Test
    @DisplayName("checkpoint, rollback and a restore across branches are exact in a schema named with ' \\ ? and \"")
    void oddSchemaName() throws SQLException {
        PostgreSQLStateManager m = new PostgreSQLStateManager(StateConfig.builder().backend("postgresql")
                .url("postgresql://" + PgDb.USER + "@" + PgDb.HOST + ":" + PgDb.PORT + "/" + PgDb.DATABASE)
                .option("schema", schema).option("checkpoint_strategy", "journal").build());
        m.connect();
        try {
            CheckpointTree tree = m.checkpointTree().orElseThrow();
            assertThat(m.trackedTables()).extracting(t -> t.name()).containsExactlyInAnyOrder("orders", "lines");
            List<String> start = rows();
            m.checkpoint("root");
            exec("insert into " + quoted + ".lines (order_id, qty) values (1, 2)", "update " + quoted + ".orders set status = 'paid'");
            List<String> a = rows();
            m.checkpoint("a");
            tree.restore("root");
            assertThat(rows()).isEqualTo(start);
            exec("delete from " + quoted + ".orders"); // cascades to lines
            m.checkpoint("b");
            List<String> b = rows();
            tree.restore("a");
            assertThat(rows()).isEqualTo(a);
            tree.restore("b");
            assertThat(rows()).isEqualTo(b);
            m.rollback("root");
            assertThat(rows()).isEqualTo(start);

            // The foreign-key check reads this schema's keys: an orphan made behind the journal's back fails the restore.
            m.checkpoint("c");
            exec("insert into " + quoted + ".orders (status) values ('second')");
            m.checkpoint("d");
            exec(PgDb.behindTheJournal(schema, "insert into " + quoted + ".lines (order_id, qty) values (2, 9)"));
            List<String> orphaned = rows();
            assertThatThrownBy(() -> tree.restore("c")).hasMessageContaining("lines_order_id_fkey");
            assertThat(rows()).isEqualTo(orphaned);
            exec(PgDb.behindTheJournal(schema, "delete from " + quoted + ".lines where qty = 9"));
            tree.restore("c");
            assertThat(rows()).isEqualTo(start);
        } finally {
            m.disconnect();
        }
        assertThat(rows()).isEqualTo(rowsAtStart());
    }

    private static List<String> rowsAtStart() {
        return List.of("l1:1:1", "o1:new:null");
    }
}
