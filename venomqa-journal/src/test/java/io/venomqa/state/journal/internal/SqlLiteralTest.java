package io.venomqa.state.journal.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The literal forms the undo splices into SQL (MySQL/MariaDB and SQLite row images), and nothing else. */
class SqlLiteralTest {

    private final SqlLiteral mysql = new SqlLiteral(true, Set.of("from_unixtime", "st_geomfromwkb"));
    private final SqlLiteral sqlite = new SqlLiteral(false, Set.of("concat")); // as SqliteJournalSql.literals()

    @ParameterizedTest
    @ValueSource(strings = {"NULL", "null", "'abc'", "'it''s'", "'a\\'b'", "'back\\\\'", "''", "'\\0\\Z'", "123", "-1.5",
            "1.0e+999", "-9.0E-3", "X'00ff27'", "x''", "b'0101'", "from_unixtime(1700000000)",
            "from_unixtime(1700000000.123456)", "ST_GeomFromWKB(X'0101', 4326)"})
    void mysqlLiteralsTheTriggersWriteAreAccepted(String literal) {
        assertThat(mysql.accepts(literal)).as(literal).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1); drop table users; --", "'1' or 1=1", "'a' || 'b'", "sleep(3)", "(select 1)", "'unterminated",
            "'a\\'", "1 ", " 1", "X'0g'", "b'2'", "from_unixtime(sleep(1))", "from_unixtime(1", "ST_GeomFromWKB(X'01', (select 1))",
            "NULL; drop table t", "1e", "-", "'a'b'", "from_unixtime(from_unixtime(from_unixtime(from_unixtime(from_unixtime(1)))))"})
    void anythingElseIsRefused(String text) {
        assertThat(mysql.accepts(text)).as(text).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"'a\\'", "'it''s'", "-5", "3.25", "X'AB'", "NULL", "9.0e+999"})
    void sqliteLiteralsHaveNoBackslashEscapes(String literal) {
        assertThat(sqlite.accepts(literal)).as(literal).isTrue();
    }

    @Test
    void sqliteRefusesWhatMySqlWouldReadDifferently() {
        assertThat(sqlite.accepts("'a\\' or 1=1 --'")).isFalse(); // SQLite: the string ends at the second quote
        assertThat(sqlite.accepts("from_unixtime(1)")).isFalse();
        assertThat(sqlite.accepts(null)).isFalse();
    }

    @Test
    void sqliteTextByItsBytesIsAcceptedAndShownAsTheText() {
        assertThat(sqlite.accepts("concat(X'C3A90078')")).isTrue();
        assertThat(sqlite.display("concat(X'C3A90078')")).isEqualTo("\u00e9\u0000x");
        assertThat(sqlite.accepts("concat(X'00', (select 1))")).isFalse();
        assertThat(mysql.accepts("concat(X'00')")).as("MySQL's triggers never write it").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"concat(X'00', X'01')", "concat(X'0')", "concat(X'0g')", "concat('a')", "concat(X'00'", "concat()",
            "concat(X'\u0663\u0663')"})
    void onlyOneHexLiteralOfWholeBytesIsATextByItsBytes(String literal) {
        assertThat(SqlLiteral.hexText(literal)).as(literal).isNull();
        if (sqlite.accepts(literal)) {
            assertThat(sqlite.display(literal)).as("shown as written").isEqualTo(literal);
        }
    }
}
