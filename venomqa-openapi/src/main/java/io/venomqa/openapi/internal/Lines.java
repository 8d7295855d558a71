package io.venomqa.openapi.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line of every key of a YAML or JSON text, by JSON pointer, so that a problem the parser
 * reports as {@code attribute paths.'/customers'(get).responses is missing} can be shown at a line.
 */
public final class Lines {

    private static final Pattern TOKEN = Pattern.compile("'([^']*)'|\\(([^)]*)\\)|([^.'()\\s]+)");

    private final Map<String, Integer> lines = new HashMap<>();

    private Lines() {
    }

    /** Reads the keys of {@code text}; a text that does not parse gives an empty map (the syntax error is reported elsewhere). */
    public static Lines of(String text) {
        Lines l = new Lines();
        try (JsonParser p = new YAMLFactory().createParser(text)) {
            Deque<String> path = new ArrayDeque<>();
            Deque<int[]> arrayIndex = new ArrayDeque<>();
            String field = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case FIELD_NAME -> {
                        field = p.currentName();
                        l.lines.putIfAbsent(pointer(path, field), p.currentTokenLocation().getLineNr());
                    }
                    case START_OBJECT, START_ARRAY -> {
                        String seg = segment(field, arrayIndex);
                        if (seg != null) {
                            path.addLast(seg);
                        }
                        arrayIndex.push(new int[] {t == JsonToken.START_ARRAY ? 0 : -1});
                        field = null;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        arrayIndex.pop();
                        if (!path.isEmpty() && !arrayIndex.isEmpty()) {
                            path.removeLast();
                        }
                        field = null;
                    }
                    default -> {
                        segment(field, arrayIndex);
                        field = null;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Syntax errors are reported by the reader with Jackson's own location.
        }
        return l;
    }

    private static String segment(String field, Deque<int[]> arrayIndex) {
        if (arrayIndex.isEmpty()) {
            return null;
        }
        int[] idx = arrayIndex.peek();
        if (idx[0] >= 0) {
            return String.valueOf(idx[0]++);
        }
        return field;
    }

    private static String pointer(Deque<String> path, String last) {
        StringBuilder sb = new StringBuilder();
        for (String s : path) {
            sb.append('/').append(escape(s));
        }
        return sb.append('/').append(escape(last)).toString();
    }

    private static String escape(String s) {
        return s.replace("~", "~0").replace("/", "~1");
    }

    /** The line of the key at {@code pointer} ({@code /paths/~1customers/get}), or 0. */
    public int line(String pointer) {
        return lines.getOrDefault(pointer, 0);
    }

    /**
     * The line of the deepest key named in a swagger-parser message ({@code attribute
     * paths.'/customers'(get).responses is missing} → the line of {@code get}), or 0.
     */
    public int lineOfMessage(String message) {
        String m = message.startsWith("attribute ") ? message.substring("attribute ".length()) : message;
        int cut = m.indexOf(' ');
        if (cut > 0) {
            m = m.substring(0, cut);
        }
        List<String> segs = new ArrayList<>();
        Matcher matcher = TOKEN.matcher(m);
        while (matcher.find()) {
            segs.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2) != null ? matcher.group(2) : matcher.group(3));
        }
        int best = 0;
        StringBuilder ptr = new StringBuilder();
        for (String s : segs) {
            ptr.append('/').append(escape(s));
            int line = line(ptr.toString());
            if (line == 0) {
                break;
            }
            best = line;
        }
        return best;
    }
}
