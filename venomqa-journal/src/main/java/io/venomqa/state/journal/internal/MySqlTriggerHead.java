package io.venomqa.state.journal.internal;

/**
 * Where the body starts in a trigger's definition as MariaDB's {@code SHOW CREATE TRIGGER} gives it
 * ({@code CREATE DEFINER=`u`@`h` TRIGGER name BEFORE UPDATE ON t FOR EACH ROW body}), read token by
 * token. The body must be taken from this text, not from {@code information_schema}'s
 * {@code ACTION_STATEMENT}, which holds string literals with their escapes already resolved (the two
 * characters {@code \\} read back as one), so it is not the text to create the trigger again from.
 * Anything it does not expect (a comment inside the head, say) gives -1: the caller refuses rather
 * than guess.
 */
final class MySqlTriggerHead {

    private final String s;
    private int i;

    private MySqlTriggerHead(String s) {
        this.s = s;
    }

    /** The index of the first character of the body, or -1 when the head is not of the expected form. */
    static int bodyStart(String definition) {
        MySqlTriggerHead p = new MySqlTriggerHead(definition);
        return p.parse() ? p.i : -1;
    }

    private boolean parse() {
        if (!word("CREATE") || !space() || !s.regionMatches(true, i, "DEFINER=", 0, 8)) {
            return false;
        }
        i += 8;
        if (!name()) {
            return false;
        }
        if (i < s.length() && s.charAt(i) == '@') { // a role has no host part
            i++;
            if (!name()) {
                return false;
            }
        }
        if (!space() || !word("TRIGGER") || !space()) {
            return false;
        }
        int mark = i;
        if (!(word("IF") && space() && word("NOT") && space() && word("EXISTS") && space())) {
            i = mark;
        }
        if (!qualifiedName() || !space() || !(word("BEFORE") || word("AFTER")) || !space()
                || !(word("INSERT") || word("UPDATE") || word("DELETE")) || !space() || !word("ON") || !space()
                || !qualifiedName() || !space() || !word("FOR") || !space() || !word("EACH") || !space() || !word("ROW")) {
            return false;
        }
        if (!space()) {
            return false;
        }
        return i < s.length();
    }

    private boolean qualifiedName() {
        if (!name()) {
            return false;
        }
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            return name();
        }
        return true;
    }

    /** A quoted ({@code `…`}, {@code "…"}, {@code '…'}, the quote doubled inside) or bare identifier. */
    private boolean name() {
        if (i >= s.length()) {
            return false;
        }
        char q = s.charAt(i);
        if (q == '`' || q == '"' || q == '\'') {
            int j = i + 1;
            while (j < s.length()) {
                if (s.charAt(j) == q) {
                    if (j + 1 < s.length() && s.charAt(j + 1) == q) {
                        j += 2;
                        continue;
                    }
                    i = j + 1;
                    return true;
                }
                j++;
            }
            return false;
        }
        int start = i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '$'
                || s.charAt(i) > 127)) {
            i++;
        }
        return i > start;
    }

    /** {@code w}, case-insensitive, not followed by an identifier character. */
    private boolean word(String w) {
        if (!s.regionMatches(true, i, w, 0, w.length())) {
            return false;
        }
        int end = i + w.length();
        if (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')) {
            return false;
        }
        i = end;
        return true;
    }

    /** One or more whitespace characters. */
    private boolean space() {
        int start = i;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i > start;
    }
}
