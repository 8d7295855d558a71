package io.venomqa.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.venomqa.core.CredentialMasker;

import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Masks credentials in what the client records and what reports print. Not API.
 *
 * <p>Errs on the side of hiding: a header or JSON field whose name looks secret is masked whatever
 * its value, and every known secret (the bearer token) is replaced wherever it appears.
 */
public final class Redactor {

    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
            "set-cookie", "x-api-key", "x-auth-token", "api-key");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Redactor() {
    }

    /** Whether the value of header {@code name} must never be printed. */
    public static boolean isSecretHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return SECRET_HEADERS.contains(n) || CredentialMasker.isSecretKey(n);
    }

    /** The header value as it may be printed: {@code Bearer ***} for a bearer token, {@code ***} otherwise. */
    public static String headerValue(String name, String value) {
        if (value == null || !isSecretHeader(name)) {
            return value;
        }
        int space = value.indexOf(' ');
        if (space > 0 && space < 16 && name.toLowerCase(Locale.ROOT).endsWith("authorization")) {
            return value.substring(0, space + 1) + CredentialMasker.MASK;
        }
        return CredentialMasker.MASK;
    }

    /**
     * {@code text} with secret JSON fields masked (when it is JSON), every known secret replaced,
     * and passwords in URLs masked.
     */
    public static String text(String text, Collection<String> secrets) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return scan(text).masked(secrets);
    }

    /**
     * A body read once for both jobs the client has for it: the values of its secret-looking JSON
     * fields ({@link #secretValues(String)}) and its masked text ({@link #text(String, Collection)}),
     * with a single JSON parse instead of one per job.
     */
    public static Scanned scan(String text) {
        String t = text == null ? "" : text;
        // Parsing is most of the client's own CPU per call (benchmark row 7): skip it when no field
        // name in the text can be secret, since then there is nothing to collect or mask in the tree.
        boolean mayHold = CredentialMasker.mayHoldSecretKey(t);
        boolean json = looksLikeJson(t);
        JsonNode tree = json && mayHold ? parse(t) : null;
        java.util.List<String> secrets = new java.util.ArrayList<>();
        if (tree != null) {
            collectSecretValues(tree, secrets);
        } else if (mayHold && !json && CredentialMasker.isFormEncoded(t)) {
            collectFormSecrets(t, secrets);
        }
        return new Scanned(t, tree, java.util.List.copyOf(secrets));
    }

    /** The values of the secret-looking names of form body {@code text}, as sent and percent-decoded. */
    private static void collectFormSecrets(String text, java.util.List<String> out) {
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String name = io.venomqa.core.DatabaseUrl.decode(pair.substring(0, eq).replace('+', ' '));
            String value = pair.substring(eq + 1);
            if (!value.isEmpty() && CredentialMasker.isSecretKey(name)) {
                out.add(value);
                String decoded = io.venomqa.core.DatabaseUrl.decode(value.replace('+', ' '));
                if (!decoded.equals(value)) {
                    out.add(decoded);
                }
            }
        }
    }

    /** A scanned body: see {@link #scan(String)}. Use {@link #masked} once (it masks the parsed tree in place). */
    public static final class Scanned {
        private final String text;
        private final JsonNode tree;
        private final java.util.List<String> secretValues;

        private Scanned(String text, JsonNode tree, java.util.List<String> secretValues) {
            this.text = text;
            this.tree = tree;
            this.secretValues = secretValues;
        }

        /** The scalar values of the secret-looking fields; empty when the text is not JSON. */
        public java.util.List<String> secretValues() {
            return secretValues;
        }

        /**
         * The text with secret JSON fields (or form fields) masked, every one of {@code secrets} replaced and URL
         * passwords masked.
         */
        public String masked(Collection<String> secrets) {
            if (text.isEmpty()) {
                return text;
            }
            String result = text;
            if (tree != null && maskNode(tree)) {
                try {
                    result = MAPPER.writeValueAsString(tree);
                } catch (Exception e) {
                    result = text; // cannot happen for a tree just read; the plain-text masking still applies
                }
            } else if (tree == null && !secretValues.isEmpty()) {
                result = CredentialMasker.maskFormFields(text);
            }
            return CredentialMasker.maskText(result, secrets.toArray(String[]::new));
        }
    }

    /** {@code text} cut to {@code max} characters, saying how much was left out. */
    public static String truncate(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int cut = max;
        if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + "… [cut: " + (text.length() - cut) + " more characters, " + text.length() + " in all]";
    }

    /**
     * The scalar values of secret-looking fields ({@code password}, {@code token}, …) of a JSON text,
     * at any depth; empty when the text is not JSON. The client remembers them as secrets, so that a
     * password sent in a body stays masked when the API echoes it back in a field that is not secret.
     */
    public static java.util.List<String> secretValues(String text) {
        return new java.util.ArrayList<>(scan(text).secretValues());
    }

    private static boolean looksLikeJson(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{' || c == '[';
            }
        }
        return false;
    }

    /** The JSON tree of {@code text}, or null when it is not JSON after all (or cut off). */
    private static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            return null; // the plain-text masking still applies
        }
    }

    private static void collectSecretValues(JsonNode node, java.util.List<String> out) {
        if (node instanceof ObjectNode obj) {
            for (Map.Entry<String, JsonNode> e : obj.properties()) {
                JsonNode v = e.getValue();
                // Text only, and not OAuth's "token_type": "Bearer", which would mask that word everywhere.
                if (CredentialMasker.isSecretKey(e.getKey()) && v.isTextual()
                        && !e.getKey().equalsIgnoreCase("token_type")) {
                    out.add(v.asText());
                } else {
                    collectSecretValues(v, out);
                }
            }
        } else if (node instanceof ArrayNode arr) {
            for (JsonNode child : arr) {
                collectSecretValues(child, out);
            }
        }
    }

    /** Masks secret fields in place; returns whether anything changed. */
    private static boolean maskNode(JsonNode node) {
        boolean changed = false;
        if (node instanceof ObjectNode obj) {
            Iterator<Map.Entry<String, JsonNode>> it = obj.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (CredentialMasker.isSecretKey(e.getKey()) && !e.getValue().isContainerNode() && !e.getValue().isNull()) {
                    e.setValue(TextNode.valueOf(CredentialMasker.MASK));
                    changed = true;
                } else if (e.getValue().isTextual()) {
                    // JSON held as a string ({"raw": "{\"password\": …}"}): its secret fields masked inside it
                    String inner = e.getValue().asText();
                    String masked = CredentialMasker.maskJsonFields(inner);
                    if (!masked.equals(inner)) {
                        e.setValue(TextNode.valueOf(masked));
                        changed = true;
                    }
                } else {
                    changed |= maskNode(e.getValue());
                }
            }
        } else if (node instanceof ArrayNode arr) {
            for (JsonNode child : arr) {
                changed |= maskNode(child);
            }
        }
        return changed;
    }
}
