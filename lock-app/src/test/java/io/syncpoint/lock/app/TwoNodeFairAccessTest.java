package io.syncpoint.lock.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncpoint.lock.web.ws.WsTestClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two servers on one PostgreSQL database, both polling for due steps: the timed steps of fair access
 * (an idle holder's handoff, a lapsed offer) happen once, and a viewer on the other node hears of them.
 * The delay from a step's due instant to its frame is logged; SPEC.md asks for under 2 s.
 */
class TwoNodeFairAccessTest {
    private static final Logger LOG = LoggerFactory.getLogger(TwoNodeFairAccessTest.class);

    private static TestCluster cluster;
    private static Application nodeA;
    private static Application nodeB;
    private static ServerClient httpA;
    private static ServerClient httpB;
    private static ServerClient.Member alice;
    private static ServerClient.Member bob;
    private static ServerClient.Member carol;

    private final List<WsTestClient> viewers = new ArrayList<>();

    @BeforeAll
    static void startTwoNodes() {
        cluster = new TestCluster();
        Map<String, String> shortTimings = Map.of("LOCK_IDLE_SECONDS", "1", "LOCK_HANDOFF_SECONDS", "1",
                "LOCK_OFFER_SECONDS", "2");
        nodeA = cluster.start(withDemoData(shortTimings));
        nodeB = cluster.start(shortTimings);
        httpA = new ServerClient(nodeA.port());
        httpB = new ServerClient(nodeB.port());
        alice = httpA.member(DemoData.ALICE_EMAIL, DemoData.ALICE_PASSWORD);
        bob = httpB.member(DemoData.BOB_EMAIL, DemoData.BOB_PASSWORD);
        ServerClient.Answer signedUp = httpB.post("/auth/signup", null, Map.of("email", "carol@syncpoint.test",
                "name", "Carol", "password", "carol-password"));
        assertThat(signedUp.status()).isEqualTo(201);
        carol = ServerClient.Member.of(signedUp);
    }

    @AfterEach
    void closeViewers() {
        viewers.forEach(WsTestClient::close);
    }

    @AfterAll
    static void stopNodes() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anIdleHoldersLeaseIsHandedOverOnceAndViewersOnTheOtherNodeHearOfIt() {
        for (int round = 1; round <= 5; round++) {
            String id = httpA.createAppointment(alice.token(), "Idle handoff " + round);
            WsTestClient bobOnB = connect(nodeB, bob);
            bobOnB.subscribeAndAwaitSnapshot(UUID.fromString(id));
            JsonNode lock = httpA.post(path(id, "acquire-lock"), alice.token(), Map.of()).json().get("lock");
            JsonNode request = httpB.post(path(id, "edit-requests"), bob.token(), Map.of()).json().get("request");
            Instant due = latest(Instant.parse(request.get("createdAt").asText()).plusSeconds(1),
                    Instant.parse(lock.get("lastActiveAt").asText()).plusSeconds(1));

            JsonNode handedOver = bobOnB.skipUntil("lock-handed-over", "lock-acquired", "edit-requested",
                    "edit-request-updated");
            Instant heard = Instant.now();

            assertThat(handedOver.get("auto").asBoolean()).isTrue();
            assertThat(handedOver.at("/from/userId").asText()).isEqualTo(alice.id());
            assertThat(handedOver.at("/to/userId").asText()).isEqualTo(bob.id());
            assertThat(handedOver.at("/lock/fencingToken").asLong()).isGreaterThan(lock.get("fencingToken").asLong());
            LOG.info("idle handoff {}: frame on the other node {} ms after the due instant", round,
                    Duration.between(due, heard).toMillis());
            JsonNode history = httpB.get(path(id, "lock-history"), bob.token()).json();
            assertThat(history.get("data").findValuesAsText("action")).as("one handoff, by one node")
                    .containsExactly("acquired", "released", "acquired");
        }
    }

    @Test
    void aLapsedOfferPassesToTheNextInLineOnce() {
        String id = httpA.createAppointment(alice.token(), "Offer passed on");
        WsTestClient carolOnA = connect(nodeA, carol);
        carolOnA.subscribeAndAwaitSnapshot(UUID.fromString(id));
        httpA.post(path(id, "acquire-lock"), alice.token(), Map.of());
        httpB.post(path(id, "edit-requests"), bob.token(), Map.of());
        String carolRequest = httpA.post(path(id, "edit-requests"), carol.token(), Map.of()).json().at("/request/id").asText();
        httpA.delete(path(id, "release-lock"), alice.token(), Map.of());

        JsonNode toBob = carolOnA.skipUntil("lock-offered", "lock-acquired", "edit-requested", "edit-request-updated",
                "lock-released");
        assertThat(toBob.get("userId").asText()).isEqualTo(bob.id());
        JsonNode toCarol = carolOnA.skipUntil("lock-offered", "edit-request-updated");
        Instant heard = Instant.now();

        assertThat(toCarol.get("userId").asText()).isEqualTo(carol.id());
        assertThat(toCarol.get("requestId").asText()).isEqualTo(carolRequest);
        LOG.info("lapsed offer: next offer heard on the other node {} ms after the first lapsed",
                Duration.between(Instant.parse(toBob.get("until").asText()), heard).toMillis());
        ServerClient.Answer taken = httpA.post(path(id, "acquire-lock"), carol.token(), Map.of());
        assertThat(taken.status()).as("acquire %s", taken.json()).isEqualTo(200);
        carolOnA.skipUntilPong();
    }

    private static Map<String, String> withDemoData(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("LOCK_DEMO_DATA", "true");
        return all;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String path(String appointmentId, String action) {
        return "/appointments/" + appointmentId + "/" + action;
    }

    private WsTestClient connect(Application node, ServerClient.Member member) {
        WsTestClient viewer = WsTestClient.connect(URI.create("ws://localhost:" + node.port() + "/api/v1/ws?token="
                + member.token()));
        viewers.add(viewer);
        return viewer;
    }
}
