package io.venomqa.state.journal.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tables an application trigger's or rule's SQL text writes by name ({@code INSERT INTO}, {@code REPLACE INTO},
 * {@code UPDATE}, {@code DELETE FROM}, {@code MERGE INTO}), for the warning {@link JournalSql#writesOutside} gives at
 * {@code connect()}: rows such a trigger writes into a table the journal does not track stay after every rollback.
 * A reading of the text, not of the database's parse: names built at run time ({@code EXECUTE format(…)}), writes in
 * called procedures and functions, and names resolved through a search path are not seen; a name in a comment or a
 * string is. Good enough for a warning, never used to decide what the undo does.
 */
final class TriggerWrites {

    private static final String IDENTIFIER = "\"(?:[^\"]|\"\")+\"|`(?:[^`]|``)+`|[\\p{L}_][\\p{L}\\p{N}_$]*";

    private static final Pattern WRITE = Pattern.compile("(?i)\\b(?:insert\\s+(?:ignore\\s+)?into|replace\\s+into|update"
            + "|delete\\s+from|merge\\s+into)\\s+(" + IDENTIFIER + ")(?:\\s*\\.\\s*(" + IDENTIFIER + "))?");

    /** A table a text writes: its schema (or database) as written, null when unqualified, and its name. */
    record Target(String schema, String table) {
    }

    private TriggerWrites() {
    }

    /**
     * The write targets in {@code sql}, each once, in the order they appear; names unquoted, and folded to lower case
     * where unquoted if {@code foldUnquoted} (PostgreSQL's rule; MySQL/MariaDB compare table names as the server's
     * {@code lower_case_table_names} says, which the caller applies).
     */
    static List<Target> in(String sql, boolean foldUnquoted) {
        List<Target> out = new ArrayList<>();
        if (sql == null) {
            return out;
        }
        Matcher m = WRITE.matcher(sql);
        while (m.find()) {
            Target t = m.group(2) == null ? new Target(null, name(m.group(1), foldUnquoted))
                    : new Target(name(m.group(1), foldUnquoted), name(m.group(2), foldUnquoted));
            if (!out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private static String name(String identifier, boolean fold) {
        char first = identifier.charAt(0);
        if (first == '"') {
            return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
        }
        if (first == '`') {
            return identifier.substring(1, identifier.length() - 1).replace("``", "`");
        }
        return fold ? identifier.toLowerCase(Locale.ROOT) : identifier;
    }
}
