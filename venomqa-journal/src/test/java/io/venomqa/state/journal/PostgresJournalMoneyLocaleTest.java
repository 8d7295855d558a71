package io.venomqa.state.journal;

import io.venomqa.state.RollbackException;
import io.venomqa.state.postgres.PostgreSQLStateManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL prints a {@code money} amount in the printing session's {@code lc_monetary}, and the journal's images are
 * the rows as the application's session printed them: written under another setting than VenomQA's session has, the
 * undo cannot read them back. It must refuse loudly, say what to do, and keep the journal so that, once VenomQA's
 * sessions have the application's setting, the run is undone exactly. Needs a second locale on the server's machine
 * ({@code localedef -i en_GB -f UTF-8 en_GB.UTF-8}, then a restart of PostgreSQL); skipped without one, as the C locale
 * alone cannot print an amount differently.
 */
class PostgresJournalMoneyLocaleTest {

    private static final String OTHER = "en_GB.UTF-8";

    private PgDb db;

    @AfterEach
    void tearDown() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    private List<String> amounts() throws SQLException {
        return db.rows("select id, amount::numeric as amount, note from m order by id");
    }

    @Test
    @DisplayName("amounts an application session wrote under another lc_monetary: the rollback refuses naming the setting and what to do, without the amount; disconnect() keeps the journal; with the database's setting the next connect() undoes the run exactly")
    void amountsUnderAnotherLcMonetary() throws Exception {
        db = new PgDb(true);
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("set lc_monetary = '" + OTHER + "'");
        } catch (SQLException noSuchLocale) {
            Assumptions.assumeTrue(false, "the server knows no locale " + OTHER + " (" + noSuchLocale.getMessage()
                    + "); to run this test, on the server's machine: localedef -i en_GB -f UTF-8 en_GB.UTF-8, then "
                    + "restart PostgreSQL");
        }
        db.exec("create table m (id int primary key, amount money, note text)", "insert into m values (1, 1234.5, 'a')");
        List<String> asFound = amounts();
        PostgreSQLStateManager m = db.trackedManager();
        m.connect();
        m.checkpoint("cp");
        try (Connection app = db.connect(); Statement st = app.createStatement()) {
            st.execute("set lc_monetary = '" + OTHER + "'");
            st.execute("update m set amount = 99.25 where id = 1");
            st.execute("insert into m values (2, 7777.5, 'b')");
        }
        List<String> written = amounts();
        assertThatThrownBy(() -> m.rollback("cp")).isInstanceOf(RollbackException.class)
                .hasMessageContaining("another lc_monetary than VenomQA's session has (C")
                .hasMessageContaining("ALTER ROLE \"postgres\" SET lc_monetary").hasMessageContaining("the journal is intact")
                .hasMessageNotContaining("99.25").hasMessageNotContaining("7,777.50");
        assertThat(amounts()).as("nothing undone").isEqualTo(written);
        assertThatThrownBy(m::disconnect).isInstanceOf(RollbackException.class).hasMessageContaining("lc_monetary")
                .hasMessageContaining("triggers and journal were kept");
        db.exec("alter database " + db.database + " set lc_monetary = '" + OTHER + "'"); // as the message says
        PostgreSQLStateManager again = db.trackedManager();
        again.connect(); // recovers the run: the undo now reads the amounts as they were printed
        assertThat(amounts()).isEqualTo(asFound);
        again.disconnect();
        assertThat(db.venomqaObjects()).isZero();
    }
}
