package io.syncpoint.lock.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.web.ws.WebSocketSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests no well-behaved client sends, over a raw socket: each gets a problem+json answer with a
 * fitting code, never a bare body and never a 500, and none of them grows the server's memory.
 */
class MalformedRequestTest {
    private static final String ID_PATH = "/api/v1/appointments/%ff";

    private FullServer server;
    private RawHttpClient raw;

    private void start(WebSettings settings) {
        server = new FullServer(new InMemoryBackend(), settings, WebSocketSettings.defaults());
        raw = server.raw();
    }

    private void start() {
        start(WebSettings.defaults(0));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void inventedMethodsAndRandomPathsAddNoMetricSeries() {
        start();
        String longName = "A".repeat(4000);
        for (int i = 0; i < 10; i++) {
            raw.exchange(request("M" + i + longName, "/api/v1/health", ""));
            raw.exchange(request("GET", "/api/v1/no-such-" + UUID.randomUUID(), ""));
        }
        int before = metricsSize();

        for (int i = 10; i < 60; i++) {
            assertProblem(raw.exchange(request("M" + i + longName, "/api/v1/health", "")), 405, "method_not_allowed");
            assertProblem(raw.exchange(request("GET", "/api/v1/no-such-" + UUID.randomUUID(), "")), 404, "not_found");
            assertProblem(raw.exchange(request("X" + i, "/random/" + UUID.randomUUID(), "")), 404, "not_found");
        }

        assertThat(metricsSize() - before).as("growth of /metrics after 150 invented requests").isLessThan(1024);
        assertThat(server.api().get("/api/v1/metrics", null).text())
                .doesNotContain("M10A", "no-such-")
                .contains("method=\"other\"");
    }

    @Test
    void requestsNoRouteMatchesAreRateLimitedByAddress() {
        start(WebSettings.defaults(0).withRateLimits(new WebSettings.RateLimits(5, 5)));
        int refusedAt = -1;
        for (int i = 1; i <= 10 && refusedAt < 0; i++) {
            RawHttpClient.Response response = raw.exchange(request(i % 2 == 0 ? "BREW" : "GET", "/nowhere/" + i, ""));
            if (response.status() == 429) {
                assertProblem(response, 429, "rate_limited");
                assertThat(response.header("Retry-After")).isNotBlank();
                refusedAt = i;
            }
        }
        assertThat(refusedAt).isEqualTo(6);
    }

    @Test
    void aClientStillSendingABodyOverTheLimitReadsThe413() {
        start();
        String token = server.signUp();
        String tooLarge = "{\"title\":\"" + "x".repeat((int) WebSettings.DEFAULT_MAX_BODY_BYTES * 4) + "\"}";
        for (int attempt = 0; attempt < 40; attempt++) {
            ApiClient.Response answer = server.api().post("/api/v1/appointments", token, tooLarge);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(413);
            assertThat(answer.json().get("code").asText()).isEqualTo("payload_too_large");
        }
    }

    @Test
    void aBadChunkSizeIsAnsweredWith400AndLoggedAsNoError() {
        start();
        String logged = capturingStandardError(() -> {
            RawHttpClient.Response response = raw.exchange("POST /api/v1/auth/signin HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + "ZZ\r\n{}\r\n0\r\n\r\n");
            assertProblem(response, 400, "validation_failed");
            assertThat(response.json().get("detail").asText()).startsWith("body:");
        });
        assertThat(logged).doesNotContain("ERROR");
    }

    @Test
    void aClientHangingUpMidBodyIsAnsweredWith400AndLoggedAsNoError() {
        start();
        String logged = capturingStandardError(() -> {
            String head = "POST /api/v1/auth/signup HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";
            assertProblem(raw.exchange(bytes(head + "Content-Length: 200\r\n\r\n{\"email\":\"a@"), true),
                    400, "validation_failed");
            assertProblem(raw.exchange(bytes(head + "Transfer-Encoding: chunked\r\n\r\n40\r\n{\"email\":"), true),
                    400, "validation_failed");
        });
        assertThat(logged).doesNotContain("ERROR");
        assertThat(server.api().get("/api/v1/health", null).status()).isEqualTo(200);
    }

    @Test
    void anUndecodableUriIsAProblemForEveryMethod() {
        start();
        for (String method : new String[] {"GET", "PUT", "DELETE", "POST", "PATCH"}) {
            RawHttpClient.Response response = raw.exchange(request(method, ID_PATH, "Content-Length: 0\r\n"));
            assertThat(response.status()).as(method).isEqualTo(400);
            assertProblem(response, 400, "validation_failed");
        }
    }

    @Test
    void aMalformedPercentEscapeInAPathParameterIsAProblem() {
        start();
        String token = server.signUp();
        assertProblem(raw.exchange(request("GET", "/api/v1/appointments/%uD800/lock-status",
                "Authorization: Bearer " + token + "\r\n")), 400, "validation_failed");
        assertProblem(raw.exchange(request("PUT", "/api/v1/users/%zz/role", "Content-Length: 0\r\n")), 400,
                "validation_failed");
    }

    @Test
    void anExpectationOtherThanContinueIsAProblem() {
        start();
        for (String method : new String[] {"PUT", "POST", "DELETE"}) {
            assertProblem(raw.exchange(request(method, "/api/v1/appointments/" + UUID.randomUUID(),
                    "Expect: 200-ok\r\nContent-Length: 2\r\n") + "{}"), 417, "expectation_failed");
        }
    }

    @Test
    void aNulInAHeaderIsAProblem() {
        start();
        assertProblem(raw.exchange(request("GET", "/api/v1/health", "X-Note: a\0b\r\n")), 400, "validation_failed");
        assertProblem(raw.exchange(request("PUT", "/api/v1/appointments/" + UUID.randomUUID(),
                "If-Match: \"1\0\"\r\nContent-Length: 0\r\n")), 400, "validation_failed");
    }

    @Test
    void optionsForTheWholeServerIsAProblem() {
        start();
        RawHttpClient.Response response = raw.exchange(request("OPTIONS", "*", ""));
        assertThat(response.status()).isBetween(400, 499);
        assertProblem(response, response.status(), response.json().path("code").asText());
        assertThat(response.json().path("code").asText()).isNotBlank().isNotEqualTo("internal_error");
    }

    @Test
    void anHttp2PrefaceIsAProblem() {
        start();
        assertProblem(raw.exchange("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), 426, "upgrade_required");
    }

    @Test
    void unsupportedHttpVersionsAreNamedAsSuch() {
        start();
        assertProblem(raw.exchange("GET /api/v1/health\r\n"), 505, "http_version_not_supported");
        assertProblem(raw.exchange("GET /api/v1/health HTTP/9.9\r\nHost: localhost\r\n\r\n"), 505,
                "http_version_not_supported");
        assertProblem(raw.exchange("GET /api/v1/health HTTP/0.9\r\nHost: localhost\r\n\r\n"), 505,
                "http_version_not_supported");
    }

    @Test
    void aWebSocketUpgradeWithoutKeyIsAProblem() {
        start();
        String token = server.signUp();
        RawHttpClient.Response response = raw.exchange("GET /api/v1/ws?token=" + token + " HTTP/1.1\r\n"
                + "Host: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertProblem(response, 400, "validation_failed");
        assertThat(response.json().get("detail").asText()).contains("Sec-WebSocket-Key");
        assertThat(server.gateway.connectionCount()).isZero();
    }

    @Test
    void theUiAndTheApiCarrySecurityHeaders() {
        start();
        for (String path : new String[] {"/", "/app.js", "/api/v1/health", "/api/v1/appointments", "/nowhere"}) {
            ApiClient.Response response = server.api().get(path, null);
            assertThat(response.header("Content-Security-Policy")).as(path)
                    .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'");
            assertThat(response.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(response.header("X-Frame-Options")).as(path).isEqualTo("DENY");
            assertThat(response.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
        }
    }

    @Test
    void theUiIsServedFromItsFolderOnlyAndAnUnchangedFileIsNotSentAgain() {
        start();
        RawHttpClient.Response script = raw.exchange(request("GET", "/js/api.js", ""));
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.header("Content-Type")).startsWith("text/javascript");
        assertThat(script.body()).contains("fetch(");
        String etag = script.header("ETag");
        assertThat(etag).isNotBlank();
        assertThat(raw.exchange(request("GET", "/js/api.js", "If-None-Match: " + etag + "\r\n")).status())
                .isEqualTo(304);

        for (String outside : new String[] {"/../io/syncpoint/lock/web/version.properties",
                "/js/../../META-INF/MANIFEST.MF", "/%2e%2e/io/syncpoint/lock/web/openapi.json",
                "/..%2fio/syncpoint/lock/web/version.properties", "/io/syncpoint/lock/web/version.properties",
                "/public/index.html", "/js/", "/js"}) {
            RawHttpClient.Response response = raw.exchange(request("GET", outside, ""));
            assertThat(response.status()).as(outside).isIn(400, 404);
            assertThat(response.header("Content-Type")).as(outside).startsWith("application/problem+json");
            assertThat(response.body()).as(outside).doesNotContain("version=", "Manifest-Version", "\"openapi\"");
        }
    }

    static void assertProblem(RawHttpClient.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).as(response.toString()).startsWith("application/problem+json");
        assertThat(response.json().path("code").asText()).as(response.toString()).isEqualTo(code);
        assertThat(response.json().path("status").asInt()).isEqualTo(status);
        assertThat(response.json().path("type").asText()).isEqualTo("urn:syncpoint:problem:" + code);
        assertThat(response.json().path("title").asText()).isNotBlank();
        assertThat(response.json().path("detail").asText()).isNotBlank();
    }

    private int metricsSize() {
        return server.api().get("/api/v1/metrics", null).text().getBytes(StandardCharsets.UTF_8).length;
    }

    private static String request(String method, String target, String headers) {
        return method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headers + "\r\n";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** What the server logs to standard error (where the test logger writes) while {@code action} runs. */
    private static String capturingStandardError(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }
}
