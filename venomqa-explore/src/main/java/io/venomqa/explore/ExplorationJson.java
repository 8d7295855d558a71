package io.venomqa.explore;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@link ExplorationResult} as JSON: every record component under its Java name, durations in
 * milliseconds, instants in ISO-8601, plus {@code passed} at the top and {@code shrunkLength} on each
 * violation. Requests and responses appear as the client recorded them (secrets masked, bodies cut).
 */
public final class ExplorationJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new SimpleModule("venomqa-explore")
                    .addSerializer(Duration.class, new StdSerializer<>(Duration.class) {
                        @Override
                        public void serialize(Duration d, JsonGenerator g, SerializerProvider p) throws IOException {
                            g.writeNumber(d.toMillis());
                        }
                    })
                    .addSerializer(Instant.class, new StdSerializer<>(Instant.class) {
                        @Override
                        public void serialize(Instant i, JsonGenerator g, SerializerProvider p) throws IOException {
                            g.writeString(i.toString());
                        }
                    }))
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ExplorationJson() {
    }

    /** The result as a JSON tree. */
    public static JsonNode toTree(ExplorationResult result) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("passed", result.passed());
        root.setAll((ObjectNode) MAPPER.valueToTree(result));
        for (JsonNode v : root.withArray("violations")) {
            ((ObjectNode) v).put("shrunkLength", v.path("path").size());
        }
        return root;
    }

    /** The result as indented JSON text. */
    public static String toJson(ExplorationResult result) {
        try {
            return MAPPER.writeValueAsString(toTree(result));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the exploration result as JSON", e);
        }
    }

    /** Writes the result to {@code file} (UTF-8), creating its directory; returns {@code file}. */
    public static Path write(ExplorationResult result, Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Files.writeString(file, toJson(result), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the exploration result to " + file + ": " + e.getMessage(), e);
        }
    }
}
