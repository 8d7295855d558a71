package io.venomqa.state.journal.internal;

import java.util.Locale;
import java.util.Set;

/**
 * Recognises the SQL literals the MySQL and SQLite triggers write into row images, and nothing
 * else: {@code NULL}, a quoted string, a number, {@code X'hex'}, {@code b'bits'}, and calls of a
 * few named functions whose arguments are themselves such literals. The undo splices these
 * literals into SQL, so a value that is not one (a forged image carrying {@code 1); DROP TABLE …})
 * must never get there.
 */
final class SqlLiteral {

    /**
     * The hex digits of {@code concat(X'…')} holding one hex literal of whole bytes (SQLite's image of a
     * text by its bytes), or null for anything else. A loop, not a regular expression: values can be
     * megabytes long.
     */
    static String hexText(String literal) {
        int end = literal.length() - 2;
        if (end < 9 || !literal.regionMatches(true, 0, "concat(x'", 0, 9) || !literal.endsWith("')")
                || (end - 9) % 2 != 0) {
            return null;
        }
        for (int i = 9; i < end; i++) {
            if ("0123456789abcdefABCDEF".indexOf(literal.charAt(i)) < 0) {
                return null;
            }
        }
        return literal.substring(9, end);
    }

    private final boolean backslashEscapes;
    private final Set<String> functions;

    /**
     * @param backslashEscapes whether a backslash escapes the next character inside a string
     *                         (MySQL without {@code NO_BACKSLASH_ESCAPES}), besides {@code ''}
     * @param functions        the functions a literal may call, lower case
     */
    SqlLiteral(boolean backslashEscapes, Set<String> functions) {
        this.backslashEscapes = backslashEscapes;
        this.functions = functions;
    }

    /**
     * The value of an accepted literal as text for reports, in the form the other change sources
     * use: {@code null} for {@code NULL}, a string unquoted, binary as {@code 0x…} (lower case), bits as
     * their number ({@code b'1011'} as {@code 11}), a number as written. Function calls ({@code from_unixtime(…)}) are returned
     * as written: {@link #isCall} tells them apart, for the database to evaluate.
     */
    String display(String literal) {
        if (literal == null || literal.equalsIgnoreCase("null")) {
            return null;
        }
        char first = literal.charAt(0);
        if (first == '\'' && literal.length() >= 2) {
            StringBuilder b = new StringBuilder(literal.length());
            for (int i = 1; i < literal.length() - 1; i++) {
                char ch = literal.charAt(i);
                if (ch == '\\' && backslashEscapes && i + 1 < literal.length() - 1) {
                    char e = literal.charAt(++i);
                    b.append(switch (e) {
                        case '0' -> '\0';
                        case 'Z' -> (char) 26;
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 't' -> '\t';
                        default -> e;
                    });
                } else if (ch == '\'' && i + 1 < literal.length() - 1 && literal.charAt(i + 1) == '\'') {
                    b.append('\'');
                    i++;
                } else {
                    b.append(ch);
                }
            }
            return b.toString();
        }
        if ((first == 'X' || first == 'x') && literal.length() >= 3 && literal.charAt(1) == '\'') {
            return "0x" + literal.substring(2, literal.length() - 1).toLowerCase(Locale.ROOT);
        }
        if ((first == 'b' || first == 'B') && literal.length() >= 3 && literal.charAt(1) == '\'') {
            // MySQL's BIT as its number (b + 0, MySQL's printable form): what change capture reads too
            String bits = literal.substring(2, literal.length() - 1);
            return bits.isEmpty() ? "0" : new java.math.BigInteger(bits, 2).toString();
        }
        String hex = functions.contains("concat") ? hexText(literal) : null;
        if (hex != null) {
            // SQLite's image of a text that quote() would not keep exactly: shown as the text it is
            byte[] bytes = new byte[hex.length() / 2];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
            }
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
        return literal;
    }

    /** Whether {@code literal}, an accepted one, is a function call, whose value only the database can tell. */
    boolean isCall(String literal) {
        return literal != null && !literal.isEmpty() && Character.isLetter(literal.charAt(0)) && literal.indexOf('(') > 0
                && literal.charAt(1) != '\'' && !literal.equalsIgnoreCase("null");
    }

    /** Whether {@code text} is exactly one literal of the accepted forms. */
    boolean accepts(String text) {
        return text != null && literal(text, 0, 0) == text.length();
    }

    /** The end of the literal starting at {@code i}, or -1. */
    private int literal(String s, int i, int depth) {
        if (i >= s.length() || depth > 3) {
            return -1;
        }
        char ch = s.charAt(i);
        if (ch == '\'') {
            return string(s, i);
        }
        if ((ch == 'X' || ch == 'x') && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
            return digits(s, i + 2, "0123456789abcdefABCDEF");
        }
        if ((ch == 'b' || ch == 'B') && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
            return digits(s, i + 2, "01");
        }
        if (ch == '-' || ch == '+' || Character.isDigit(ch)) {
            return number(s, i);
        }
        int j = i;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')
                && s.charAt(j) < 128) {
            j++;
        }
        String word = s.substring(i, j).toLowerCase(Locale.ROOT);
        if (word.equals("null")) {
            return j;
        }
        if (!functions.contains(word) || j >= s.length() || s.charAt(j) != '(') {
            return -1;
        }
        j++;
        while (true) {
            j = literal(s, j, depth + 1);
            if (j < 0 || j >= s.length()) {
                return -1;
            }
            if (s.charAt(j) == ')') {
                return j + 1;
            }
            if (s.charAt(j) != ',') {
                return -1;
            }
            j++;
            while (j < s.length() && s.charAt(j) == ' ') {
                j++;
            }
        }
    }

    private int string(String s, int i) {
        int j = i + 1;
        while (j < s.length()) {
            char ch = s.charAt(j);
            if (ch == '\\' && backslashEscapes) {
                j += 2;
            } else if (ch == '\'') {
                if (j + 1 < s.length() && s.charAt(j + 1) == '\'') {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        return -1;
    }

    private static int digits(String s, int i, String allowed) {
        int j = i;
        while (j < s.length() && allowed.indexOf(s.charAt(j)) >= 0) {
            j++;
        }
        return j < s.length() && s.charAt(j) == '\'' ? j + 1 : -1;
    }

    private static int number(String s, int i) {
        int j = i;
        if (s.charAt(j) == '-' || s.charAt(j) == '+') {
            j++;
        }
        int start = j;
        while (j < s.length() && Character.isDigit(s.charAt(j))) {
            j++;
        }
        if (j < s.length() && s.charAt(j) == '.') {
            j++;
            while (j < s.length() && Character.isDigit(s.charAt(j))) {
                j++;
            }
        }
        if (j == start) {
            return -1;
        }
        if (j < s.length() && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
            j++;
            if (j < s.length() && (s.charAt(j) == '-' || s.charAt(j) == '+')) {
                j++;
            }
            int e = j;
            while (j < s.length() && Character.isDigit(s.charAt(j))) {
                j++;
            }
            if (j == e) {
                return -1;
            }
        }
        return j;
    }
}
