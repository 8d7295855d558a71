package io.venomqa.state.jdbc.internal;

import java.sql.SQLException;
import java.util.Locale;

/**
 * Reads the SQL text an application sends through {@code sharedDataSource()} and refuses the
 * statements that would end or reshape the manager's one transaction behind its back: {@code COMMIT},
 * {@code END}, {@code ROLLBACK}, {@code ABORT}, {@code BEGIN}, {@code START TRANSACTION},
 * {@code PREPARE TRANSACTION}, {@code XA}, {@code SET autocommit}, MySQL's {@code LOCK TABLES},
 * and savepoints whose name VenomQA reserves ({@code venomqa_…}). Sent as text they reach the
 * server directly: a {@code COMMIT} made every write of the run permanent, and a
 * {@code SAVEPOINT venomqa_sp_1} made the manager's next rollback stop at the application's
 * savepoint instead of its own, both without any error. The JDBC methods ({@code commit()},
 * {@code rollback()}, {@code setSavepoint()}) stay the way to do it: the shared connection maps them.
 *
 * <p>Only statement beginnings count: string literals, quoted identifiers, comments and PostgreSQL's
 * dollar-quoted bodies are skipped, so {@code insert … values ('commit')} runs. A statement that
 * defines a routine or trigger with a body in plain text ({@code CREATE PROCEDURE …}, MariaDB's
 * {@code BEGIN NOT ATOMIC}, PostgreSQL's {@code BEGIN ATOMIC}) ends the reading, so the
 * {@code COMMIT} inside a procedure body is not taken for one of the application's. Not API.
 */
public final class SharedStatementGuard {

    /** How a database writes literals and comments, which decides where its statements begin. */
    public enum Syntax {
        /** {@code E'…'} strings with backslashes, {@code $tag$…$tag$} bodies, nested block comments. */
        POSTGRESQL,
        /** Backslash escapes in strings, {@code `…`} names, {@code #} comments, {@code /*! … *}{@code /} code in comments. */
        MYSQL,
        /** {@code `…`} and {@code […]} names besides standard SQL. */
        SQLITE,
        /** Standard SQL literals and comments (H2, and any other dialect). */
        STANDARD
    }

    /** Savepoint names VenomQA sets on the manager's connection start with this (compared ignoring case). */
    public static final String RESERVED_PREFIX = "venomqa_";

    /**
     * First words of statements that may change the session's settings: {@code SET} itself, and those that
     * run statements the text does not show (a procedure, prepared or built text, MariaDB's {@code BEGIN NOT
     * ATOMIC}), {@code USE} (the default database) and SQLite's {@code PRAGMA}. A stored function called from
     * another statement is not seen.
     */
    private static final java.util.Set<String> CHANGES_SETTINGS = java.util.Set.of("set", "call", "execute", "exec", "use",
            "pragma", "do", "begin");

    /** Enough for {@code ROLLBACK WORK TO SAVEPOINT name}. */
    private static final int WORDS = 6;

    private SharedStatementGuard() {
    }

    /**
     * Throws when {@code sql} holds a statement the shared connection must not run; nothing of
     * {@code sql} has run then. Returns for everything else, including text it cannot read (the
     * server judges that): true when the text may change the session's settings ({@code SET},
     * SQLite's {@code PRAGMA}, {@code CALL}, {@code EXECUTE}, {@code USE}, an anonymous block, or text
     * left unread; in MySQL's syntax also any text holding an {@code @}, which may assign a user variable,
     * {@code SELECT @n := …} or {@code … INTO @n}), which the savepoint strategy then reads again at its
     * next checkpoint or rollback.
     */
    public static boolean check(String sql, Syntax syntax) throws SQLException {
        if (sql == null) {
            return false;
        }
        java.util.Map<String, Boolean> passed = PASSED.get(syntax);
        Boolean settings = passed.get(sql);
        if (settings != null) {
            return settings;
        }
        Reader reader = new Reader(sql, syntax);
        reader.run();
        // An @ inside a literal counts too: it costs one read of the settings, never a wrong one.
        boolean verdict = reader.settings || (syntax == Syntax.MYSQL && sql.indexOf('@') >= 0);
        if (sql.length() <= MAX_REMEMBERED_LENGTH) {
            if (passed.size() >= MAX_REMEMBERED) {
                passed.clear();
            }
            passed.put(sql, verdict);
        }
        return verdict;
    }

