package io.venomqa.state.journal.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the one JSON shape the MySQL and SQLite triggers write: an object whose values are
 * strings (SQL literals) or null. Not a general JSON parser; anything else is an error.
 */
final class MiniJson {

    private MiniJson() {
    }

    static Map<String, String> parseObject(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null) {
            return out;
        }
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
            } else {
                value = string(text, pos);
            }
            out.put(key, value);
            pos[0] = skip(text, pos[0]);
            char ch = text.charAt(pos[0]++);
            if (ch == '}') {
                return out;
            }
            if (ch != ',') {
                throw new IllegalArgumentException("Unexpected '" + ch + "' in journal image at " + (pos[0] - 1));
            }
        }
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
