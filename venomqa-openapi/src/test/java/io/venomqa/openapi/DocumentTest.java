package io.venomqa.openapi;

import io.venomqa.explore.Move;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading documents: 3.0 and 3.1, broken ones (with the line), external and circular $refs, a huge one. */
class DocumentTest {

    @Test
    @DisplayName("3.0 and 3.1 documents list the same operations, in document order (paths, then get, put, post, delete, options, head, patch, trace)")
    void bothVersions() {
        OpenApiDocument d30 = OpenApiDocument.read(ChecksTest.doc("customers.yaml"));
        OpenApiDocument d31 = OpenApiDocument.read(ChecksTest.doc("customers-31.yaml"));
        assertThat(d30.version()).isEqualTo("3.0.3");
        assertThat(d31.version()).isEqualTo("3.1.0");
        assertThat(d30.operations()).extracting(ApiOperation::operationId).containsExactly("listCustomers", "createCustomer",
                "getCustomer", "deleteCustomer", "renameCustomer", "createOrder", "getOrder");
        assertThat(d31.operations()).isEqualTo(d30.operations());
        assertThat(d30.problems()).isEmpty();
        assertThat(d30.title()).isEqualTo("customers");
    }

    @Test
    @DisplayName("preconditions come from what parameters need: no delete before a customer id, no order before a customer")
    void preconditionsFromParameters() {
        Map<String, Move> moves = byName(OpenApiExploration.from(OpenApiDocument.read(ChecksTest.doc("customers.yaml"))).moves());
        assertThat(moves.get("createCustomer").requiredKeys()).isEmpty();
        assertThat(moves.get("listCustomers").requiredKeys()).isEmpty();
        assertThat(moves.get("deleteCustomer").requiredKeys()).containsExactly("oa:customer.id");
        assertThat(moves.get("createOrder").requiredKeys()).containsExactly("oa:customer.id");
        assertThat(moves.get("getOrder").requiredKeys()).containsExactly("oa:order.id");
        assertThat(moves.get("deleteCustomer").tags()).containsExactly("customers", "admin");
        assertThat(moves.get("deleteCustomer").description()).isEqualTo("DELETE /customers/{id}");
    }

    static Map<String, Move> byName(List<Move> moves) {
        Map<String, Move> m = new java.util.LinkedHashMap<>();
        moves.forEach(x -> m.put(x.name(), x));
        return m;
    }

    @Test
    @DisplayName("text that is not YAML is refused with its line")
    void brokenYaml() {
        assertThatThrownBy(() -> OpenApiDocument.parse("openapi: 3.0.3\ninfo:\n  title: x\npaths: {\n  /a: [\n", "broken.yaml"))
                .isInstanceOfSatisfying(OpenApiDocumentException.class, e -> {
                    assertThat(e.line()).isGreaterThan(3);
                    assertThat(e.getMessage()).startsWith("broken.yaml:" + e.line() + ": is neither valid YAML nor JSON");
                    assertThat(e.unreachable()).isFalse();
                });
    }

