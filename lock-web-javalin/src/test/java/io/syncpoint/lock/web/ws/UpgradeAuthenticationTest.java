package io.syncpoint.lock.web.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpgradeAuthenticationTest {
    private GatewayTestServer server;

    @BeforeEach
    void start() {
        server = new GatewayTestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anUpgradeWithoutTokenIsRefusedWith401() {
        assertThat(handshakeStatus(WebSocketGateway.PATH)).isEqualTo(401);
        assertThat(server.gateway.connectionCount()).isZero();
    }

    @Test
    void anUpgradeWithABadTokenIsRefusedWith401() {
        assertThat(handshakeStatus(WebSocketGateway.PATH + "?token=not-a-token")).isEqualTo(401);
        assertThat(handshakeStatus("/api/v1/appointments/" + UUID.randomUUID() + "/updates?token=forged"))
                .isEqualTo(401);
    }

    @Test
    void anExpiredTokenIsRefused() {
        GatewayTestServer.User alice = server.user("Alice");
        server.clock.advance(java.time.Duration.ofHours(2));

        assertThat(handshakeStatus(WebSocketGateway.PATH + "?token=" + alice.token())).isEqualTo(401);
    }

    @Test
    void theRefusalIsAProblemDocument() throws Exception {
        HttpResponse<String> response = upgradeRequest(WebSocketGateway.PATH + "?token=forged");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = new ObjectMapper().readTree(response.body());
        assertThat(problem.get("code").asText()).isEqualTo("unauthorized");
        assertThat(problem.get("status").asInt()).isEqualTo(401);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(problem.get("type").asText()).isEqualTo("urn:syncpoint:problem:unauthorized");
    }

    @Test
    void anUpdatesPathWithAMalformedIdIsRefusedWith400() throws Exception {
        GatewayTestServer.User alice = server.user("Alice");

        HttpResponse<String> response = upgradeRequest("/api/v1/appointments/not-a-uuid/updates?token=" + alice.token());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(new ObjectMapper().readTree(response.body()).get("code").asText()).isEqualTo("validation_failed");
    }

    @Test
    void aValidTokenOpensTheSocket() {
        try (WsTestClient client = server.connect(server.user("Alice"))) {
            client.expectNothingBeforePong();
            assertThat(server.gateway.connectionCount()).isEqualTo(1);
        }
    }

    private int handshakeStatus(String pathAndQuery) {
        Throwable failure = catchThrowable(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(server.uri(pathAndQuery), new java.net.http.WebSocket.Listener() {
                }).join());
        assertThat(failure).isInstanceOf(CompletionException.class);
        assertThat(failure.getCause()).isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode();
    }

    /** A handshake request sent as plain HTTP, so the refusal's body can be read. */
    private HttpResponse<String> upgradeRequest(String pathAndQuery) throws Exception {
        byte[] key = new byte[16];
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + pathAndQuery))
                .header("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(key))
                .header("Sec-WebSocket-Version", "13")
                .GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
