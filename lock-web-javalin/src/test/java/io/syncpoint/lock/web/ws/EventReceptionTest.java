package io.syncpoint.lock.web.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.core.contract.Eventually;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.core.port.in.ReleaseLock;
import io.syncpoint.lock.web.ws.GatewayTestServer.User;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway subscribes to events while at least one socket is open on it, from before the first
 * socket's snapshot until the last socket closes; cursors heard meanwhile go with the subscription.
 */
class EventReceptionTest {
    private static final Duration WAIT = Duration.ofSeconds(WsTestClient.WAIT_SECONDS);

    @RegisterExtension
    final GatewayTestServer server = new GatewayTestServer();

    @Test
    void aGatewayWithoutSocketsHoldsNoSubscription() {
        assertThat(server.subscriptions).hasValue(0);
    }

    @Test
    void theFirstSocketSubscribesAndTheLastToCloseUnsubscribes() throws Exception {
        User alice = server.user("Alice");
        User bob = server.user("Bob");
        Appointment appointment = server.appointment(alice);

        WsTestClient first = server.connect(alice);
        first.subscribeAndAwaitSnapshot(appointment.id());
        assertThat(server.subscriptions).hasValue(1);
        try (WsTestClient second = server.connect(bob)) {
            second.subscribeAndAwaitSnapshot(appointment.id());
            assertThat(server.subscriptions).as("one subscription for all sockets").hasValue(1);
            first.close();
            server.locks.acquire(AcquireLock.Command.of(alice.actor(), appointment.id())).orElseThrow();
            assertThat(second.expect("lock-acquired").at("/lock/userId").asText())
                    .isEqualTo(alice.id().toString());
            assertThat(server.subscriptions).hasValue(1);
        }
        assertThat(Eventually.holds(WAIT, () -> server.subscriptions.get() == 0)).as("unsubscribed after the last close").isTrue();

        try (WsTestClient again = server.connect(bob)) {
            again.subscribeAndAwaitSnapshot(appointment.id());
            assertThat(server.subscriptions).hasValue(1);
            server.locks.release(ReleaseLock.Command.of(alice.actor(), appointment.id())).orElseThrow();
            again.expect("lock-released");
        }
    }

    /** Another node's viewer moves; once nobody is here to hear its removal, the cursor must not outlive that. */
    @Test
    void cursorsHeardWhileSocketsWereOpenAreForgottenWhenTheLastCloses() throws Exception {
        User alice = server.user("Alice");
        Appointment appointment = server.appointment(alice);
        UUID elsewhere = UUID.randomUUID();
        try (WsTestClient watcher = server.connect(alice)) {
            watcher.subscribeAndAwaitSnapshot(appointment.id());
            server.bus.publish(new DomainEvent.CursorMoved(appointment.id(), elsewhere, "Carol", "carol@example.com",
                    3, 4));
            assertThat(watcher.expect("cursor-update").get("userId").asText()).isEqualTo(elsewhere.toString());
        }
        assertThat(Eventually.holds(WAIT, () -> server.subscriptions.get() == 0)).isTrue();

        try (WsTestClient late = server.connect(server.user("Late"))) {
            assertThat(late.subscribeAndAwaitSnapshot(appointment.id()).get("cursors")).isEmpty();
        }
    }

    /** Sockets opening and closing at once on many threads: each gets its event, and no subscription is left. */
    @Test
    void socketsComingAndGoingAtOnceEachGetTheirEventsAndLeaveNoSubscription() throws Exception {
        int threads = 12;
        int rounds = 8;
        List<User> users = IntStream.range(0, threads).mapToObj(i -> server.user("Viewer" + i)).toList();
        List<Appointment> appointments = users.stream().map(server::appointment).toList();
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        try {
            CompletableFuture<?>[] sessions = IntStream.range(0, threads).mapToObj(i -> CompletableFuture.runAsync(() -> {
                User user = users.get(i);
                UUID appointmentId = appointments.get(i).id();
                for (int round = 0; round < rounds; round++) {
                    try (WsTestClient client = server.connect(user)) {
                        client.subscribeAndAwaitSnapshot(appointmentId);
                        server.locks.acquire(AcquireLock.Command.of(user.actor(), appointmentId)).orElseThrow();
                        client.expect("lock-acquired");
                        server.locks.release(ReleaseLock.Command.of(user.actor(), appointmentId)).orElseThrow();
                        client.expect("lock-released");
                    }
                }
            }, workers)).toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(sessions).get(2, TimeUnit.MINUTES);
        } finally {
            workers.shutdownNow();
        }
        assertThat(Eventually.holds(WAIT, () -> server.gateway.connectionCount() == 0)).isTrue();
        assertThat(Eventually.holds(WAIT, () -> server.subscriptions.get() == 0)).as("no subscription left").isTrue();
    }

}
