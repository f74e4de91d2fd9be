package io.syncpoint.lock.web.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.core.port.in.AnswerEditRequest;
import io.syncpoint.lock.core.port.in.AskToEdit;
import io.syncpoint.lock.core.port.in.ReleaseLock;
import io.syncpoint.lock.core.port.in.WithdrawEditRequest;
import io.syncpoint.lock.web.ws.GatewayTestServer.User;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fair-access events as the watchers of an appointment receive them. */
class FairAccessFramesTest {
    @RegisterExtension
    final GatewayTestServer server = new GatewayTestServer();
    private User alice;
    private User bob;
    private User carol;
    private Appointment appointment;

    @BeforeEach
    void start() {
        alice = server.user("Alice");
        bob = server.user("Bob");
        carol = server.user("Carol");
        appointment = server.appointment(alice);
    }

    @Test
    void askingIsAnnouncedWithTheRequestAndItsPlaceInLine() {
        acquire(alice);
        try (WsTestClient holder = server.connect(alice)) {
            holder.subscribeAndAwaitSnapshot(appointment.id());

            EditRequest request = ask(bob, "Can I fix the room?");

            JsonNode frame = holder.expect("edit-requested");
            assertThat(frame.get("appointmentId").asText()).isEqualTo(appointment.id().toString());
            JsonNode json = frame.get("request");
            assertThat(json.get("id").asText()).isEqualTo(request.id().toString());
            assertThat(json.get("appointmentId").asText()).isEqualTo(appointment.id().toString());
            assertThat(json.at("/requester/userId").asText()).isEqualTo(bob.id().toString());
            assertThat(json.at("/requester/name").asText()).isEqualTo("Bob");
            assertThat(json.at("/requester/email").asText()).isEqualTo("bob@example.com");
            assertThat(json.get("message").asText()).isEqualTo("Can I fix the room?");
            assertThat(json.get("state").asText()).isEqualTo("pending");
            assertThat(json.get("position").asInt()).isEqualTo(1);
            assertThat(Instant.parse(json.get("createdAt").asText())).isEqualTo(request.createdAt());

            ask(carol, null);
            assertThat(holder.expect("edit-requested").at("/request/position").asInt()).isEqualTo(2);
            holder.expectNothingBeforePong();
        }
    }

    @Test
    void acceptingIsAnnouncedAsAHandoverWithTheNewLease() {
        AppointmentLock aliceLock = acquire(alice);
        EditRequest request = ask(bob, null);
        try (WsTestClient viewer = server.connect(carol)) {
            viewer.subscribeAndAwaitSnapshot(appointment.id());

            AppointmentLock bobLock = server.editRequests.accept(new AnswerEditRequest.Command(alice.actor(),
                    appointment.id(), request.id())).orElseThrow();

            JsonNode frame = viewer.skipUntil("lock-handed-over", "edit-request-updated");
            assertThat(frame.at("/from/userId").asText()).isEqualTo(alice.id().toString());
            assertThat(frame.at("/from/name").asText()).isEqualTo("Alice");
            assertThat(frame.at("/from/email").asText()).isEqualTo("alice@example.com");
            assertThat(frame.at("/to/userId").asText()).isEqualTo(bob.id().toString());
            assertThat(frame.at("/to/name").asText()).isEqualTo("Bob");
            assertThat(frame.at("/lock/userId").asText()).isEqualTo(bob.id().toString());
            assertThat(frame.at("/lock/fencingToken").asLong()).isEqualTo(bobLock.fencingToken().value())
                    .isGreaterThan(aliceLock.fencingToken().value());
            assertThat(frame.at("/lock/lastActiveAt").asText()).isNotBlank();
            assertThat(frame.get("requestId").asText()).isEqualTo(request.id().toString());
            assertThat(frame.get("auto").asBoolean()).isFalse();
            viewer.skipUntilPong();
        }
    }

    @Test
    void anIdleHolderIsHandedOverAutomatically() {
        acquire(alice);
        EditRequest request = ask(bob, null);
        try (WsTestClient requester = server.connect(bob)) {
            requester.subscribeAndAwaitSnapshot(appointment.id());

            server.clock.advance(Duration.ofSeconds(121));
            assertThat(server.editRequests.runDueSteps()).isPositive();

            JsonNode frame = requester.skipUntil("lock-handed-over", "edit-request-updated");
            assertThat(frame.get("auto").asBoolean()).isTrue();
            assertThat(frame.get("requestId").asText()).isEqualTo(request.id().toString());
            assertThat(frame.at("/to/userId").asText()).isEqualTo(bob.id().toString());
        }
    }

    @Test
    void aReleaseOffersTheLeaseToTheFirstInLine() {
        acquire(alice);
        EditRequest first = ask(bob, null);
        ask(carol, null);
        try (WsTestClient requester = server.connect(bob)) {
            requester.subscribeAndAwaitSnapshot(appointment.id());

            server.locks.release(ReleaseLock.Command.of(alice.actor(), appointment.id())).orElseThrow();

            JsonNode offered = requester.skipUntil("lock-offered", "lock-released", "edit-request-updated");
            assertThat(offered.get("appointmentId").asText()).isEqualTo(appointment.id().toString());
            assertThat(offered.get("requestId").asText()).isEqualTo(first.id().toString());
            assertThat(offered.get("userId").asText()).isEqualTo(bob.id().toString());
            assertThat(Instant.parse(offered.get("until").asText()))
                    .isEqualTo(server.clock.instant().plus(Duration.ofSeconds(30)));
            requester.skipUntilPong();
        }
    }

    @Test
    void changesOfARequestAreAnnouncedWithTheirStateAndPosition() {
        acquire(alice);
        EditRequest bobs = ask(bob, null);
        EditRequest carols = ask(carol, null);
        try (WsTestClient viewer = server.connect(alice)) {
            viewer.subscribeAndAwaitSnapshot(appointment.id());

            server.editRequests.withdraw(new WithdrawEditRequest.Command(bob.actor(), appointment.id(), bobs.id()))
                    .orElseThrow();
            JsonNode withdrawn = viewer.expect("edit-request-updated");
            assertThat(withdrawn.at("/request/id").asText()).isEqualTo(bobs.id().toString());
            assertThat(withdrawn.at("/request/state").asText()).isEqualTo("withdrawn");
            assertThat(withdrawn.at("/request/position").isNull()).isTrue();
            JsonNode movedUp = viewer.expect("edit-request-updated");
            assertThat(movedUp.at("/request/id").asText()).isEqualTo(carols.id().toString());
            assertThat(movedUp.at("/request/state").asText()).isEqualTo("pending");
            assertThat(movedUp.at("/request/position").asInt()).isEqualTo(1);

            server.editRequests.decline(new AnswerEditRequest.DeclineCommand(alice.actor(), appointment.id(),
                    carols.id(), "Almost done")).orElseThrow();
            JsonNode declined = viewer.expect("edit-request-updated");
            assertThat(declined.at("/request/state").asText()).isEqualTo("declined");
            assertThat(declined.at("/request/reason").asText()).isEqualTo("Almost done");
            viewer.expectNothingBeforePong();
        }
    }

    private AppointmentLock acquire(User user) {
        return server.locks.acquire(AcquireLock.Command.of(user.actor(), appointment.id())).orElseThrow().lock();
    }

    private EditRequest ask(User user, String message) {
        return server.editRequests.ask(new AskToEdit.Command(user.actor(), appointment.id(), message)).orElseThrow()
                .request();
    }
}