    /**
     * Texts already read and let through, per syntax: an application sends the same few statements
     * again and again (benchmark row 1: the reading was a tenth of a checkpoint cycle on SQLite), and
     * the verdict depends on the text and the syntax alone. Refused texts are read every time, so each
     * refusal says why; the maps (text → whether it may change session settings) are emptied when full.
     */
    private static final java.util.Map<Syntax, java.util.Map<String, Boolean>> PASSED = new java.util.EnumMap<>(Syntax.class);
    private static final int MAX_REMEMBERED = 4096;
    private static final int MAX_REMEMBERED_LENGTH = 4096;

    static {
        for (Syntax s : Syntax.values()) {
            PASSED.put(s, new java.util.concurrent.ConcurrentHashMap<>());
        }
    }

    /** Throws when the application asks for a savepoint by a name VenomQA reserves. */
    public static void checkSavepointName(String name) throws SQLException {
        if (name != null && isReserved(name)) {
            throw reservedName(name);
        }
    }

    private static boolean isReserved(String name) {
        return name.toLowerCase(Locale.ROOT).startsWith(RESERVED_PREFIX);
    }

    private static SQLException reservedName(String name) {
        return new SQLException("VenomQA refused a savepoint named '" + name + "' on a connection from sharedDataSource(): "
                + "names starting with '" + RESERVED_PREFIX + "' belong to VenomQA's own savepoints (its checkpoints), "
                + "and one of the application's by the same name would make a later rollback stop at the wrong place. "
                + "Choose another name.", "3B000");
    }

    /** One pass over the text: the first words of each statement, then its verdict. */
    private static final class Reader {
        private final String sql;
        private final Syntax syntax;
        private final int n;
        private int i;
        /** Depth of MySQL's {@code /*!…} comments whose content is code. */
        private int codeComments;
        /** The statement's first words: lower case when unquoted, for comparing with keywords. */
        private final String[] words = new String[WORDS];
        /** The same as written, for messages. */
        private final String[] raw = new String[WORDS];
        private final boolean[] quoted = new boolean[WORDS];
        private int count;
        private boolean mentionsAutocommit;
        /** Whether the statement names a routine or trigger, whose body may hold semicolons of its own. */
        private boolean mentionsRoutine;
        /** The statement's first string literal as written between its quotes (MySQL's PREPARE … FROM 'text'). */
        private String firstLiteral;
        private int start;
        /** Whether a statement read may change the session's settings (see {@link #check}). */
        boolean settings;

        Reader(String sql, Syntax syntax) {
            this.sql = sql;
            this.syntax = syntax;
            this.n = sql.length();
        }

