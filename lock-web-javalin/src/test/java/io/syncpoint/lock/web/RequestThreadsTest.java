package io.syncpoint.lock.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.web.ws.WebSocketSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server handles requests on a few threads ({@link WebSettings#requestThreads()}), and clients that
 * send their bodies slowly hold none of them: a body is loaded before its request takes a thread.
 */
class RequestThreadsTest {
    private static final int THREADS = WebSettings.MIN_REQUEST_THREADS;
    private static final String SIGN_UP_HEAD = "POST /api/v1/auth/signup HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n";

    private final List<Socket> stalled = new ArrayList<>();
    private FullServer server;

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : stalled) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void clientsStallingMidBodyLeaveTheServerAnswering() throws Exception {
        server = new FullServer(new InMemoryBackend(), WebSettings.defaults(0).withRequestThreads(THREADS),
                WebSocketSettings.defaults());
        for (int i = 0; i < 8 * THREADS; i++) {
            Socket socket = new Socket("localhost", server.port());
            stalled.add(socket);
            send(socket, SIGN_UP_HEAD.formatted(200) + "{\"email\":\"slow-" + i + "@");
        }

        // Each answer is awaited with RawHttpClient's read timeout (15 s): a request thread held by a
        // stalled body would be freed only by Jetty's idle timeout (30 s).
        assertThat(server.raw().exchange("GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .status()).isEqualTo(200);
        assertThat(server.signUp("Prompt").status()).isEqualTo(201);
    }

    @Test
    void aBodyThatArrivesInPiecesIsReadWhole() throws Exception {
        server = new FullServer(new InMemoryBackend(), WebSettings.defaults(0).withRequestThreads(THREADS),
                WebSocketSettings.defaults());
        String email = "pieces-" + UUID.randomUUID() + "@example.com";
        String body = "{\"email\":\"" + email + "\",\"name\":\"In pieces\",\"password\":\"long enough\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("localhost", server.port())) {
            socket.setSoTimeout(15_000);
            send(socket, SIGN_UP_HEAD.formatted(bytes.length) + body.substring(0, 10));
            Thread.sleep(300);
            send(socket, body.substring(10, 40));
            Thread.sleep(300);
            send(socket, body.substring(40));
            RawHttpClient.Response answer = RawHttpClient.Response.parse(RawHttpClient.readAnswer(socket.getInputStream()));
            assertThat(answer.status()).as(answer.body()).isEqualTo(201);
            assertThat(answer.json().path("user").path("email").asText()).isEqualTo(email);
        }
    }

    @Test
    void noMoreThreadsServeRequestsThanConfigured() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        server = new FullServer(new InMemoryBackend(), WebSettings.defaults(0).withRequestThreads(THREADS),
                WebSocketSettings.defaults());
        String token = server.signUp();
        ExecutorService clients = Executors.newFixedThreadPool(32);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 320; i++) {
                answers.add(clients.submit(() -> server.api().get("/api/v1/appointments", token).status()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isEqualTo(200);
            }
        } finally {
            clients.shutdownNow();
        }
        long requestThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread))
                .filter(thread -> thread.getName().startsWith(WebServer.REQUEST_THREAD_NAME + "-"))
                .count();
        assertThat(requestThreads).isBetween(1L, (long) THREADS);
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
