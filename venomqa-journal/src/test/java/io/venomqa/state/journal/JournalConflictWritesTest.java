package io.venomqa.state.journal;

import io.venomqa.state.StateManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes that resolve a key conflict by deleting or skipping rows, on the journal of MariaDB/MySQL and
 * PostgreSQL (SQLite's, where REPLACE deletes without firing triggers, has {@link SqliteJournalReplaceTest}):
 * MySQL's {@code REPLACE} deletes the conflicting rows with its delete triggers fired, PostgreSQL's
 * {@code MERGE} fires the statement triggers of each of its actions, and a statement with several
 * data-modifying {@code WITH} parts on one table fills one set of transition tables. Each is undone exactly.
 */
class JournalConflictWritesTest {

    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.DisplayName("MySQL/MariaDB: a REPLACE of a parent whose children cascade (foreign key actions fire no trigger there): parent and children come back")
    void replaceOfACascadingParent() throws Exception {
        try (MyDb db = new MyDb()) {
            db.exec("create table parent (id int primary key, name varchar(20)) engine=InnoDB",
                    "create table child (id int primary key, parent_id int, note varchar(20), foreign key (parent_id) "
                            + "references parent(id) on delete cascade) engine=InnoDB",
                    "create table grandchild (id int primary key, child_id int, foreign key (child_id) references child(id) "
                            + "on delete cascade) engine=InnoDB",
                    "insert into parent values (1, 'one'), (2, 'two')",
                    "insert into child values (10, 1, 'of one'), (11, 1, 'also of one'), (20, 2, 'of two')",
                    "insert into grandchild values (100, 10), (110, 11)");
            StateManager m = db.manager();
            m.connect();
            try {
                String dump = "select * from parent order by id";
                List<String> before = db.rows(dump, "select * from child order by id", "select * from grandchild order by id");
                m.checkpoint("start");
                db.exec("replace into parent values (1, 'replaced')");
                assertThat(db.rows("select * from child order by id")).as("the cascade ran").containsExactly("id=20|parent_id=2|note=of two");
                m.rollback("start");
                assertThat(db.rows(dump, "select * from child order by id", "select * from grandchild order by id")).isEqualTo(before);
            } finally {
                m.disconnect();
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "mysql|replace into t values (1, 'a2', 'replaced on its key')",
            "mysql|replace into t values (9, 'b', 'took b, deleting row 2')",
            "mysql|replace into t values (2, 'a', 'meets one row on its key and another on u')",
            "mysql|insert into t values (1, 'x', 'dup') on duplicate key update v = 'updated instead'",
            "mysql|insert ignore into t values (1, 'x', 'ignored'), (7, 'g', 'new')",
            "postgresql|merge into t using (values (1, 'a', 'm1'), (8, 'h', 'm8')) s(id, u, v) on t.id = s.id when matched then update set v = s.v when not matched then insert values (s.id, s.u, s.v)",
            "postgresql|merge into t using (values (2)) s(id) on t.id = s.id when matched then delete",
            "postgresql|insert into t values (1, 'a', 'x'), (5, 'e', 'y') on conflict do nothing",
            "postgresql|with del as (delete from t where id = 1 returning *), upd as (update t set v = 'by a cte' where id = 2 returning *) insert into t select del.id + 10, concat(del.u, 'x'), del.v from del",
            "postgresql|with a as (update t set v = 'first' where id = 1 returning 1), b as (update t set v = 'second' where id = 3 returning 1) select count(*) from a, b",
            "postgresql|insert into t values (1, 'z', 'conflict updates the key') on conflict (id) do update set id = 7, u = excluded.u",
    })
    void undoneExactly(String backend, String write) throws Exception {
        try (JournalDb db = backend.equals("mysql") ? new MyDb() : new PgDb()) {
            db.exec("create table t (id int primary key, u varchar(10) unique, v varchar(80))",
                    "insert into t values (1, 'a', 'one'), (2, 'b', 'two'), (3, 'c', 'three')");
            StateManager m = db.manager();
            m.connect();
            try {
                List<String> before = db.rows("select * from t order by id");
                m.checkpoint("start");
                db.exec(write);
                assertThat(db.rows("select * from t order by id")).as("the write changed something").isNotEqualTo(before);
                m.rollback("start");
                assertThat(db.rows("select * from t order by id")).isEqualTo(before);
            } finally {
                m.disconnect();
            }
        }
    }
}
