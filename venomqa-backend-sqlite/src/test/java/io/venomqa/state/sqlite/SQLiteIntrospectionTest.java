package io.venomqa.state.sqlite;

import io.venomqa.state.jdbc.spi.ForeignKeyInfo;
import io.venomqa.state.jdbc.spi.SchemaInfo;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading a SQLite schema's tables costs a driver call per table, not per pair of tables: jOOQ's meta API reads every
 * table's columns again for each foreign key it resolves, and SQLite's driver answers each call with several
 * statements, so that {@code connect()} took 4.7 s in {@code getColumns} alone for 200 tables chained by foreign keys
 * (40 000 calls) and 78 s with 600. The introspection keeps each answer for its own duration, and reads SQLite's
 * foreign keys from {@code pragma_foreign_key_list} (jOOQ resolved each key's target by building every table again).
 */
class SQLiteIntrospectionTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("a schema of 60 tables chained by foreign keys: each table's columns, keys and references read from the driver once, and the result as before")
    void eachTableReadOnce() throws SQLException {
        String jdbc = "jdbc:sqlite:" + dir.resolve("many.db");
        try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement()) {
            st.execute("create table t0 (id integer primary key autoincrement, v text)");
            for (int i = 1; i < 60; i++) {
                st.execute("create table t" + i + " (id integer primary key, v text, up int references t" + (i - 1)
                        + "(id) on delete cascade, again int references t" + (i - 1) + ")");
            }
        }
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        try (Connection c = DriverManager.getConnection(jdbc)) {
            SchemaInfo schema = new SQLiteDialect().introspect(counting(c, calls), "main");

            assertThat(schema.tables()).hasSize(60);
            assertThat(schema.tables().get("t0").identityColumns()).containsExactly("id");
            assertThat(schema.tables().get("t0").primaryKey()).containsExactly("id");
            assertThat(schema.tables().get("t59").foreignKeys()).extracting(ForeignKeyInfo::toTable).containsOnly("t58");
            assertThat(schema.referencing("t30")).extracting(ForeignKeyInfo::fromTable).containsOnly("t31");
        }
        assertThat(calls.getOrDefault("getColumns", 0)).as("getColumns calls: %s", calls).isLessThanOrEqualTo(60);
        assertThat(calls.getOrDefault("getImportedKeys", 0)).as("getImportedKeys calls: %s", calls).isLessThanOrEqualTo(60);
        assertThat(calls.getOrDefault("getPrimaryKeys", 0)).as("getPrimaryKeys calls: %s", calls).isLessThanOrEqualTo(60);
    }

    @Test
    @DisplayName("foreign keys as SQLite declares them: two unnamed keys to one table stay two, a named one keeps its name, an implicit target is the parent's primary key, a key to a missing table is left out")
    void foreignKeysAsDeclared() throws SQLException {
        String jdbc = "jdbc:sqlite:" + dir.resolve("keys.db");
        try (Connection c = DriverManager.getConnection(jdbc); Statement st = c.createStatement()) {
            st.execute("create table users (id integer primary key, a int, b int, unique (a, b))");
            st.execute("create table task (id integer primary key, created_by int references users, "
                    + "assigned_to int references USERS(ID), pa int, pb int, ghost int references missing(id), "
                    + "constraint task_pair foreign key (pa, pb) references users(a, b))");
        }
        try (Connection c = DriverManager.getConnection(jdbc)) {
            SchemaInfo schema = new SQLiteDialect().introspect(c, "main");
            assertThat(schema.tables().get("task").foreignKeys())
                    .extracting(fk -> fk.fromColumns() + "->" + fk.toTable() + fk.toColumns())
                    .containsExactlyInAnyOrder("[created_by]->users[id]", "[assigned_to]->users[ID]", "[pa, pb]->users[a, b]");
            assertThat(schema.tables().get("task").foreignKeys()).filteredOn(fk -> fk.fromColumns().contains("pa"))
                    .extracting(ForeignKeyInfo::name).containsExactly("task_pair");
            assertThat(schema.referencing("users")).hasSize(3);
        }
    }

    /** {@code c}, whose {@link DatabaseMetaData} counts the calls of each of its methods into {@code calls}. */
    private static Connection counting(Connection c, Map<String, Integer> calls) throws SQLException {
        DatabaseMetaData meta = around(DatabaseMetaData.class, c.getMetaData(), method -> {
            calls.merge(method.getName(), 1, Integer::sum);
            return null;
        });
        return around(Connection.class, c, method -> method.getName().equals("getMetaData") ? meta : null);
    }

    /** {@code target} behind a proxy of {@code type}: {@code instead}'s answer for a call, else the target's. */
    private static <T> T around(Class<T> type, T target, Function<Method, Object> instead) {
        return type.cast(Proxy.newProxyInstance(SQLiteIntrospectionTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    Object answer = instead.apply(method);
                    if (answer != null) {
                        return answer;
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }));
    }
}
