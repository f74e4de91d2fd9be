package io.syncpoint.lock.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Just enough of an HTTP client to drive a running server from the outside. */
final class ServerClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;

    ServerClient(int port) {
        this.base = "http://localhost:" + port + "/api/v1";
    }

    /** The server's WebSocket endpoint, without the token. */
    String webSocketUrl() {
        return base.replaceFirst("^http", "ws") + "/ws";
    }

    record Answer(int status, JsonNode json, String contentType) {
        boolean isProblem() {
            return contentType.startsWith("application/problem+json") && json.hasNonNull("code");
        }
    }

    Answer get(String path, String token) {
        return send("GET", path, token, null);
    }

    Answer post(String path, String token, Map<String, Object> body) {
        return send("POST", path, token, body);
    }

    Answer put(String path, String token, Map<String, Object> body) {
        return send("PUT", path, token, body);
    }

    Answer delete(String path, String token, Map<String, Object> body) {
        return send("DELETE", path, token, body);
    }

    Answer put(String path, String token, Map<String, Object> body, Map<String, String> headers) {
        return send("PUT", path, token, body, headers);
    }

    /** The body of a GET as text, for routes that do not answer JSON ({@code /metrics}). */
    String text(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A signed-in account as a client sees it: its id and its token. */
    record Member(String id, String token) {
        static Member of(Answer signedIn) {
            return new Member(signedIn.json().at("/user/id").asText(), signedIn.json().get("token").asText());
        }
    }

    /** Signs in, which must succeed. */
    Member member(String email, String password) {
        Answer answer = post("/auth/signin", null, Map.of("email", email, "password", password));
        assertThat(answer.status()).as("sign-in of %s", email).isEqualTo(200);
        return Member.of(answer);
    }

    /** Creates a one-hour appointment, which must succeed, and returns its id. */
    String createAppointment(String token, String title) {
        Answer created = post("/appointments", token, Map.of("title", title,
                "startsAt", "2030-01-01T09:00:00Z", "endsAt", "2030-01-01T10:00:00Z"));
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    String signIn(String email, String password) {
        Answer answer = post("/auth/signin", null, Map.of("email", email, "password", password));
        if (answer.status() != 200) {
            throw new IllegalStateException("sign-in failed: " + answer);
        }
        return answer.json().get("token").asText();
    }

    /** Polls the health route until it answers 200, for at most {@code patience}. */
    boolean awaitHealthy(Duration patience) throws InterruptedException {
        Instant deadline = Instant.now().plus(patience);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (get("/health", null).status() == 200) {
                    return true;
                }
            } catch (UncheckedIOException notYetListening) {
                // The server is still starting.
            }
            Thread.sleep(100);
        }
        return false;
    }

    private Answer send(String method, String path, String token, Map<String, Object> body) {
        return send(method, path, token, body, Map.of());
    }

    private Answer send(String method, String path, String token, Map<String, Object> body,
                        Map<String, String> headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body)));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            headers.forEach(request::header);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            return new Answer(response.statusCode(), text.isBlank() || text.charAt(0) != '{'
                    ? MAPPER.createObjectNode() : MAPPER.readTree(text),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (ConnectException e) {
            throw new UncheckedIOException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
