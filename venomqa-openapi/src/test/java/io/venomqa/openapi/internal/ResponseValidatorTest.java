package io.venomqa.openapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The response validator over a valid document whose schemas use {@code $ref: '#/components/schemas/…'}
 * and the keywords an OpenAPI Schema Object adds: it validates through the reference, and the JSON
 * schema library logs no "Unknown keyword" warning (it used to warn about {@code components} on every run).
 */
class ResponseValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aValidDocumentWithRefsAndOpenApiKeywordsValidatesWithoutAnUnknownKeywordWarning(boolean v31) throws Exception {
        // A fresh extension name each run: the library warns about an unknown keyword once per JVM.
        String extension = "x-owner-" + UUID.randomUUID();
        JsonNode root = JSON.readTree("""
                {"openapi": "%s",
                 "paths": {},
                 "components": {"schemas": {"Customer": {
                   "type": "object", "required": ["id", "name"], "%s": "billing",
                   "discriminator": {"propertyName": "kind"}, "example": {"id": 1, "name": "Ann"},
                   "externalDocs": {"url": "https://example.com"}, "xml": {"name": "customer"},
                   "properties": {"id": {"type": "integer", "readOnly": true}, "name": {"type": "string"},
                                  "kind": {"type": "string", "deprecated": true}}}}}}
                """.formatted(v31 ? "3.1.0" : "3.0.3", extension));
        JsonNode schema = JSON.readTree("{\"$ref\": \"#/components/schemas/Customer\"}");

        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        List<String> good;
        List<String> bad;
        try {
            ResponseValidator validator = new ResponseValidator(Spec.of(root, v31));
            good = validator.validate("GET /customers/1 200", schema, JSON.readTree("{\"id\": 1, \"name\": \"Ann\"}"));
            bad = validator.validate("GET /customers/2 200", schema, JSON.readTree("{\"id\": \"one\"}"));
        } finally {
            System.setErr(saved);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(good).as("a body the referenced schema accepts").isEmpty();
        assertThat(bad).as("the $ref is followed: a wrong type and a missing property are found").hasSize(2);
        assertThat(log).as("the validator's log").doesNotContain("Unknown keyword");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theDialectKnowsComponentsAndTheSchemaObjectsKeywords(boolean v31) {
        // Asserted on the configuration too: the library warns about `components` only once per JVM, so a
        // log captured after another test validated a document could not show that warning.
        assertThat(ResponseValidator.dialect(v31).getKeywords()).containsKeys("components", "discriminator", "example",
                "externalDocs", "xml", "readOnly", "writeOnly", "deprecated", "$ref", "properties");
    }
}
