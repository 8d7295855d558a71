package io.venomqa.state.journal;

import io.venomqa.state.StateConfig;
import io.venomqa.state.mysql.MySQLStateManager;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

/**
 * {@link MyDb} with two users of random names: VenomQA's, holding the journal's privileges on this
 * database only (no global privilege), and the application's, with DML on each of its tables
 * (granted as tables are created) and nothing on VenomQA's. Dropped by {@link #close()}.
 */
final class MyUsersDb implements JournalDb {

    /** What docs/security.md lists for the journal on MySQL/MariaDB. */
    static final String JOURNAL_PRIVILEGES = "select, insert, update, delete, create, drop, alter, trigger";

    private final MyDb db = new MyDb();
    final String venomqa = db.name + "_vq";
    final String app = db.name + "_app";

    MyUsersDb() {
        try {
            for (String host : List.of("%", "localhost")) {
                db.exec("create user '" + venomqa + "'@'" + host + "'", "create user '" + app + "'@'" + host + "'",
                        "grant " + JOURNAL_PRIVILEGES + " on `" + db.name + "`.* to '" + venomqa + "'@'" + host + "'");
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public StateConfig.Builder config() {
        return StateConfig.builder().backend("mysql")
                .url("mysql://" + venomqa + "@" + MyDb.HOST + ":" + MyDb.PORT + "/" + db.name)
                .option("checkpoint_strategy", "journal");
    }

    @Override
    public MySQLStateManager manager() {
        return new MySQLStateManager(config().build());
    }

    /** The application's user. */
    @Override
    public Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", app);
        p.setProperty("password", "");
        return DriverManager.getConnection(MyDb.jdbc(db.name), p);
    }

    /** The database's name. */
    String name() {
        return db.name;
    }

    /** A connection as root, which may read everything (the application's user may not read triggers). */
    Connection connectAsRoot() throws SQLException {
        return db.connect();
    }

    /** DDL as root; the application then gets DML on every table of the database but VenomQA's. */
    @Override
    public void exec(String... sql) throws SQLException {
        db.exec(sql);
        for (String table : db.rows("select table_name as t from information_schema.tables where table_schema = '"
                + db.name + "' and table_name not like 'venomqa%'")) {
            for (String host : List.of("%", "localhost")) {
                db.exec("grant select, insert, update, delete on `" + db.name + "`.`" + table.substring(2) + "` to '"
                        + app + "'@'" + host + "'");
            }
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            for (String host : List.of("%", "localhost")) {
                db.exec("drop user if exists '" + venomqa + "'@'" + host + "'", "drop user if exists '" + app + "'@'" + host + "'");
            }
        } finally {
            db.close();
        }
    }
}
