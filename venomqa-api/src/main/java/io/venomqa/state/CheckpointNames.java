package io.venomqa.state;

/**
 * The rule for checkpoint names, the same for every backend and for journeys: 1 to
 * {@value #MAX_LENGTH} characters (Unicode code points), not blank, no control characters. Anything
 * else — quotes, SQL, {@code /}, emoji — is a valid name, because names never reach SQL: backends
 * get a generated identifier per checkpoint. The maximum only keeps messages and reports readable;
 * it is generous so that the runner can hand the state manager scope-qualified names
 * ({@code checkout/card/paid}) whole, without cutting or hashing them.
 */
public final class CheckpointNames {

    /** Longest checkpoint name accepted, in characters (Unicode code points). */
    public static final int MAX_LENGTH = 1000;

    private CheckpointNames() {
    }

    /**
     * Checks {@code name} against the rule.
     *
     * @throws IllegalArgumentException saying what is wrong with the name
     */
    public static void validate(String name) {
        if (name == null) {
            throw new IllegalArgumentException("Checkpoint name must not be null; use 1 to " + MAX_LENGTH + " characters.");
        }
        int length = name.codePointCount(0, name.length());
        if (length == 0) {
            throw new IllegalArgumentException("Checkpoint name must not be empty; use 1 to " + MAX_LENGTH + " characters.");
        }
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("Checkpoint name is " + length + " characters long; the limit is "
                    + MAX_LENGTH + ": '" + name.substring(0, name.offsetByCodePoints(0, 20)) + "…'");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("Checkpoint name must not be blank (only whitespace): '" + name + "'");
        }
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (Character.isISOControl(cp)) {
                throw new IllegalArgumentException(String.format(
                        "Checkpoint name must not contain control characters: found U+%04X at index %d", cp, i));
            }
            i += Character.charCount(cp);
        }
    }
}
