package io.syncpoint.lock.web.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.core.port.in.DeleteAppointment;
import io.syncpoint.lock.core.port.in.ForceReleaseLock;
import io.syncpoint.lock.core.port.in.ReleaseLock;
import io.syncpoint.lock.core.port.in.TakeOverLock;
import io.syncpoint.lock.core.port.in.UpdateAppointment;
import io.syncpoint.lock.web.ws.GatewayTestServer.User;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AppointmentSubscriptionTest {
    @RegisterExtension
    final GatewayTestServer server = new GatewayTestServer();
    private User alice;
    private User bob;
    private Appointment appointment;

    @BeforeEach
    void start() {
        alice = server.user("Alice");
        bob = server.user("Bob");
        appointment = server.appointment(alice);
    }

    @Test
    void subscribingSendsTheCurrentLockAsSnapshot() {
        AppointmentLock lock = acquire(alice, "title");
        try (WsTestClient client = server.connect(bob)) {
            JsonNode snapshot = client.subscribeAndAwaitSnapshot(appointment.id());

            assertThat(snapshot.get("appointmentId").asText()).isEqualTo(appointment.id().toString());
            assertLockJson(snapshot.get("lock"), lock);
            assertThat(snapshot.get("cursors").isArray()).isTrue();
            assertThat(snapshot.get("cursors")).isEmpty();
        }
    }

    @Test
    void snapshotOfAFreeAppointmentHasANullLock() {
        try (WsTestClient client = server.connect(bob)) {
            JsonNode snapshot = client.subscribeAndAwaitSnapshot(appointment.id());

            assertThat(snapshot.get("lock").isNull()).isTrue();
        }
    }

    @Test
    void theUpdatesPathSubscribesAtOnce() {
        try (WsTestClient client = server.connectToUpdates(bob, appointment.id())) {
            client.expect("subscribed");
            AppointmentLock lock = acquire(alice, null);

            assertLockJson(client.expect("lock-acquired").get("lock"), lock);
        }
    }

    @Test
    void subscribingToAnUnknownAppointmentIsNotFound() {
        try (WsTestClient client = server.connect(bob)) {
            UUID unknown = UUID.randomUUID();
            client.subscribe(unknown);

            JsonNode error = client.expect("error");
            assertThat(error.get("code").asText()).isEqualTo("not_found");
            assertThat(error.get("appointmentId").asText()).isEqualTo(unknown.toString());
            assertThat(error.get("message").asText()).isNotBlank();
        }
    }

    @Test
    void everyLockEventReachesTheSubscribers() {
        User admin = server.admin("Ada");
        try (WsTestClient client = server.connect(bob)) {
            client.subscribeAndAwaitSnapshot(appointment.id());

            AppointmentLock first = acquire(alice, null);
            JsonNode acquired = client.expect("lock-acquired");
            assertThat(acquired.get("appointmentId").asText()).isEqualTo(appointment.id().toString());
            assertLockJson(acquired.get("lock"), first);

            AppointmentLock renewed = acquire(alice, "description");
            JsonNode update = client.expect("lock-update");
            assertLockJson(update.get("lock"), renewed);
            assertThat(update.at("/lock/version").asLong()).isEqualTo(2);
            assertThat(update.at("/lock/userInfo/position").asText()).isEqualTo("description");

            server.locks.release(ReleaseLock.Command.of(alice.actor(), appointment.id())).orElseThrow();
            JsonNode released = client.expect("lock-released");
            assertThat(released.get("reason").asText()).isEqualTo("released");
            assertThat(released.get("by").asText()).isEqualTo(alice.id().toString());

            acquire(alice, null);
            client.expect("lock-acquired");
            server.locks.forceRelease(new ForceReleaseLock.Command(admin.actor(), appointment.id(), "meeting"))
                    .orElseThrow();
            JsonNode forced = client.expect("lock-released");
            assertThat(forced.get("reason").asText()).isEqualTo("force_released");
            assertThat(forced.get("by").asText()).isEqualTo(admin.id().toString());

            acquire(alice, null);
            client.expect("lock-acquired");
            AppointmentLock taken = server.locks.takeOver(new TakeOverLock.Command(admin.actor(), appointment.id(), null))
                    .orElseThrow();
            assertLockJson(client.expect("lock-acquired").get("lock"), taken);
            JsonNode takeover = client.expect("admin-takeover");
            assertThat(takeover.get("adminId").asText()).isEqualTo(admin.id().toString());
            assertThat(takeover.at("/adminInfo/name").asText()).isEqualTo("Ada");
            assertThat(takeover.at("/adminInfo/email").asText()).isEqualTo("ada@example.com");
            assertThat(takeover.at("/previousHolder/userId").asText()).isEqualTo(alice.id().toString());
            assertThat(takeover.at("/previousHolder/name").asText()).isEqualTo("Alice");
            assertLockJson(takeover.get("lock"), taken);

            server.clock.advance(Duration.ofSeconds(301));
            server.locks.sweepExpired();
            JsonNode expired = client.expect("lock-released");
            assertThat(expired.get("reason").asText()).isEqualTo("expired");
            assertThat(expired.has("by")).isFalse();
        }
    }

    @Test
    void appointmentChangesReachTheSubscribers() {
        try (WsTestClient client = server.connect(bob)) {
            client.subscribeAndAwaitSnapshot(appointment.id());
            AppointmentLock lock = acquire(alice, null);
            client.expect("lock-acquired");

            server.appointments.update(new UpdateAppointment.Command(alice.actor(), appointment.id(), 1,
                    lock.fencingToken().value(), details("Planning, moved"))).orElseThrow();
            JsonNode updated = client.expect("appointment-updated");
            assertThat(updated.get("version").asLong()).isEqualTo(2);
            assertThat(updated.get("updatedBy").asText()).isEqualTo(alice.id().toString());

            server.appointments.delete(new DeleteAppointment.Command(alice.actor(), appointment.id(), null,
                    lock.fencingToken().value())).orElseThrow();
            JsonNode first = client.next();
            JsonNode second = client.next();
            assertThat(List.of(first.get("type").asText(), second.get("type").asText()))
                    .containsExactlyInAnyOrder("appointment-deleted", "lock-released");
        }
    }

    @Test
    void aClientGetsNoEventsOfAppointmentsItDidNotSubscribeTo() {
        Appointment other = server.appointment(alice);
        try (WsTestClient client = server.connect(bob)) {
            client.subscribeAndAwaitSnapshot(appointment.id());

            acquireOn(alice, other.id());
            client.expectNothingBeforePong();

            acquireOn(alice, appointment.id());
            client.expect("lock-acquired");
        }
    }

    @Test
    void unsubscribingStopsTheEvents() {
        try (WsTestClient client = server.connect(bob)) {
            client.subscribeAndAwaitSnapshot(appointment.id());
            client.unsubscribe(appointment.id());
            client.expectNothingBeforePong();

            acquire(alice, null);

            client.expectNothingBeforePong();
        }
    }

    @Test
    void eachSubscriberOfOneAppointmentGetsTheEvent() {
        try (WsTestClient first = server.connect(bob); WsTestClient second = server.connect(alice)) {
            first.subscribeAndAwaitSnapshot(appointment.id());
            second.subscribeAndAwaitSnapshot(appointment.id());

            acquire(alice, null);

            first.expect("lock-acquired");
            second.expect("lock-acquired");
        }
    }

    @Test
    void pingIsAnsweredWithPong() {
        try (WsTestClient client = server.connect(bob)) {
            client.send("{\"type\":\"ping\"}");

            assertThat(client.expect("pong").size()).isEqualTo(1);
        }
    }

    @Test
    void connectionsAreCountedAndForgottenWhenClosed() throws Exception {
        WsTestClient client = server.connect(bob);
        client.subscribeAndAwaitSnapshot(appointment.id());
        assertThat(server.gateway.connectionCount()).isEqualTo(1);
        assertThat(server.meters.get("syncpoint.websocket.subscriptions").gauge().value()).isEqualTo(1.0);

        client.close();

        awaitConnectionCount(0);
        assertThat(server.meters.get("syncpoint.websocket.subscriptions").gauge().value()).isZero();
    }

    private void awaitConnectionCount(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(WsTestClient.WAIT_SECONDS).toNanos();
        while (server.gateway.connectionCount() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(server.gateway.connectionCount()).isEqualTo(expected);
    }

    private AppointmentLock acquire(User user, String position) {
        return server.locks.acquire(new AcquireLock.Command(user.actor(), appointment.id(), null, position))
                .orElseThrow().lock();
    }

    private AppointmentLock acquireOn(User user, UUID appointmentId) {
        return server.locks.acquire(AcquireLock.Command.of(user.actor(), appointmentId)).orElseThrow().lock();
    }

    private AppointmentDetails details(String title) {
        return new AppointmentDetails(title, null, appointment.details().startsAt(), appointment.details().endsAt(),
                null, List.of(), null);
    }

    static void assertLockJson(JsonNode json, AppointmentLock lock) {
        assertThat(json.get("id").asText()).isEqualTo(lock.id().toString());
        assertThat(json.get("appointmentId").asText()).isEqualTo(lock.appointmentId().toString());
        assertThat(json.get("userId").asText()).isEqualTo(lock.holderId().toString());
        assertThat(json.at("/userInfo/name").asText()).isEqualTo(lock.holder().name());
        assertThat(json.at("/userInfo/email").asText()).isEqualTo(lock.holder().email());
        assertThat(json.get("createdAt").asText()).isEqualTo(lock.createdAt().toString());
        assertThat(json.get("expiresAt").asText()).isEqualTo(lock.expiresAt().toString());
        assertThat(json.get("version").asLong()).isEqualTo(lock.version());
        assertThat(json.get("fencingToken").isNumber()).isTrue();
        assertThat(json.get("fencingToken").asLong()).isEqualTo(lock.fencingToken().value());
    }
}
