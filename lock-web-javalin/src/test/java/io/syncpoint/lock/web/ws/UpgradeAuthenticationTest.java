package io.syncpoint.lock.web.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shape of an upgrade refusal and a valid upgrade; the attacks on the upgrade are in {@code AuthAttackTest}. */
class UpgradeAuthenticationTest {
    @RegisterExtension
    final GatewayTestServer server = new GatewayTestServer();

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
