package io.venomqa.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A {@code multipart/form-data} body: a file upload as a browser sends it, or as Spring's {@code MultipartFile}
 * and {@code @RequestPart} read it. Build it part by part and send it with {@link Client.RequestBuilder#multipart}.
 * Parts go out in the order they were added; a name given twice sends two parts of that name. Immutable: each method
 * returns a new body.
 *
 * <pre>{@code
 * client.request("POST", "/documents")
 *       .multipart(Multipart.of()
 *               .field("title", "Invoice 7")
 *               .part("meta", "{\"tags\":[\"paid\"]}", "application/json")
 *               .file("file", "invoice.pdf", "application/pdf", bytes))
 *       .send();
 * }</pre>
 *
 * <p>The boundary is derived from the parts' contents (the same parts give the same body, byte for byte, so that
 * recorded calls compare and replay alike), and checked not to occur in any of them.
 */
public final class Multipart {

    private record Part(String name, String filename, String contentType, byte[] content) {
    }

    private final List<Part> parts;
    /** {@link #boundary()}, worked out once: it digests every part, a large file too. */
    private volatile String boundary;

    private Multipart(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /** A body without parts yet. */
    public static Multipart of() {
        return new Multipart(List.of());
    }

    /** Adds a text field {@code name} ({@code <input name=…>}), sent as UTF-8 without a content type of its own. */
    public Multipart field(String name, String value) {
        return with(new Part(name(name), null, null, Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8)));
    }

    /** Adds part {@code name} with text {@code value} of {@code contentType} (such as {@code application/json}). */
    public Multipart part(String name, String value, String contentType) {
        return with(new Part(name(name), null, type(contentType),
                Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8)));
    }

    /** Adds file {@code filename} of {@code contentType} as part {@code name} ({@code <input type=file name=…>}). */
    public Multipart file(String name, String filename, String contentType, byte[] content) {
        Objects.requireNonNull(filename, "filename");
        return with(new Part(name(name), filename, type(contentType), Objects.requireNonNull(content, "content").clone()));
    }

    /** How many parts there are. */
    public int size() {
        return parts.size();
    }

    /** {@code multipart/form-data; boundary=…}: the {@code Content-Type} this body goes out with. */
    public String contentType() {
        return "multipart/form-data; boundary=" + boundary();
    }

    /** The body as it goes out. */
    public byte[] bytes() {
        String boundary = boundary();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            out.writeBytes(partBytes(p, boundary));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** One part as it goes out: the delimiter, its headers, an empty line, its content and the line end after it. */
    private static byte[] partBytes(Part p, String boundary) {
        StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(escape(p.name())).append('"');
        if (p.filename() != null) {
            head.append("; filename=\"").append(escape(p.filename())).append('"');
        }
        head.append("\r\n");
        if (p.contentType() != null) {
            head.append("Content-Type: ").append(p.contentType()).append("\r\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(p.content());
        out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /**
     * {@code body} (what {@link #bytes()} gave) as a call's history keeps it: as sent, but the content of a file that
     * is not UTF-8 text shown as {@code (N bytes, not UTF-8 text)}. Not API.
     */
    String recordedText(byte[] body) {
        List<Boolean> text = parts.stream().map(p -> Client.isUtf8(p.content())).toList();
        if (!text.contains(false)) {
            return new String(body, StandardCharsets.UTF_8);
        }
        String boundary = boundary();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            String whole = new String(partBytes(parts.get(i), boundary), StandardCharsets.UTF_8);
            out.append(text.get(i) ? whole : whole.substring(0, whole.indexOf("\r\n\r\n") + 4)
                    + Client.text(parts.get(i).content()) + "\r\n");
        }
        return out.append("--").append(boundary).append("--\r\n").toString();
    }

    @Override
    public String toString() {
        return "Multipart" + parts.stream().map(p -> p.name() + (p.filename() != null ? " (file " + p.filename() + ", "
                + p.content().length + " bytes)" : "")).toList();
    }

    private Multipart with(Part p) {
        List<Part> more = new ArrayList<>(parts);
        more.add(p);
        return new Multipart(more);
    }

    private static String name(String name) {
        if (Objects.requireNonNull(name, "name").isEmpty()) {
            throw new IllegalArgumentException("A multipart part needs a name (the form field it stands for).");
        }
        return name;
    }

    private static String type(String contentType) {
        if (Objects.requireNonNull(contentType, "contentType").isBlank() || contentType.contains("\r")
                || contentType.contains("\n")) {
            throw new IllegalArgumentException("'" + contentType + "' is not a content type (such as text/plain, "
                    + "application/json or application/pdf).");
        }
        return contentType.strip();
    }

    /** A name or file name inside its quotes, as browsers write them (the HTML standard's multipart encoding). */
    private static String escape(String text) {
        return text.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }

    private String boundary() {
        String known = boundary;
        if (known == null) {
            known = deriveBoundary();
            boundary = known;
        }
        return known;
    }

    private String deriveBoundary() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
        for (Part p : parts) {
            sha.update(p.name().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(String.valueOf(p.filename()).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(String.valueOf(p.contentType()).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(p.content());
        }
        String derived = "venomqa-" + HexFormat.of().formatHex(sha.digest(), 0, 16);
        // A boundary inside a part would cut it. A part holding the digest of all parts, itself included, is not to be
        // expected; should one, a random boundary takes over.
        boolean taken = parts.stream().anyMatch(p -> new String(p.content(), StandardCharsets.ISO_8859_1).contains(derived));
        return taken ? "venomqa-" + java.util.UUID.randomUUID() : derived;
    }
}
