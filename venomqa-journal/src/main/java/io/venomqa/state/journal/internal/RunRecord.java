package io.venomqa.state.journal.internal;

import io.venomqa.state.jdbc.spi.SequenceSnapshot;
import java.util.List;
import java.util.Map;

/**
 * What a journaling run leaves in the database for the next {@code connect()}: who owns it, since
 * when, the counters at its {@code connect()}, and on which tables triggers are installed.
 *
 * @param owner       {@code pid@host} of the JVM that connected
 * @param startedAt   when it connected, as text from the database
 * @param counters    the identity counters at its {@code connect()} (see {@link SequenceSnapshot})
 * @param tables      tables that carry journal triggers now
 * @param entries     number of journal rows the run left
 * @param header      the database's own values at its {@code connect()} that no trigger sees
 *                    ({@code JournalSql.headerValues}: SQLite's {@code user_version}, {@code application_id}), empty
 *                    where the database has none or the run was written by a version that did not keep them
 * @param definitions what its {@code connect()} found of the schema that no trigger records ({@code RunDefinitions}'
 *                    text form), for the recovery to compare; null where the run was written by a version that did
 *                    not keep it
 */
public record RunRecord(String owner, String startedAt, SequenceSnapshot counters, List<String> tables, long entries,
                        Map<String, Long> header, String definitions) {

    public RunRecord {
        header = Map.copyOf(header);
    }

    /** A record without definitions. */
    public RunRecord(String owner, String startedAt, SequenceSnapshot counters, List<String> tables, long entries,
                     Map<String, Long> header) {
        this(owner, startedAt, counters, tables, entries, header, null);
    }

    /** A record without header values. */
    public RunRecord(String owner, String startedAt, SequenceSnapshot counters, List<String> tables, long entries) {
        this(owner, startedAt, counters, tables, entries, Map.of());
    }
}
