package io.syncpoint.lock.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole HTTP API against a real server on a random port, written once and run on every store
 * (a subclass per store provides the {@link TestBackend}). Every test signs up its own users and
 * creates its own appointments, so tests do not depend on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HttpApiContract {
    private static final String BASE = "/api/v1";

    protected TestBackend backend;
    private WebServer server;
    protected ApiClient api;

    protected abstract TestBackend createBackend();

    @BeforeAll
    void startServer() {
        backend = createBackend();
        server = new WebServer(backend.dependencies(WebSettings.defaults(0)
                .withRateLimits(new WebSettings.RateLimits(100_000, 100_000, 100_000, 100_000))));
        api = new ApiClient(server.start());
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.stop();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void twoUsersAndAnAdminGoThroughTheWholeLockWorkflow() {
        User alice = signUp("Alice");
        User bob = signUp("Bob");
        User admin = admin();

        ApiClient.Response created = api.post(BASE + "/appointments", alice.token, appointmentBody("Planning"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        String id = created.json().get("id").asText();
        assertThat(created.json().get("version").asLong()).isEqualTo(1);
        assertThat(created.json().get("createdBy").asText()).isEqualTo(alice.id);
        assertThat(created.json().get("lock").isNull()).isTrue();

        ApiClient.Response acquired = api.post(lockPath(id, "acquire-lock"), alice.token, Map.of("position", "title"));
        assertThat(acquired.status()).isEqualTo(200);
        assertThat(acquired.json().get("renewed").asBoolean()).isFalse();
        JsonNode lock = acquired.json().get("lock");
        assertLockShape(lock);
        assertThat(lock.get("userId").asText()).isEqualTo(alice.id);
        assertThat(lock.get("userInfo").get("name").asText()).isEqualTo("Alice");
        assertThat(lock.get("userInfo").get("position").asText()).isEqualTo("title");
        assertThat(lock.get("version").asLong()).isEqualTo(1);
        long aliceToken = lock.get("fencingToken").asLong();

        ApiClient.Response conflict = api.post(lockPath(id, "acquire-lock"), bob.token, null);
        assertProblem(conflict, 409, "lock_held");
        assertThat(conflict.json().get("lock").get("userId").asText()).isEqualTo(alice.id);
        assertThat(conflict.json().get("lock").get("userInfo").get("email").asText()).isEqualTo(alice.email);
        assertThat(conflict.json().get("lock").get("expiresAt").asText()).isEqualTo(lock.get("expiresAt").asText());
        assertThat(Long.parseLong(conflict.header("Retry-After"))).isBetween(1L, 300L);

        ApiClient.Response renewed = api.post(lockPath(id, "acquire-lock"), alice.token, Map.of("expectedVersion", 1));
        assertThat(renewed.status()).isEqualTo(200);
        assertThat(renewed.json().get("renewed").asBoolean()).isTrue();
        assertThat(renewed.json().get("lock").get("version").asLong()).isEqualTo(2);
        assertThat(renewed.json().get("lock").get("fencingToken").asLong()).isEqualTo(aliceToken);

        ApiClient.Response bobSees = api.get(lockPath(id, "lock-status"), bob.token);
        assertThat(bobSees.status()).isEqualTo(200);
        assertThat(bobSees.json().get("state").asText()).isEqualTo("locked_by_other");
        assertThat(bobSees.json().get("lock").get("userId").asText()).isEqualTo(alice.id);
        assertThat(bobSees.json().get("serverTime").asText()).isNotBlank();
        assertThat(api.get(lockPath(id, "lock-status"), alice.token).json().get("state").asText()).isEqualTo("locked_by_user");

        ApiClient.Response read = api.get(BASE + "/appointments/" + id, bob.token);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("ETag")).isEqualTo("\"1\"");
        assertThat(read.json().get("lock").get("userId").asText()).isEqualTo(alice.id);

        assertProblem(api.put(BASE + "/appointments/" + id, bob.token, appointmentBody("Bob's edit"),
                Map.of("If-Match", "\"1\"", "Lock-Token", Long.toString(aliceToken))), 423, "lock_required");
        assertProblem(api.put(BASE + "/appointments/" + id, alice.token, appointmentBody("Edit"),
                Map.of("If-Match", "\"1\"", "Lock-Token", Long.toString(aliceToken + 1000))), 409, "stale_lock_token");

        ApiClient.Response saved = api.put(BASE + "/appointments/" + id, alice.token, appointmentBody("Planning, revised"),
                Map.of("If-Match", "\"1\"", "Lock-Token", Long.toString(aliceToken)));
        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.header("ETag")).isEqualTo("\"2\"");
        assertThat(saved.json().get("title").asText()).isEqualTo("Planning, revised");
        assertThat(saved.json().get("version").asLong()).isEqualTo(2);
        assertThat(saved.json().get("lock").get("userId").asText()).isEqualTo(alice.id);

        ApiClient.Response stale = api.put(BASE + "/appointments/" + id, alice.token, appointmentBody("Older edit"),
                Map.of("If-Match", "\"1\"", "Lock-Token", Long.toString(aliceToken)));
        assertProblem(stale, 412, "precondition_failed");
        assertThat(stale.json().get("currentVersion").asLong()).isEqualTo(2);

        assertProblem(api.delete(lockPath(id, "release-lock"), bob.token, null), 403, "not_lock_owner");
        ApiClient.Response wrongVersion = api.delete(lockPath(id, "release-lock"), alice.token, Map.of("expectedVersion", 1));
        assertProblem(wrongVersion, 409, "version_conflict");
        assertThat(wrongVersion.json().get("currentVersion").asLong()).isEqualTo(2);
        assertThat(wrongVersion.json().get("expectedVersion").asLong()).isEqualTo(1);

        ApiClient.Response released = api.delete(lockPath(id, "release-lock"), alice.token, Map.of("expectedVersion", 2));
        assertThat(released.status()).isEqualTo(200);
        assertThat(released.json().get("released").asBoolean()).isTrue();
        assertProblem(api.delete(lockPath(id, "release-lock"), alice.token, null), 404, "no_lock");
        assertThat(api.get(lockPath(id, "lock-status"), bob.token).json().get("state").asText()).isEqualTo("unlocked");

        JsonNode bobLock = api.post(lockPath(id, "acquire-lock"), bob.token, null).json().get("lock");
        assertThat(bobLock.get("fencingToken").asLong()).isGreaterThan(aliceToken);

        ApiClient.Response takenOver = api.post(lockPath(id, "takeover-lock"), admin.token, Map.of("reason", "urgent fix"));
        assertThat(takenOver.status()).isEqualTo(200);
        JsonNode adminLock = takenOver.json().get("lock");
        assertThat(adminLock.get("userId").asText()).isEqualTo(admin.id);
        assertThat(adminLock.get("fencingToken").asLong()).isGreaterThan(bobLock.get("fencingToken").asLong());
        assertProblem(api.post(lockPath(id, "acquire-lock"), bob.token, Map.of("expectedVersion", 1)), 409, "lock_lost");
        assertProblem(api.put(BASE + "/appointments/" + id, bob.token, appointmentBody("Too late"),
                Map.of("If-Match", "\"2\"", "Lock-Token", bobLock.get("fencingToken").asText())), 423, "lock_required");

        ApiClient.Response forced = api.delete(lockPath(id, "force-release-lock"), admin.token, Map.of("reason", "done"));
        assertThat(forced.status()).isEqualTo(200);
        assertThat(forced.json().get("lock").get("userId").asText()).isEqualTo(admin.id);

        ApiClient.Response history = api.get(lockPath(id, "lock-history"), bob.token);
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.json().get("total").asLong()).isEqualTo(6);
        assertThat(actions(history.json())).containsExactly(
                "force_released", "acquired", "force_released", "acquired", "released", "acquired");
        JsonNode bobEnded = history.json().get("data").get(2);
        assertThat(bobEnded.get("userId").asText()).isEqualTo(bob.id);
        assertThat(bobEnded.get("releasedBy").asText()).isEqualTo(admin.id);
        assertThat(bobEnded.get("reason").asText()).isEqualTo("urgent fix");
        assertThat(bobEnded.get("duration").isIntegralNumber()).isTrue();
        JsonNode aliceEnded = history.json().get("data").get(4);
        assertThat(aliceEnded.get("renewalCount").asInt()).isEqualTo(1);
        assertThat(aliceEnded.get("fencingToken").asLong()).isEqualTo(aliceToken);
        assertThat(aliceEnded.get("userInfo").get("name").asText()).isEqualTo("Alice");
        assertThat(history.json().get("data").get(1).get("metadata").get("takeoverOf").asText())
                .isEqualTo(bobLock.get("id").asText());

        ApiClient.Response paged = api.get(lockPath(id, "lock-history") + "?limit=2&offset=1", bob.token);
        assertThat(actions(paged.json())).containsExactly("acquired", "force_released");
        assertThat(paged.json().get("limit").asInt()).isEqualTo(2);
        assertThat(paged.json().get("offset").asInt()).isEqualTo(1);

        ApiClient.Response statistics = api.get(lockPath(id, "lock-statistics"), bob.token);
        assertThat(statistics.status()).isEqualTo(200);
        JsonNode totals = statistics.json().get("totals");
        assertThat(totals.get("acquired").asLong()).isEqualTo(3);
        assertThat(totals.get("released").asLong()).isEqualTo(1);
        assertThat(totals.get("force_released").asLong()).isEqualTo(2);
        assertThat(totals.get("expired").asLong()).isZero();
        assertThat(statistics.json().get("uniqueUsers").asLong()).isEqualTo(3);
        assertThat(statistics.json().get("currentlyLocked").asBoolean()).isFalse();
        assertThat(statistics.json().get("averageDurationSeconds").isNumber()).isTrue();

        ApiClient.Response aliceHistory = api.get(BASE + "/users/" + alice.id + "/lock-history", alice.token);
        assertThat(actions(aliceHistory.json())).containsExactly("released", "acquired");
        assertProblem(api.get(BASE + "/users/" + alice.id + "/lock-history", bob.token), 403, "forbidden");
        assertThat(api.get(BASE + "/users/" + alice.id + "/lock-history", admin.token).status()).isEqualTo(200);
    }

    @Test
    void aLeaseThatRunsOutIsLostToItsHolderAndFreeForOthers() {
        User alice = signUp("Alice");
        User bob = signUp("Bob");
        String id = createAppointment(alice);
        JsonNode lock = api.post(lockPath(id, "acquire-lock"), alice.token, null).json().get("lock");

        backend.letLeasesExpire();

        assertThat(api.get(lockPath(id, "lock-status"), bob.token).json().get("state").asText()).isEqualTo("unlocked");
        assertProblem(api.post(lockPath(id, "acquire-lock"), alice.token, Map.of("expectedVersion", 1)), 409, "lock_lost");
        assertProblem(api.put(BASE + "/appointments/" + id, alice.token, appointmentBody("Late save"),
                Map.of("If-Match", "\"1\"", "Lock-Token", lock.get("fencingToken").asText())), 423, "lock_required");
        ApiClient.Response bobTakes = api.post(lockPath(id, "acquire-lock"), bob.token, null);
        assertThat(bobTakes.status()).isEqualTo(200);
        assertThat(bobTakes.json().get("lock").get("fencingToken").asLong()).isGreaterThan(lock.get("fencingToken").asLong());

        ApiClient.Response history = api.get(lockPath(id, "lock-history"), alice.token);
        assertThat(actions(history.json())).containsExactly("acquired", "expired", "acquired");
        assertThat(history.json().get("data").get(1).get("releasedBy").isNull()).isTrue();
        assertThat(api.get(lockPath(id, "lock-statistics"), alice.token).json().get("totals").get("expired").asLong())
                .isEqualTo(1);
    }

    @Test
    void manyUsersRacingForOneAppointmentGetExactlyOneLease() throws Exception {
        User owner = signUp("Owner");
        String id = createAppointment(owner);
        List<User> racers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            racers.add(signUp("Racer " + i));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers.size());
        try {
            List<Future<ApiClient.Response>> answers = new ArrayList<>();
            for (User racer : racers) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return api.post(lockPath(id, "acquire-lock"), racer.token, null);
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<ApiClient.Response> answer : answers) {
                statuses.add(answer.get().status());
            }
            assertThat(statuses).filteredOn(status -> status == 200).hasSize(1);
            assertThat(statuses).filteredOn(status -> status == 409).hasSize(racers.size() - 1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(actions(api.get(lockPath(id, "lock-history"), owner.token).json())).containsExactly("acquired");
    }

    @Test
    void deletingNeedsTheLeaseExceptForAdmins() {
        User alice = signUp("Alice");
        User bob = signUp("Bob");
        User admin = admin();
        String id = createAppointment(alice);
        assertProblem(api.delete(BASE + "/appointments/" + id, bob.token, null), 423, "lock_required");

        long token = api.post(lockPath(id, "acquire-lock"), alice.token, null).json().get("lock").get("fencingToken").asLong();
        assertProblem(api.send("DELETE", BASE + "/appointments/" + id, alice.token, null, Map.of()), 409, "stale_lock_token");
        ApiClient.Response deleted = api.send("DELETE", BASE + "/appointments/" + id, alice.token, null,
                Map.of("Lock-Token", Long.toString(token), "If-Match", "\"1\""));
        assertThat(deleted.status()).isEqualTo(204);
        assertProblem(api.get(BASE + "/appointments/" + id, alice.token), 404, "not_found");
        assertThat(actions(api.get(lockPath(id, "lock-history"), alice.token).json())).containsExactly("released", "acquired");

        String other = createAppointment(alice);
        api.post(lockPath(other, "acquire-lock"), alice.token, null);
        assertThat(api.delete(BASE + "/appointments/" + other, admin.token, null).status()).isEqualTo(204);
        assertThat(actions(api.get(lockPath(other, "lock-history"), alice.token).json()))
                .containsExactly("force_released", "acquired");
    }

    @Test
    void appointmentsAreListedByStartWithTheirLocksAndFilteredByTime() {
        User alice = signUp("Alice");
        String early = createAppointment(alice, "2031-05-01T09:00:00Z", "2031-05-01T10:00:00Z");
        String late = createAppointment(alice, "2031-05-03T09:00:00Z", "2031-05-03T10:00:00Z");
        api.post(lockPath(late, "acquire-lock"), alice.token, null);

        ApiClient.Response page = api.get(BASE + "/appointments?from=2031-05-01T00:00:00Z&to=2031-05-04T00:00:00Z&limit=10",
                alice.token);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().get("total").asLong()).isEqualTo(2);
        assertThat(page.json().get("limit").asInt()).isEqualTo(10);
        JsonNode data = page.json().get("data");
        assertThat(data.get(0).get("id").asText()).isEqualTo(early);
        assertThat(data.get(0).get("lock").isNull()).isTrue();
        assertThat(data.get(1).get("id").asText()).isEqualTo(late);
        assertThat(data.get(1).get("lock").get("userId").asText()).isEqualTo(alice.id);

        ApiClient.Response second = api.get(BASE + "/appointments?from=2031-05-02T00:00:00Z&to=2031-05-04T00:00:00Z",
                alice.token);
        assertThat(second.json().get("total").asLong()).isEqualTo(1);
        assertThat(second.json().get("data").get(0).get("id").asText()).isEqualTo(late);
    }

    @Test
    void anAppointmentIsReturnedInTheShapeOfTheSpec() {
        User alice = signUp("Alice");
        Map<String, Object> body = new LinkedHashMap<>(appointmentBody("Review"));
        body.put("description", "Quarterly review");
        body.put("location", "Room 4");
        body.put("attendees", List.of("Ann@Example.com", "ben@example.com"));
        body.put("status", "completed");
        JsonNode json = api.post(BASE + "/appointments", alice.token, body).json();
        assertThat(fieldNames(json)).containsExactly("id", "title", "description", "startsAt", "endsAt", "location",
                "attendees", "status", "version", "createdBy", "createdAt", "updatedAt", "lock");
        assertThat(json.get("attendees").get(0).asText()).isEqualTo("ann@example.com");
        assertThat(json.get("status").asText()).isEqualTo("completed");
        assertThat(Instant.parse(json.get("startsAt").asText())).isEqualTo(Instant.parse("2030-01-01T09:00:00Z"));
    }

    @Test
    void adminsChangeRolesAndOnlyAdminsReachAdminRoutes() {
        User bob = signUp("Bob");
        User admin = admin();
        assertProblem(api.get(BASE + "/locks", bob.token), 403, "forbidden");
        assertProblem(api.put(BASE + "/users/" + bob.id + "/role", bob.token, Map.of("role", "admin"), Map.of()), 403, "forbidden");
        assertProblem(api.post(BASE + "/admin/cleanup-history", bob.token, Map.of("daysToKeep", 1)), 403, "forbidden");
        String id = createAppointment(bob);
        assertProblem(api.delete(lockPath(id, "force-release-lock"), bob.token, null), 403, "forbidden");
        assertProblem(api.post(lockPath(id, "takeover-lock"), bob.token, null), 403, "forbidden");
        assertProblem(api.delete(lockPath(id, "force-release-lock"), admin.token, null), 404, "no_lock");

        api.post(lockPath(id, "acquire-lock"), bob.token, null);
        ApiClient.Response locks = api.get(BASE + "/locks", admin.token);
        assertThat(locks.status()).isEqualTo(200);
        assertThat(locks.json().get("data").findValuesAsText("appointmentId")).contains(id);

        ApiClient.Response promoted = api.put(BASE + "/users/" + bob.id + "/role", admin.token, Map.of("role", "admin"), Map.of());
        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.json().get("user").get("role").asText()).isEqualTo("admin");
        String promotedToken = signIn(bob.email, "password-" + bob.name).json().get("token").asText();
        assertThat(api.get(BASE + "/locks", promotedToken).status()).isEqualTo(200);
        assertProblem(api.put(BASE + "/users/" + UUID.randomUUID() + "/role", admin.token, Map.of("role", "user"), Map.of()),
                404, "not_found");
        assertProblem(api.put(BASE + "/users/" + bob.id + "/role", admin.token, Map.of("role", "owner"), Map.of()),
                400, "validation_failed");
    }

    @Test
    void historyCleanUpDeletesExactlyTheRowsOlderThanTheDaysKept() {
        backend.advanceClock(Duration.ofDays(40));
        User admin = admin();
        assertThat(cleanUp(admin, 30).status()).as("rows of earlier tests are gone").isEqualTo(200);
        User alice = signUp("Alice");
        String id = createAppointment(alice);
        api.post(lockPath(id, "acquire-lock"), alice.token, null);
        api.delete(lockPath(id, "release-lock"), alice.token, null);

        backend.advanceClock(Duration.ofDays(10));
        User bob = signUp("Bob");
        admin = admin();
        assertThat(api.post(lockPath(id, "acquire-lock"), bob.token, null).status()).isEqualTo(200);

        ApiClient.Response cleanup = cleanUp(admin, 5);
        assertThat(cleanup.status()).isEqualTo(200);
        assertThat(cleanup.json().get("deletedCount").asLong()).as("alice's acquired and released rows").isEqualTo(2);
        ApiClient.Response kept = api.get(lockPath(id, "lock-history"), bob.token);
        assertThat(actions(kept.json())).containsExactly("acquired");
        assertThat(kept.json().at("/data/0/userId").asText()).isEqualTo(bob.id);
        assertThat(cleanUp(admin, 5).json().get("deletedCount").asLong()).isZero();
    }

    private ApiClient.Response cleanUp(User admin, int daysToKeep) {
        return api.post(BASE + "/admin/cleanup-history", admin.token, Map.of("daysToKeep", daysToKeep));
    }

    @Test
    void signUpAlwaysCreatesAUserAndSignInChecksThePassword() {
        String email = "mallory-" + UUID.randomUUID() + "@example.com";
        Map<String, Object> body = Map.of("email", email, "name", "Mallory", "password", "long enough");
        ApiClient.Response signedUp = api.post(BASE + "/auth/signup", null, body);
        assertThat(signedUp.status()).isEqualTo(201);
        assertThat(signedUp.json().get("user").get("role").asText()).isEqualTo("user");
        assertThat(signedUp.json().get("user").has("passwordHash")).isFalse();
        assertThat(signedUp.text()).doesNotContain("long enough");

        assertProblem(api.post(BASE + "/auth/signup", null, body), 409, "email_taken");
        assertProblem(signIn(email, "wrong password"), 401, "invalid_credentials");
        assertProblem(signIn("nobody-" + UUID.randomUUID() + "@example.com", "long enough"), 401, "invalid_credentials");
        ApiClient.Response signedIn = signIn(email.toUpperCase(), "long enough");
        assertThat(signedIn.status()).isEqualTo(200);

        ApiClient.Response session = api.get(BASE + "/auth/session", signedIn.json().get("token").asText());
        assertThat(session.status()).isEqualTo(200);
        assertThat(session.json().get("user").get("email").asText()).isEqualTo(email);
        assertProblem(api.post(BASE + "/auth/signup", null, Map.of("email", "x-" + UUID.randomUUID() + "@example.com",
                "name", "Short", "password", "short")), 400, "validation_failed");
    }

    @Test
    void badInputIsAnsweredWithAProblemNamingTheField() {
        User alice = signUp("Alice");
        String id = createAppointment(alice);

        assertField(api.get(BASE + "/appointments/not-a-uuid", alice.token), "id");
        assertField(api.post(BASE + "/appointments", alice.token, Map.of("startsAt", "2030-01-01T09:00:00Z",
                "endsAt", "2030-01-01T10:00:00Z")), "title");
        assertField(api.post(BASE + "/appointments", alice.token, Map.of("title", "x", "startsAt", "yesterday",
                "endsAt", "2030-01-01T10:00:00Z")), "startsAt");
        assertField(api.post(BASE + "/appointments", alice.token, Map.of("title", "x", "startsAt", "2030-01-01T10:00:00Z",
                "endsAt", "2030-01-01T09:00:00Z")), "endsAt");
        Map<String, Object> badStatus = new LinkedHashMap<>(appointmentBody("x"));
        badStatus.put("status", "postponed");
        assertField(api.post(BASE + "/appointments", alice.token, badStatus), "status");
        Map<String, Object> badAttendee = new LinkedHashMap<>(appointmentBody("x"));
        badAttendee.put("attendees", List.of("not an email"));
        assertField(api.post(BASE + "/appointments", alice.token, badAttendee), "attendees[0]");
        Map<String, Object> longTitle = new LinkedHashMap<>(appointmentBody("x".repeat(201)));
        assertField(api.post(BASE + "/appointments", alice.token, longTitle), "title");
        assertField(api.post(BASE + "/appointments", alice.token, Map.of("title", 5, "startsAt", "2030-01-01T09:00:00Z",
                "endsAt", "2030-01-01T10:00:00Z")), "title");
        assertField(api.post(BASE + "/appointments", alice.token, Map.of("title", "x", "startsAt", "2030-01-01T09:00:00Z",
                "endsAt", "+999999999-12-31T23:59:59Z")), "endsAt");
        assertField(api.post(BASE + "/appointments", alice.token, "{\"title\": "), "body");
        assertField(api.post(BASE + "/appointments", alice.token, "[1, 2]"), "body");
        assertField(api.post(lockPath(id, "acquire-lock"), alice.token, Map.of("expectedVersion", "one")), "expectedVersion");
        assertField(api.post(lockPath(id, "acquire-lock"), alice.token, Map.of("expectedVersion", 0)), "expectedVersion");
        assertField(api.post(lockPath(id, "acquire-lock"), alice.token, Map.of("position", "p".repeat(201))), "position");
        assertField(api.get(BASE + "/appointments?limit=0", alice.token), "limit");
        assertField(api.get(BASE + "/appointments?limit=abc", alice.token), "limit");
        assertField(api.get(BASE + "/appointments?offset=-1", alice.token), "offset");
        assertField(api.get(BASE + "/appointments?from=monday", alice.token), "from");
        assertField(api.get(BASE + "/appointments?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z", alice.token), "to");
        assertField(api.get(lockPath(id, "lock-history") + "?limit=1000", alice.token), "limit");
        assertField(api.post(BASE + "/admin/cleanup-history", admin().token, Map.of("daysToKeep", -1)), "daysToKeep");
        assertField(api.put(BASE + "/appointments/" + id, alice.token, appointmentBody("x"), Map.of("If-Match", "soon")),
                "If-Match");
        assertField(api.put(BASE + "/appointments/" + id, alice.token, appointmentBody("x"),
                Map.of("If-Match", "\"1\"", "Lock-Token", "abc")), "Lock-Token");
        assertField(api.post(BASE + "/auth/signup", null, Map.of("email", "not-an-email", "name", "N", "password", "long enough")),
                "email");
    }

    @Test
    void controlCharactersInAnyTextAreRefusedWith400NamingTheFieldOnEveryStore() {
        User alice = signUp("Alice");
        User admin = admin();
        String id = createAppointment(alice);
        String nul = "\u0000";

        assertField(signIn("x" + nul + "@example.com", "password"), "email");
        assertField(api.post(BASE + "/auth/signup", null, Map.of("email", "x" + nul + "@example.com", "name", "X",
                "password", "long enough")), "email");
        assertField(api.post(BASE + "/auth/signup", null, Map.of("email", "x-" + UUID.randomUUID() + "@example.com",
                "name", "X" + nul, "password", "long enough")), "name");
        for (String field : List.of("title", "description", "location")) {
            Map<String, Object> body = new LinkedHashMap<>(appointmentBody("Plan"));
            body.put(field, "Plan" + nul + "ning");
            assertField(api.post(BASE + "/appointments", alice.token, body), field);
        }
        Map<String, Object> attendees = new LinkedHashMap<>(appointmentBody("Plan"));
        attendees.put("attendees", List.of("ann@example.com", "b" + nul + "@example.com"));
        assertField(api.post(BASE + "/appointments", alice.token, attendees), "attendees[1]");
        assertField(api.post(lockPath(id, "acquire-lock"), alice.token, Map.of("position", "ti" + nul + "tle")), "position");
        assertField(api.post(lockPath(id, "takeover-lock"), admin.token, Map.of("reason", "urgent" + nul)), "reason");
        long token = api.post(lockPath(id, "acquire-lock"), alice.token, null).json().at("/lock/fencingToken").asLong();
        Map<String, Object> edit = new LinkedHashMap<>(appointmentBody("Plan"));
        edit.put("description", "line" + nul);
        assertField(api.put(BASE + "/appointments/" + id, alice.token, edit,
                Map.of("If-Match", "\"1\"", "Lock-Token", Long.toString(token))), "description");
        assertField(api.delete(lockPath(id, "force-release-lock"), admin.token, Map.of("reason", "done" + nul)), "reason");

        assertThat(api.get(lockPath(id, "lock-status"), alice.token).json().at("/lock/fencingToken").asLong())
                .as("the refused requests changed nothing").isEqualTo(token);
        assertThat(api.get(BASE + "/appointments/" + id, alice.token).json().get("version").asLong()).isEqualTo(1);

        Map<String, Object> multiline = new LinkedHashMap<>(appointmentBody("Plan"));
        multiline.put("description", "Agenda:\n\t1. Budget\r\n\t2. Staffing \ud83d\udcc5");
        ApiClient.Response kept = api.post(BASE + "/appointments", alice.token, multiline);
        assertThat(kept.status()).as(kept.toString()).isEqualTo(201);
        assertThat(api.get(BASE + "/appointments/" + kept.json().get("id").asText(), alice.token).json()
                .get("description").asText()).isEqualTo("Agenda:\n\t1. Budget\r\n\t2. Staffing \ud83d\udcc5");
    }

    @Test
    void datesAreCheckedInUtcAndEveryStoredInstantPrintsAsRfc3339() {
        User alice = signUp("Alice");
        assertField(api.post(BASE + "/appointments", alice.token, Map.of("title", "x",
                "startsAt", "9999-12-31T23:00:00-18:00", "endsAt", "9999-12-31T23:30:00-18:00")), "startsAt");
        assertField(api.get(BASE + "/appointments?to=9999-12-31T23:00:00-18:00", alice.token), "to");

        ApiClient.Response latest = api.post(BASE + "/appointments", alice.token, Map.of("title", "x",
                "startsAt", "9999-12-31T22:00:00+18:00", "endsAt", "9999-12-31T23:00:00+18:00"));
        assertThat(latest.status()).as(latest.toString()).isEqualTo(201);
        assertThat(latest.json().get("endsAt").asText()).isEqualTo("9999-12-31T05:00:00Z");
        assertThat(api.get(BASE + "/appointments/" + latest.json().get("id").asText(), alice.token).json()
                .get("startsAt").asText()).isEqualTo("9999-12-31T04:00:00Z");
    }

    @Test
    void savingWithoutIfMatchIsRefusedBeforeAnythingElse() {
        User alice = signUp("Alice");
        String id = createAppointment(alice);
        assertProblem(api.put(BASE + "/appointments/" + id, alice.token, appointmentBody("x"), Map.of()), 428,
                "precondition_required");
        assertProblem(api.put(BASE + "/appointments/" + UUID.randomUUID(), alice.token, appointmentBody("x"),
                Map.of("If-Match", "\"1\"")), 404, "not_found");
        assertProblem(api.post(lockPath(UUID.randomUUID().toString(), "acquire-lock"), alice.token, null), 404, "not_found");
    }

    @Test
    void unknownRoutesWrongMethodsAndHugeBodiesGetProblems() {
        User alice = signUp("Alice");
        assertProblem(api.get(BASE + "/no-such-route", alice.token), 404, "not_found");
        assertProblem(api.get(BASE + "/no-such-route", null), 404, "not_found");
        assertProblem(api.send("PATCH", BASE + "/appointments", alice.token, null, Map.of()), 405, "method_not_allowed");
        String huge = "{\"title\":\"" + "x".repeat((int) WebSettings.DEFAULT_MAX_BODY_BYTES) + "\"}";
        assertProblem(api.post(BASE + "/appointments", alice.token, huge), 413, "payload_too_large");
        ApiClient.Response unparsable = api.get(BASE + "/appointments/%00", alice.token);
        assertProblem(unparsable, 400, "validation_failed");
        ApiClient.Response tooLong = api.get(BASE + "/" + "a".repeat(20_000), alice.token);
        assertProblem(tooLong, 414, "uri_too_long");
        assertThat(List.of(unparsable.header("Connection"), tooLong.header("Connection")))
                .as("a request Jetty cannot parse ends its connection, and the answer says so")
                .containsExactly("close", "close");
    }

    @Test
    void healthReportsTheDatabaseAndTurns503WhenItIsDown() {
        ApiClient.Response up = api.get(BASE + "/health", null);
        assertThat(up.status()).isEqualTo(200);
        assertThat(fieldNames(up.json())).containsExactly("status", "timestamp", "database", "websocket", "version");
        assertThat(up.json().get("status").asText()).isEqualTo("up");
        assertThat(up.json().get("database").asText()).isEqualTo("up");
        User alice = signUp("Alice");

        backend.takeStoreDown();
        try {
            ApiClient.Response down = api.get(BASE + "/health", null);
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.json().get("status").asText()).isEqualTo("down");
            assertThat(down.json().get("database").asText()).isEqualTo("down");
            ApiClient.Response refused = signIn(alice.email, "password-Alice");
            assertProblem(refused, 503, "unavailable");
            assertThat(refused.text()).doesNotContain("Exception");
        } finally {
            backend.bringStoreBack();
        }
        assertThat(api.get(BASE + "/health", null).status()).isEqualTo(200);
        assertThat(signIn(alice.email, "password-Alice").status()).isEqualTo(200);
    }

    @Test
    void metricsCountLockOutcomesLeasesAndLatencyByRoute() {
        User alice = signUp("Alice");
        User bob = signUp("Bob");
        String id = createAppointment(alice);
        api.post(lockPath(id, "acquire-lock"), alice.token, null);
        api.post(lockPath(id, "acquire-lock"), bob.token, null);

        ApiClient.Response metrics = api.get(BASE + "/metrics", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.text())
                .contains("syncpoint_lock_operations_total{operation=\"acquire\",result=\"ok\"}")
                .contains("syncpoint_lock_operations_total{operation=\"acquire\",result=\"lock_held\"}")
                .contains("syncpoint_leases_active")
                .contains("route=\"/api/v1/appointments/{id}/acquire-lock\"")
                .doesNotContain("route=\"/api/v1/appointments/" + id);
    }

    @Test
    void theStaticPageIsServedAtTheRoot() {
        ApiClient.Response page = api.get("/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.text()).contains("SyncPoint");
    }

    // --- fair access: asking to edit, the line, answers and offers

    @Test
    void askingToEditJoinsTheLineAndAskingAgainReturnsTheOpenRequest() {
        User alice = signUp("Alice");
        User bob = signUp("Bob");
        User carol = signUp("Carol");
        String id = createAppointment(alice);
        api.post(lockPath(id, "acquire-lock"), alice.token, null);

        ApiClient.Response asked = api.post(lockPath(id, "edit-requests"), bob.token, Map.of("message", "Room change"));
        assertThat(asked.status()).as(asked.toString()).isEqualTo(201);
        JsonNode request = asked.json().get("request");
        assertThat(fieldNames(asked.json())).containsExactly("request");
        assertThat(fieldNames(request)).containsExactly("id", "appointmentId", "requester", "message", "createdAt", "state",
                "position");
        assertThat(request.get("appointmentId").asText()).isEqualTo(id);
        assertThat(request.get("requester").get("userId").asText()).isEqualTo(bob.id);
        assertThat(request.get("requester").get("name").asText()).isEqualTo("Bob");
        assertThat(request.get("requester").get("email").asText()).isEqualTo(bob.email);
        assertThat(request.get("message").asText()).isEqualTo("Room change");
        assertThat(request.get("state").asText()).isEqualTo("pending");
        assertThat(request.get("position").asInt()).isEqualTo(1);
        Instant.parse(request.get("createdAt").asText());

        ApiClient.Response again = api.post(lockPath(id, "edit-requests"), bob.token, null);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().at("/request/id").asText()).isEqualTo(request.get("id").asText());
        assertThat(again.json().at("/request/position").asInt()).isEqualTo(1);

        ApiClient.Response second = api.post(lockPath(id, "edit-requests"), carol.token, null);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.json().at("/request/position").asInt()).isEqualTo(2);
        assertThat(second.json().at("/request/message").isNull()).isTrue();

        ApiClient.Response line = api.get(lockPath(id, "edit-requests"), alice.token);
        assertThat(line.status()).isEqualTo(200);
        assertThat(line.json().get("data").findValuesAsText("userId")).containsExactly(bob.id, carol.id);
        assertThat(line.json().get("data").findValuesAsText("position")).containsExactly("1", "2");

        assertProblem(api.post(lockPath(id, "edit-requests"), alice.token, null), 403, "forbidden");
        assertProblem(api.post(lockPath(UUID.randomUUID().toString(), "edit-requests"), bob.token, null), 404, "not_found");
        assertProblem(api.get(lockPath(UUID.randomUUID().toString(), "edit-requests"), bob.token), 404, "not_found");
        assertThat(api.get(lockPath(id, "lock-status"), bob.token).json().at("/lock/userId").asText()).isEqualTo(alice.id);
    }

    @Test
    void askingForAFreeAppointmentGrantsTheLeaseAtOnce() {
        User alice = signUp("Alice");
        User bob = signUp("Bob");
        String id = createAppointment(alice);

        ApiClient.Response asked = api.post(lockPath(id, "edit-requests"), bob.token, null);

        assertThat(asked.status()).as(asked.toString()).isEqualTo(201);
        assertThat(asked.json().at("/request/state").asText()).isEqualTo("granted");
        assertThat(asked.json().at("/request/position").isNull()).isTrue();
        assertLockShape(asked.json().get("lock"));
        assertThat(asked.json().at("/lock/userId").asText()).isEqualTo(bob.id);
        assertThat(api.get(lockPath(id, "lock-status"), bob.token).json().get("state").asText()).isEqualTo("locked_by_user");
        assertThat(api.get(lockPath(id, "edit-requests"), bob.token).json().get("data")).isEmpty();
        assertThat(actions(api.get(lockPath(id, "lock-history"), bob.token).json())).containsExactly("acquired");
    }

    @Test
    void aFullLineRefusesTheNextAskerWithQueueFull() {
        User alice = signUp("Alice");
        String id = createAppointment(alice);
        api.post(lockPath(id, "acquire-lock"), alice.token, null);
        for (int i = 1; i <= 20; i++) {
            ApiClient.Response asked = api.post(lockPath(id, "edit-requests"), signUp("Asker " + i).token, null);
            assertThat(asked.status()).as(asked.toString()).isEqualTo(201);
            assertThat(asked.json().at("/request/position").asInt()).isEqualTo(i);
        }

        ApiClient.Response full = api.post(lockPath(id, "edit-requests"), signUp("Late").token, null);

        assertProblem(full, 409, "queue_full");
        assertThat(full.json().get("limit").asInt()).isEqualTo(20);
        assertThat(api.get(lockPath(id, "edit-requests"), alice.token).json().get("data")).hasSize(20);
    }

    @Test
    void acceptingHandsTheLeaseOverWithANewFencingTokenAndAHistoryPair() {
        User alice = signUp("Alice");
        User bob = signUp("Bob");
        User carol = signUp("Carol");
        String id = createAppointment(alice);
        long aliceToken = api.post(lockPath(id, "acquire-lock"), alice.token, null).json().at("/lock/fencingToken").asLong();
        String requestId = api.post(lockPath(id, "edit-requests"), bob.token, null).json().at("/request/id").asText();
        api.post(lockPath(id, "edit-requests"), carol.token, null);

        assertProblem(api.post(requestPath(id, requestId, "accept"), carol.token, null), 403, "not_lock_owner");
        assertProblem(api.post(requestPath(id, UUID.randomUUID().toString(), "accept"), alice.token, null), 404, "not_found");
        ApiClient.Response accepted = api.post(requestPath(id, requestId, "accept"), alice.token, null);

        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        JsonNode lock = accepted.json().get("lock");
        assertLockShape(lock);
        assertThat(lock.get("userId").asText()).isEqualTo(bob.id);
        assertThat(lock.get("fencingToken").asLong()).isGreaterThan(aliceToken);
        assertThat(api.get(lockPath(id, "lock-status"), bob.token).json().get("state").asText()).isEqualTo("locked_by_user");
        assertProblem(api.post(lockPath(id, "acquire-lock"), alice.token, Map.of("expectedVersion", 1)), 409, "lock_lost");
        assertProblem(api.put(BASE + "/appointments/" + id, alice.token, appointmentBody("Too late"),
                Map.of("If-Match", "\"1\"", "Lock-Token", Long.toString(aliceToken))), 423, "lock_required");
        JsonNode line = api.get(lockPath(id, "edit-requests"), bob.token).json().get("data");
        assertThat(line.findValuesAsText("userId")).containsExactly(carol.id);
        assertThat(line.get(0).get("position").asInt()).isEqualTo(1);

        JsonNode history = api.get(lockPath(id, "lock-history"), bob.token).json();
        assertThat(actions(history)).containsExactly("acquired", "released", "acquired");
        JsonNode bobGot = history.get("data").get(0);
        assertThat(bobGot.get("userId").asText()).isEqualTo(bob.id);
        assertThat(bobGot.at("/metadata/handedOverFrom").asText()).isEqualTo(alice.id);
        assertThat(bobGot.at("/metadata/requestId").asText()).isEqualTo(requestId);
        assertThat(bobGot.get("fencingToken").asLong()).isEqualTo(lock.get("fencingToken").asLong());
        JsonNode aliceGave = history.get("data").get(1);
        assertThat(aliceGave.get("userId").asText()).isEqualTo(alice.id);
        assertThat(aliceGave.at("/metadata/handedOverTo").asText()).isEqualTo(bob.id);
        assertThat(aliceGave.at("/metadata/requestId").asText()).isEqualTo(requestId);
    }

    @Test
    void decliningClosesTheRequestAndTheHolderKeepsTheLease() {
        User alice = signUp("Alice");
        User bob = signUp("Bob");
        String id = createAppointment(alice);
        JsonNode lock = api.post(lockPath(id, "acquire-lock"), alice.token, null).json().get("lock");
        String requestId = api.post(lockPath(id, "edit-requests"), bob.token, null).json().at("/request/id").asText();

        assertProblem(api.post(requestPath(id, requestId, "decline"), bob.token, null), 403, "not_lock_owner");
        ApiClient.Response declined = api.post(requestPath(id, requestId, "decline"), alice.token,
                Map.of("reason", "Finishing the agenda"));

        assertThat(declined.status()).as(declined.toString()).isEqualTo(200);
        assertThat(declined.json().at("/request/id").asText()).isEqualTo(requestId);
        assertThat(declined.json().at("/request/state").asText()).isEqualTo("declined");
        assertThat(declined.json().at("/request/position").isNull()).isTrue();
        assertThat(declined.json().at("/request/reason").asText()).isEqualTo("Finishing the agenda");
        assertThat(api.get(lockPath(id, "edit-requests"), alice.token).json().get("data")).isEmpty();
        JsonNode still = api.get(lockPath(id, "lock-status"), bob.token).json().get("lock");
        assertThat(still.get("userId").asText()).isEqualTo(alice.id);
        assertThat(still.get("fencingToken").asLong()).isEqualTo(lock.get("fencingToken").asLong());
        assertProblem(api.post(requestPath(id, requestId, "decline"), alice.token, null), 404, "not_found");
        assertProblem(api.post(requestPath(id, requestId, "accept"), alice.token, null), 404, "not_found");
    }

    @Test
    void withdrawingLeavesTheLineAndThoseBehindMoveUp() {
        User alice = signUp("Alice");
        User bob = signUp("Bob");
        User carol = signUp("Carol");
        String id = createAppointment(alice);
        api.post(lockPath(id, "acquire-lock"), alice.token, null);
        String bobRequest = api.post(lockPath(id, "edit-requests"), bob.token, null).json().at("/request/id").asText();
        api.post(lockPath(id, "edit-requests"), carol.token, null);

        assertProblem(api.delete(requestPath(id, bobRequest, null), carol.token, null), 403, "forbidden");
        ApiClient.Response withdrawn = api.delete(requestPath(id, bobRequest, null), bob.token, null);

        assertThat(withdrawn.status()).as(withdrawn.toString()).isEqualTo(200);
        assertThat(withdrawn.json().at("/request/state").asText()).isEqualTo("withdrawn");
        assertThat(withdrawn.json().at("/request/position").isNull()).isTrue();
        JsonNode line = api.get(lockPath(id, "edit-requests"), alice.token).json().get("data");
        assertThat(line.findValuesAsText("userId")).containsExactly(carol.id);
        assertThat(line.get(0).get("position").asInt()).isEqualTo(1);
        assertProblem(api.delete(requestPath(id, bobRequest, null), bob.token, null), 404, "not_found");
        assertProblem(api.delete(requestPath(id, UUID.randomUUID().toString(), null), bob.token, null), 404, "not_found");
    }

    @Test
    void aReleaseWithPeopleWaitingReservesTheLeaseForTheFirstInLine() {
        User alice = signUp("Alice");
        User bob = signUp("Bob");
        User carol = signUp("Carol");
        String id = createAppointment(alice);
        long aliceToken = api.post(lockPath(id, "acquire-lock"), alice.token, null).json().at("/lock/fencingToken").asLong();
        String bobRequest = api.post(lockPath(id, "edit-requests"), bob.token, null).json().at("/request/id").asText();
        api.post(lockPath(id, "edit-requests"), carol.token, null);

        api.delete(lockPath(id, "release-lock"), alice.token, null);

        JsonNode offered = api.get(lockPath(id, "edit-requests"), carol.token).json().get("data").get(0);
        assertThat(offered.get("id").asText()).isEqualTo(bobRequest);
        assertThat(offered.get("state").asText()).isEqualTo("offered");
        Instant until = Instant.parse(offered.get("offeredUntil").asText());
        ApiClient.Response refused = api.post(lockPath(id, "acquire-lock"), carol.token, null);
        assertProblem(refused, 409, "lock_reserved");
        assertThat(refused.json().at("/reservedFor/userId").asText()).isEqualTo(bob.id);
        assertThat(refused.json().at("/reservedFor/name").asText()).isEqualTo("Bob");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 30L);
        assertProblem(api.post(lockPath(id, "acquire-lock"), alice.token, null), 409, "lock_reserved");
        assertThat(until).isAfter(Instant.parse(api.get(lockPath(id, "lock-status"), carol.token).json()
                .get("serverTime").asText()));

        ApiClient.Response taken = api.post(lockPath(id, "acquire-lock"), bob.token, null);
        assertThat(taken.status()).as(taken.toString()).isEqualTo(200);
        assertThat(taken.json().at("/lock/fencingToken").asLong()).isGreaterThan(aliceToken);
        JsonNode line = api.get(lockPath(id, "edit-requests"), carol.token).json().get("data");
        assertThat(line.findValuesAsText("userId")).containsExactly(carol.id);
        assertThat(line.get(0).get("state").asText()).isEqualTo("pending");
    }

    @Test
    void theFirstInLineTakesAnOfferedLeaseByAskingAgainAndALapsedOfferPassesOn() {
        User alice = signUp("Alice");
        User bob = signUp("Bob");
        User carol = signUp("Carol");
        User dave = signUp("Dave");
        String id = createAppointment(alice);
        api.post(lockPath(id, "acquire-lock"), alice.token, null);
        api.post(lockPath(id, "edit-requests"), bob.token, null);
        String carolRequest = api.post(lockPath(id, "edit-requests"), carol.token, null).json().at("/request/id").asText();
        api.delete(lockPath(id, "release-lock"), alice.token, null);

        ApiClient.Response taken = api.post(lockPath(id, "edit-requests"), bob.token, null);
        assertThat(taken.status()).as(taken.toString()).isEqualTo(200);
        assertThat(taken.json().at("/request/state").asText()).isEqualTo("granted");
        assertThat(taken.json().at("/lock/userId").asText()).isEqualTo(bob.id);

        api.post(lockPath(id, "edit-requests"), dave.token, null);
        api.delete(lockPath(id, "release-lock"), bob.token, null);
        JsonNode offered = api.get(lockPath(id, "edit-requests"), bob.token).json().get("data");
        assertThat(offered.get(0).get("id").asText()).isEqualTo(carolRequest);
        assertThat(offered.get(0).get("state").asText()).isEqualTo("offered");
        backend.advanceClock(Duration.ofSeconds(31));
        backend.runDueSteps();

        JsonNode line = api.get(lockPath(id, "edit-requests"), bob.token).json().get("data");
        assertThat(line.findValuesAsText("userId")).containsExactly(dave.id);
        assertThat(line.get(0).get("state").asText()).isEqualTo("offered");
        assertThat(line.get(0).get("position").asInt()).isEqualTo(1);
        ApiClient.Response lapsed = api.post(lockPath(id, "acquire-lock"), carol.token, null);
        assertProblem(lapsed, 409, "lock_reserved");
        assertThat(lapsed.json().at("/reservedFor/userId").asText()).isEqualTo(dave.id);
    }

    @Test
    void anAdminTakesOverDespiteAReservation() {
        User alice = signUp("Alice");
        User bob = signUp("Bob");
        User admin = admin();
        String id = createAppointment(alice);
        api.post(lockPath(id, "acquire-lock"), alice.token, null);
        api.post(lockPath(id, "edit-requests"), bob.token, null);
        api.delete(lockPath(id, "release-lock"), alice.token, null);

        ApiClient.Response takenOver = api.post(lockPath(id, "takeover-lock"), admin.token, null);

        assertThat(takenOver.status()).as(takenOver.toString()).isEqualTo(200);
        assertThat(takenOver.json().at("/lock/userId").asText()).isEqualTo(admin.id);
        JsonNode line = api.get(lockPath(id, "edit-requests"), bob.token).json().get("data");
        assertThat(line.findValuesAsText("userId")).containsExactly(bob.id);
        assertThat(line.get(0).get("state").asText()).isEqualTo("pending");
    }

    @Test
    void anActiveHolderKeepsTheLeaseAndAnIdleOneHandsOverOnceTheRequestHasWaited() {
        User alice = signUp("Alice");
        User bob = signUp("Bob");
        String id = createAppointment(alice);
        JsonNode granted = api.post(lockPath(id, "acquire-lock"), alice.token, null).json().get("lock");
        assertThat(granted.get("lastActiveAt").asText()).isEqualTo(granted.get("createdAt").asText());
        String requestId = api.post(lockPath(id, "edit-requests"), bob.token, null).json().at("/request/id").asText();

        backend.advanceClock(Duration.ofSeconds(100));
        JsonNode active = api.post(lockPath(id, "acquire-lock"), alice.token, Map.of("active", true)).json().get("lock");
        assertThat(Instant.parse(active.get("lastActiveAt").asText())).isAfter(Instant.parse(granted.get("lastActiveAt").asText()));
        backend.advanceClock(Duration.ofSeconds(100));
        JsonNode quiet = api.post(lockPath(id, "acquire-lock"), alice.token, Map.of("active", false)).json().get("lock");
        assertThat(quiet.get("lastActiveAt").asText()).isEqualTo(active.get("lastActiveAt").asText());
        backend.runDueSteps();
        assertThat(api.get(lockPath(id, "lock-status"), bob.token).json().at("/lock/userId").asText())
                .as("an active holder is never displaced by a request").isEqualTo(alice.id);

        backend.advanceClock(Duration.ofSeconds(21));
        assertThat(backend.runDueSteps()).isPositive();

        assertThat(api.get(lockPath(id, "lock-status"), bob.token).json().at("/lock/userId").asText()).isEqualTo(bob.id);
        JsonNode history = api.get(lockPath(id, "lock-history"), bob.token).json();
        assertThat(actions(history)).containsExactly("acquired", "released", "acquired");
        assertThat(history.get("data").get(0).at("/metadata/auto").asText()).isEqualTo("holder_idle");
        assertThat(history.get("data").get(0).at("/metadata/requestId").asText()).isEqualTo(requestId);
        backend.runDueSteps();
        assertThat(actions(api.get(lockPath(id, "lock-history"), bob.token).json())).as("a step is taken once")
                .containsExactly("acquired", "released", "acquired");
    }

    @Test
    void fairAccessInputIsCheckedWith400NamingTheField() {
        User alice = signUp("Alice");
        User bob = signUp("Bob");
        String id = createAppointment(alice);
        api.post(lockPath(id, "acquire-lock"), alice.token, null);
        assertField(api.post(lockPath(id, "acquire-lock"), alice.token, Map.of("active", "yes")), "active");
        assertField(api.post(lockPath(id, "edit-requests"), bob.token, Map.of("message", "m".repeat(501))), "message");
        assertField(api.post(lockPath(id, "edit-requests"), bob.token, Map.of("message", "a\u0000b")), "message");
        assertField(api.post(lockPath(id, "edit-requests"), bob.token, Map.of("message", 5)), "message");
        assertField(api.post(lockPath("not-a-uuid", "edit-requests"), bob.token, null), "id");
        assertField(api.post(requestPath(id, "not-a-uuid", "accept"), alice.token, null), "rid");
        assertField(api.delete(requestPath(id, "not-a-uuid", null), bob.token, null), "rid");
        String requestId = api.post(lockPath(id, "edit-requests"), bob.token, null).json().at("/request/id").asText();
        assertField(api.post(requestPath(id, requestId, "decline"), alice.token, Map.of("reason", "r".repeat(501))),
                "reason");
        assertThat(api.get(lockPath(id, "edit-requests"), bob.token).json().get("data").findValuesAsText("state"))
                .as("the refused requests changed nothing").containsExactly("pending");
        assertProblem(api.post(lockPath(id, "edit-requests"), null, null), 401, "unauthorized");
    }

    @Test
    void settingsTellClientsTheServersTimingsWithoutAToken() {
        ApiClient.Response settings = api.get(BASE + "/settings", null);

        assertThat(settings.status()).isEqualTo(200);
        assertThat(fieldNames(settings.json())).containsExactly("leaseSeconds", "idleSeconds", "handoffSeconds",
                "offerSeconds", "idleReleaseSeconds");
        assertThat(settings.json().get("leaseSeconds").asLong()).isEqualTo(TestBackend.LEASE_TTL.toSeconds());
        assertThat(settings.json().get("idleSeconds").asLong()).isEqualTo(120);
        assertThat(settings.json().get("handoffSeconds").asLong()).isEqualTo(30);
        assertThat(settings.json().get("offerSeconds").asLong()).isEqualTo(30);
        assertThat(settings.json().get("idleReleaseSeconds").asLong()).isEqualTo(600);
        backend.takeStoreDown();
        try {
            assertThat(api.get(BASE + "/settings", null).status()).isEqualTo(200);
        } finally {
            backend.bringStoreBack();
        }
    }

    // --- helpers

    protected record User(String id, String email, String name, String token) {
    }

    protected User signUp(String name) {
        String email = name.toLowerCase().replace(' ', '-') + "-" + UUID.randomUUID() + "@example.com";
        ApiClient.Response response = api.post(BASE + "/auth/signup", null,
                Map.of("email", email, "name", name, "password", "password-" + name));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return new User(response.json().get("user").get("id").asText(), email, name, response.json().get("token").asText());
    }

    protected User admin() {
        String email = "admin-" + UUID.randomUUID() + "@example.com";
        backend.accounts().ensureAdmin(email, "Admin", "password-Admin").orElseThrow();
        ApiClient.Response response = signIn(email, "password-Admin");
        assertThat(response.json().get("user").get("role").asText()).isEqualTo("admin");
        return new User(response.json().get("user").get("id").asText(), email, "Admin", response.json().get("token").asText());
    }

    protected ApiClient.Response signIn(String email, String password) {
        return api.post(BASE + "/auth/signin", null, Map.of("email", email, "password", password));
    }

    protected String createAppointment(User user) {
        return createAppointment(user, "2030-01-01T09:00:00Z", "2030-01-01T10:00:00Z");
    }

    protected String createAppointment(User user, String startsAt, String endsAt) {
        ApiClient.Response response = api.post(BASE + "/appointments", user.token,
                Map.of("title", "Meeting", "startsAt", startsAt, "endsAt", endsAt));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json().get("id").asText();
    }

    protected static Map<String, Object> appointmentBody(String title) {
        return Map.of("title", title, "startsAt", "2030-01-01T09:00:00Z", "endsAt", "2030-01-01T10:00:00Z");
    }

    protected static String lockPath(String appointmentId, String action) {
        return BASE + "/appointments/" + appointmentId + "/" + action;
    }

    /** {@code …/edit-requests/{rid}}, or {@code …/edit-requests/{rid}/<action>}. */
    protected static String requestPath(String appointmentId, String requestId, String action) {
        String path = lockPath(appointmentId, "edit-requests") + "/" + requestId;
        return action == null ? path : path + "/" + action;
    }

    protected static void assertProblem(ApiClient.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
        assertThat(response.code()).as(response.toString()).isEqualTo(code);
        assertThat(response.json().get("status").asInt()).isEqualTo(status);
        assertThat(response.json().get("type").asText()).isNotBlank();
        assertThat(response.json().get("title").asText()).isNotBlank();
        assertThat(response.json().get("detail").asText()).isNotBlank();
    }

    private static void assertField(ApiClient.Response response, String field) {
        assertProblem(response, 400, "validation_failed");
        assertThat(response.json().get("field").asText()).as(response.toString()).isEqualTo(field);
    }

    private static void assertLockShape(JsonNode lock) {
        assertThat(fieldNames(lock)).containsExactly("id", "appointmentId", "userId", "userInfo", "createdAt", "expiresAt",
                "version", "fencingToken", "lastActiveAt");
        assertThat(lock.get("fencingToken").isIntegralNumber()).isTrue();
        assertThat(Instant.parse(lock.get("expiresAt").asText())).isAfter(Instant.parse(lock.get("createdAt").asText()));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> actions(JsonNode page) {
        return page.get("data").findValuesAsText("action");
    }
}
