package io.venomqa.state.journal;

import io.venomqa.state.jdbc.spi.JdbcDialect;
import io.venomqa.state.postgres.PostgreSQLDialect;
import io.venomqa.state.sqlite.SQLiteDialect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JdbcDialect#tableFingerprint}: the savepoint strategy's change capture skips a table whose
 * fingerprint did not change, so every kind of change must change it, and reading twice must not.
 * On PostgreSQL and SQLite (MySQL/MariaDB have none: hashing there costs more than reading), with
 * the values that are easy to confuse: NULL and the text 'NULL', one byte of a blob, a REAL in its
 * last digit, a pair of equal rows of a table without key; on SQLite also a text changed after a NUL
 * character and a value that changes its storage class alone.
 */
class TableFingerprintTest {

    private static final List<String> COLUMNS = List.of("k", "note", "body", "amount");

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "sqlite"})
    void everyChangeChangesTheFingerprintAndReadingDoesNot(String db) throws Exception {
        boolean pg = db.equals("postgresql");
        JournalDb handle = pg ? new PgDb() : new SqliteDb();
        JdbcDialect dialect = pg ? new PostgreSQLDialect() : new SQLiteDialect();
        String blob = pg ? "bytea" : "blob";
        String real = pg ? "double precision" : "real";
        String bytes = db.equals("postgresql") ? "'\\x00ff'::bytea" : "X'00FF'";
        String otherBytes = db.equals("postgresql") ? "'\\x00fe'::bytea" : "X'00FE'";
        try (handle; Connection c = handle.connect()) {
            handle.exec("create table fp (k int, note varchar(20), body " + blob + ", amount " + real + ")",
                    "insert into fp values (1, null, " + bytes + ", 0.1), (2, 'x', null, 2.5)");
            String sql = "select " + dialect.tableFingerprint(dialect.quote("fp"), COLUMNS).orElseThrow();
            String start = fingerprint(c, sql);
            assertThat(fingerprint(c, sql)).as("read twice").isEqualTo(start);

            handle.exec("update fp set note = note where k = 1");
            if (!pg) { // PostgreSQL's rows are hashed in scan order, which the update may change: a re-read, not a miss
                assertThat(fingerprint(c, sql)).as("an update to the same values").isEqualTo(start);
            }

            String was = start;
            for (String[] change : new String[][] {
                    {"update fp set note = 'NULL' where k = 1", "NULL became the text 'NULL'"},
                    {"update fp set body = " + otherBytes + " where k = 1", "one byte of a blob"},
                    {"update fp set amount = 0.30000000000000004 where k = 1", "a REAL"},
                    {"update fp set amount = 0.3 where k = 1", "a REAL in its last digit"},
                    {"insert into fp values (3, 'dup', null, null)", "an insert"},
                    {"insert into fp values (3, 'dup', null, null)", "a second equal row (no key)"},
                    {"update fp set note = 'dup2' where k = 3", "a pair of equal rows replaced by another pair"},
                    {"delete from fp where k = 2", "a delete"},
                    // SQLite only: text with a NUL character in it, and a value changing its storage class alone
                    {pg ? null : "update fp set note = 'ab' || char(0) || 'c' where k = 1", "a text with a NUL"},
                    {pg ? null : "update fp set note = 'ab' || char(0) || 'd' where k = 1", "a text changed after its NUL"},
                    {pg ? null : "update fp set body = 1 where k = 1", "a blob column given an integer"},
                    {pg ? null : "update fp set body = '1' where k = 1", "the integer 1 become the text '1'"}}) {
                if (change[0] == null) {
                    continue;
                }
                handle.exec(change[0]);
                String now = fingerprint(c, sql);
                assertThat(now).as(change[1]).isNotEqualTo(was);
                was = now;
            }
        }
    }

    private static String fingerprint(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
