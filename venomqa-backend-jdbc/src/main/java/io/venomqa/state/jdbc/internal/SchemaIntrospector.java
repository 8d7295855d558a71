package io.venomqa.state.jdbc.internal;

import io.venomqa.state.jdbc.spi.ForeignKeyInfo;
import io.venomqa.state.jdbc.spi.SchemaInfo;
import io.venomqa.state.jdbc.spi.TableInfo;
import org.jooq.DSLContext;
import org.jooq.ForeignKey;
import org.jooq.Meta;
import org.jooq.Schema;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.TableOptions;
import org.jooq.impl.DSL;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads tables, foreign keys and identity columns of one schema through jOOQ's meta API. Not API.
 */
public final class SchemaIntrospector {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SchemaIntrospector.class);

    /** Called before any jOOQ use; the work happens in the static initializer. */
    public static void quietJooq() {
    }

    /** jOOQ's threshold for one of its loggers (jOOQ 3.19: {@code -Dorg.jooq.log.<logger>=<level>}). */
    private static final String VERSION_SUPPORT_LOG = "org.jooq.log.org.jooq.impl.DefaultExecuteContext.logVersionSupport";
    /** jOOQ's INFO "Computed columns are a commercial only jOOQ feature", printed when it reads a generated column. */
    private static final String COMPUTED_COLUMNS_LOG = "org.jooq.log.org.jooq.impl.AbstractDataTypeX.generateAlwaysAs";
    /**
     * jOOQ's ERROR, with a stack trace and "Please report this error", when its parser cannot read a SQLite
     * table's DDL ({@code e text unique collate nocase}); its meta data then comes from the driver, and VenomQA's
     * reading of the table is unaffected.
     */
    private static final String INTERPRETER_LOG = "org.jooq.log.org.jooq.impl.InterpreterMetaProvider";
    /** The INFO "Cannot parse or interpret sql", with the same stack trace, that follows it (unique keys of SQLite). */
    private static final String META_LOG = "org.jooq.log.org.jooq.impl.MetaImpl";

    static {
        // jOOQ prints a banner and tips on first use; a test library should not add noise to its users' logs.
        // Only set when the user has not decided otherwise.
        if (System.getProperty("org.jooq.no-logo") == null) {
            System.setProperty("org.jooq.no-logo", "true");
        }
        if (System.getProperty("org.jooq.no-tips") == null) {
            System.setProperty("org.jooq.no-tips", "true");
        }
        // ... and an INFO line "Database version is supported by dialect …" at the first query, which users of a
        // library they never added saw in every test run; its WARN (a version jOOQ does not support) still shows.
        if (System.getProperty(VERSION_SUPPORT_LOG) == null) {
            System.setProperty(VERSION_SUPPORT_LOG, "WARN");
        }
        // ... and an INFO line offering its commercial edition whenever a schema has a generated column: VenomQA
        // reads generated columns from the catalog itself and needs nothing of that feature.
        if (System.getProperty(COMPUTED_COLUMNS_LOG) == null) {
            System.setProperty(COMPUTED_COLUMNS_LOG, "WARN");
        }
        // ... and an ERROR with a stack trace on every connect to a SQLite database whose DDL its parser does not
        // know, although nothing failed for VenomQA: only its FATAL is left.
        if (System.getProperty(INTERPRETER_LOG) == null) {
            System.setProperty(INTERPRETER_LOG, "FATAL");
        }
        if (System.getProperty(META_LOG) == null) {
            System.setProperty(META_LOG, "WARN");
        }
    }

    private SchemaIntrospector() {
    }

    /** Makes sure the static initializer above ran before any other jOOQ use. */
    public static DSLContext dsl(Connection connection, SQLDialect dialect) {
        return DSL.using(connection, dialect);
    }

    /**
     * Introspects {@code schemaName}. When the database reports exactly one schema and none has
     * that name (SQLite's unnamed schema), that one is used.
     *
     * @throws SQLException when the schema does not exist, naming the schemas that do
     */
    public static SchemaInfo introspect(Connection connection, SQLDialect dialect, String schemaName,
                                        Predicate<String> systemTable) throws SQLException {
        return introspect(connection, dialect, schemaName, systemTable, (table, named) -> null);
    }

    /**
     * A dialect's own reading of a table's foreign keys, where jOOQ's meta API reads them badly or slowly.
     * {@code named} gives a table of the schema by its name in any case (null: no such table).
     */
    @FunctionalInterface
    public interface ForeignKeyReader {
        /** The foreign keys of {@code table}, or null to read them through jOOQ's meta API. */
        List<ForeignKeyInfo> read(String table, java.util.function.UnaryOperator<String> named) throws SQLException;
    }

    /** {@link #introspect(Connection, SQLDialect, String, Predicate)}, each table's foreign keys read by {@code foreignKeys} first. */
    public static SchemaInfo introspect(Connection connection, SQLDialect dialect, String schemaName,
                                        Predicate<String> systemTable, ForeignKeyReader foreignKeys) throws SQLException {
        Meta meta;
        List<Schema> schemas;
        try {
            meta = dsl(connection, dialect).meta(forIntrospection(connection.getMetaData()));
            schemas = meta.getSchemas();
        } catch (org.jooq.exception.DataAccessException e) {
            throw asSql(e);
        }
        Schema schema = null;
        for (Schema s : schemas) {
            if (s.getName().equals(schemaName)) {
                schema = s;
            }
        }
        if (schema == null) {
            for (Schema s : schemas) {
                if (s.getName().equalsIgnoreCase(schemaName)) {
                    schema = s;
                }
            }
        }
        if (schema == null && schemas.size() == 1) {
            schema = schemas.get(0);
        }
        if (schema == null) {
            throw new SQLException("Schema '" + schemaName + "' does not exist. Schemas found: "
                    + schemas.stream().map(Schema::getName).toList(), "3F000");
        }
        Map<String, TableInfo> tables = new LinkedHashMap<>();
        try {
            List<? extends Table<?>> all = schema.getTables();
            Map<String, String> byLowerName = new java.util.HashMap<>();
            for (Table<?> t : all) {
                byLowerName.putIfAbsent(t.getName().toLowerCase(java.util.Locale.ROOT), t.getName());
            }
            for (Table<?> t : all) {
                TableOptions.TableType type = t.getTableType();
                if (type != null && type != TableOptions.TableType.TABLE && type != TableOptions.TableType.UNKNOWN) {
                    continue;
                }
                if (systemTable.test(t.getName())) {
                    continue;
                }
                List<ForeignKeyInfo> read = foreignKeys.read(t.getName(),
                        name -> byLowerName.get(name.toLowerCase(java.util.Locale.ROOT)));
                List<ForeignKeyInfo> fks = read != null ? read : new ArrayList<>();
                for (ForeignKey<?, ?> fk : read != null ? List.<ForeignKey<?, ?>>of() : t.getReferences()) {
                    Table<?> target = fk.getKey().getTable();
                    if (target.getSchema() != null && !target.getSchema().getName().equals(schema.getName())) {
                        continue; // keys into other schemas do not constrain a reset of this one
                    }
                    fks.add(new ForeignKeyInfo(fk.getName(), t.getName(), names(fk.getFields()),
                            target.getName(), names(fk.getKeyFields())));
                }
                List<String> identity = new ArrayList<>();
                if (t.getIdentity() != null) {
                    identity.add(t.getIdentity().getField().getName());
                }
                List<String> primaryKey = t.getPrimaryKey() == null ? List.of() : names(t.getPrimaryKey().getFields());
                tables.put(t.getName(), new TableInfo(t.getName(), fks, identity, primaryKey));
            }
        } catch (org.jooq.exception.DataAccessException e) {
            throw asSql(e);
        }
        return new SchemaInfo(schema.getName(), tables);
    }

    /** The {@link DatabaseMetaData} methods whose name arguments (all but the catalog) are LIKE patterns. */
    private static final java.util.Set<String> PATTERN_METHODS = java.util.Set.of("getTables", "getColumns", "getSchemas",
            "getUDTs", "getFunctions", "getFunctionColumns", "getProcedures", "getProcedureColumns", "getSuperTables",
            "getSuperTypes", "getTablePrivileges", "getAttributes", "getPseudoColumns");

    /** The {@link DatabaseMetaData} methods whose answers {@link #forIntrospection} keeps for the rest of an introspection. */
    private static final java.util.Set<String> KEPT_METHODS = java.util.Set.of("getTables", "getColumns", "getPrimaryKeys",
            "getImportedKeys", "getExportedKeys", "getCrossReference", "getIndexInfo");

    /**
     * {@code meta} as one introspection reads it.
     * <ul>
     * <li>The names jOOQ passes to its pattern arguments are escaped, so that they match only themselves. jOOQ passes
     * a schema's name where JDBC expects a LIKE pattern: on PostgreSQL a schema {@code app_1} then also read the
     * tables of a schema {@code appX1} (wrongly tracked as its own), and a name with a backslash matched nothing (no
     * table tracked, so nothing journaled and every rollback a silent no-op). {@code "%"} (everything) is left as it
     * is, and so is every name where the driver has no escape (its patterns cannot be made exact).</li>
     * <li>The answers of the methods that describe tables ({@link #KEPT_METHODS}) are read once per set of arguments
     * and kept (as jOOQ results, handed out again as result sets of their own) until the introspection ends: jOOQ's {@code MetaImpl} reads every table's columns
     * again for each table it resolves (a foreign key's target, a key), so that an introspection called
     * {@code getColumns} once per pair of tables. On SQLite, whose driver answers each call with several
     * statements, {@code connect()} took 4.7 s with 200 tables (40 000 calls) and 78 s with 600.</li>
     * </ul>
     */
    static DatabaseMetaData forIntrospection(DatabaseMetaData meta) throws SQLException {
        String escape = meta.getSearchStringEscape();
        boolean escaping = escape != null && !escape.isEmpty();
        Map<String, org.jooq.Result<org.jooq.Record>> answers = new java.util.HashMap<>();
        DSLContext reader = DSL.using(SQLDialect.DEFAULT);
        return (DatabaseMetaData) Proxy.newProxyInstance(SchemaIntrospector.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, (proxy, method, args) -> {
                    if (escaping && args != null && PATTERN_METHODS.contains(method.getName())) {
                        args = args.clone();
                        for (int i = 1; i < args.length; i++) {
                            if (args[i] instanceof String name && !name.equals("%")) {
                                args[i] = name.replace(escape, escape + escape).replace("_", escape + "_")
                                        .replace("%", escape + "%");
                            }
                        }
                    }
                    String key = KEPT_METHODS.contains(method.getName())
                            ? method.getName() + java.util.Arrays.deepToString(args) : null;
                    org.jooq.Result<org.jooq.Record> kept = key == null ? null : answers.get(key);
                    if (kept != null) {
                        return kept.intoResultSet();
                    }
                    Object answer;
                    try {
                        answer = method.invoke(meta, args);
                    } catch (InvocationTargetException e) {
                        if (method.getName().equals("getColumns") && "%".equals(args[2])
                                && e.getCause() instanceof SQLException whole) {
                            org.jooq.Result<org.jooq.Record> rows = columnsTableByTable(meta, reader, args, escaping ? escape : null, whole);
                            answers.put(key, rows);
                            return rows.intoResultSet();
                        }
                        throw e.getCause();
                    }
                    if (key == null || !(answer instanceof java.sql.ResultSet rs)) {
                        return answer;
                    }
                    org.jooq.Result<org.jooq.Record> rows = fetchAsGiven(reader, rs);
                    if (method.getName().equals("getTables")) {
                        withoutViews(rows);
                    }
                    answers.put(key, rows);
                    return rows.intoResultSet();
                });
    }

    /**
     * {@code getTables}' answer without its views (any {@code TABLE_TYPE} naming a view: {@code VIEW},
     * {@code SYSTEM VIEW}, {@code MATERIALIZED VIEW}): VenomQA tracks base tables only, and jOOQ reads each table it
     * lists, which the database refuses for a view whose table is gone (SQLite keeps such a view: "no such table").
     */
    private static void withoutViews(org.jooq.Result<org.jooq.Record> tables) {
        org.jooq.Field<?> type = null;
        for (org.jooq.Field<?> f : tables.fields()) {
            if (f.getName().equalsIgnoreCase("TABLE_TYPE")) {
                type = f;
            }
        }
        if (type == null) {
            return;
        }
        org.jooq.Field<?> typeField = type;
        tables.removeIf(r -> r.get(typeField) != null
                && r.get(typeField).toString().toUpperCase(java.util.Locale.ROOT).contains("VIEW"));
    }

    /** A result set read whole, every value as the driver gives it. */
    private static org.jooq.Result<org.jooq.Record> fetchAsGiven(DSLContext reader, java.sql.ResultSet rs) throws SQLException {
        try (rs) {
            // getObject: jOOQ would convert each value to the type the result's metadata names, which sqlite-jdbc's
            // does not always match (a COLUMN_DEF).
            Class<?>[] asGiven = new Class<?>[rs.getMetaData().getColumnCount()];
            java.util.Arrays.fill(asGiven, Object.class);
            return reader.fetch(rs, asGiven);
        }
    }

    /**
     * The columns of every table of the schema, read table by table, after the one read of them all failed
     * ({@code whole}): MySQL's driver reads a view's columns by asking the server, which refuses a view whose table
     * or column is gone ("View … references invalid table(s) or column(s)"), and until 2026-12-07 one such view,
     * common in an old schema and never used by the application, made {@code connect()} fail with that error (and a
     * rollback after a table's rename, which leaves its views so). A view whose columns cannot be read is left out
     * (VenomQA tracks base tables only); any other table that cannot be read fails as the whole read did.
     */
    private static org.jooq.Result<org.jooq.Record> columnsTableByTable(DatabaseMetaData meta, DSLContext reader,
            Object[] args, String escape, SQLException whole) throws SQLException {
        org.jooq.Result<org.jooq.Record> all = null;
        List<String> skipped = new ArrayList<>();
        try (java.sql.ResultSet tables = meta.getTables((String) args[0], (String) args[1], "%", null)) {
            List<String[]> named = new ArrayList<>();
            while (tables.next()) {
                named.add(new String[] {tables.getString("TABLE_NAME"), String.valueOf(tables.getString("TABLE_TYPE"))});
            }
            for (String[] t : named) {
                String pattern = escape == null ? t[0]
                        : t[0].replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
                org.jooq.Result<org.jooq.Record> part;
                try {
                    part = fetchAsGiven(reader, meta.getColumns((String) args[0], (String) args[1], pattern, (String) args[3]));
                } catch (SQLException e) {
                    if (!t[1].toUpperCase(java.util.Locale.ROOT).contains("VIEW")) {
                        e.addSuppressed(whole);
                        throw e;
                    }
                    skipped.add(t[0] + " (" + e.getMessage() + ")");
                    continue;
                }
                if (all == null) {
                    all = part;
                } else {
                    all.addAll(part);
                }
            }
        }
        if (all == null) {
            throw whole;
        }
        if (!skipped.isEmpty()) {
            LOG.info("Views whose columns the database would not give were left out of the schema's introspection "
                    + "(VenomQA tracks base tables only): {}", skipped);
        }
        return all;
    }

    private static List<String> names(List<? extends TableField<?, ?>> fields) {
        List<String> out = new ArrayList<>(fields.size());
        for (TableField<?, ?> f : fields) {
            out.add(f.getName());
        }
        return out;
    }

    private static SQLException asSql(org.jooq.exception.DataAccessException e) {
        Throwable cause = e.getCause();
        if (cause instanceof SQLException s) {
            return s;
        }
        return new SQLException(e.getMessage(), e.sqlState(), e);
    }
}
