package io.venomqa.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;

/** How the tests' small JDK-server APIs answer: a status, and a body written as JSON (none when null). */
final class Answers {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Answers() {
    }

    static void answer(HttpExchange ex, int status, Object body) throws IOException {
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
        } else {
            byte[] b = MAPPER.writeValueAsBytes(body);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
        }
        ex.close();
    }
}