        void run() throws SQLException {
            start = 0;
            while (i < n) {
                char c = sql.charAt(i);
                if (c == ';') {
                    if (endStatement(i)) {
                        return;
                    }
                    i++;
                    start = i;
                } else if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '-' && at(i + 1) == '-' && (syntax != Syntax.MYSQL || isSpaceOrEnd(i + 2))) {
                    skipLine();
                } else if (c == '#' && syntax == Syntax.MYSQL) {
                    skipLine();
                } else if (c == '/' && at(i + 1) == '*') {
                    blockComment();
                } else if (c == '*' && at(i + 1) == '/' && codeComments > 0) {
                    codeComments--;
                    i += 2;
                } else if (c == '\'') {
                    int from = i + 1;
                    skipQuoted('\'', syntax == Syntax.MYSQL);
                    literal(from, '\'');
                    word(null, false);
                    if (count <= WORDS) {
                        // Not a keyword, but SQLite takes 'name' as a name where one is expected:
                        // SAVEPOINT 'venomqa_sp_1' is read as the savepoint's name by savepointName.
                        raw[count - 1] = unquote(from, '\'');
                    }
                } else if ((c == 'E' || c == 'e') && at(i + 1) == '\'' && syntax == Syntax.POSTGRESQL && !identifierBefore()) {
                    i++;
                    skipQuoted('\'', true);
                    word(null, false);
                } else if (c == '"') {
                    int from = i + 1;
                    skipQuoted('"', syntax == Syntax.MYSQL);
                    if (syntax == Syntax.MYSQL) {
                        literal(from, '"'); // a string in MySQL unless ANSI_QUOTES
                    }
                    word(unquote(from, '"'), true);
                } else if (c == '`' && syntax != Syntax.POSTGRESQL) {
                    int from = i + 1;
                    skipQuoted('`', false);
                    word(unquote(from, '`'), true);
                } else if (c == '[' && syntax == Syntax.SQLITE) {
                    int end = sql.indexOf(']', i + 1);
                    int to = end < 0 ? n : end;
                    word(sql.substring(i + 1, to), true);
                    i = end < 0 ? n : end + 1;
                } else if (c == '$' && syntax == Syntax.POSTGRESQL && dollarQuote()) {
                    word(null, false);
                } else if (isIdentifierStart(c)) {
                    int from = i;
                    while (i < n && isIdentifierPart(sql.charAt(i))) {
                        i++;
                    }
                    word(sql.substring(from, i), false);
                } else {
                    i++;
                    word(null, false);
                }
            }
            endStatement(n);
        }

        private char at(int k) {
            return k < n ? sql.charAt(k) : '\0';
        }

        private boolean isSpaceOrEnd(int k) {
            return k >= n || Character.isWhitespace(sql.charAt(k));
        }

        private boolean identifierBefore() {
            return i > 0 && isIdentifierPart(sql.charAt(i - 1));
        }

        private static boolean isIdentifierStart(char c) {
            return Character.isLetter(c) || c == '_';
        }

        private static boolean isIdentifierPart(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '$';
        }

        private void skipLine() {
            while (i < n && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
                i++;
            }
        }

        private void blockComment() {
            if (syntax == Syntax.MYSQL && (at(i + 2) == '!' || (at(i + 2) == 'M' && at(i + 3) == '!'))) {
                // MySQL runs the text of /*!50000 … */ (MariaDB also /*M!…*/): read it as code.
                i += at(i + 2) == '!' ? 3 : 4;
                while (i < n && Character.isDigit(sql.charAt(i))) {
                    i++;
                }
                codeComments++;
                return;
            }
            int depth = 1;
            i += 2;
            while (i < n && depth > 0) {
                if (sql.charAt(i) == '*' && at(i + 1) == '/') {
                    depth--;
                    i += 2;
                } else if (syntax == Syntax.POSTGRESQL && sql.charAt(i) == '/' && at(i + 1) == '*') {
                    depth++;
                    i += 2;
                } else {
                    i++;
                }
            }
        }

        /** From the opening quote at {@code i} to after the closing one; a doubled quote stands for itself. */
        private void skipQuoted(char quote, boolean backslashEscapes) {
            i++;
            while (i < n) {
                char c = sql.charAt(i);
                if (backslashEscapes && c == '\\') {
                    i += 2;
                } else if (c == quote) {
                    if (at(i + 1) == quote) {
                        i += 2;
                    } else {
                        i++;
                        return;
                    }
                } else {
                    i++;
                }
            }
        }

        private void literal(int from, char quote) {
            if (firstLiteral == null && count < WORDS) {
                firstLiteral = unquote(from, quote);
            }
        }

