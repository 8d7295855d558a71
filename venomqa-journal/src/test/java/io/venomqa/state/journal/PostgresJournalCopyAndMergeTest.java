package io.venomqa.state.journal;

import io.venomqa.state.StateManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bulk statements applications and their loaders use, written by psql in another process:
 * {@code COPY … FROM STDIN}, a {@code MERGE} with all three actions, an upsert that updates.
 */
class PostgresJournalCopyAndMergeTest {

    @Test
    @DisplayName("COPY FROM STDIN, MERGE (update, delete and insert in one statement) and INSERT … ON CONFLICT DO UPDATE are undone exactly")
    void copyMergeAndUpsertUndone() throws Exception {
        try (PgDb db = new PgDb()) {
            db.psql("""
                    create table stock (sku text primary key, n int not null);
                    create table incoming (sku text primary key, n int not null);
                    insert into stock values ('a', 1), ('b', 2), ('c', 3);
                    insert into incoming values ('a', 10), ('d', 40), ('c', 0);
                    create table ev (id serial primary key, sku text, at_n int);
                    """);
            StateManager m = db.manager();
            m.connect();
            try {
                String[] q = {"select * from stock order by sku", "select * from ev order by id"};
                List<String> before = db.rows(q[0], q[1]);
                m.checkpoint("start");
                db.psql("merge into stock s using incoming i on s.sku = i.sku when matched and i.n = 0 then delete "
                        + "when matched then update set n = s.n + i.n when not matched then insert values (i.sku, i.n);\n"
                        + "insert into ev (sku, at_n) select sku, n from stock;\n"
                        + "insert into stock values ('b', 99) on conflict (sku) do update set n = excluded.n + stock.n;\n"
                        + "copy stock from stdin;\nx\t7\ny\t8\n\\.\n");
                assertThat(db.rows(q[0], q[1])).contains("sku=a|n=11", "sku=b|n=101", "sku=y|n=8", "id=3|sku=d|at_n=40")
                        .doesNotContain("sku=c|n=3");
                m.rollback("start");
                assertThat(db.rows(q[0], q[1])).isEqualTo(before);
                db.psql("copy stock from stdin;\nz\t1\n\\.\n");
            } finally {
                m.disconnect();
            }
            assertThat(db.rows("select * from stock order by sku")).containsExactly("sku=a|n=1", "sku=b|n=2", "sku=c|n=3");
        }
    }
}
