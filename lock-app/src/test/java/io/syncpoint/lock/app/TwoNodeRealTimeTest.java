package io.syncpoint.lock.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncpoint.lock.web.ws.WsTestClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two servers on one PostgreSQL database: a viewer connected to node B sees, live, what HTTP calls
 * and cursor moves on node A do to the appointment it watches, and nothing of any other appointment.
 */
class TwoNodeRealTimeTest {

    private static TestCluster cluster;
    private static Application nodeA;
    private static Application nodeB;
    private static ServerClient httpA;
    private static ServerClient httpB;
    private static Member alice;
    private static Member bob;
    private static Member admin;

    private final List<WsTestClient> viewers = new ArrayList<>();

    private record Member(String id, String token) {
    }

    @BeforeAll
    static void startTwoNodes() {
        cluster = new TestCluster();
        nodeA = cluster.start(Map.of("LOCK_DEMO_DATA", "true", "LOCK_TTL_SECONDS", "5",
                "LOCK_SWEEP_INTERVAL_SECONDS", "1"));
        // Node B's sweeper does not run during the test, so an expiry seen on B was recorded by node A.
        nodeB = cluster.start(Map.of("LOCK_DEMO_DATA", "false"));
        httpA = new ServerClient(nodeA.port());
        httpB = new ServerClient(nodeB.port());
        alice = signIn(httpA, DemoData.ALICE_EMAIL, DemoData.ALICE_PASSWORD);
        bob = signIn(httpB, DemoData.BOB_EMAIL, DemoData.BOB_PASSWORD);
        admin = signIn(httpA, DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
    }

    @AfterEach
    void closeWsTestClients() {
        viewers.forEach(WsTestClient::close);
    }

    @AfterAll
    static void stopNodes() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void lockEventsCausedOnNodeAReachWsTestClientsOnNodeBOfThatAppointmentOnly() {
        String watched = createAppointment("Watched across nodes");
        String other = createAppointment("Someone else's meeting");
        WsTestClient onB = connect(nodeB, bob);
        WsTestClient otherOnB = connect(nodeB, bob);
        assertThat(onB.subscribeAndAwaitSnapshot(UUID.fromString(watched)).get("lock").isNull()).isTrue();
        otherOnB.subscribeAndAwaitSnapshot(UUID.fromString(other));

        assertThat(acquire(alice, watched).status()).isEqualTo(200);
        JsonNode acquired = onB.expect("lock-acquired");
        assertThat(acquired.get("appointmentId").asText()).isEqualTo(watched);
        assertThat(acquired.at("/lock/userId").asText()).isEqualTo(alice.id());

        JsonNode expired = onB.expect("lock-released");
        assertThat(expired.get("reason").asText()).isEqualTo("expired");
        assertThat(expired.has("by")).as("an expiry has no author").isFalse();
        assertThat(expired.at("/lock/userId").asText()).isEqualTo(alice.id());

        assertThat(acquire(bob, watched).status()).isEqualTo(200);
        assertThat(onB.expect("lock-acquired").at("/lock/userId").asText()).isEqualTo(bob.id());
        ServerClient.Answer takeover = httpA.post("/appointments/" + watched + "/takeover-lock", admin.token(),
                Map.of("reason", "urgent change"));
        assertThat(takeover.status()).as("takeover %s", takeover.json()).isEqualTo(200);
        JsonNode taken = onB.skipUntil("admin-takeover", "lock-released", "lock-acquired");
        assertThat(taken.get("appointmentId").asText()).isEqualTo(watched);
        assertThat(taken.get("adminId").asText()).isEqualTo(admin.id());
        assertThat(taken.at("/previousHolder/userId").asText()).isEqualTo(bob.id());
        assertThat(taken.at("/lock/userId").asText()).isEqualTo(admin.id());

        otherOnB.expectNothingBeforePong();
    }

    @Test
    void aCursorMovedOnNodeAReachesWsTestClientsOnNodeBOfThatAppointmentOnly() {
        String watched = createAppointment("Cursors across nodes");
        String other = createAppointment("Quiet appointment");
        WsTestClient aliceOnA = connect(nodeA, alice);
        WsTestClient bobOnB = connect(nodeB, bob);
        WsTestClient otherOnB = connect(nodeB, admin);
        aliceOnA.subscribeAndAwaitSnapshot(UUID.fromString(watched));
        bobOnB.subscribeAndAwaitSnapshot(UUID.fromString(watched));
        otherOnB.subscribeAndAwaitSnapshot(UUID.fromString(other));

        aliceOnA.send("{\"type\":\"cursor-position\",\"appointmentId\":\"" + watched
                + "\",\"position\":{\"x\":312.5,\"y\":148}}");

        JsonNode update = bobOnB.expect("cursor-update");
        assertThat(update.get("appointmentId").asText()).isEqualTo(watched);
        assertThat(update.get("userId").asText()).isEqualTo(alice.id());
        assertThat(update.at("/userInfo/email").asText()).isEqualTo(DemoData.ALICE_EMAIL);
        assertThat(update.at("/position/x").asDouble()).isEqualTo(312.5);
        assertThat(update.at("/position/y").asDouble()).isEqualTo(148.0);
        aliceOnA.expectNothingBeforePong();
        otherOnB.expectNothingBeforePong();
    }

    private static Member signIn(ServerClient http, String email, String password) {
        ServerClient.Answer answer = http.post("/auth/signin", null, Map.of("email", email, "password", password));
        assertThat(answer.status()).as("sign-in of %s", email).isEqualTo(200);
        return new Member(answer.json().at("/user/id").asText(), answer.json().get("token").asText());
    }

    private static String createAppointment(String title) {
        ServerClient.Answer created = httpA.post("/appointments", alice.token(), Map.of("title", title,
                "startsAt", "2030-01-01T09:00:00Z", "endsAt", "2030-01-01T10:00:00Z"));
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static ServerClient.Answer acquire(Member member, String appointmentId) {
        return httpA.post("/appointments/" + appointmentId + "/acquire-lock", member.token(), Map.of());
    }

    private WsTestClient connect(Application node, Member member) {
        WsTestClient viewer = WsTestClient.connect(URI.create("ws://localhost:" + node.port() + "/api/v1/ws?token=" + member.token()));
        viewers.add(viewer);
        return viewer;
    }
}
