package io.venomqa.state.journal;

import io.venomqa.state.RollbackException;
import io.venomqa.state.mysql.MySQLStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Holes an audit of the MariaDB journal found: each test writes as the application (the mariadb
 * client, another process, or a connection of its own), then compares a full dump of the tables
 * (every column as the server quotes it, sorted in Java so that a case-insensitive collation cannot
 * hide a difference) before and after the rollback, the tree restore or the disconnect.
 */
class MySqlJournalAuditTest {

    private MyDb db;

    @BeforeEach
    void setUp() {
        db = new MyDb();
    }

    @AfterEach
    void tearDown() throws SQLException {
        db.close();
    }

    private MySQLStateManager manager() {
        MySQLStateManager m = db.trackedManager();
        m.connect();
        return m;
    }

    /** {@link UndoneEveryWay#check} with the mariadb client as the application: {@code change}, then every way back. */
    private void undoneExactly(String change, UndoneEveryWay.Check expect, String changeAgain) throws SQLException {
        UndoneEveryWay.check(manager(), db::dump, db::cli, change, expect, changeAgain);
    }

    @Test
    @DisplayName("a deleted row whose AUTO_INCREMENT key is 0 comes back as 0 (the undo's INSERT of 0 must not generate an id)")
    void autoIncrementZeroKey() throws SQLException {
        db.exec("create table users (id int auto_increment primary key, name varchar(20)) engine=InnoDB");
        db.cli("set sql_mode = concat(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO'); "
                + "insert into users values (0, 'anonymous'), (1, 'alice');");
        MySQLStateManager m = manager();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.cli("delete from users where id = 0;");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        db.cli("delete from users;");
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("a delete of a parent by an application session with foreign_key_checks = 0 (no cascade runs) is undone exactly")
    void deleteWithForeignKeyChecksOff() throws SQLException {
        db.exec("create table p (id int primary key) engine=InnoDB",
                "create table c (id int primary key, pid int, foreign key (pid) references p (id) on delete cascade) engine=InnoDB",
                "create table k (pid int, note varchar(10), foreign key (pid) references p (id) on delete cascade) engine=InnoDB",
                "insert into p values (1), (2)", "insert into c values (1, 1), (2, 2)", "insert into k values (1, 'x')");
        MySQLStateManager m = manager();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.cli("set foreign_key_checks = 0; delete from p where id = 1; set foreign_key_checks = 1;");
        assertThat(db.rows("select count(*) as n from c")).containsExactly("n=2");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        db.cli("set foreign_key_checks = 0; delete from p; set foreign_key_checks = 1;");
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("ON UPDATE CASCADE into a child whose primary key holds the foreign key column is undone")
    void updateCascadeIntoTheChildsKey() throws SQLException {
        db.exec("create table orders (no varchar(10) primary key, total int) engine=InnoDB",
                "create table line (order_no varchar(10), n int, item varchar(10), primary key (order_no, n), "
                        + "foreign key (order_no) references orders (no) on update cascade on delete cascade) engine=InnoDB",
                "insert into orders values ('A1', 10), ('B1', 20)",
                "insert into line values ('A1', 1, 'x'), ('A1', 2, 'y'), ('B1', 1, 'z')");
        MySQLStateManager m = manager();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.cli("update orders set no = 'A2' where no = 'A1';");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        db.cli("update orders set no = concat(no, 'x');");
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("ON UPDATE CASCADE and ON DELETE SET NULL, also into a child without a key: rollback, tree restore of the checkpoint after them (the children get their cascaded values) and disconnect are exact")
    void cascadesRolledBackAndRestored() throws SQLException {
        db.exec("create table acct (id int primary key, code varchar(10) unique) engine=InnoDB",
                "create table ord (id int primary key, code varchar(10), "
                        + "foreign key (code) references acct (code) on update cascade) engine=InnoDB",
                "create table note (id int primary key, acct int, foreign key (acct) references acct (id) on delete set null) "
                        + "engine=InnoDB",
                "create table memo (acct int, txt varchar(10), foreign key (acct) references acct (id) on delete set null) "
                        + "engine=InnoDB",
                "insert into acct values (1, 'a'), (2, 'b')", "insert into ord values (1, 'a'), (2, 'b')",
                "insert into note values (1, 1), (2, 2)", "insert into memo values (2, 'm'), (2, 'm'), (1, 'm')");
        undoneExactly("update acct set code = 'a2' where id = 1; delete from ord where id = 2; delete from acct where id = 2;",
                () -> assertThat(db.rows("select id, acct from note order by id")).containsExactly("id=1|acct=1", "id=2|acct=null"),
                "delete from ord where id = 2; delete from acct where id = 2; update memo set txt = 'n';");
    }

    @Test
    @DisplayName("a table without a key, a case-insensitive collation: the undo changes the row the application changed, not one equal to it under the collation")
    void keylessCaseInsensitive() throws SQLException {
        db.exec("create table tag (v varchar(10) collate utf8mb4_general_ci, w int) engine=InnoDB",
                "create table mix (l varchar(10) character set latin1, e enum('x', 'y'), s set('p', 'q'), c char(3), "
                        + "t text collate utf8mb4_unicode_ci, n int) engine=InnoDB",
                "insert into tag values ('A', 2), ('a', 1), ('b', 3), ('b ', 1)",
                "insert into mix values ('É', 'y', 'p,q', 'ab', 'Straße', 1), ('é', 'y', 'p,q', 'ab', 'strasse', 2), "
                        + "(null, null, null, null, null, 3)");
        MySQLStateManager m = manager();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.cli("update tag set w = 2 where v = binary 'a'; update tag set w = 3 where v = binary 'b '; "
                + "update mix set n = 1 where n = 2; update mix set n = 4 where n = 3; delete from mix where n = 4;");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("a zero TIMESTAMP (written under a permissive sql_mode) comes back as zero")
    void zeroTimestamp() throws SQLException {
        db.exec("create table ev (id int primary key, at timestamp null) engine=InnoDB");
        db.cli("set sql_mode = ''; insert into ev values (1, '0000-00-00 00:00:00'), (2, '2020-01-01 00:00:00');");
        MySQLStateManager m = manager();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.cli("delete from ev where id = 1; update ev set at = '0000-00-00 00:00:00' where id = 2;");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("a delete cascading to one row along two paths (tenant → task, tenant → project → task), with and without a key: the row comes back once")
    void cascadeAlongTwoPaths() throws SQLException {
        db.exec("create table tenant (id int primary key) engine=InnoDB",
                "create table project (id int primary key, tenant int, foreign key (tenant) references tenant (id) "
                        + "on delete cascade) engine=InnoDB",
                "create table task (id int primary key, tenant int, project int, "
                        + "foreign key (tenant) references tenant (id) on delete cascade, "
                        + "foreign key (project) references project (id) on delete cascade) engine=InnoDB",
                "create table tag (tenant int, project int, label varchar(10), "
                        + "foreign key (tenant) references tenant (id) on delete cascade, "
                        + "foreign key (project) references project (id) on delete cascade) engine=InnoDB",
                "insert into tenant values (1), (2)", "insert into project values (1, 1), (2, 2)",
                "insert into task values (1, 1, 1), (2, 1, null), (3, 2, 2)",
                "insert into tag values (1, 1, 'x'), (1, 1, 'x'), (1, null, 'y'), (2, 2, 'z')");
        MySQLStateManager m = manager();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.cli("delete from tenant where id = 1;");
        assertThat(db.rows("select count(*) as n from tag")).containsExactly("n=1");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        db.cli("delete from tenant;");
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("one row met by two SET NULL paths (keyless), or by a SET NULL and a deleting path: journaled once, with every change; rollback, tree restore and disconnect are exact")
    void setNullAlongTwoPaths() throws SQLException {
        db.exec("create table tenant (id int primary key) engine=InnoDB",
                "create table project (id int primary key, tenant int, foreign key (tenant) references tenant (id) "
                        + "on delete cascade) engine=InnoDB",
                "create table memo (tenant int, project int, txt varchar(10), "
                        + "foreign key (tenant) references tenant (id) on delete set null, "
                        + "foreign key (project) references project (id) on delete set null) engine=InnoDB",
                "create table task (id int primary key, tenant int, project int, "
                        + "foreign key (tenant) references tenant (id) on delete cascade, "
                        + "foreign key (project) references project (id) on delete set null) engine=InnoDB",
                "insert into tenant values (1), (2)", "insert into project values (1, 1), (2, 2)",
                "insert into memo values (1, 1, 'a'), (1, 1, 'a'), (1, null, 'b'), (null, 1, 'c'), (2, 2, 'd')",
                "insert into task values (1, 1, 1), (2, null, 1), (3, 2, 2)");
        undoneExactly("delete from tenant where id = 1;",
                () -> assertThat(db.rows("select tenant, project, txt from memo order by txt")).containsExactly(
                        "tenant=null|project=null|txt=a", "tenant=null|project=null|txt=a", "tenant=null|project=null|txt=b",
                        "tenant=null|project=null|txt=c", "tenant=2|project=2|txt=d"),
                "delete from tenant;");
    }

    @Test
    @DisplayName("a TRUNCATE of a partitioned table, of one of its partitions, or of a table whose name InnoDB stores encoded ('order-items', 'a b.c') fails the rollback loudly")
    void truncateOfPartitionedAndEncodedNames() throws SQLException {
        db.exec("create table pt (id int primary key, v int) engine=InnoDB partition by hash (id) partitions 2",
                "create table `order-items` (id int primary key) engine=InnoDB",
                "create table `a b.c` (id int primary key) engine=InnoDB",
                "insert into pt values (1, 1), (2, 2)", "insert into `order-items` values (1)", "insert into `a b.c` values (1)");
        MySQLStateManager m = manager();
        for (String truncate : new String[] {"truncate table pt", "alter table pt truncate partition p1",
                "truncate table `order-items`", "truncate table `a b.c`"}) {
            m.checkpoint("start");
            db.exec(truncate);
            assertThatThrownBy(() -> m.rollback("start")).as(truncate).isInstanceOf(RollbackException.class)
                    .hasMessageContaining("TRUNCATE").hasMessageContaining("nothing was undone");
            m.release("start");
        }
    }

    @Test
    @DisplayName("a delete cascading down a self-referencing tree (every reach of the journal's trigger ends in the same table) is undone once per row")
    void selfReferencingTree() throws SQLException {
        db.exec("create table node (id int primary key, up int, name varchar(10), foreign key (up) references node (id) on delete cascade) engine=InnoDB",
                "insert into node values (1, null, 'root'), (2, 1, 'a'), (3, 2, 'b'), (4, 3, 'c'), (5, 1, 'd'), (6, null, 'other')");
        MySQLStateManager m = manager();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.cli("delete from node where id = 1;");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        db.cli("delete from node where id in (3, 1, 4) order by id desc;");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        db.cli("delete from node where id in (1, 3);");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        db.cli("delete from node where id in (2, 6);");
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("ON UPDATE CASCADE of a key changed only in case or trailing spaces (equal under its collation, but cascaded by InnoDB) is undone in the children too")
    void updateCascadeOfACaseChange() throws SQLException {
        db.exec("create table acct (id int primary key, code varchar(10) collate utf8mb4_general_ci unique) engine=InnoDB",
                "create table ord (id int primary key, code varchar(10) collate utf8mb4_general_ci, "
                        + "foreign key (code) references acct (code) on update cascade) engine=InnoDB",
                "insert into acct values (1, 'abc'), (2, 'x')", "insert into ord values (1, 'abc'), (2, 'x')");
        MySQLStateManager m = manager();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.cli("update acct set code = 'ABC' where id = 1; update acct set code = 'x ' where id = 2;");
        assertThat(db.rows("select quote(code) as c from ord order by id")).containsExactly("c='ABC'", "c='x '");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("zero dates an application wrote under a permissive sql_mode come back, also when VenomQA's session has NO_ZERO_DATE and NO_ZERO_IN_DATE (MySQL 8's default)")
    void zeroDatesUnderStrictManagerSession() throws SQLException {
        db.exec("create table d (id int primary key, day date, at datetime) engine=InnoDB");
        db.cli("set sql_mode = ''; insert into d values (1, '0000-00-00', '0000-00-00 00:00:00'), "
                + "(2, '2020-00-15', '2020-01-00 10:00:00'), (3, '2020-01-01', '2020-01-01 00:00:00');");
        String mode = "sql_mode='STRICT_TRANS_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO'";
        MySQLStateManager m = new MySQLStateManager(io.venomqa.state.StateConfig.builder().backend("mysql")
                .url(MyDb.jdbc(db.name) + "&user=" + MyDb.USER + "&sessionVariables="
                        + java.net.URLEncoder.encode(mode, java.nio.charset.StandardCharsets.UTF_8))
                .option("checkpoint_strategy", "journal").build());
        db.track(m);
        m.connect();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.cli("delete from d where id = 1; set sql_mode = ''; update d set day = '0000-00-00' where id = 3; "
                + "update d set at = '2021-01-01 00:00:00' where id = 2;");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        db.cli("delete from d;");
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("rows that break a CHECK constraint (written with check_constraint_checks = 0, or there before the constraint) come back after an update and a delete, in a keyed and a keyless table, by rollback, tree restore and disconnect; VenomQA's session checks constraints again afterwards (until 2026-12-06 the undo failed with \"CONSTRAINT `pos` failed\" and disconnect() left the row deleted)")
    void rowsBreakingACheckConstraint() throws SQLException {
        db.exec("create table ck (id int primary key, v int, constraint pos check (v > 0)) engine=InnoDB",
                "create table ckk (v int, n int, constraint kpos check (v > 0)) engine=InnoDB");
        db.cli("set check_constraint_checks = 0; insert into ck values (1, -5), (2, 3); insert into ckk values (-1, 1), (2, 1); "
                + "set check_constraint_checks = 1;");
        undoneExactly("update ck set v = 7 where id = 1; delete from ck where id = 1; update ck set v = 4 where id = 2; "
                        + "update ckk set v = 3, n = 2 where v = -1; delete from ckk where v = 2;",
                () -> assertThat(db.rows("select count(*) n from ck")).containsExactly("n=1"),
                "delete from ck; delete from ckk;");
    }

    @Test
    @DisplayName("a rollback leaves VenomQA's session checking CHECK constraints as before the undo")
    void checkConstraintChecksRestoredAfterUndo() throws SQLException {
        db.exec("create table ck (id int primary key, v int, constraint pos check (v > 0)) engine=InnoDB",
                "insert into ck values (1, 1)");
        MySQLStateManager m = manager();
        m.checkpoint("start");
        db.cli("update ck set v = 2 where id = 1;");
        m.rollback("start");
        assertThat(m.queryRows("select @@session.check_constraint_checks as ccc, @@session.foreign_key_checks as fkc"))
                .singleElement().hasToString("{ccc=1, fkc=1}");
    }

    @Test
    @DisplayName("invalid dates an application wrote under ALLOW_INVALID_DATES ('2020-02-30') come back after an update and a delete, with and without a key, by rollback, tree restore and disconnect (until 2026-12-06 the undo failed with \"Incorrect date value\" and every table's changes stayed)")
    void invalidDatesUnderAllowInvalidDates() throws SQLException {
        db.exec("create table dd (id int primary key, d date, at datetime, n int) engine=InnoDB",
                "create table ddk (d date, n int) engine=InnoDB", "create table other (id int primary key)");
        db.cli("set sql_mode = 'ALLOW_INVALID_DATES'; insert into dd values (1, '2020-02-30', '2021-04-31 10:00:00', 1), "
                + "(2, '2021-04-31', '2020-02-31 00:00:00', 1); insert into ddk values ('2019-02-29', 1), ('2019-02-28', 1);");
        undoneExactly("set sql_mode = 'ALLOW_INVALID_DATES'; update dd set n = 2; delete from dd where id = 2; "
                        + "update dd set d = '2022-06-31' where id = 1; update ddk set n = 2; delete from ddk where n = 2 "
                        + "and d = '2019-02-29'; insert into other values (1);",
                () -> assertThat(db.rows("select count(*) n from dd")).containsExactly("n=1"),
                "set sql_mode = 'ALLOW_INVALID_DATES'; delete from dd; delete from ddk; insert into other values (2);");
    }

    @Test
    @DisplayName("an ENUM's error value '' (index 0, written by an application under a permissive sql_mode) comes back")
    void enumErrorValue() throws SQLException {
        db.exec("create table e (id int primary key, k enum('a', 'b'), n int) engine=InnoDB",
                "create table ek (k enum('a', 'b'), n int) engine=InnoDB");
        db.cli("set sql_mode = ''; insert into e values (1, 'zz', 1), (2, 'a', 2); insert into ek values ('zz', 1), ('b', 2);");
        MySQLStateManager m = manager();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.cli("delete from e where id = 1; update e set n = 3 where id = 2; set sql_mode = ''; "
                + "update e set k = 'zz' where id = 2; update ek set n = 5; delete from ek where k = 'b';");
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        db.cli("delete from e; delete from ek;");
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("one UPDATE changing two keys a child references with ON UPDATE CASCADE (with and without a key): tree restores both ways, rollback and disconnect are exact")
    void updateCascadeAlongTwoKeys() throws SQLException {
        db.exec("create table acct (id int primary key, c1 varchar(10) unique, c2 varchar(10) unique) engine=InnoDB",
                "create table ord (id int primary key, a varchar(10), b varchar(10), "
                        + "foreign key (a) references acct (c1) on update cascade, "
                        + "foreign key (b) references acct (c2) on update cascade) engine=InnoDB",
                "create table memo (a varchar(10), b varchar(10), "
                        + "foreign key (a) references acct (c1) on update cascade, "
                        + "foreign key (b) references acct (c2) on update set null) engine=InnoDB",
                "insert into acct values (1, 'a', 'b'), (2, 'x', 'y')",
                "insert into ord values (1, 'a', 'b'), (2, 'a', 'y')", "insert into memo values ('a', 'b'), ('x', 'b')");
        undoneExactly("update acct set c1 = 'a2', c2 = 'b2' where id = 1;",
                () -> assertThat(db.rows("select id, a, b from ord order by id")).containsExactly("id=1|a=a2|b=b2", "id=2|a=a2|b=y"),
                "update acct set c1 = concat(c1, '3'), c2 = concat(c2, '3');");
    }

    @Test
    @DisplayName("a SET NULL that changes a column another key cascades from (ON UPDATE CASCADE / SET NULL below it) is undone down to the grandchildren")
    void setNullCascadingFurther() throws SQLException {
        db.exec("create table p (id int primary key) engine=InnoDB",
                "create table c (id int primary key, pid int, unique key (pid), "
                        + "foreign key (pid) references p (id) on delete set null on update set null) engine=InnoDB",
                "create table g (id int primary key, cpid int, foreign key (cpid) references c (pid) on update cascade) engine=InnoDB",
                "create table h (cpid int, note varchar(5), foreign key (cpid) references c (pid) on update set null) engine=InnoDB",
                "insert into p values (1), (2)", "insert into c values (1, 1), (2, 2)", "insert into g values (1, 1), (2, 2)",
                "insert into h values (1, 'a'), (2, 'b')");
        undoneExactly("delete from p where id = 1; update p set id = 3 where id = 2;",
                () -> assertThat(db.rows("select id, cpid from g order by id")).containsExactly("id=1|cpid=null", "id=2|cpid=null"),
                "delete from p;");
    }

    @Test
    @DisplayName("text in latin1 (bytes 0x81, 0x8D, 0x00, quotes), ascii, utf16 (also NULL), sjis (0x5C), gbk and binary, with and without a key: the application's writes work under the journal and come back byte for byte")
    void characterSets() throws SQLException {
        db.exec("create table cs (id int primary key, l varchar(20) character set latin1, a varchar(20) character set ascii, "
                + "u16 varchar(20) character set utf16, sj varchar(20) character set sjis, g varchar(20) character set gbk, "
                + "b varchar(20) character set binary, n int) engine=InnoDB",
                "create table csk (l varchar(20) character set latin1, sj varchar(20) character set sjis, n int) engine=InnoDB");
        db.cli("set sql_mode = ''; insert into cs values (1, x'818d8f909d00ff5c27', x'41', _utf16 x'd83dde00', x'5c815c', x'815c', x'00ff', 1), "
                + "(2, x'80', x'7f', null, x'8160', x'a1a1', x'', 2); insert into csk values (x'81', x'5c815c', 1), (x'8d', x'5c815c', 1);");
        String q = "select id, hex(l), hex(a), hex(u16), hex(sj), hex(g), hex(b), n from cs order by id";
        String qk = "select hex(l), hex(sj), n from csk order by 1, 2, 3";
        MySQLStateManager m = manager();
        List<String> before = db.rows(q, qk);
        m.checkpoint("start");
        db.cli("update cs set n = 5; delete from cs where id = 2; update csk set n = 2 where l = x'81'; delete from csk where l = x'8d';");
        m.rollback("start");
        assertThat(db.rows(q, qk)).isEqualTo(before);
        db.cli("update cs set l = 'x', sj = 'y', g = 'z'; delete from csk;");
        m.disconnect();
        assertThat(db.rows(q, qk)).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    @DisplayName("an application transaction open during a rollback and committed while the rollback waits for its lock: the rollback fails, changing nothing, and succeeds once the application is idle (another row, or the row the undo writes back)")
    void transactionCommittedDuringTheRollback(boolean sameRow) throws Exception {
        db.exec("create table item (id int primary key, v varchar(10)) engine=InnoDB", "insert into item values (1, 'a')");
        MySQLStateManager m = manager();
        List<String> before = db.dump();
        m.checkpoint("start");
        CompletableFuture<Void> rollback;
        db.cli("update item set v = 'b' where id = 1;");
        try (Connection app = db.connect(); Connection watch = db.connect()) {
            app.setAutoCommit(false);
            try (Statement st = app.createStatement()) {
                // the same row: the undo waits for it, then would write 'a' over 'open', leaving the entry stale
                st.execute(sameRow ? "update item set v = 'open' where id = 1" : "insert into item values (2, 'open')");
            }
            rollback = CompletableFuture.runAsync(() -> m.rollback("start"));
            // The application commits once the rollback waits for its lock, or after the rollback if it never does.
            while (!rollback.isDone() && !waitingForALock(watch)) {
                // INNODB_TRX is a cache that InnoDB refreshes only when it was last read over 100 ms ago:
                // reading it more often would show the state before the wait forever.
                Thread.sleep(200);
            }
            app.commit();
        }
        Throwable refused = null;
        try {
            rollback.get();
        } catch (java.util.concurrent.ExecutionException e) {
            refused = e;
        }
        if (refused == null) {
            // Another row, and the undo did not have to wait for it: exact, the application's row journaled.
            assertThat(sameRow).as("an undo that waited for the row it writes back must be refused").isFalse();
            assertThat(db.rows("select id, v from item order by id")).containsExactly("id=1|v=a", "id=2|v=open");
        } else {
            assertThat(refused).hasRootCauseInstanceOf(SQLException.class)
                    .hasMessageContaining("The application committed changes to {item=1}")
                    .hasMessageContaining("Roll back again once the application is idle");
            assertThat(db.rows("select id, v from item order by id")).as("the refused undo changed nothing")
                    .containsExactly(sameRow ? new String[] {"id=1|v=open"} : new String[] {"id=1|v=b", "id=2|v=open"});
        }
        m.rollback("start");
        assertThat(db.dump()).isEqualTo(before);
        db.cli("update item set v = 'c' where id = 1;");
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
    }

    @Test
    @DisplayName("disconnect() whose undo waits for an application transaction that then commits: refused with nothing undone, saying what to do next time, not to roll back again (which a disconnect cannot)")
    void transactionCommittedDuringTheDisconnect() throws Exception {
        db.exec("create table item (id int primary key, v varchar(10)) engine=InnoDB", "insert into item values (1, 'a')");
        MySQLStateManager m = manager();
        m.checkpoint("start");
        db.cli("update item set v = 'b' where id = 1;");
        CompletableFuture<Void> disconnect;
        try (Connection app = db.connect(); Connection watch = db.connect()) {
            app.setAutoCommit(false);
            try (Statement st = app.createStatement()) {
                st.execute("update item set v = 'open' where id = 1");
            }
            disconnect = CompletableFuture.runAsync(m::disconnect);
            while (!disconnect.isDone() && !waitingForALock(watch)) {
                Thread.sleep(200); // INNODB_TRX is refreshed at most every 100 ms
            }
            app.commit();
        }
        assertThatThrownBy(disconnect::get).hasRootCauseInstanceOf(RollbackException.class)
                .hasMessageContaining("The application committed changes to {item=1}")
                .hasMessageContaining("stop the application's writes (its background jobs too) before disconnect()")
                .hasMessageNotContaining("Roll back again");
        assertThat(db.rows("select id, v from item order by id")).as("the refused undo changed nothing").containsExactly("id=1|v=open");
    }

    @Test
    @DisplayName("a rollback whose AUTO_INCREMENT restore waits for a transaction that only read the table gives up after lock_timeout instead of the server's day")
    void countersWaitForAReaderBoundedByLockTimeout() throws Exception {
        db.exec("create table item (id int auto_increment primary key, v varchar(10)) engine=InnoDB",
                "insert into item (v) values ('a')");
        MySQLStateManager m = db.track(new MySQLStateManager(db.config().option("lock_timeout", "2s").build()));
        m.connect();
        List<String> before = db.dump();
        m.checkpoint("start");
        db.cli("insert into item (v) values ('b');"); // moves the AUTO_INCREMENT counter
        try (Connection reader = db.connect()) {
            reader.setAutoCommit(false);
            try (Statement st = reader.createStatement()) {
                st.executeQuery("select count(*) from item").close(); // holds the table's metadata lock until it ends
            }
            CompletableFuture<Void> rollback = CompletableFuture.runAsync(() -> m.rollback("start"));
            // A guard against a hang, not a measurement: lock_timeout is 2 s, the server's wait a day.
            assertThatThrownBy(() -> rollback.get(120, java.util.concurrent.TimeUnit.SECONDS))
                    .isInstanceOf(java.util.concurrent.ExecutionException.class)
                    .hasMessageContaining("Lock wait timeout");
            reader.rollback();
        }
        m.rollback("start"); // the reader is gone: exact
        assertThat(db.dump()).isEqualTo(before);
        m.disconnect();
        assertThat(db.dump()).isEqualTo(before);
    }

    /** Whether the manager's session (the run record names it; the server is shared) waits for a row lock. */
    private boolean waitingForALock(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from information_schema.innodb_trx t join venomqa_run r "
                     + "on r.conn = t.trx_mysql_thread_id where t.trx_state = 'LOCK WAIT'")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }
}
