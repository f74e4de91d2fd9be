package io.syncpoint.lock.web.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.core.contract.Eventually;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.web.ws.GatewayTestServer.User;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many viewers arriving, moving and vanishing at once leave nothing behind. */
class ConnectionChurnTest {
    private static final int VIEWERS = 24;

    @RegisterExtension
    final GatewayTestServer server = new GatewayTestServer();
    private ExecutorService threads;

    @BeforeEach
    void start() {
        threads = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void viewersLeavingAtOnceLeaveNoConnectionsSubscriptionsOrCursors() throws Exception {
        User owner = server.user("Owner");
        List<Appointment> appointments = IntStream.range(0, 3).mapToObj(i -> server.appointment(owner)).toList();
        List<User> viewers = IntStream.range(0, VIEWERS).mapToObj(i -> server.user("Viewer" + i)).toList();

        // The owner's socket stays open, so the gateway keeps hearing events and the viewers' cursors must
        // go by their removals, not with the subscription that ends when the last socket closes.
        try (WsTestClient ownerSocket = server.connect(owner)) {
            ownerSocket.subscribeAndAwaitSnapshot(appointments.get(0).id());
            CompletableFuture<?>[] sessions = viewers.stream().map(viewer -> CompletableFuture.runAsync(() -> {
                try (WsTestClient client = server.connect(viewer)) {
                    for (Appointment appointment : appointments) {
                        client.subscribe(appointment.id());
                        client.moveCursor(appointment.id(), 10, 20);
                    }
                    client.skipUntilPong();
                }
            }, threads)).toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(sessions).get();

            awaitConnections(1);
            assertThat(server.meters.get("syncpoint.websocket.subscriptions").gauge().value()).isOne();
            try (WsTestClient late = server.connect(server.user("Late"))) {
                for (Appointment appointment : appointments) {
                    assertThat(late.subscribeAndAwaitSnapshot(appointment.id()).get("cursors")).isEmpty();
                }
            }
        }
        awaitConnections(0);
        assertThat(server.meters.get("syncpoint.websocket.subscriptions").gauge().value()).isZero();
    }

    private void awaitConnections(int open) throws InterruptedException {
        Eventually.holds(Duration.ofSeconds(WsTestClient.WAIT_SECONDS), () -> server.gateway.connectionCount() == open);
        assertThat(server.gateway.connectionCount()).isEqualTo(open);
    }
}
