package io.venomqa.state.journal.internal;

/**
 * Text read from the database (table names, operations) made safe for a log line or an exception
 * message: control characters escaped, length bounded, secret-looking {@code key=value} parts
 * masked. Whoever can write the journal chooses that text.
 */
final class Safe {

    private static final int MAX = 120;

    private Safe() {
    }

    /** {@code text} quoted, printable, at most {@value #MAX} characters, secrets masked. */
    static String name(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < text.length() && b.length() <= MAX; i++) {
            char ch = text.charAt(i);
            if (Character.isISOControl(ch) || Character.getType(ch) == Character.FORMAT) {
                b.append(String.format("\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        if (b.length() > MAX) {
            b.setLength(MAX);
            b.append('…');
        }
        return io.venomqa.core.CredentialMasker.maskText(b.append('\'').toString());
    }
}
