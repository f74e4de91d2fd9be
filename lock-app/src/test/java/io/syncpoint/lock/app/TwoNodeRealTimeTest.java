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
    private static ServerClient.Member alice;
    private static ServerClient.Member bob;
    private static ServerClient.Member admin;

    private final List<WsTestClient> viewers = new ArrayList<>();

    @BeforeAll
    static void startTwoNodes() {
        cluster = new TestCluster();
        nodeA = cluster.start(Map.of("LOCK_DEMO_DATA", "true", "LOCK_TTL_SECONDS", "5",
                "LOCK_SWEEP_INTERVAL_SECONDS", "1"));
        // Node B's sweeper does not run during the test, so an expiry seen on B was recorded by node A.
        nodeB = cluster.start(Map.of("LOCK_DEMO_DATA", "false"));
        httpA = new ServerClient(nodeA.port());
        httpB = new ServerClient(nodeB.port());
        alice = httpA.member(DemoData.ALICE_EMAIL, DemoData.ALICE_PASSWORD);
        bob = httpB.member(DemoData.BOB_EMAIL, DemoData.BOB_PASSWORD);
        admin = httpA.member(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD);
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
        String watched = httpA.createAppointment(alice.token(), "Watched across nodes");
        String other = httpA.createAppointment(alice.token(), "Someone else's meeting");
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
        String watched = httpA.createAppointment(alice.token(), "Cursors across nodes");
        String other = httpA.createAppointment(alice.token(), "Quiet appointment");
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

    private static ServerClient.Answer acquire(ServerClient.Member member, String appointmentId) {
        return httpA.post("/appointments/" + appointmentId + "/acquire-lock", member.token(), Map.of());
    }

    private WsTestClient connect(Application node, ServerClient.Member member) {
        WsTestClient viewer = WsTestClient.connect(URI.create("ws://localhost:" + node.port() + "/api/v1/ws?token=" + member.token()));
        viewers.add(viewer);
        return viewer;
    }
}