    @Test
    @DisplayName("Swagger 2.0, a missing or unknown version, and a document without operations are refused with the line and what to do")
    void unusableDocuments() {
        assertThatThrownBy(() -> OpenApiDocument.parse("swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n", "old.yaml"))
                .hasMessageStartingWith("old.yaml:1: is Swagger 2.0; VenomQA reads OpenAPI 3.0 and 3.1. Convert it first");
        assertThatThrownBy(() -> OpenApiDocument.parse("info: {title: x}\n", "none.yaml"))
                .hasMessage("none.yaml:1: has no 'openapi' version field (expected 'openapi: 3.0.3' or 'openapi: 3.1.0').");
        assertThatThrownBy(() -> OpenApiDocument.parse("info: {title: x, version: '1'}\nopenapi: 4.0.0\npaths: {}\n", "v4.yaml"))
                .hasMessage("v4.yaml:2: declares 'openapi: 4.0.0'; VenomQA reads OpenAPI 3.0.x and 3.1.x.");
        assertThatThrownBy(() -> OpenApiDocument.parse("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n", "empty.yaml"))
                .isInstanceOfSatisfying(OpenApiDocumentException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.reason()).startsWith("has no operation under 'paths': there is nothing to explore.");
                });
        assertThatThrownBy(() -> OpenApiDocument.parse("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: 5\n", "bad.yaml"))
                .isInstanceOfSatisfying(OpenApiDocumentException.class, e -> assertThat(e.line()).isEqualTo(3));
    }

    @Test
    @DisplayName("what the parser only warns about is kept with its line")
    void problemsHaveLines() {
        OpenApiDocument d = OpenApiDocument.parse("""
                openapi: 3.0.3
                info: {title: x, version: '1'}
                paths:
                  /a:
                    get:
                      operationId: a
                      colour: blue
                      responses:
                        '200': {description: ok}
                """, "warn.yaml");
        assertThat(d.problems()).anySatisfy(p -> assertThat(p).startsWith("line 7: ").contains("colour"));
    }

    @Test
    @DisplayName("a file that does not exist and an API that is down are told apart (the second is 'unreachable')")
    void unreadable(@TempDir Path dir) {
        assertThatThrownBy(() -> OpenApiDocument.read(dir.resolve("nope.yaml").toString()))
                .isInstanceOfSatisfying(OpenApiDocumentException.class, e -> {
                    assertThat(e.unreachable()).isFalse();
                    assertThat(e.reason()).startsWith("cannot be read (NoSuchFileException");
                });
        assertThatThrownBy(() -> OpenApiDocument.read("http://127.0.0.1:9/openapi.json"))
                .isInstanceOfSatisfying(OpenApiDocumentException.class, e -> assertThat(e.unreachable()).isTrue());
    }

    @Test
    @DisplayName("external $refs in another file are resolved; circular $refs give finite bodies")
    void externalAndCircularRefs(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("schemas.yaml"), """
                Node:
                  type: object
                  required: [name, children]
                  properties:
                    name: {type: string}
                    children:
                      type: array
                      items: {$ref: '#/Node'}
                    parent: {$ref: '#/Node'}
                """);
        Files.writeString(dir.resolve("api.yaml"), """
                openapi: 3.0.3
                info: {title: tree, version: '1'}
                paths:
                  /nodes:
                    post:
                      operationId: createNode
                      requestBody:
                        required: true
                        content:
                          application/json:
                            schema: {$ref: 'schemas.yaml#/Node'}
                      responses:
                        '201':
                          description: created
                          content:
                            application/json:
                              schema: {$ref: 'schemas.yaml#/Node'}
                """);
        OpenApiDocument d = OpenApiDocument.read(dir.resolve("api.yaml"));
        assertThat(d.operations()).extracting(ApiOperation::operationId).containsExactly("createNode");
        io.venomqa.openapi.internal.Spec spec = d.spec();
        io.venomqa.openapi.internal.OperationModel op = spec.operations().get(0);
        Object body = new io.venomqa.openapi.internal.Values(spec).value(op.bodySchema(), null);
        assertThat(body).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) body).keySet()).extracting(String::valueOf).contains("name", "children");
        io.venomqa.openapi.internal.ResponseValidator v = new io.venomqa.openapi.internal.ResponseValidator(spec);
        JsonFixture json = new JsonFixture();
        assertThat(v.validate("k", op.responses().get("201").content().get("application/json"),
                json.read("{\"name\":\"a\",\"children\":[{\"name\":\"b\",\"children\":[]}]}"))).isEmpty();
        assertThat(v.validate("k", op.responses().get("201").content().get("application/json"),
                json.read("{\"name\":\"a\",\"children\":[{\"name\":\"b\"}]}"))).singleElement().asString().contains("children");
    }

    @Test
    @DisplayName("a document of 1 000 operations is read and turned into 1 000 moves, each linked to its create")
    void thousandOperations() {
        StringBuilder sb = new StringBuilder("openapi: 3.0.3\ninfo: {title: huge, version: '1'}\npaths:\n");
        for (int i = 0; i < 500; i++) {
            sb.append("  /things").append(i).append(":\n    post:\n      operationId: create").append(i)
                    .append("\n      responses:\n        '201':\n          description: ok\n          content:\n")
                    .append("            application/json:\n              schema: {$ref: '#/components/schemas/Thing'}\n")
                    .append("  /things").append(i).append("/{id}:\n    delete:\n      operationId: delete").append(i)
                    .append("\n      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]\n")
                    .append("      responses:\n        '204': {description: gone}\n");
        }
        sb.append("components:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        id: {type: integer}\n");
        OpenApiDocument d = OpenApiDocument.parse(sb.toString(), "huge.yaml");
        List<Move> moves = OpenApiExploration.from(d).moves();
        assertThat(moves).hasSize(1000);
        assertThat(byName(moves).get("delete499").requiredKeys()).containsExactly("oa:things499.id");
    }

    @Test
    @DisplayName("with no ids to link, parameters take the document's example and the move needs nothing")
    void noIdsToLink() {
        OpenApiDocument d = OpenApiDocument.parse("""
                openapi: 3.1.0
                info: {title: x, version: '1'}
                paths:
                  /reports/{reportId}:
                    get:
                      operationId: getReport
                      parameters:
                        - {name: reportId, in: path, required: true, schema: {type: string}, example: r-7}
                      responses:
                        '200': {description: ok}
                """, "x.yaml");
        Move m = OpenApiExploration.from(d).moves().get(0);
        assertThat(m.requiredKeys()).isEmpty();
    }

    /** Jackson, for the tests' JSON literals. */
    static final class JsonFixture {
        com.fasterxml.jackson.databind.JsonNode read(String json) throws Exception {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        }
    }
    @Test
    @DisplayName("a 3.1 text parsed under a name that is not a file reads its internal $refs without logging an error per $ref")
    void nameThatIsNotAFileLogsNothing() {
        String text = """
                openapi: 3.1.0
                info: {title: rooms, version: '1'}
                paths:
                  /rooms:
                    get:
                      responses:
                        '200':
                          description: ok
                          content:
                            application/json:
                              schema: {$ref: '#/components/schemas/Room'}
                components:
                  schemas:
                    Room: {type: object, properties: {id: {type: integer}}}
                """;
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        OpenApiDocument doc;
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            doc = OpenApiDocument.parse(text, "rooms-api.yaml");
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("Could not find")
                .doesNotContain("ERROR");
        assertThat(doc.location()).isEqualTo("rooms-api.yaml");
        assertThat(doc.operations()).hasSize(1);
        assertThat(doc.problems()).isEmpty();
    }
}
