package io.syncpoint.lock.web.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (the JDK's) that queues every frame it receives, for bounded waits in tests. */
public final class WsTestClient implements AutoCloseable {
    static final long WAIT_SECONDS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

    private WsTestClient(URI uri, HttpClient http) {
        this.socket = http.newWebSocketBuilder().buildAsync(uri, new Collector()).join();
    }

    public static WsTestClient connect(URI uri) {
        return new WsTestClient(uri, HttpClient.newHttpClient());
    }

    public void send(String frame) {
        socket.sendText(frame, true).join();
    }

    public void sendBinary(byte[] frame) {
        socket.sendBinary(ByteBuffer.wrap(frame), true).join();
    }

    /** True once the connection has ended, with a close frame or without one. */
    public boolean isClosed() {
        return closeCode.isDone();
    }

    /** The close code, once the connection is closed; empty while it is open or when it ended without one. */
    public OptionalInt closeCodeIfClosed() {
        Integer code = closeCode.isDone() && !closeCode.isCompletedExceptionally() ? closeCode.join() : null;
        return code == null ? OptionalInt.empty() : OptionalInt.of(code);
    }

    public void subscribe(UUID appointmentId) {
        send("{\"type\":\"subscribe\",\"appointmentId\":\"" + appointmentId + "\"}");
    }

    public void unsubscribe(UUID appointmentId) {
        send("{\"type\":\"unsubscribe\",\"appointmentId\":\"" + appointmentId + "\"}");
    }

    public void moveCursor(UUID appointmentId, double x, double y) {
        send("{\"type\":\"cursor-position\",\"appointmentId\":\"" + appointmentId
                + "\",\"position\":{\"x\":" + x + ",\"y\":" + y + "}}");
    }

    /** Subscribes and returns the snapshot. */
    public JsonNode subscribeAndAwaitSnapshot(UUID appointmentId) {
        subscribe(appointmentId);
        return expect("subscribed");
    }

    /** The next frame, whatever it is; fails after a bounded wait. */
    public JsonNode next() {
        try {
            JsonNode frame = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (frame == null) {
                fail("no frame within " + WAIT_SECONDS + " s");
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame, which must have this type. */
    public JsonNode expect(String type) {
        JsonNode frame = next();
        assertThat(frame.path("type").asText()).as("frame %s", frame).isEqualTo(type);
        return frame;
    }

    /** The next frame of {@code type}, passing over frames of the types allowed before it, in any order. */
    public JsonNode skipUntil(String type, String... allowedBefore) {
        while (true) {
            JsonNode frame = next();
            String received = frame.path("type").asText();
            if (received.equals(type)) {
                return frame;
            }
            assertThat(received).as("frame %s", frame).isIn((Object[]) allowedBefore);
        }
    }

    /**
     * Proves nothing else is on its way: the server answers frames in order, so a pong that comes
     * next means every frame caused before the ping has already arrived.
     */
    public void expectNothingBeforePong() {
        send("{\"type\":\"ping\"}");
        expect("pong");
    }

    /** Sends a ping and takes frames until its pong: everything caused before the ping has been received. */
    public void skipUntilPong() {
        send("{\"type\":\"ping\"}");
        while (!next().path("type").asText().equals("pong")) {
            // Other viewers' frames may arrive in any number; only the pong matters here.
        }
    }

    /** Waits for the server to close the connection and returns the close code. */
    public int awaitClose() {
        try {
            return closeCode.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the server did not close the connection", e);
        }
    }

    /** Frames received and not yet taken. */
    public BlockingQueue<JsonNode> inbox() {
        return received;
    }

    /** Drops the connection without a close frame, as a client that crashes or loses its network does. */
    public void drop() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(failure -> null);
        }
        socket.abort();
    }

    private final class Collector implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new AssertionError("the server sent a frame that is not JSON: " + partial, e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
