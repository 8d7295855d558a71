package io.venomqa.state.mysql.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Translates the {@code charset} option, written as a MySQL character set name ({@code utf8mb4},
 * {@code latin1}), into the Java charset name that Connector/J's {@code characterEncoding}
 * property wants: Connector/J 9.5 rejects {@code characterEncoding=utf8mb4} ("Unsupported
 * character encoding") but maps {@code UTF-8} to {@code utf8mb4} (checked on MariaDB 10.11).
 * Internal: not part of the public API.
 */
public final class MySQLCharsets {

    /** The {@code charset} used when the option is not set. */
    public static final String DEFAULT = "utf8mb4";

    // MySQL name -> Java name Connector/J understands, each checked against MariaDB 10.11:
    // the session's character_set_connection becomes the key (utf8/utf8mb3 become utf8mb4).
    private static final Map<String, String> JAVA_NAMES = new LinkedHashMap<>();

    static {
        JAVA_NAMES.put("utf8mb4", "UTF-8");
        JAVA_NAMES.put("utf8mb3", "UTF-8");
        JAVA_NAMES.put("utf8", "UTF-8");
        JAVA_NAMES.put("latin1", "windows-1252");
        JAVA_NAMES.put("latin2", "ISO-8859-2");
        JAVA_NAMES.put("ascii", "US-ASCII");
        JAVA_NAMES.put("cp1250", "windows-1250");
        JAVA_NAMES.put("cp1251", "windows-1251");
        JAVA_NAMES.put("sjis", "Shift_JIS");
        JAVA_NAMES.put("gbk", "GBK");
        JAVA_NAMES.put("big5", "Big5");
        JAVA_NAMES.put("euckr", "EUC-KR");
    }

    private MySQLCharsets() {
    }

    /**
     * The Java charset name for MySQL charset {@code mysqlName} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the option and listing the supported values
     */
    public static String javaName(String mysqlName) {
        String key = mysqlName == null ? "" : mysqlName.trim().toLowerCase(Locale.ROOT);
        String java = JAVA_NAMES.get(key);
        if (java == null) {
            throw new IllegalArgumentException("Option 'charset' has unsupported value '" + mysqlName
                    + "'. Use a MySQL character set name: " + String.join(", ", JAVA_NAMES.keySet())
                    + " (default " + DEFAULT + "), or set characterEncoding in a jdbc:mysql: URL yourself.");
        }
        return java;
    }

    /**
     * Whether the session charset {@code actual} (from {@code @@character_set_connection}) is what
     * {@code requested} asks for: {@code utf8} and {@code utf8mb3} are satisfied by {@code utf8mb4},
     * which Connector/J always picks for {@code UTF-8}.
     */
    public static boolean satisfies(String requested, String actual) {
        String r = requested.trim().toLowerCase(Locale.ROOT);
        String a = actual == null ? "" : actual.trim().toLowerCase(Locale.ROOT);
        if (r.equals(a)) {
            return true;
        }
        return (r.equals("utf8") || r.equals("utf8mb3")) && (a.equals("utf8mb4") || a.equals("utf8mb3"));
    }
}
