package io.syncpoint.lock.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The strict client the hostile-input tests rely on: it must see exactly what a server sent. */
class KeepAliveClientTest {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"n\":\"one\"}";
    private static final String SECOND = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{\"n\":\"two\"}";

    @Test
    void anAnswerNobodyAskedForFailsTheNextRequestInsteadOfBeingTakenForItsAnswer() throws Exception {
        try (ServerSocket listener = new ServerSocket(0)) {
            CompletableFuture<Socket> server = CompletableFuture.supplyAsync(() -> answer(listener, OK + SECOND));
            try (KeepAliveClient client = new KeepAliveClient(listener.getLocalPort())) {
                ApiClient.Response first = client.get("/first", "token");
                assertThat(first.status()).isEqualTo(200);
                assertThat(first.json().get("n").asText()).isEqualTo("one");
                assertThat(first.contentType()).isEqualTo("application/json");
                try (Socket answered = server.get(5, TimeUnit.SECONDS)) {
                    assertThatThrownBy(() -> client.post("/second", "token", Map.of("a", 1)))
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("bytes before POST /second was asked")
                            .hasMessageContaining("{\"n\":\"two\"}");
                }
            }
        }
    }

    @Test
    void readsChunkedAnswersWholeAndKeepsTheConnectionForTheNext() throws Exception {
        String chunked = "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"n\"\r\n7\r\n:\"one\"}\r\n0\r\n\r\n";
        try (ServerSocket listener = new ServerSocket(0)) {
            CompletableFuture<List<String>> server = CompletableFuture.supplyAsync(() -> answerTwice(listener, chunked, OK));
            try (KeepAliveClient client = new KeepAliveClient(listener.getLocalPort())) {
                ApiClient.Response first = client.post("/first", null, "{}");
                ApiClient.Response second = client.get("/second", null);

                assertThat(first.status()).isEqualTo(201);
                assertThat(first.json().get("n").asText()).isEqualTo("one");
                assertThat(second.text()).isEqualTo("{\"n\":\"one\"}");
                assertThat(server.get(5, TimeUnit.SECONDS)).containsExactly("POST /first HTTP/1.1", "GET /second HTTP/1.1");
            }
        }
    }

    /** Reads one request head and sends {@code bytes} back on the connection, which it returns open. */
    private static Socket answer(ServerSocket listener, String bytes) {
        try {
            Socket socket = listener.accept();
            BufferedReader in = FakeServerRequests.reader(socket);
            FakeServerRequests.read(in);
            OutputStream out = socket.getOutputStream();
            out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return socket;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers two requests on one connection and returns their request lines. */
    private static List<String> answerTwice(ServerSocket listener, String first, String second) {
        try (Socket socket = listener.accept()) {
            BufferedReader in = FakeServerRequests.reader(socket);
            OutputStream out = socket.getOutputStream();
            String firstLine = FakeServerRequests.read(in);
            out.write(first.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String secondLine = FakeServerRequests.read(in);
            out.write(second.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return List.of(firstLine, secondLine);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
