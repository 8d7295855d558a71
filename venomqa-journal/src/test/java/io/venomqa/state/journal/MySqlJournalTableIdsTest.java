package io.venomqa.state.journal;

import io.venomqa.state.journal.internal.MySqlJournalSql;
import io.venomqa.state.mysql.MySQLDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The InnoDB table ids that tell a TRUNCATE (which fires no trigger) are read at every checkpoint,
 * rollback and change mark: after the first read on a connection, one statement each, not three
 * (the database's name and, on MySQL 8, a failing try of MariaDB's catalog table were asked every time).
 */
class MySqlJournalTableIdsTest {

    private final MyDb db = new MyDb();

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    @Test
    @DisplayName("tableIds: one statement per call after the first on a connection, and a TRUNCATE still gives the table a new id")
    void oneStatementPerCallAndTruncateStillSeen() throws SQLException {
        db.exec("create table items (id int primary key)");
        MySqlJournalSql sql = new MySqlJournalSql(new MySQLDialect());
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            Map<String, Long> first = sql.tableIds(c, db.name);
            assertThat(first).containsKey("items");
            long calibrate = questions(c);
            long before = questions(c);
            Map<String, Long> again = sql.tableIds(c, db.name);
            long after = questions(c);
            assertThat(after - before - (before - calibrate)).as("statements sent by one call").isEqualTo(1);
            assertThat(again).isEqualTo(first);
            st.execute("truncate table items");
            assertThat(sql.tableIds(c, db.name).get("items")).isNotEqualTo(first.get("items"));
        }
    }

    /** The server's count of statements this session sent (SHOW STATUS counts itself too: calibrated by the caller). */
    private static long questions(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("show session status like 'Questions'")) {
            rs.next();
            return rs.getLong(2);
        }
    }
}
