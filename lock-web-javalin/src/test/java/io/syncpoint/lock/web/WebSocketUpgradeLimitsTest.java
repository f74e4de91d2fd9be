package io.syncpoint.lock.web;

import static io.syncpoint.lock.web.MalformedRequestTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.web.ws.WebSocketSettings;
import io.syncpoint.lock.web.ws.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who may open a WebSocket and how many: checked before the upgrade, answered with a problem. */
class WebSocketUpgradeLimitsTest {
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private FullServer server;
    private final List<AutoCloseable> opened = new ArrayList<>();

    private void start(WebSocketSettings settings) {
        server = new FullServer(new InMemoryBackend(), WebSettings.defaults(0), settings);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable socket : opened) {
            socket.close();
        }
        server.close();
    }

    @Test
    void aUserHoldsNoMoreSocketsThanAllowedAndGetsAProblemBeyond() {
        start(WebSocketSettings.defaults());
        String token = server.signUp();
        int cap = WebSocketSettings.DEFAULT_MAX_CONNECTIONS_PER_USER;
        List<WsTestClient> clients = new ArrayList<>();
        for (int i = 0; i < cap; i++) {
            clients.add(open(token));
        }
        // The client sees its socket open a moment before the server has counted it.
        awaitTrue(() -> server.gateway.connectionCount() == cap);

        RawHttpClient.Response refused = server.raw().exchange(upgrade(token, ""));
        assertProblem(refused, 429, "rate_limited");
        assertThat(refused.json().get("detail").asText()).contains(Integer.toString(cap));
        assertThat(refused.header("Retry-After")).isNotBlank();
        assertThat(server.gateway.connectionCount()).isEqualTo(cap);

        String otherUser = server.signUp();
        open(otherUser).expectNothingBeforePong();
        clients.get(0).close();
        awaitTrue(() -> server.gateway.connectionCount() == cap);
        open(token).expectNothingBeforePong();
    }

    @Test
    void racingUpgradesOfOneUserNeverExceedTheCap() throws Exception {
        start(WebSocketSettings.defaults().withMaxConnectionsPerUser(5));
        String token = server.signUp();
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<WebSocket>> attempts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            attempts.add(http.newWebSocketBuilder().buildAsync(wsUri(token), new WebSocket.Listener() { }));
        }
        int upgraded = 0;
        for (CompletableFuture<WebSocket> attempt : attempts) {
            try {
                WebSocket socket = attempt.get(20, TimeUnit.SECONDS);
                opened.add(socket::abort);
                upgraded++;
            } catch (java.util.concurrent.ExecutionException refused) {
                // refused before the upgrade: expected beyond the cap
            }
        }
        assertThat(upgraded).isGreaterThanOrEqualTo(5);
        awaitTrue(() -> server.gateway.connectionCount() == 5);
        assertThat(server.raw().exchange(upgrade(token, "")).status()).isEqualTo(429);
    }

    @Test
    void aPageOfAForeignOriginIsRefusedBeforeTheUpgrade() {
        start(WebSocketSettings.defaults());
        String token = server.signUp();
        for (String origin : new String[] {"https://evil.example.com", "null", "http://localhost:1", "file://"}) {
            RawHttpClient.Response response = server.raw().exchange(upgrade(token, "Origin: " + origin + "\r\n"));
            assertProblem(response, 403, "forbidden");
        }
        assertThat(server.gateway.connectionCount()).isZero();
    }

    @Test
    void theServersOwnPagesAndClientsWithoutOriginMayUpgrade() {
        start(WebSocketSettings.defaults());
        String token = server.signUp();
        String own = "http://localhost:" + server.port();
        assertThat(server.raw().exchange(upgrade(token, "Origin: " + own + "\r\n")).status()).isEqualTo(101);
        assertThat(server.raw().exchange(upgrade(token, "")).status()).isEqualTo(101);
    }

    @Test
    void configuredOriginsMayUpgrade() {
        start(WebSocketSettings.defaults().withAllowedOrigins(List.of("https://app.example.com")));
        String token = server.signUp();
        assertThat(server.raw().exchange(upgrade(token, "Origin: https://app.example.com\r\n")).status())
                .isEqualTo(101);
        assertProblem(server.raw().exchange(upgrade(token, "Origin: https://app.example.com.evil.net\r\n")),
                403, "forbidden");
    }

    private WsTestClient open(String token) {
        WsTestClient client = WsTestClient.connect(wsUri(token));
        opened.add(client);
        return client;
    }

    private URI wsUri(String token) {
        return URI.create("ws://localhost:" + server.port() + "/api/v1/ws?token=" + token);
    }

    private String upgrade(String token, String headers) {
        return "GET /api/v1/ws?token=" + token + " HTTP/1.1\r\nHost: localhost:" + server.port() + "\r\n"
                + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\n" + headers + "\r\n";
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
