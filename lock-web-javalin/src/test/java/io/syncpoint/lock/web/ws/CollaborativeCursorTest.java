package io.syncpoint.lock.web.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.web.ws.GatewayTestServer.User;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CollaborativeCursorTest {
    @RegisterExtension
    final GatewayTestServer server = new GatewayTestServer();
    private User alice;
    private User bob;
    private Appointment appointment;
    private WsTestClient aliceClient;
    private WsTestClient bobClient;

    @BeforeEach
    void start() {
        alice = server.user("Alice");
        bob = server.user("Bob");
        appointment = server.appointment(alice);
        aliceClient = server.connect(alice);
        bobClient = server.connect(bob);
        aliceClient.subscribeAndAwaitSnapshot(appointment.id());
        bobClient.subscribeAndAwaitSnapshot(appointment.id());
    }

    @AfterEach
    void stop() {
        aliceClient.close();
        bobClient.close();
    }

    @Test
    void aCursorMoveReachesTheOtherViewersButIsNotEchoed() {
        aliceClient.moveCursor(appointment.id(), 120.5, 48);

        JsonNode update = bobClient.expect("cursor-update");
        assertThat(update.get("appointmentId").asText()).isEqualTo(appointment.id().toString());
        assertThat(update.get("userId").asText()).isEqualTo(alice.id().toString());
        assertThat(update.at("/userInfo/name").asText()).isEqualTo("Alice");
        assertThat(update.at("/userInfo/email").asText()).isEqualTo("alice@example.com");
        assertThat(update.at("/position/x").asDouble()).isEqualTo(120.5);
        assertThat(update.at("/position/y").asDouble()).isEqualTo(48.0);
        assertThat(update.get("color").asText()).matches("#[0-9a-f]{6}");
        aliceClient.expectNothingBeforePong();
    }

    @Test
    void aUserKeepsTheSameColour() {
        aliceClient.moveCursor(appointment.id(), 1, 1);
        String first = bobClient.expect("cursor-update").get("color").asText();
        server.clock.advance(Duration.ofMillis(200));
        aliceClient.moveCursor(appointment.id(), 2, 2);
        String second = bobClient.expect("cursor-update").get("color").asText();

        assertThat(second).isEqualTo(first).isEqualTo(CursorColors.of(alice.id()));
    }

    @Test
    void movesFasterThanOnePer200MillisecondsAreDropped() {
        aliceClient.moveCursor(appointment.id(), 1, 1);
        aliceClient.moveCursor(appointment.id(), 2, 2);
        aliceClient.expectNothingBeforePong();
        server.clock.advance(Duration.ofMillis(199));
        aliceClient.moveCursor(appointment.id(), 3, 3);
        aliceClient.expectNothingBeforePong();

        assertThat(bobClient.expect("cursor-update").at("/position/x").asDouble()).isEqualTo(1.0);
        bobClient.expectNothingBeforePong();

        server.clock.advance(Duration.ofMillis(1));
        aliceClient.moveCursor(appointment.id(), 4, 4);
        assertThat(bobClient.expect("cursor-update").at("/position/x").asDouble()).isEqualTo(4.0);
    }

    @Test
    void theSnapshotCarriesTheCursorsOfOthers() {
        aliceClient.moveCursor(appointment.id(), 7, 9);
        bobClient.expect("cursor-update");

        try (WsTestClient carol = server.connect(server.user("Carol"))) {
            JsonNode cursors = carol.subscribeAndAwaitSnapshot(appointment.id()).get("cursors");

            assertThat(cursors).hasSize(1);
            assertThat(cursors.get(0).get("userId").asText()).isEqualTo(alice.id().toString());
            assertThat(cursors.get(0).at("/position/y").asDouble()).isEqualTo(9.0);
            assertThat(cursors.get(0).at("/userInfo/name").asText()).isEqualTo("Alice");
            assertThat(cursors.get(0).get("color").asText()).isEqualTo(CursorColors.of(alice.id()));
        }
        JsonNode ownSnapshot = aliceClient.subscribeAndAwaitSnapshot(appointment.id());
        assertThat(ownSnapshot.get("cursors")).isEmpty();
    }

    @Test
    void aCursorIsRemovedWhenItsViewerDisconnects() {
        aliceClient.moveCursor(appointment.id(), 5, 5);
        bobClient.expect("cursor-update");

        aliceClient.close();

        assertThat(bobClient.expect("cursor-remove").get("userId").asText()).isEqualTo(alice.id().toString());
    }

    @Test
    void aCursorIsRemovedWhenItsViewerUnsubscribes() {
        aliceClient.moveCursor(appointment.id(), 5, 5);
        bobClient.expect("cursor-update");

        aliceClient.unsubscribe(appointment.id());

        JsonNode removal = bobClient.expect("cursor-remove");
        assertThat(removal.get("appointmentId").asText()).isEqualTo(appointment.id().toString());
        assertThat(removal.get("userId").asText()).isEqualTo(alice.id().toString());
    }

    @Test
    void aCursorStillForTenSecondsIsRemoved() {
        aliceClient.moveCursor(appointment.id(), 5, 5);
        bobClient.expect("cursor-update");

        server.clock.advance(Duration.ofSeconds(9));
        bobClient.expectNothingBeforePong();
        server.clock.advance(Duration.ofMillis(1001));

        assertThat(bobClient.expect("cursor-remove").get("userId").asText()).isEqualTo(alice.id().toString());
        try (WsTestClient carol = server.connect(server.user("Carol"))) {
            assertThat(carol.subscribeAndAwaitSnapshot(appointment.id()).get("cursors")).isEmpty();
        }
    }

    @Test
    void aCursorOnAnAppointmentNotSubscribedIsForbidden() {
        Appointment other = server.appointment(alice);

        aliceClient.moveCursor(other.id(), 1, 1);

        JsonNode error = aliceClient.expect("error");
        assertThat(error.get("code").asText()).isEqualTo("forbidden");
        bobClient.expectNothingBeforePong();
    }

    @Test
    void coordinatesMustBeFiniteNumbers() {
        String prefix = "{\"type\":\"cursor-position\",\"appointmentId\":\"" + appointment.id() + "\"";
        aliceClient.send(prefix + ",\"position\":{\"x\":\"left\",\"y\":1}}");
        aliceClient.send(prefix + ",\"position\":{\"x\":1e999,\"y\":1}}");
        aliceClient.send(prefix + ",\"position\":{\"x\":1}}");
        aliceClient.send(prefix + "}");

        for (int i = 0; i < 4; i++) {
            assertThat(aliceClient.expect("error").get("code").asText()).isEqualTo("validation_failed");
        }
        bobClient.expectNothingBeforePong();
    }
}