        /** MySQL's backslash escapes in {@code text}, enough to read the statement it holds. */
        private static String unescapeBackslashes(String text) {
            StringBuilder out = new StringBuilder(text.length());
            for (int k = 0; k < text.length(); k++) {
                char c = text.charAt(k);
                if (c == '\\' && k + 1 < text.length()) {
                    char next = text.charAt(++k);
                    out.append(switch (next) {
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 't' -> '\t';
                        case '0', 'Z', 'b' -> ' ';
                        default -> next;
                    });
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }

        private String unquote(int from, char quote) {
            int to = Math.min(Math.max(from, i - 1), n);
            String q = String.valueOf(quote);
            return sql.substring(from, to).replace(q + q, q);
        }

        /** {@code $tag$ … $tag$} at {@code i}; false (nothing consumed) when it is a parameter such as {@code $1}. */
        private boolean dollarQuote() {
            if (identifierBefore()) {
                return false;
            }
            int k = i + 1;
            if (k < n && isIdentifierStart(sql.charAt(k))) {
                while (k < n && sql.charAt(k) != '$' && (Character.isLetterOrDigit(sql.charAt(k)) || sql.charAt(k) == '_')) {
                    k++;
                }
            }
            if (k >= n || sql.charAt(k) != '$') {
                return false;
            }
            String tag = sql.substring(i, k + 1);
            int end = sql.indexOf(tag, k + 1);
            i = end < 0 ? n : end + tag.length();
            return true;
        }

        private void word(String written, boolean isQuoted) {
            String w = written == null || isQuoted ? written : written.toLowerCase(Locale.ROOT);
            if (w != null && !isQuoted) {
                if (w.equals("autocommit")) {
                    mentionsAutocommit = true;
                } else if (isRoutineWord(w)) {
                    mentionsRoutine = true;
                }
            }
            if (count < WORDS) {
                words[count] = w;
                raw[count] = written;
                quoted[count] = isQuoted;
            }
            count++;
        }

        /**
         * Words after which a {@code CREATE} may have an unquoted body with semicolons: PostgreSQL quotes
         * its bodies except SQL-standard {@code BEGIN ATOMIC} ones; MySQL, MariaDB and SQLite write
         * routine and trigger bodies as plain text.
         */
        private boolean isRoutineWord(String w) {
            if (syntax == Syntax.POSTGRESQL) {
                return w.equals("atomic");
            }
            return w.equals("procedure") || w.equals("function") || w.equals("trigger") || w.equals("event");
        }

        private String w(int k) {
            return k < Math.min(count, WORDS) && !quoted[k] ? words[k] : null;
        }

        /** Judges the statement just read; true when the rest of the text is to be left unread. */
        private boolean endStatement(int end) throws SQLException {
            try {
                return judge(end);
            } finally {
                java.util.Arrays.fill(words, null);
                java.util.Arrays.fill(raw, null);
                count = 0;
                mentionsAutocommit = false;
                mentionsRoutine = false;
                firstLiteral = null;
            }
        }

        private boolean judge(int end) throws SQLException {
            String first = w(0);
            if (first == null) {
                return false;
            }
            String second = w(1);
            boolean leftUnread = judgeStatement(first, second, end);
            if (leftUnread || CHANGES_SETTINGS.contains(first)) {
                settings = true;
            }
            return leftUnread;
        }

        private boolean judgeStatement(String first, String second, int end) throws SQLException {
            switch (first) {
                case "create":
                    // A routine's body may hold COMMIT or BEGIN … END of its own, split here at its first
                    // semicolon: what follows is the server's to judge. Any other CREATE is one statement.
                    return mentionsRoutine;
                case "begin":
                    if (syntax == Syntax.MYSQL && "not".equals(second)) {
                        return true; // MariaDB's anonymous block BEGIN NOT ATOMIC … END
                    }
                    throw refused(end, "would start a new transaction (on MySQL and MariaDB it first commits the run's)",
                            "setAutoCommit(false)");
                case "start":
                    if ("transaction".equals(second)) {
                        throw refused(end, "would start a new transaction (on MySQL and MariaDB it first commits the run's)",
                                "setAutoCommit(false)");
                    }
                    return false;
                case "commit":
                case "end":
                    throw refused(end, "would commit the run's transaction: every write so far would become permanent "
                            + "and every checkpoint would be lost", "commit()");
                case "abort":
                    throw refused(end, "would roll back the run's whole transaction, writes from before the last "
                            + "checkpoint included, and lose every checkpoint", "rollback()");
                case "rollback":
                    return rollback(end);
                case "savepoint":
                    savepointName(1);
                    return false;
                case "release":
                    savepointName("savepoint".equals(second) ? 2 : 1);
                    return false;
                case "prepare":
                    if ("transaction".equals(second) || "commit".equals(second)) {
                        throw refused(end, "would hand the run's transaction over to two-phase commit", "commit()");
                    }
                    checkPreparedText();
                    return false;
                case "execute":
                    if ("immediate".equals(second)) {
                        checkPreparedText();
                    }
                    return false;
                case "xa":
                    throw refused(end, "would end the run's transaction and start an XA transaction", "commit()");
                case "set":
                    if (mentionsAutocommit) {
                        throw refused(end, "would switch the manager's connection to auto-commit (committing the run's "
                                + "transaction on MySQL, MariaDB and H2) or out of it", "setAutoCommit(…)");
                    }
                    return false;
                case "use":
                    if (syntax == Syntax.MYSQL) {
                        // Until 2026-12-06 it ran: the application's next statements, and those of the paths after a
                        // rollback (which does not undo USE), wrote into the other database, whose counters no
                        // checkpoint holds.
                        throw refused(end, "would move the manager's connection to another database: the application's "
                                + "later statements, also on the paths after a rollback (which does not undo USE), would "
                                + "run there, and no checkpoint holds that database's counters",
                                null, "Name the other database's tables in the statements (other_db.table) instead, or "
                                + "give the application a database of its own outside the run.");
                    }
                    return false;
                case "lock":
                    if (syntax == Syntax.MYSQL && ("tables".equals(second) || "table".equals(second))) {
                        throw refused(end, "commits the run's transaction implicitly on MySQL and MariaDB", null);
                    }
                    return false;
                default:
                    return false;
            }
        }

        /**
         * MySQL and MariaDB run statements given as text ({@code PREPARE s FROM 'COMMIT'} then
         * {@code EXECUTE s}, {@code EXECUTE IMMEDIATE 'COMMIT'}): the text is read like the application's
         * own. Text in a user variable ({@code FROM @sql}) cannot be read here.
         */
        private void checkPreparedText() throws SQLException {
            if (syntax == Syntax.MYSQL && firstLiteral != null) {
                new Reader(unescapeBackslashes(firstLiteral), syntax).run();
            }
        }

        private boolean rollback(int end) throws SQLException {
            int k = 1;
            if ("work".equals(w(k)) || "transaction".equals(w(k)) || "tran".equals(w(k))) {
                k++;
            }
            if ("to".equals(w(k))) {
                savepointName("savepoint".equals(w(k + 1)) ? k + 2 : k + 1);
                return false; // back to one of the application's own savepoints: inside its unit of work
            }
            throw refused(end, "would roll back the run's whole transaction, writes from before the last checkpoint "
                    + "included, and lose every checkpoint", "rollback()");
        }

        private void savepointName(int k) throws SQLException {
            String name = k < Math.min(count, WORDS) ? raw[k] : null;
            if (name != null && isReserved(name)) {
                throw reservedName(name);
            }
        }

        private SQLException refused(int end, String why, String instead) {
            return refused(end, why, instead, null);
        }

        /** {@code advice}, when not null, says what to do instead of the default advice. */
        private SQLException refused(int end, String why, String instead, String advice) {
            String statement = sql.substring(start, Math.min(end, n)).strip();
            if (statement.length() > 80) {
                statement = statement.substring(0, 77) + "...";
            }
            return new SQLException("VenomQA refused '" + statement + "' on a connection from sharedDataSource(): it "
                    + why + ", behind VenomQA's back, so no rollback could put the database back exactly. "
                    + (advice != null ? advice : instead == null ? "Run it before connect(), not through sharedDataSource()."
                    : "Control transactions with the JDBC methods instead (" + instead + "): the shared connection "
                    + "maps them to savepoints inside the run's transaction."), "25000");
        }
    }
}
