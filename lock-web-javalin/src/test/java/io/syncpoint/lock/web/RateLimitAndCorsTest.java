package io.syncpoint.lock.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-user token buckets and the browser origins allowed by configuration. */
class RateLimitAndCorsTest {
    private WebServer server;
    private ApiClient api;

    private void start(WebSettings settings) {
        server = new WebServer(new InMemoryBackend().dependencies(settings));
        api = new ApiClient(server.start());
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void lockAttemptsOverTheLimitAreRefusedWithRetryAfter() {
        start(WebSettings.defaults(0).withRateLimits(new WebSettings.RateLimits(100, 2)));
        String token = signUp();
        String id = api.post("/api/v1/appointments", token, Map.of("title", "T", "startsAt", "2030-01-01T09:00:00Z",
                "endsAt", "2030-01-01T10:00:00Z")).json().get("id").asText();
        String acquire = "/api/v1/appointments/" + id + "/acquire-lock";

        assertThat(api.post(acquire, token, null).status()).isEqualTo(200);
        assertThat(api.post(acquire, token, null).status()).isEqualTo(200);
        ApiClient.Response limited = api.post(acquire, token, null);
        HttpApiContract.assertProblem(limited, 429, "rate_limited");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
        assertThat(api.get("/api/v1/appointments/" + id, token).status()).isEqualTo(200);
        assertThat(api.post(acquire, signUp(), null).status()).isEqualTo(409);
    }

    @Test
    void askingToEditDrawsFromTheLockAttemptAllowanceLikeAcquiring() {
        start(WebSettings.defaults(0).withRateLimits(new WebSettings.RateLimits(100, 2)));
        String token = signUp();
        String id = api.post("/api/v1/appointments", token, Map.of("title", "T", "startsAt", "2030-01-01T09:00:00Z",
                "endsAt", "2030-01-01T10:00:00Z")).json().get("id").asText();
        String asker = signUp();
        String ask = "/api/v1/appointments/" + id + "/edit-requests";

        assertThat(api.post("/api/v1/appointments/" + id + "/acquire-lock", token, null).status()).isEqualTo(200);
        assertThat(api.post(ask, asker, null).status()).isEqualTo(201);
        assertThat(api.post(ask, asker, null).status()).isEqualTo(200);
        ApiClient.Response limited = api.post(ask, asker, null);
        HttpApiContract.assertProblem(limited, 429, "rate_limited");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
        assertThat(api.post("/api/v1/appointments/" + id + "/acquire-lock", asker, null).status())
                .as("the same allowance").isEqualTo(429);
        assertThat(api.get(ask, asker).status()).as("reading the line is an ordinary request").isEqualTo(200);
    }

    @Test
    void requestsOverTheGeneralLimitAreRefusedPerUser() {
        start(WebSettings.defaults(0).withRateLimits(new WebSettings.RateLimits(5, 5)));
        String token = signUp();
        int refusedAt = -1;
        for (int i = 1; i <= 10 && refusedAt < 0; i++) {
            ApiClient.Response response = api.get("/api/v1/auth/session", token);
            if (response.status() == 429) {
                HttpApiContract.assertProblem(response, 429, "rate_limited");
                assertThat(response.header("Retry-After")).isNotBlank();
                refusedAt = i;
            }
        }
        assertThat(refusedAt).isEqualTo(6);
        assertThat(api.get("/api/v1/auth/session", signUp()).status()).isEqualTo(200);
    }

    @Test
    void allowedOriginsGetCorsHeadersAndOthersDoNot() {
        start(WebSettings.defaults(0).withCorsOrigins(List.of("https://app.example.com")));
        ApiClient.Response preflight = api.send("OPTIONS", "/api/v1/appointments", null, null, Map.of(
                "Origin", "https://app.example.com", "Access-Control-Request-Method", "PUT",
                "Access-Control-Request-Headers", "authorization,if-match,lock-token"));
        assertThat(preflight.status()).isBetween(200, 204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");

        ApiClient.Response allowed = api.send("GET", "/api/v1/health", null, null, Map.of("Origin", "https://app.example.com"));
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        ApiClient.Response other = api.send("GET", "/api/v1/health", null, null, Map.of("Origin", "https://evil.example.com"));
        assertThat(other.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void metricsCanBeRestrictedToAdmins() {
        start(WebSettings.defaults(0).withMetricsPublic(false));
        HttpApiContract.assertProblem(api.get("/api/v1/metrics", null), 401, "unauthorized");
        HttpApiContract.assertProblem(api.get("/api/v1/metrics", signUp()), 403, "forbidden");
    }

    private String signUp() {
        ApiClient.Response response = api.post("/api/v1/auth/signup", null, Map.of(
                "email", "u-" + UUID.randomUUID() + "@example.com", "name", "U", "password", "long enough"));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json().get("token").asText();
    }
}
