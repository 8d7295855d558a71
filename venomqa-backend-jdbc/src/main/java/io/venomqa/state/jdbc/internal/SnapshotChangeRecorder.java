package io.venomqa.state.jdbc.internal;

import io.venomqa.state.ChangeMark;
import io.venomqa.state.ChangeTracker;
import io.venomqa.state.DbChanges;
import io.venomqa.state.jdbc.spi.ChangeRecorder;
import io.venomqa.state.jdbc.spi.JdbcSession;
import io.venomqa.state.jdbc.spi.TableInfo;
import io.venomqa.state.spi.ChangeTracking;

import java.sql.Blob;
import java.sql.Clob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in {@link ChangeRecorder}: reads every tracked table at each mark and compares the
 * snapshots. Read-only and DDL-free, so it is safe inside the savepoint strategy's open transaction
 * on every dialect: no temporary table or trigger (MySQL and H2 would commit on DDL; a trigger on an
 * application table would be seen by, and break, other sessions). It sees what the manager's
 * connection sees. Its cost is a read of every tracked table per mark, so above
 * {@value #OPTION_MAX_ROWS} rows in all it reports the window as not tracked instead of slowing the
 * run down. Not API.
 */
public final class SnapshotChangeRecorder implements ChangeRecorder {

    /** Option: the most rows the tracked tables may hold in all for snapshot comparison. */
    public static final String OPTION_MAX_ROWS = "track_changes_max_rows";
    /** Default of {@value #OPTION_MAX_ROWS}. */
    public static final int DEFAULT_MAX_ROWS = 20_000;

    private final int maxRows;
    private final String strategy;

    /** A recorder comparing at most {@code maxRows} rows, for messages naming checkpoint strategy {@code strategy}. */
    public SnapshotChangeRecorder(int maxRows, String strategy) {
        this.maxRows = maxRows;
        this.strategy = strategy;
    }

    /** Tables as read at one moment, or the reason they were not read. */
    private record Snapshot(SnapshotChangeRecorder owner, Map<String, ChangeTracking.TableSnapshot> tables,
                            String tooLarge) implements ChangeMark {
    }

    @Override
    public ChangeMark mark(JdbcSession session) throws SQLException {
        return read(session);
    }

    @Override
    public ChangeTracker.Window advance(JdbcSession session, ChangeMark mark) throws SQLException {
        if (!(mark instanceof Snapshot before) || before.owner() != this) {
            throw new IllegalArgumentException("This mark was not made by this session's change recorder: " + mark);
        }
        Snapshot now = read(session);
        String tooLarge = before.tooLarge() != null ? before.tooLarge() : now.tooLarge();
        if (tooLarge != null) {
            return new ChangeTracker.Window(DbChanges.notTracked(tooLarge), now);
        }
        DbChanges.Builder b = DbChanges.builder();
        for (Map.Entry<String, ChangeTracking.TableSnapshot> e : now.tables().entrySet()) {
            ChangeTracking.diff(b, e.getKey(), before.tables().get(e.getKey()), e.getValue());
        }
        for (Map.Entry<String, ChangeTracking.TableSnapshot> e : before.tables().entrySet()) {
            if (!now.tables().containsKey(e.getKey())) {
                ChangeTracking.diff(b, e.getKey(), e.getValue(), null); // dropped: its rows are gone
            }
        }
        return new ChangeTracker.Window(b.build(), now);
    }

    private Snapshot read(JdbcSession session) throws SQLException {
        return SqlFailures.guarded(session.connection(), session.dialect().statementErrorAbortsTransaction(), () -> {
            Map<String, ChangeTracking.TableSnapshot> tables = new LinkedHashMap<>();
            long total = 0;
            for (TableInfo t : session.trackedTables()) {
                List<Map<String, String>> rows = new ArrayList<>();
                try (PreparedStatement ps = session.connection().prepareStatement("select * from " + session.qualified(t.name()));
                     ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        if (++total > maxRows) {
                            return new Snapshot(this, Map.of(), "the tracked tables hold more than " + maxRows
                                    + " rows, too many to compare whole before and after each step (how the "
                                    + strategy + " strategy finds changes); raise " + OPTION_MAX_ROWS + ", or use checkpoint_strategy: journal");
                        }
                        Map<String, String> row = new LinkedHashMap<>();
                        for (int c = 1; c <= md.getColumnCount(); c++) {
                            row.put(md.getColumnLabel(c), text(rs, c, md.getColumnType(c)));
                        }
                        rows.add(row);
                    }
                }
                tables.put(t.name(), new ChangeTracking.TableSnapshot(t.primaryKey(), rows));
            }
            return new Snapshot(this, tables, null);
        });
    }

    /** A value as text in the form every change source uses: binary as {@code 0x…}, booleans as {@code true}/{@code false}. */
    static String text(ResultSet rs, int column, int sqlType) throws SQLException {
        switch (sqlType) {
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> {
                byte[] bytes = rs.getBytes(column);
                return bytes == null ? null : "0x" + HexFormat.of().formatHex(bytes);
            }
            case Types.BOOLEAN, Types.BIT -> {
                Object v = rs.getObject(column);
                if (v instanceof byte[] bits) {
                    return "0x" + HexFormat.of().formatHex(bits);
                }
                return v == null ? null : String.valueOf(v);
            }
            default -> {
                Object v = rs.getObject(column);
                if (v == null) {
                    return null;
                }
                if (v instanceof byte[] bytes) {
                    return "0x" + HexFormat.of().formatHex(bytes);
                }
                if (v instanceof Blob blob) {
                    return "0x" + HexFormat.of().formatHex(blob.getBytes(1, (int) blob.length()));
                }
                if (v instanceof Clob clob) {
                    return clob.getSubString(1, (int) clob.length());
                }
                return rs.getString(column);
            }
        }
    }
}
