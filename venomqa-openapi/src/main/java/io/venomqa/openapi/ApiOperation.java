package io.venomqa.openapi;

import java.util.List;
import java.util.Objects;

/**
 * One operation of an OpenAPI document, as selectors and reports see it.
 *
 * @param operationId the document's {@code operationId}, or {@code METHOD /path} when it has none
 * @param method      the HTTP method, upper case
 * @param path        the path template ({@code /customers/{id}})
 * @param tags        the operation's tags, in document order
 * @param summary     its summary, empty when none
 */
public record ApiOperation(String operationId, String method, String path, List<String> tags, String summary) {
    public ApiOperation {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        tags = List.copyOf(tags);
        summary = summary == null ? "" : summary;
    }

    /** {@code POST /customers}. */
    public String endpoint() {
        return method + " " + path;
    }
}
