package io.syncpoint.lock.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.syncpoint.lock.persistence.jdbi.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two servers on one PostgreSQL database: a role change or a removed account on one node takes effect
 * on the other within seconds, whatever the caller's token still says.
 */
class TwoNodeAccountChangesTest {
    /** Far more than the 2 s a node remembers an account, for a shared, busy machine. */
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private static TestCluster cluster;
    private static ServerClient httpA;
    private static ServerClient httpB;
    private static String root;

    @BeforeAll
    static void startTwoNodes() {
        cluster = new TestCluster();
        Application nodeA = cluster.start(Map.of());
        Application nodeB = cluster.start(Map.of());
        httpA = new ServerClient(nodeA.port());
        httpB = new ServerClient(nodeB.port());
        root = httpA.signIn(TestCluster.ADMIN_EMAIL, TestCluster.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stopNodes() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anAdminDemotedOnNodeALosesAdminRoutesOnNodeBWithinSecondsAndCannotPromoteThemselvesBack()
            throws InterruptedException {
        Member dana = signUp("Dana");
        assertThat(httpA.put("/users/" + dana.id() + "/role", root, Map.of("role", "admin")).status()).isEqualTo(200);
        String danaAsAdmin = httpB.signIn(dana.email(), "password-Dana");
        assertThat(httpB.get("/locks", danaAsAdmin).status()).isEqualTo(200);

        assertThat(httpA.put("/users/" + dana.id() + "/role", root, Map.of("role", "user")).status()).isEqualTo(200);

        assertThat(httpB.put("/users/" + dana.id() + "/role", danaAsAdmin, Map.of("role", "admin")).status())
                .as("the old token cannot promote its holder back, not even at once").isEqualTo(403);
        assertThat(awaitStatus(() -> httpB.get("/locks", danaAsAdmin).status(), 403)).isTrue();
        assertThat(httpB.get("/auth/session", danaAsAdmin).json().at("/user/role").asText()).isEqualTo("user");
        assertThat(httpA.get("/locks", danaAsAdmin).status()).isEqualTo(403);
    }

    @Test
    void anAccountRemovedFromTheDatabaseIsRefusedOnEveryNodeWithinSeconds() throws InterruptedException {
        Member erin = signUp("Erin");
        assertThat(httpB.get("/auth/session", erin.token()).status()).isEqualTo(200);

        assertThat(TestPostgres.server().execute(cluster.database(), "DELETE FROM users WHERE id = ?", UUID.fromString(erin.id())))
                .isEqualTo(1);

        assertThat(awaitStatus(() -> httpB.get("/auth/session", erin.token()).status(), 401)).isTrue();
        assertThat(awaitStatus(() -> httpA.get("/auth/session", erin.token()).status(), 401)).isTrue();
        ServerClient.Answer refused = httpB.post("/appointments", erin.token(), Map.of("title", "Orphan",
                "startsAt", "2030-01-01T09:00:00Z", "endsAt", "2030-01-01T10:00:00Z"));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("code").asText()).isEqualTo("unauthorized");
    }

    @Test
    void aValidlySignedTokenOfAnUnknownUserGets401() {
        Instant now = Instant.now();
        String stranger = JWT.create().withIssuer("syncpoint").withSubject(UUID.randomUUID().toString())
                .withClaim("email", "stranger@example.com").withClaim("name", "Stranger").withClaim("role", "admin")
                .withIssuedAt(now).withExpiresAt(now.plus(Duration.ofHours(1))).sign(Algorithm.HMAC256(TestCluster.SECRET));

        assertThat(httpA.get("/locks", stranger).status()).isEqualTo(401);
        assertThat(httpB.post("/appointments", stranger, Map.of("title", "Planted", "startsAt", "2030-01-01T09:00:00Z",
                "endsAt", "2030-01-01T10:00:00Z")).status()).isEqualTo(401);
    }

    private record Member(String id, String email, String token) {
    }

    /** A new account, signed up on node A. */
    private static Member signUp(String name) {
        String email = name.toLowerCase() + "-" + UUID.randomUUID() + "@example.com";
        ServerClient.Answer answer = httpA.post("/auth/signup", null, Map.of("email", email, "name", name,
                "password", "password-" + name));
        assertThat(answer.status()).isEqualTo(201);
        return new Member(answer.json().at("/user/id").asText(), email, answer.json().get("token").asText());
    }

    private static boolean awaitStatus(IntSupplier status, int expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (Instant.now().isBefore(deadline)) {
            if (status.getAsInt() == expected) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
