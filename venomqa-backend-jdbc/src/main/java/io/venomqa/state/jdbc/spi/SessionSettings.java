package io.venomqa.state.jdbc.spi;

import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * For savepoint strategies: the session settings of the manager's connection at each checkpoint
 * ({@link JdbcDialect#sessionSettings}),
 * put back by a rollback where {@code ROLLBACK TO SAVEPOINT} leaves them: on MariaDB an application's
 * {@code SET foreign_key_checks = 0} through {@code sharedDataSource()} outlived the rollback, and the next
 * sibling path ran with foreign keys unchecked. Read at connect, then again only when the application sent a
 * statement that may change them ({@link JdbcSession#takeSettingsMayHaveChanged}): a cycle of checkpoint,
 * inserts and rollback costs no round trip more (benchmark row 1). A setting changed by a stored function
 * called from an ordinary statement is not seen. Guarantees: after {@link #rollback}, every setting the
 * dialect reads has the value it had when {@link #checkpoint} was called for that identifier, and one it read
 * only since (a user variable set since) is {@code NULL} (as far as a statement that changed it went through
 * {@code sharedDataSource()} or the strategy's own connection calls).
 * One instance per strategy; not thread-safe (the manager calls it under its connection lock).
 */
public final class SessionSettings {

    /** The settings as last read or put back; null when they must be read before use. */
    private Map<String, Object> current;
    private final Map<String, Map<String, Object>> byCheckpoint = new HashMap<>();

    /** At connect: the settings as found. */
    public void onConnect(JdbcSession session) throws SQLException {
        byCheckpoint.clear();
        session.takeSettingsMayHaveChanged();
        current = session.dialect().sessionSettings(session.connection());
    }

    /** The settings belong to {@code identifier} from now on. */
    public void checkpoint(JdbcSession session, String identifier) throws SQLException {
        byCheckpoint.put(identifier, now(session));
    }

    /** After the rollback to {@code identifier}: puts back the settings that differ from its, in one statement. */
    public void rollback(JdbcSession session, String identifier) throws SQLException {
        Map<String, Object> target = byCheckpoint.get(identifier);
        if (target == null) {
            return;
        }
        Map<String, Object> now = now(session);
        if (now == target) {
            return; // not read again since the checkpoint took it (no statement since may have changed a setting)
        }
        Map<String, Object> changed = new LinkedHashMap<>();
        target.forEach((name, value) -> {
            if (!Objects.deepEquals(now.get(name), value)) {
                changed.put(name, value);
            }
        });
        // A setting the checkpoint did not have (a user variable set since: MariaDB's @x) reads as NULL there.
        now.forEach((name, value) -> {
            if (value != null && !target.containsKey(name)) {
                changed.put(name, null);
            }
        });
        if (!changed.isEmpty()) {
            current = null; // read again if putting back fails half-way
            session.dialect().restoreSessionSettings(session.connection(), changed);
        }
        current = target;
    }

    /** The checkpoints {@code identifiers} were released or discarded: their settings are no longer needed. */
    public void forget(Collection<String> identifiers) {
        identifiers.forEach(byCheckpoint::remove);
    }

    /** After a reset or an error: read again before the next use. */
    public void clear() {
        byCheckpoint.clear();
        current = null;
    }

    private Map<String, Object> now(JdbcSession session) throws SQLException {
        if (session.takeSettingsMayHaveChanged() || current == null) {
            current = session.dialect().sessionSettings(session.connection());
        }
        return current;
    }
}
