package io.venomqa.openapi;

import io.venomqa.explore.Exploration;
import io.venomqa.explore.Warning;
import io.venomqa.http.Client;
import io.venomqa.state.memory.InMemoryStateManager;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The document's {@code servers} against the base URL the moves are sent to. */
class ServersTest {

    private static OpenApiExploration withServers(String servers) {
        return OpenApiExploration.from(OpenApiDocument.parse("""
                openapi: 3.0.3
                info: {title: rooms, version: '1'}
                %s
                paths:
                  /rooms:
                    get:
                      responses:
                        '200': {description: ok}
                """.formatted(servers), "rooms.yaml"));
    }

    @Test
    @DisplayName("a server path the base URL lacks is a warning saying which base URL to give; one it ends with, none, or '/' is not")
    void serverPathAgainstBaseUrl() {
        Optional<Warning> w = withServers("servers: [{url: 'https://api.example.com/v2'}]").serverPathWarning("http://localhost:8080");
        assertThat(w).isPresent();
        assertThat(w.get().message()).isEqualTo("the document's server https://api.example.com/v2 puts the API under /v2, but "
                + "the base URL http://localhost:8080 does not end with it: the moves call /rooms, not /v2/rooms");
        assertThat(w.get().suggestion()).contains("http://localhost:8080/v2");
        assertThat(withServers("servers: [{url: 'https://api.example.com/v2'}]").serverPathWarning("http://localhost:8080/v2/")).isEmpty();
        assertThat(withServers("servers: [{url: /api/v1}]").serverPathWarning("http://gateway:80/shop/api/v1")).isEmpty();
        String templated = "servers: [{url: '{scheme}://h/{base}', variables: {scheme: {default: https}, base: {default: api/v1}}}]";
        assertThat(withServers(templated).serverPathWarning("http://localhost:1/api/v1")).isEmpty();
        assertThat(withServers(templated).serverPathWarning("http://localhost:1")).get().extracting(Warning::message)
                .asString().contains("puts the API under /api/v1");
        assertThat(withServers("servers: [{url: 'http://localhost:8080', description: Generated server url}]")
                .serverPathWarning("http://127.0.0.1:9000")).isEmpty();
        assertThat(withServers("servers: [{url: /}]").serverPathWarning("http://localhost:8080")).isEmpty();
        assertThat(withServers("").serverPathWarning("http://localhost:8080")).isEmpty();
    }

    @Test
    @DisplayName("the exploration built from the document starts with that warning")
    void explorationCarriesIt() {
        InMemoryStateManager manager = new InMemoryStateManager();
        Exploration e = withServers("servers: [{url: /api}]").explorationBuilder(new Client("http://127.0.0.1:9"), manager).build();
        assertThat(e.warnings()).extracting(Warning::message).containsExactly("the document's server /api puts the API under "
                + "/api, but the base URL http://127.0.0.1:9 does not end with it: the moves call /rooms, not /api/rooms");
    }
}
