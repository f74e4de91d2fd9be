package io.syncpoint.lock.web.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.core.port.in.GetLockStatus;
import io.syncpoint.lock.web.ws.GatewayTestServer.User;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A lock change that lands while a subscription's snapshot is being read must neither be lost nor
 * overtake the snapshot: the client always sees {@code subscribed} first and ends up with the true state.
 */
class SnapshotOrderingTest {
    private GatewayTestServer server;
    private final AtomicReference<Runnable> beforeRead = new AtomicReference<>(() -> { });
    private final AtomicReference<Runnable> afterRead = new AtomicReference<>(() -> { });

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aLockTakenJustBeforeTheSnapshotReadFollowsTheSnapshot() {
        startServer();
        User alice = server.user("Alice");
        Appointment appointment = server.appointment(alice);
        AtomicReference<AppointmentLock> taken = new AtomicReference<>();
        once(beforeRead, () -> taken.set(acquire(alice, appointment)));

        try (WsTestClient client = server.connect(server.user("Bob"))) {
            JsonNode snapshot = client.subscribeAndAwaitSnapshot(appointment.id());
            JsonNode event = client.expect("lock-acquired");

            assertThat(snapshot.at("/lock/id").asText()).isEqualTo(taken.get().id().toString());
            assertThat(event.at("/lock/id").asText()).isEqualTo(taken.get().id().toString());
        }
    }

    @Test
    void aLockTakenJustAfterTheSnapshotReadIsStillDelivered() {
        startServer();
        User alice = server.user("Alice");
        Appointment appointment = server.appointment(alice);
        AtomicReference<AppointmentLock> taken = new AtomicReference<>();
        once(afterRead, () -> taken.set(acquire(alice, appointment)));

        try (WsTestClient client = server.connect(server.user("Bob"))) {
            JsonNode snapshot = client.subscribeAndAwaitSnapshot(appointment.id());
            JsonNode event = client.expect("lock-acquired");

            assertThat(snapshot.get("lock").isNull()).isTrue();
            assertThat(event.at("/lock/id").asText()).isEqualTo(taken.get().id().toString());
        }
    }

    private void startServer() {
        server = new GatewayTestServer(WebSocketSettings.defaults().withCursorSweepInterval(Duration.ofMillis(20)),
                locks -> (actor, appointmentId) -> {
                    beforeRead.get().run();
                    Outcome<GetLockStatus.LockStatus> status = locks.status(actor, appointmentId);
                    afterRead.get().run();
                    return status;
                });
    }

    private static void once(AtomicReference<Runnable> hook, Runnable action) {
        hook.set(() -> {
            hook.set(() -> { });
            action.run();
        });
    }

    private AppointmentLock acquire(User user, Appointment appointment) {
        return server.locks.acquire(AcquireLock.Command.of(user.actor(), appointment.id())).orElseThrow().lock();
    }
}
