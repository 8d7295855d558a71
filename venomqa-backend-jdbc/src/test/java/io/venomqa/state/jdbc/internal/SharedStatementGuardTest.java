package io.venomqa.state.jdbc.internal;

import io.venomqa.state.jdbc.internal.SharedStatementGuard.Syntax;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the shared connection reads the application's SQL text: transaction control and VenomQA's
 * savepoint names are refused wherever a statement begins, and never inside literals, quoted
 * names, comments or routine bodies. The backends' audit tests show what each refusal prevents on
 * a real database.
 */
class SharedStatementGuardTest {

    private static void refused(Syntax syntax, String sql, String named) {
        assertThatThrownBy(() -> SharedStatementGuard.check(sql, syntax)).as(syntax + ": " + sql)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(named)
                .hasMessageContaining("sharedDataSource()");
    }

    private static void allowed(Syntax syntax, String sql) {
        assertThatCode(() -> SharedStatementGuard.check(sql, syntax)).as(syntax + ": " + sql).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("a text let through once is let through again without reading; the verdict is remembered per syntax, and a refusal every time")
    void verdictsRememberedPerSyntax() {
        // '#' starts a comment in MySQL only: the same text is harmless there and holds a COMMIT elsewhere.
        String mysqlComment = "select 1 # ; commit";
        for (int i = 0; i < 3; i++) {
            allowed(Syntax.MYSQL, mysqlComment);
            refused(Syntax.POSTGRESQL, mysqlComment, "commit");
            refused(Syntax.SQLITE, mysqlComment, "commit");
        }
        String harmless = "insert into t values ('commit')";
        for (int i = 0; i < 3; i++) {
            for (Syntax syntax : Syntax.values()) {
                allowed(syntax, harmless);
                refused(syntax, harmless + "; commit", "commit");
            }
        }
        // Far more texts than are remembered: still the right verdicts after the sets are emptied.
        for (int i = 0; i < 10_000; i++) {
            allowed(Syntax.SQLITE, "insert into t values (" + i + ")");
        }
        refused(Syntax.SQLITE, "insert into t values (1); commit", "commit");
        allowed(Syntax.SQLITE, harmless);
        allowed(Syntax.MYSQL, mysqlComment);
        refused(Syntax.POSTGRESQL, mysqlComment, "commit");
    }

    @Test
    @DisplayName("statements that may change session settings (SET, PRAGMA, CALL, EXECUTE, USE, an anonymous block) are told apart, also when the text was remembered")
    void settingsChangesToldApart() throws SQLException {
        for (int i = 0; i < 2; i++) { // the second time from the remembered verdicts
            assertThat(SharedStatementGuard.check("SET foreign_key_checks = 0", Syntax.MYSQL)).isTrue();
            assertThat(SharedStatementGuard.check("insert into t values (1); set @x = 1", Syntax.MYSQL)).isTrue();
            assertThat(SharedStatementGuard.check("EXECUTE IMMEDIATE @q", Syntax.MYSQL)).isTrue();
            assertThat(SharedStatementGuard.check("call p()", Syntax.MYSQL)).isTrue();
            assertThat(SharedStatementGuard.check("begin not atomic set @a = 1; end", Syntax.MYSQL)).isTrue();
            assertThat(SharedStatementGuard.check("pragma ignore_check_constraints = 1", Syntax.SQLITE)).isTrue();
            assertThat(SharedStatementGuard.check("insert into t values ('set x = 1')", Syntax.MYSQL)).isFalse();
            assertThat(SharedStatementGuard.check("update t set v = 1", Syntax.SQLITE)).isFalse();
            assertThat(SharedStatementGuard.check("select 1 /* ; set a = 1 */", Syntax.POSTGRESQL)).isFalse();
        }
    }

    @Test
    @DisplayName("MySQL's USE is refused, at any statement of the text and as prepared text, saying to name the other database's tables instead; a column or table named use is not a statement")
    void useOfAnotherDatabaseRefused() {
        for (String sql : List.of("USE other", "use `other`", "insert into t values (1); use other", "/*!40000 USE other */",
                "EXECUTE IMMEDIATE 'use other'")) {
            refused(Syntax.MYSQL, sql, "another database");
        }
        assertThatThrownBy(() -> SharedStatementGuard.check("use other", Syntax.MYSQL))
                .hasMessageContaining("'use other'").hasMessageContaining("other_db.table");
        allowed(Syntax.MYSQL, "select `use` from t");
        allowed(Syntax.MYSQL, "insert into t (name) values ('use other')");
        allowed(Syntax.POSTGRESQL, "select use from t");
    }

    @Test
    @DisplayName("transaction control as text is refused in every dialect, at any statement of the text, naming what to use instead")
    void transactionControlRefused() {
        for (Syntax syntax : Syntax.values()) {
            for (String sql : List.of("COMMIT", "commit work", "  Commit;", "END", "end transaction", "ROLLBACK",
                    "rollback work", "BEGIN", "begin transaction", "START TRANSACTION", "start transaction read write",
                    "insert into t values (1); commit", "select 1;\n-- done\n COMMIT ;", "/* c */ commit",
                    "SET autocommit = 1", "set @@session.autocommit=1", "SET AUTOCOMMIT TRUE", "prepare transaction 'x'",
                    "xa start 'x'", "abort")) {
                refused(syntax, sql, "refused");
            }
        }
        assertThatThrownBy(() -> SharedStatementGuard.check("update t set a = 1; commit", Syntax.POSTGRESQL))
                .hasMessageContaining("'commit'").hasMessageContaining("commit()");
        for (Syntax syntax : Syntax.values()) {
            // A migration in one text: the table is one statement, the COMMIT after it another.
            refused(syntax, "create table t (id int); commit", "commit");
        }
        refused(Syntax.POSTGRESQL, "create function f() returns int as $$ select 1 $$ language sql; commit", "commit");
        refused(Syntax.MYSQL, "LOCK TABLES items WRITE", "LOCK TABLES");
        refused(Syntax.MYSQL, "/*!40000 COMMIT */", "COMMIT");
        refused(Syntax.MYSQL, "/*M!100000 commit */", "commit");
        refused(Syntax.MYSQL, "# a comment\ncommit", "commit");
        refused(Syntax.MYSQL, "PREPARE s FROM 'COMMIT'", "COMMIT");
        refused(Syntax.MYSQL, "prepare s from \"set autocommit = 1\"", "autocommit");
        refused(Syntax.MYSQL, "EXECUTE IMMEDIATE 'select 1;\\ncommit'", "commit");
        refused(Syntax.MYSQL, "execute immediate 'savepoint venomqa_sp_1'", "venomqa_sp_1");
        refused(Syntax.POSTGRESQL, "/* outer /* nested */ still comment */ commit", "commit");
    }

    @Test
    @DisplayName("savepoints named like VenomQA's are refused, as text or by name; the application's own savepoints are not")
    void reservedSavepointNames() throws SQLException {
        for (Syntax syntax : Syntax.values()) {
            refused(syntax, "SAVEPOINT venomqa_sp_1", "venomqa_sp_1");
            refused(syntax, "release savepoint VENOMQA_SP_2", "VENOMQA_SP_2");
            refused(syntax, "rollback to savepoint venomqa_base", "venomqa_base");
            refused(syntax, "rollback work to venomqa_app_3", "venomqa_app_3");
            refused(syntax, "savepoint \"venomqa_sp_1\"", "venomqa_sp_1");
            allowed(syntax, "savepoint mine");
            allowed(syntax, "rollback to savepoint mine");
            allowed(syntax, "ROLLBACK TRANSACTION TO SAVEPOINT mine");
            allowed(syntax, "release savepoint mine");
            allowed(syntax, "release mine");
        }
        refused(Syntax.SQLITE, "release [venomqa_sp_1]", "venomqa_sp_1");
        // SQLite reads a string literal where a name is expected: these reached VenomQA's savepoints before.
        refused(Syntax.SQLITE, "savepoint 'venomqa_sp_1'", "venomqa_sp_1");
        refused(Syntax.SQLITE, "rollback to 'venomqa_sp_1'", "venomqa_sp_1");
        refused(Syntax.SQLITE, "release savepoint 'VENOMQA_SP_1'", "VENOMQA_SP_1");
        allowed(Syntax.SQLITE, "savepoint 'mine'");
        allowed(Syntax.SQLITE, "select 'venomqa_sp_1'");
        refused(Syntax.MYSQL, "savepoint `venomqa_sp_1`", "venomqa_sp_1");
        assertThatThrownBy(() -> SharedStatementGuard.checkSavepointName("venomqa_sp_1")).hasMessageContaining("Choose another name");
        SharedStatementGuard.checkSavepointName("mine");
        SharedStatementGuard.checkSavepointName(null);
    }

    @Test
    @DisplayName("the words in literals, quoted names, comments and routine bodies are not statements")
    void noMisfires() {
        for (Syntax syntax : Syntax.values()) {
            for (String sql : List.of("insert into t (a) values ('commit')", "insert into t (a) values ('it''s; commit')",
                    "select \"commit\" from t", "select 1 -- ; commit\n", "select 1 /* ; commit */",
                    "update t set status = 'rollback' where id = ?", "select * from t; select 2",
                    "insert into t (a) values ('x;begin')", "select autocommit from settings",
                    
                    "set search_path to s", "set @mode = 'autocommit'", "", "   ", ";;", "select 'unterminated")) {
                allowed(syntax, sql);
            }
        }
        allowed(Syntax.POSTGRESQL, "do $$ begin perform 1; end $$; select 1");
        allowed(Syntax.POSTGRESQL, "create or replace function f() returns int as $body$ begin commit; end $body$ language plpgsql");
        allowed(Syntax.POSTGRESQL, "select $1::int; select E'\\'; commit'");
        allowed(Syntax.POSTGRESQL, "select a$b$c from t");
        allowed(Syntax.POSTGRESQL, "lock table items in exclusive mode");
        allowed(Syntax.MYSQL, "insert into t values ('a\\'; commit; --')");
        allowed(Syntax.MYSQL, "insert into t values (\"a\\\"; commit\")");
        allowed(Syntax.MYSQL, "select 1 # ; commit");
        allowed(Syntax.MYSQL, "select `commit` from t; select 2");
        allowed(Syntax.MYSQL, "begin not atomic insert into t values (1); commit; end");
        allowed(Syntax.MYSQL, "prepare s from 'insert into t values (''commit'')'");
        allowed(Syntax.MYSQL, "execute immediate 'insert into t values (?)' using 'commit'");
        allowed(Syntax.MYSQL, "execute s using @a");
        allowed(Syntax.SQLITE, "select [commit] from t");
        for (Syntax syntax : List.of(Syntax.MYSQL, Syntax.SQLITE, Syntax.STANDARD)) {
            // Routine and trigger bodies in plain text (PostgreSQL quotes them, or writes BEGIN ATOMIC).
            allowed(syntax, "create procedure p() begin insert into t values (1); commit; end");
        }
        allowed(Syntax.SQLITE, "create trigger tr after insert on t begin insert into log values (1); end");
        allowed(Syntax.MYSQL, "create definer=`root`@`localhost` trigger tr before insert on t for each row begin set new.a = 1; end");
        allowed(Syntax.POSTGRESQL, "create function f() returns int language sql begin atomic select 1; end");
        allowed(Syntax.STANDARD, "select 1 where 2 --> 1");
    }
}
