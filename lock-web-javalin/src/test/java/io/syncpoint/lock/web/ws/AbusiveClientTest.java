package io.syncpoint.lock.web.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.web.ws.GatewayTestServer.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AbusiveClientTest {
    @RegisterExtension
    final GatewayTestServer server = new GatewayTestServer();
    private User alice;
    private User mallory;
    private Appointment appointment;
    private WsTestClient bystander;

    @BeforeEach
    void start() {
        alice = server.user("Alice");
        mallory = server.user("Mallory");
        appointment = server.appointment(alice);
        bystander = server.connect(server.user("Bob"));
        bystander.subscribeAndAwaitSnapshot(appointment.id());
    }

    @AfterEach
    void stop() {
        bystander.close();
    }

    @Test
    void aFrameOver4KiBIsAnsweredWithPayloadTooLarge() {
        try (WsTestClient client = server.connect(mallory)) {
            client.send("{\"type\":\"ping\",\"padding\":\"" + "x".repeat(4100) + "\"}");

            JsonNode error = client.expect("error");
            assertThat(error.get("code").asText()).isEqualTo("payload_too_large");
            assertThat(error.get("message").asText()).contains("4096");
            client.expectNothingBeforePong();
        }
    }

    @Test
    void aFrameFarOverTheLimitIsNotReadAndClosesTheConnection() {
        try (WsTestClient client = server.connect(mallory)) {
            flood(client, "{\"type\":\"ping\",\"padding\":\"" + "x".repeat(70_000) + "\"}", 1);

            assertThat(client.awaitClose()).isEqualTo(1009);
        }
        bystander.expectNothingBeforePong();
    }

    @Test
    void aFrameCountsItsBytesNotItsCharacters() {
        try (WsTestClient client = server.connect(mallory)) {
            client.send("{\"type\":\"ping\",\"padding\":\"" + "é".repeat(2040) + "\"}");

            assertThat(client.expect("error").get("code").asText()).isEqualTo("payload_too_large");
        }
    }

    @Test
    void malformedFramesAreAnsweredWithValidationErrors() {
        try (WsTestClient client = server.connect(mallory)) {
            List<String> frames = List.of("{not json", "[1,2]", "\"ping\"", "{}", "{\"type\":42}",
                    "{\"type\":\"dance\"}", "{\"type\":\"subscribe\"}",
                    "{\"type\":\"subscribe\",\"appointmentId\":\"not-a-uuid\"}",
                    "{\"type\":\"unsubscribe\",\"appointmentId\":7}");
            frames.forEach(client::send);

            for (String frame : frames) {
                JsonNode error = client.expect("error");
                assertThat(error.get("code").asText()).as(frame).isEqualTo("validation_failed");
                assertThat(error.get("message").asText()).as(frame).isNotBlank();
            }
            client.expectNothingBeforePong();
        }
    }

    @Test
    void aFloodIsRateLimitedAndThenClosedWith1008WhileOthersKeepTheirEvents() {
        try (WsTestClient client = server.connect(mallory)) {
            WebSocketSettings limits = WebSocketSettings.defaults();
            sendUntilClosed(client, "{\"type\":\"ping\"}", limits.frameBurst() + limits.toleratedViolations() + 1);

            assertThat(client.awaitClose()).isEqualTo(1008);
            List<String> codes = new ArrayList<>();
            client.inbox().forEach(frame -> codes.add(frame.path("code").asText(frame.path("type").asText())));
            assertThat(codes).contains("pong", "rate_limited");
            assertThat(codes.indexOf("rate_limited")).isEqualTo(WebSocketSettings.defaults().frameBurst());
        }
        server.locks.acquire(AcquireLock.Command.of(alice.actor(), appointment.id())).orElseThrow();
        bystander.expect("lock-acquired");
        bystander.expectNothingBeforePong();
    }

    @Test
    void aClientThatKeepsSendingGarbageIsClosedWith1008() {
        try (WsTestClient client = server.connect(mallory)) {
            sendUntilClosed(client, "{garbage", WebSocketSettings.defaults().toleratedViolations() + 1);

            assertThat(client.awaitClose()).isEqualTo(1008);
        }
        bystander.expectNothingBeforePong();
    }

    @Test
    void aConnectionMayWatchAtMost50Appointments() {
        try (WsTestClient client = server.connect(mallory)) {
            List<Appointment> watched = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                watched.add(server.appointment(alice));
                client.subscribeAndAwaitSnapshot(watched.get(i).id());
            }

            client.subscribe(appointment.id());
            assertThat(client.expect("error").get("code").asText()).isEqualTo("forbidden");

            client.unsubscribe(watched.get(0).id());
            client.subscribeAndAwaitSnapshot(appointment.id());
        }
    }

    @Test
    void framesInAndOutAreCounted() {
        double in = server.meters.get("syncpoint.websocket.frames.in").counter().count();
        double out = server.meters.get("syncpoint.websocket.frames.out").counter().count();

        bystander.expectNothingBeforePong();

        assertThat(server.meters.get("syncpoint.websocket.frames.in").counter().count()).isEqualTo(in + 1);
        assertThat(server.meters.get("syncpoint.websocket.frames.out").counter().count()).isGreaterThan(out);
        assertThat(server.meters.get("syncpoint.websocket.connections").gauge().value()).isEqualTo(1.0);
    }

    /**
     * Sends {@code count} frames without waiting for answers, then one more at a time, each after a
     * pause, until the server closes. Frames the server has not read when it closes would turn its
     * close into a reset, which the client sees as an error instead of the close code; so the client
     * sends no more than the server needs (a token refilled during the burst needs one more).
     */
    private static void sendUntilClosed(WsTestClient client, String frame, int count) {
        flood(client, frame, count);
        for (int extra = 0; extra < 20 && !closedWithin(client, Duration.ofSeconds(1)); extra++) {
            flood(client, frame, 1);
        }
    }

    private static boolean closedWithin(WsTestClient client, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!client.isClosed() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        return client.isClosed();
    }

    /** Sends without waiting for answers, and stops quietly once the server has closed the socket. */
    private static void flood(WsTestClient client, String frame, int count) {
        try {
            for (int i = 0; i < count; i++) {
                client.send(frame);
            }
        } catch (RuntimeException closedByServer) {
            return;
        }
    }
}
