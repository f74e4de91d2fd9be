package io.syncpoint.lock.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.web.ws.WebSocketGateway;
import io.syncpoint.lock.web.ws.WebSocketSettings;
import java.util.Map;
import java.util.UUID;

/**
 * The HTTP API and the WebSocket gateway on one server over a {@link TestBackend}, wired as the
 * application wires them, on a free port.
 */
final class FullServer implements AutoCloseable {
    final WebDependencies dependencies;
    final WebSocketGateway gateway;
    private final WebServer server;
    private final int port;

    FullServer(TestBackend backend, WebSettings settings, WebSocketSettings webSocketSettings) {
        WebDependencies http = backend.dependencies(settings);
        gateway = new WebSocketGateway(http.accounts(), http.locks(), backend.events(), backend.eventPublisher(),
                http.meterRegistry(), http.clock(), webSocketSettings);
        gateway.start();
        dependencies = http.withExtension(gateway::register);
        server = new WebServer(dependencies);
        port = server.start();
    }

    int port() {
        return port;
    }

    ApiClient api() {
        return new ApiClient(port);
    }

    RawHttpClient raw() {
        return new RawHttpClient(port);
    }

    /** Signs up a new user and returns the answer, which carries the token and the user. */
    ApiClient.Response signUp(String name) {
        ApiClient.Response response = api().post("/api/v1/auth/signup", null, Map.of(
                "email", "u-" + UUID.randomUUID() + "@example.com", "name", name, "password", "long enough"));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response;
    }

    /** A new user's token. */
    String signUp() {
        return signUp("U").json().get("token").asText();
    }

    @Override
    public void close() {
        gateway.close();
        server.stop();
    }
}
