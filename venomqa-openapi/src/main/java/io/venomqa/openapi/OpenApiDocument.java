package io.venomqa.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.venomqa.core.CredentialMasker;
import io.venomqa.openapi.internal.Lines;
import io.venomqa.openapi.internal.OperationModel;
import io.venomqa.openapi.internal.Spec;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An OpenAPI 3.0 or 3.1 document, read (YAML or JSON, from a file, a URL or text) and checked:
 * {@code $ref}s are resolved, external ones included (by swagger-parser), and every operation is
 * listed. Immutable.
 *
 * <p>What is refused, with an {@link OpenApiDocumentException} that names the line and the reason:
 * text that is neither YAML nor JSON, a document without {@code openapi: 3.0.x} or {@code 3.1.x}
 * (Swagger 2.0 included), a document the parser cannot build, and one without any operation. What
 * the parser only warns about (an unexpected attribute, a missing description) is kept in
 * {@link #problems()}, each with its line, and does not stop an exploration.
 */
public final class OpenApiDocument {

    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(20);

    private final String location;
    private final String version;
    private final Spec spec;
    private final List<String> problems;

    private OpenApiDocument(String location, String version, Spec spec, List<String> problems) {
        this.location = location;
        this.version = version;
        this.spec = spec;
        this.problems = List.copyOf(problems);
    }

    /**
     * Reads a document from a file path or an {@code http(s)://} or {@code file:} URL.
     *
     * @throws OpenApiDocumentException when it cannot be read or used
     */
    public static OpenApiDocument read(String location) {
        Objects.requireNonNull(location, "location");
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return parse(fetch(location), location);
        }
        if (lower.startsWith("file:")) {
            return read(Path.of(URI.create(location)));
        }
        return read(Path.of(location));
    }

    /** Reads a document from a file; relative external {@code $ref}s are resolved against its folder. */
    public static OpenApiDocument read(Path file) {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OpenApiDocumentException(file.toString(), 0, "cannot be read (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + "). Check the path; a URL must start with http://, https:// or file:.");
        }
        return parse(text, file.toAbsolutePath().toUri().toString());
    }

    /**
     * {@code location} when swagger-parser can read it (a URL, an existing file, a class-path resource) to resolve
     * relative references against, else null: given a name it cannot read, its 3.1 reader logged an error with a
     * stack trace for every internal {@code $ref} ("Could not find rooms.yaml on the classpath"), although internal
     * references need no location.
     */
    private static String readable(String location) {
        if (location == null || location.isBlank()) {
            return null;
        }
        try {
            String scheme = java.net.URI.create(location).getScheme();
            if (scheme != null && scheme.length() > 1) {
                return location; // http:, https:, file: (a one-letter scheme is a Windows drive)
            }
        } catch (IllegalArgumentException e) {
            // not a URI: a path, perhaps
        }
        try {
            if (java.nio.file.Files.exists(Path.of(location))) {
                return location;
            }
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null && loader.getResource(location.startsWith("/") ? location.substring(1) : location) != null
                ? location : null;
    }

    /** Parses the text of a document; {@code location} names it in messages and resolves relative external refs (may be {@code null}). */
    public static OpenApiDocument parse(String text, String location) {
        Objects.requireNonNull(text, "text");
        String name = location == null ? "openapi document" : location;
        Lines lines = Lines.of(text);
        JsonNode raw;
        try {
            raw = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() != null ? e.getLocation().getLineNr() : 0;
            throw new OpenApiDocumentException(name, line, "is neither valid YAML nor JSON: " + e.getOriginalMessage());
        }
        if (raw == null || !raw.isObject()) {
            throw new OpenApiDocumentException(name, 1, "is not an OpenAPI document (expected a mapping with 'openapi: 3.x', 'info' and 'paths').");
        }
        String version = raw.path("openapi").asText("");
        if (version.isEmpty()) {
            if (raw.has("swagger")) {
                throw new OpenApiDocumentException(name, lines.line("/swagger"), "is Swagger " + raw.path("swagger").asText()
                        + "; VenomQA reads OpenAPI 3.0 and 3.1. Convert it first (swagger-converter, or the"
                        + " 'convert' of the Swagger Editor) and point VenomQA at the result.");
            }
            throw new OpenApiDocumentException(name, 1, "has no 'openapi' version field (expected 'openapi: 3.0.3' or 'openapi: 3.1.0').");
        }
        boolean v31 = version.startsWith("3.1");
        if (!v31 && !version.startsWith("3.0")) {
            throw new OpenApiDocumentException(name, lines.line("/openapi"), "declares 'openapi: " + version
                    + "'; VenomQA reads OpenAPI 3.0.x and 3.1.x.");
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result;
        try {
            result = new OpenAPIV3Parser().readContents(text, null, options, readable(location));
        } catch (RuntimeException e) {
            throw new OpenApiDocumentException(name, 0, "cannot be parsed: " + e.getMessage(), false, e);
        }
        List<String> problems = new ArrayList<>();
        if (result.getMessages() != null) {
            for (String m : result.getMessages()) {
                int line = lines.lineOfMessage(m);
                problems.add((line > 0 ? "line " + line + ": " : "") + m);
            }
        }
        OpenAPI api = result.getOpenAPI();
        if (api == null) {
            String first = problems.isEmpty() ? "the parser returned no document" : problems.get(0);
            int line = result.getMessages() == null || result.getMessages().isEmpty() ? 0 : lines.lineOfMessage(result.getMessages().get(0));
            throw new OpenApiDocumentException(name, line, "cannot be used: " + first.replaceFirst("^line \\d+: ", "")
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more: " + String.join("; ", problems.subList(1, problems.size())) + ")" : ""));
        }
        JsonNode tree = (v31 ? Json31.mapper() : Json.mapper()).valueToTree(api);
        Spec spec = Spec.of(tree, v31);
        if (spec.operations().isEmpty()) {
            int line = lines.line("/paths");
            String why = problems.isEmpty() ? "" : " The parser said: " + String.join("; ", problems);
            throw new OpenApiDocumentException(name, line > 0 ? line : 1, "has no operation under 'paths': there is nothing to explore." + why);
        }
        return new OpenApiDocument(name, version, spec, problems);
    }

    private static String fetch(String url) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(FETCH_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
        String masked = CredentialMasker.maskUrl(url);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(FETCH_TIMEOUT)
                    .header("Accept", "application/yaml, application/json;q=0.9, */*;q=0.5").GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() >= 400) {
                throw new OpenApiDocumentException(masked, 0, "answered HTTP " + r.statusCode()
                        + " instead of the document. Check the URL (often /openapi.json, /v3/api-docs or /openapi.yaml).");
            }
            return r.body();
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new OpenApiDocumentException(masked, 0, "cannot be reached (" + e.getClass().getSimpleName()
                    + "). Is the API running? Check the host and port.", true, e);
        } catch (HttpTimeoutException e) {
            throw new OpenApiDocumentException(masked, 0, "did not answer within " + FETCH_TIMEOUT.toSeconds() + " s.", true, e);
        } catch (IOException e) {
            throw new OpenApiDocumentException(masked, 0, "cannot be fetched: " + e.getMessage(), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpenApiDocumentException(masked, 0, "fetch interrupted", true, e);
        } catch (IllegalArgumentException e) {
            throw new OpenApiDocumentException(masked, 0, "is not a valid URL: " + e.getMessage());
        }
    }

    /** Where the document came from (file URI, URL, or {@code openapi document}). */
    public String location() {
        return location;
    }

    /** The {@code openapi} version it declares ({@code 3.0.3}, {@code 3.1.0}). */
    public String version() {
        return version;
    }

    /** The document's {@code info.title}, empty when none. */
    public String title() {
        return spec.root().path("info").path("title").asText("");
    }

    /** Every operation, in document order (paths, then get, put, post, delete, options, head, patch, trace). */
    public List<ApiOperation> operations() {
        return spec.operations().stream().map(OperationModel::operation).toList();
    }

    /** What the parser warned about, each with its line when known; empty for a clean document. */
    public List<String> problems() {
        return problems;
    }

    /** The resolved document (for this module's internals). */
    Spec spec() {
        return spec;
    }

    @Override
    public String toString() {
        return "OpenApiDocument[" + location + ", openapi " + version + ", " + spec.operations().size() + " operations]";
    }
}
