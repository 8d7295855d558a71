package io.venomqa.state.journal.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the one JSON shape the MySQL and SQLite triggers write: an object whose values are
 * strings (SQL literals) or null ({@link #parseObject}), and the rows PostgreSQL's
 * {@code row_to_json} writes ({@link #parseRow}). Not a general JSON parser.
 */
final class MiniJson {

    private MiniJson() {
    }

    static Map<String, String> parseObject(String text) {
        if (text == null) {
            return new LinkedHashMap<>();
        }
        return parse(text, false, "journal image");
    }

    /**
     * The columns of a {@code row_to_json} object as {@code json_each_text} gives them: strings
     * unescaped, {@code null} as null, numbers, booleans, objects and arrays as their JSON text.
     */
    static Map<String, String> parseRow(String text) {
        return parse(text, true, "a row");
    }

    /**
     * An object's members: strings unescaped, {@code null} as null; any other value as its JSON text
     * when {@code anyValue}, else an error (an image holds strings and nulls only).
     */
    private static Map<String, String> parse(String text, boolean anyValue, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        int[] pos = {skip(text, 0)};
        expect(text, pos, '{');
        pos[0] = skip(text, pos[0]);
        if (text.charAt(pos[0]) == '}') {
            return out;
        }
        while (true) {
            pos[0] = skip(text, pos[0]);
            String key = string(text, pos);
            pos[0] = skip(text, pos[0]);
            expect(text, pos, ':');
            pos[0] = skip(text, pos[0]);
            String value;
            if (text.startsWith("null", pos[0])) {
                value = null;
                pos[0] += 4;
            } else if (!anyValue || text.charAt(pos[0]) == '"') {
                value = string(text, pos);
            } else {
                int start = pos[0];
                pos[0] = endOfValue(text, start);
                value = text.substring(start, pos[0]).strip();
            }
            out.put(key, value);
            pos[0] = skip(text, pos[0]);
            char ch = text.charAt(pos[0]++);
            if (ch == '}') {
                return out;
            }
            if (ch != ',') {
                throw new IllegalArgumentException("Unexpected '" + ch + "' in " + what + " at " + (pos[0] - 1));
            }
        }
    }

    /** Where a number, literal, object or array starting at {@code i} ends (strings inside skipped whole). */
    private static int endOfValue(String s, int i) {
        int depth = 0;
        boolean inString = false;
        for (; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (inString) {
                if (ch == '\\') {
                    i++;
                } else if (ch == '"') {
                    inString = false;
                }
            } else if (ch == '"') {
                inString = true;
            } else if (ch == '{' || ch == '[') {
                depth++;
            } else if (ch == '}' || ch == ']') {
                if (depth == 0) {
                    return i;
                }
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            } else if (ch == ',' && depth == 0) {
                return i;
            }
        }
        return i;
    }

    private static int skip(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static void expect(String s, int[] pos, char ch) {
        if (s.charAt(pos[0]) != ch) {
            throw new IllegalArgumentException("Expected '" + ch + "' in journal image at " + pos[0]);
        }
        pos[0]++;
    }

    private static String string(String s, int[] pos) {
        expect(s, pos, '"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char ch = s.charAt(pos[0]++);
            if (ch == '"') {
                return b.toString();
            }
            if (ch != '\\') {
                b.append(ch);
                continue;
            }
            char e = s.charAt(pos[0]++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(pos[0], pos[0] + 4), 16));
                    pos[0] += 4;
                }
                default -> throw new IllegalArgumentException("Bad escape \\" + e + " in journal image");
            }
        }
    }
}
