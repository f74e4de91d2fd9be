package io.syncpoint.lock.web;

import static io.syncpoint.lock.web.HttpApiContract.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.syncpoint.lock.web.ws.WebSocketGateway;
import io.syncpoint.lock.web.ws.WebSocketSettings;
import io.syncpoint.lock.web.ws.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The authentication attack table: one test per attack, each against a real server with its WebSocket
 * gateway, on the in-memory store and on PostgreSQL. {@code docs/reliability.md} lists the table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthAttackTest {
    private static final String BASE = "/api/v1";
    private static final Algorithm SERVER_KEY = Algorithm.HMAC256(InMemoryBackend.JWT_SECRET);

    enum Store { IN_MEMORY, POSTGRESQL }

    private final Map<Store, Node> nodes = new EnumMap<>(Store.class);

    /** A server over one store, its gateway registered as in production. */
    private record Node(TestBackend backend, WebDependencies dependencies, WebSocketGateway gateway, WebServer server,
                        ApiClient api, int port) {
        void stop() {
            gateway.close();
            server.stop();
            backend.close();
        }
    }

    private record User(String id, String email, String token) {
    }

    @BeforeAll
    void startServers() {
        for (Store store : Store.values()) {
            TestBackend backend = store == Store.IN_MEMORY ? new InMemoryBackend() : new PostgresBackendForTests();
            WebDependencies dependencies = backend.dependencies(WebSettings.defaults(0)
                    .withRateLimits(new WebSettings.RateLimits(100_000, 100_000, 100_000, 100_000)));
            WebSocketGateway gateway = new WebSocketGateway(dependencies.accounts(), dependencies.locks(),
                    backend.events(), backend.eventPublisher(), dependencies.meterRegistry(), dependencies.clock(),
                    WebSocketSettings.defaults());
            gateway.start();
            WebServer server = new WebServer(dependencies.withExtension(gateway::register));
            int port = server.start();
            nodes.put(store, new Node(backend, dependencies, gateway, server, new ApiClient(port), port));
        }
    }

    @AfterAll
    void stopServers() {
        nodes.values().forEach(Node::stop);
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void noTokenIsRefused(Store store) {
        ApiClient.Response missing = api(store).get(BASE + "/auth/session", null);
        assertProblem(missing, 401, "unauthorized");
        assertThat(missing.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertProblem(api(store).send("GET", BASE + "/auth/session", null, null, Map.of("Authorization", "Basic abc")),
                401, "unauthorized");
        assertProblem(api(store).get(BASE + "/auth/session", "not-a-jwt"), 401, "unauthorized");
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aTokenSignedWithAnotherSecretIsRefused(Store store) {
        User alice = signUp(store, "Alice");
        String forged = claimsOf(store, alice, "admin").sign(Algorithm.HMAC256("another-secret-another-secret-0123456789"));
        assertProblem(api(store).get(BASE + "/auth/session", forged), 401, "unauthorized");
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void anUnsignedAlgNoneTokenIsRefused(Store store) {
        User alice = signUp(store, "Alice");
        String payload = alice.token().split("\\.")[1];
        String unsigned = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + ".";
        assertProblem(api(store).get(BASE + "/auth/session", unsigned), 401, "unauthorized");
        assertProblem(api(store).get(BASE + "/auth/session", claimsOf(store, alice, "admin").sign(Algorithm.none())), 401,
                "unauthorized");
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void anHsRsAlgorithmConfusionIsRefused(Store store) throws NoSuchAlgorithmException {
        User alice = signUp(store, "Alice");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        String rsSigned = claimsOf(store, alice, "admin").sign(Algorithm.RSA256((RSAPublicKey) pair.getPublic(),
                (RSAPrivateKey) pair.getPrivate()));
        assertProblem(api(store).get(BASE + "/auth/session", rsSigned), 401, "unauthorized");

        String[] parts = alice.token().split("\\.");
        String relabelled = base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + parts[1] + "." + parts[2];
        assertProblem(api(store).get(BASE + "/auth/session", relabelled), 401, "unauthorized");
        String publicKeyAsSecret = claimsOf(store, alice, "admin").sign(Algorithm.HMAC256(pair.getPublic().getEncoded()));
        assertProblem(api(store).get(BASE + "/auth/session", publicKeyAsSecret), 401, "unauthorized");
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void anExpiredTokenIsRefused(Store store) {
        User alice = signUp(store, "Alice");
        Instant now = clockOf(store);
        String expired = claimsOf(store, alice, "user").withIssuedAt(now.minus(Duration.ofHours(25)))
                .withExpiresAt(now.minusSeconds(1)).sign(SERVER_KEY);
        assertProblem(api(store).get(BASE + "/auth/session", expired), 401, "unauthorized");
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aTokenNotYetValidBeyondTheClockLeewayIsRefused(Store store) {
        User alice = signUp(store, "Alice");
        Instant later = clockOf(store).plus(JwtAccessTokens.CLOCK_SKEW_LEEWAY).plusSeconds(60);
        String notBefore = claimsOf(store, alice, "user").withNotBefore(later).sign(SERVER_KEY);
        String issuedLater = claimsOf(store, alice, "user").withIssuedAt(later).sign(SERVER_KEY);

        assertProblem(api(store).get(BASE + "/auth/session", notBefore), 401, "unauthorized");
        assertProblem(api(store).get(BASE + "/auth/session", issuedLater), 401, "unauthorized");
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aTamperedRoleBreaksTheSignature(Store store) {
        User alice = signUp(store, "Alice");
        String[] parts = alice.token().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"role\":\"user\"", "\"role\":\"admin\"");
        assertThat(payload).contains("\"role\":\"admin\"");

        String tampered = parts[0] + "." + base64Url(payload) + "." + parts[2];

        assertProblem(api(store).get(BASE + "/locks", tampered), 401, "unauthorized");
        assertThat(api(store).get(BASE + "/auth/session", alice.token()).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aDeletedUsersTokenIsRefusedAndCreatesNothing(Store store) {
        User ghost = signUp(store, "Ghost");
        assertThat(api(store).get(BASE + "/auth/session", ghost.token()).status()).isEqualTo(200);

        backend(store).deleteAccount(UUID.fromString(ghost.id()));
        backend(store).advanceClock(ACCOUNT_MEMORY);

        assertProblem(api(store).get(BASE + "/auth/session", ghost.token()), 401, "unauthorized");
        assertProblem(api(store).post(BASE + "/appointments", ghost.token(), Map.of("title", "Ghost meeting",
                "startsAt", "2030-01-01T09:00:00Z", "endsAt", "2030-01-01T10:00:00Z")), 401, "unauthorized");
        User admin = admin(store);
        assertThat(api(store).get(BASE + "/appointments?limit=200", admin.token()).json().get("data")
                .findValuesAsText("createdBy")).doesNotContain(ghost.id());
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aValidlySignedTokenOfAnUnknownUserIsRefused(Store store) {
        String stranger = JWT.create().withIssuer("syncpoint").withSubject(UUID.randomUUID().toString())
                .withClaim("email", "stranger@example.com").withClaim("name", "Stranger").withClaim("role", "admin")
                .withIssuedAt(clockOf(store)).withExpiresAt(clockOf(store).plus(Duration.ofHours(1))).sign(SERVER_KEY);

        assertProblem(api(store).get(BASE + "/locks", stranger), 401, "unauthorized");
        assertProblem(api(store).post(BASE + "/appointments", stranger, Map.of("title", "Planted",
                "startsAt", "2030-01-01T09:00:00Z", "endsAt", "2030-01-01T10:00:00Z")), 401, "unauthorized");
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aDemotedAdminLosesAdminRoutesAtOnceAndCannotPromoteThemselvesBack(Store store) {
        User root = admin(store);
        User demoted = admin(store);
        assertThat(api(store).get(BASE + "/locks", demoted.token()).status()).isEqualTo(200);

        assertThat(api(store).put(BASE + "/users/" + demoted.id() + "/role", root.token(), Map.of("role", "user"),
                Map.of()).status()).isEqualTo(200);

        assertProblem(api(store).get(BASE + "/locks", demoted.token()), 403, "forbidden");
        assertProblem(api(store).put(BASE + "/users/" + demoted.id() + "/role", demoted.token(), Map.of("role", "admin"),
                Map.of()), 403, "forbidden");
        ApiClient.Response session = api(store).get(BASE + "/auth/session", demoted.token());
        assertThat(session.json().at("/user/role").asText()).isEqualTo("user");
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void signingUpAsAdminCreatesAPlainUser(Store store) {
        String email = "mallory-" + UUID.randomUUID() + "@example.com";
        ApiClient.Response signedUp = api(store).post(BASE + "/auth/signup", null, Map.of("email", email,
                "name", "Mallory", "password", "long enough", "role", "admin"));

        assertThat(signedUp.status()).isEqualTo(201);
        assertThat(signedUp.json().at("/user/role").asText()).isEqualTo("user");
        String token = signedUp.json().get("token").asText();
        assertThat(JWT.decode(token).getClaim("role").asString()).isEqualTo("user");
        assertProblem(api(store).get(BASE + "/locks", token), 403, "forbidden");
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void anotherUsersLeaseCannotBeReleased(Store store) {
        Lease alices = leaseOfAliceWatchedByBob(store);

        assertProblem(api(store).delete(lockPath(alices.appointmentId(), "release-lock"), alices.other().token(), null),
                403, "not_lock_owner");
        assertStillHeld(store, alices);
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void anotherUsersLeaseCannotBeForceReleasedByAUser(Store store) {
        Lease alices = leaseOfAliceWatchedByBob(store);

        assertProblem(api(store).delete(lockPath(alices.appointmentId(), "force-release-lock"), alices.other().token(),
                Map.of("reason", "mine")), 403, "forbidden");
        assertStillHeld(store, alices);
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void anotherUsersLeaseCannotBeTakenOverByAUser(Store store) {
        Lease alices = leaseOfAliceWatchedByBob(store);

        assertProblem(api(store).post(lockPath(alices.appointmentId(), "takeover-lock"), alices.other().token(),
                Map.of("reason", "mine")), 403, "forbidden");
        assertStillHeld(store, alices);
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void anotherUsersHistoryIsForbidden(Store store) {
        Lease alices = leaseOfAliceWatchedByBob(store);
        String history = BASE + "/users/" + alices.holder().id() + "/lock-history";

        assertProblem(api(store).get(history, alices.other().token()), 403, "forbidden");
        assertThat(api(store).get(history, alices.holder().token()).json().get("total").asLong()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aWebSocketUpgradeWithoutATokenIsRefused(Store store) {
        assertThat(handshakeStatus(store, WebSocketGateway.PATH)).isEqualTo(401);
        assertThat(handshakeStatus(store, "/api/v1/appointments/" + UUID.randomUUID() + "/updates")).isEqualTo(401);
        assertThat(nodes.get(store).gateway().connectionCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aWebSocketUpgradeWithABadExpiredOrOrphanedTokenIsRefused(Store store) {
        User alice = signUp(store, "Alice");
        String expired = claimsOf(store, alice, "user").withIssuedAt(clockOf(store).minus(Duration.ofHours(25)))
                .withExpiresAt(clockOf(store).minusSeconds(1)).sign(SERVER_KEY);
        User ghost = signUp(store, "Ghost");
        backend(store).deleteAccount(UUID.fromString(ghost.id()));
        backend(store).advanceClock(ACCOUNT_MEMORY);

        assertThat(handshakeStatus(store, WebSocketGateway.PATH + "?token=forged")).isEqualTo(401);
        assertThat(handshakeStatus(store, WebSocketGateway.PATH + "?token=" + expired)).isEqualTo(401);
        assertThat(handshakeStatus(store, WebSocketGateway.PATH + "?token=" + ghost.token())).isEqualTo(401);
        assertThat(handshakeStatus(store, "/api/v1/appointments/" + UUID.randomUUID() + "/updates?token=" + expired))
                .isEqualTo(401);
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aClientGetsNoFramesOfAppointmentsItDidNotSubscribeTo(Store store) {
        User alice = signUp(store, "Alice");
        User bob = signUp(store, "Bob");
        String watched = appointment(store, bob);
        String other = appointment(store, bob);
        try (WsTestClient viewer = WsTestClient.connect(URI.create("ws://localhost:" + nodes.get(store).port()
                + WebSocketGateway.PATH + "?token=" + alice.token()))) {
            viewer.subscribeAndAwaitSnapshot(UUID.fromString(watched));

            api(store).post(lockPath(other, "acquire-lock"), bob.token(), null);
            api(store).post(lockPath(watched, "acquire-lock"), bob.token(), null);

            JsonNode first = viewer.expect("lock-acquired");
            assertThat(first.get("appointmentId").asText()).as("nothing of the other appointment came first")
                    .isEqualTo(watched);
            api(store).delete(lockPath(other, "release-lock"), bob.token(), null);
            viewer.expectNothingBeforePong();
        }
    }

    // --- helpers

    /** Long enough for every node to read an account again instead of remembering it. */
    private static final Duration ACCOUNT_MEMORY = io.syncpoint.lock.core.service.AccountService.ACCOUNT_FRESHNESS;

    private ApiClient api(Store store) {
        return nodes.get(store).api();
    }

    private TestBackend backend(Store store) {
        return nodes.get(store).backend();
    }

    private Instant clockOf(Store store) {
        return nodes.get(store).dependencies().clock().instant();
    }

    private User signUp(Store store, String name) {
        String email = name.toLowerCase() + "-" + UUID.randomUUID() + "@example.com";
        ApiClient.Response response = api(store).post(BASE + "/auth/signup", null,
                Map.of("email", email, "name", name, "password", "password-" + name));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return new User(response.json().at("/user/id").asText(), email, response.json().get("token").asText());
    }

    private User admin(Store store) {
        String email = "admin-" + UUID.randomUUID() + "@example.com";
        backend(store).accounts().ensureAdmin(email, "Admin", "password-Admin").orElseThrow();
        ApiClient.Response response = api(store).post(BASE + "/auth/signin", null,
                Map.of("email", email, "password", "password-Admin"));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return new User(response.json().at("/user/id").asText(), email, response.json().get("token").asText());
    }

    private String appointment(Store store, User owner) {
        ApiClient.Response created = api(store).post(BASE + "/appointments", owner.token(), Map.of("title", "Meeting",
                "startsAt", "2030-01-01T09:00:00Z", "endsAt", "2030-01-01T10:00:00Z"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    /** The claims of a token for this user, as this node's clock would issue them now. */
    /** A live lease held by {@code holder}, and another user who will try to get at it. */
    private record Lease(User holder, User other, String appointmentId, long fencingToken) {
    }

    private Lease leaseOfAliceWatchedByBob(Store store) {
        User alice = signUp(store, "Alice");
        User bob = signUp(store, "Bob");
        String id = appointment(store, alice);
        ApiClient.Response acquired = api(store).post(lockPath(id, "acquire-lock"), alice.token(), null);
        assertThat(acquired.status()).as(acquired.toString()).isEqualTo(200);
        return new Lease(alice, bob, id, acquired.json().at("/lock/fencingToken").asLong());
    }

    private void assertStillHeld(Store store, Lease lease) {
        JsonNode status = api(store).get(lockPath(lease.appointmentId(), "lock-status"), lease.holder().token()).json();
        assertThat(status.get("state").asText()).isEqualTo("locked_by_user");
        assertThat(status.at("/lock/fencingToken").asLong()).isEqualTo(lease.fencingToken());
    }

    private JWTCreator.Builder claimsOf(Store store, User user, String role) {
        Instant now = clockOf(store);
        return JWT.create().withIssuer("syncpoint").withSubject(user.id()).withClaim("email", user.email())
                .withClaim("name", "Someone").withClaim("role", role).withIssuedAt(now)
                .withExpiresAt(now.plus(Duration.ofHours(1)));
    }

    private int handshakeStatus(Store store, String pathAndQuery) {
        Throwable failure = catchThrowable(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://localhost:" + nodes.get(store).port() + pathAndQuery),
                        new WebSocket.Listener() {
                        }).join());
        assertThat(failure).isInstanceOf(CompletionException.class);
        assertThat(failure.getCause()).isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode();
    }

    private static String lockPath(String appointmentId, String action) {
        return BASE + "/appointments/" + appointmentId + "/" + action;
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
