package io.syncpoint.lock.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the HTTP tests' client does when a server closes a kept-alive connection without saying so. */
class ApiClientTest {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{\"n\":\"one\"}";
    private static final String BAD = "HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\n\r\n{}";

    @Test
    void anIdempotentRequestGoesOutAgainOnANewConnectionWhenTheReusedOneWasClosedUnannounced() throws Exception {
        try (ServerSocket listener = new ServerSocket(0)) {
            CompletableFuture<List<String>> server = CompletableFuture.supplyAsync(() -> answerThenClose(listener, OK, OK));
            ApiClient client = new ApiClient(listener.getLocalPort());

            assertThat(client.get("/first", null).status()).isEqualTo(200);
            assertThat(client.get("/second", null).json().get("n").asText()).isEqualTo("one");

            assertThat(server.get(5, TimeUnit.SECONDS)).containsExactly("GET /first HTTP/1.1", "GET /second HTTP/1.1");
        }
    }

    @Test
    void aPostIsNotSentAgain() throws Exception {
        try (ServerSocket listener = new ServerSocket(0)) {
            CompletableFuture<List<String>> server = CompletableFuture.supplyAsync(() -> answerThenClose(listener, OK));
            ApiClient client = new ApiClient(listener.getLocalPort());

            assertThat(client.get("/first", null).status()).isEqualTo(200);
            assertThatThrownBy(() -> client.post("/second", null, Map.of("a", 1)))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(KeepAliveClient.ClosedBeforeAnswer.class);

            assertThat(server.get(5, TimeUnit.SECONDS)).containsExactly("GET /first HTTP/1.1");
        }
    }

    @Test
    void aConnectionIsNotUsedAgainAfterAnAnswerJettyMayCloseItAfter() throws Exception {
        try (ServerSocket listener = new ServerSocket(0)) {
            CompletableFuture<List<String>> server = CompletableFuture.supplyAsync(() -> answerThenClose(listener, BAD, OK));
            ApiClient client = new ApiClient(listener.getLocalPort());

            assertThat(client.get("/bad", null).status()).isEqualTo(400);
            assertThat(client.post("/next", null, Map.of("a", 1)).status()).isEqualTo(200);

            assertThat(server.get(5, TimeUnit.SECONDS)).containsExactly("GET /bad HTTP/1.1", "POST /next HTTP/1.1");
        }
    }

    /**
     * On each of {@code answers.length} connections, one after the other: reads one request, sends its answer
     * and closes the connection without saying so. Returns the request lines in the order they came.
     */
    private static List<String> answerThenClose(ServerSocket listener, String... answers) {
        List<String> requests = new ArrayList<>();
        try {
            listener.setSoTimeout(3_000);
            for (String answer : answers) {
                try (Socket socket = listener.accept()) {
                    BufferedReader in = FakeServerRequests.reader(socket);
                    requests.add(FakeServerRequests.read(in));
                    OutputStream out = socket.getOutputStream();
                    out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            }
        } catch (SocketTimeoutException noMoreConnections) {
            return requests;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return requests;
    }
}
