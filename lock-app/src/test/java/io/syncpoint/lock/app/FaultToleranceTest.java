package io.syncpoint.lock.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncpoint.lock.app.MutualExclusionChecker.HistoryRow;
import io.syncpoint.lock.app.MutualExclusionChecker.Observation;
import io.syncpoint.lock.app.MutualExclusionChecker.Report;
import io.syncpoint.lock.persistence.jdbi.TestPostgres;
import io.syncpoint.lock.web.ws.WsTestClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults under load on two real nodes sharing one PostgreSQL database: the database going away
 * for ten seconds, a node dying while it holds leases, a client vanishing without a word.
 */
class FaultToleranceTest {
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final Map<String, String> SETTINGS = Map.of("LOCK_TTL_SECONDS", String.valueOf(LEASE.toSeconds()),
            "LOCK_SWEEP_INTERVAL_SECONDS", "1");
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final Duration RESUME_WITHIN = Duration.ofSeconds(5);
    /** Hikari's 3 s wait for a connection plus generous room for a busy machine: never a hang. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(8);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final TestCluster cluster = new TestCluster();
    private final List<WsTestClient> sockets = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopEverything() {
        TestPostgres.server().setConnectionsAllowed(cluster.database(), true);
        sockets.forEach(WsTestClient::close);
        threads.shutdownNow();
        cluster.close();
    }

    @Test
    void aTenSecondDatabaseOutageUnderLoadGets503sNotHangsAndServiceAndEventsResumeWithinFiveSeconds()
            throws Exception {
        ServerClient nodeA = new ServerClient(cluster.start(SETTINGS).port());
        ServerClient nodeB = new ServerClient(cluster.start(SETTINGS).port());
        List<LockWorkload.Member> members = LockWorkload.members(nodeA, 5, TestCluster.ADMIN_EMAIL,
                TestCluster.ADMIN_PASSWORD);
        List<String> hot = LockWorkload.hotAppointments(nodeA, members.get(0), 4);
        String probe = LockWorkload.hotAppointments(nodeA, members.get(0), 1).get(0);
        LockWorkload.Member prober = members.get(1);
        WsTestClient viewerOnB = connect(nodeB, members.get(2));
        viewerOnB.subscribeAndAwaitSnapshot(UUID.fromString(probe));
        LockWorkload workload = new LockWorkload(List.of(nodeA, nodeB), members, hot, LEASE);

        Future<List<Observation>> load = threads.submit(() ->
                workload.run(Integer.MAX_VALUE, OUTAGE.plusSeconds(12), 10L));
        TimeUnit.SECONDS.sleep(2);
        long down = System.nanoTime();
        TestPostgres.server().setConnectionsAllowed(cluster.database(), false);
        Map<String, Integer> healthInOutage = new ConcurrentHashMap<>();
        Future<?> healthProbe = threads.submit(() -> {
            while (System.nanoTime() - down < OUTAGE.toNanos() - ANSWER_WITHIN.toNanos() / 2) {
                healthInOutage.merge("A " + nodeA.get("/health", null).status(), 1, Integer::sum);
                healthInOutage.merge("B " + nodeB.get("/health", null).status(), 1, Integer::sum);
            }
        });
        TimeUnit.NANOSECONDS.sleep(down + OUTAGE.toNanos() - System.nanoTime());
        TestPostgres.server().setConnectionsAllowed(cluster.database(), true);
        healthProbe.get();
        long up = System.nanoTime();
        viewerOnB.inbox().clear();

        long serviceA = -1;
        long serviceB = -1;
        long events = -1;
        while ((serviceA < 0 || serviceB < 0 || events < 0) && System.nanoTime() - up < PATIENCE.toNanos()) {
            if (serviceA < 0 && nodeA.get("/appointments/" + probe, prober.token()).status() == 200) {
                serviceA = System.nanoTime() - up;
            }
            if (serviceB < 0 && nodeB.get("/appointments/" + probe, prober.token()).status() == 200) {
                serviceB = System.nanoTime() - up;
            }
            if (events < 0) {
                if (nodeA.post("/appointments/" + probe + "/acquire-lock", prober.token(), Map.of()).status() == 200) {
                    nodeA.delete("/appointments/" + probe + "/release-lock", prober.token(), Map.of());
                }
                if (viewerOnB.inbox().stream().anyMatch(frame -> frame.path("type").asText().startsWith("lock-"))) {
                    events = System.nanoTime() - up;
                }
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        List<Observation> observations = load.get();
        Report report = MutualExclusionChecker.check(observations,
                LockWorkload.history(cluster.database(), hot), workload.finalData(nodeA));
        long slowest = observations.stream().mapToLong(o -> o.receivedNanos() - o.sentNanos()).max().orElse(0);
        long answeredInOutage = observations.stream().filter(o -> o.sentNanos() > down && o.receivedNanos() < up)
                .count();
        long acknowledgedAfter = observations.stream().filter(o -> o.sentNanos() > up && o.acknowledged()).count();
        System.out.printf("Database outage of %d s: health during it %s; service back on A after %d ms, on B after "
                        + "%d ms, events across nodes after %d ms; slowest answer %d ms; %d answered during the "
                        + "outage, %d acknowledged after it%n%s", OUTAGE.toSeconds(), healthInOutage, millis(serviceA),
                millis(serviceB), millis(events), millis(slowest), answeredInOutage, acknowledgedAfter,
                report.summary());

        assertThat(healthInOutage).as("/health says the database is gone").containsKeys("A 503", "B 503");
        assertThat(report.outcomes().keySet()).as("server errors are 503 unavailable, nothing goes unanswered")
                .allMatch(outcome -> !outcome.matches(".*\\|5\\d\\d.*") || outcome.endsWith("|503 unavailable"))
                .noneMatch(outcome -> outcome.endsWith("|no answer"))
                .anyMatch(outcome -> outcome.endsWith("|503 unavailable"));
        assertThat(Duration.ofNanos(slowest)).as("slowest answer").isLessThan(ANSWER_WITHIN);
        assertThat(serviceA).as("service on A resumes").isBetween(0L, RESUME_WITHIN.toNanos());
        assertThat(serviceB).as("service on B resumes").isBetween(0L, RESUME_WITHIN.toNanos());
        assertThat(events).as("events across nodes resume").isBetween(0L, RESUME_WITHIN.toNanos());
        assertThat(acknowledgedAfter).as("the load is served again").isPositive();
        assertThat(report.violations()).as(report.summary()).isEmpty();
    }

    @Test
    void leasesOfANodeThatDiesExpireEachRecordedOnceByTheSurvivorWhoseClientsAreTold() throws Exception {
        Application victim = cluster.start(SETTINGS);
        ServerClient onVictim = new ServerClient(victim.port());
        ServerClient survivor = new ServerClient(cluster.start(SETTINGS).port());
        List<LockWorkload.Member> members = LockWorkload.members(onVictim, 6, TestCluster.ADMIN_EMAIL,
                TestCluster.ADMIN_PASSWORD);
        List<String> appointments = LockWorkload.hotAppointments(onVictim, members.get(0), 6);
        WsTestClient viewer = connect(survivor, members.get(6));
        appointments.forEach(id -> viewer.subscribeAndAwaitSnapshot(UUID.fromString(id)));
        Map<String, String> leaseOf = new HashMap<>();
        List<CompletableFuture<Void>> acquisitions = new ArrayList<>();
        for (int i = 0; i < appointments.size(); i++) {
            String appointment = appointments.get(i);
            LockWorkload.Member holder = members.get(i);
            acquisitions.add(CompletableFuture.runAsync(() -> {
                ServerClient.Answer answer = onVictim.post("/appointments/" + appointment + "/acquire-lock",
                        holder.token(), Map.of());
                assertThat(answer.status()).as("acquire %s", answer.json()).isEqualTo(200);
                synchronized (leaseOf) {
                    leaseOf.put(appointment, answer.json().at("/lock/id").asText());
                }
            }, threads));
        }
        CompletableFuture.allOf(acquisitions.toArray(CompletableFuture[]::new)).join();

        cluster.stop(victim);
        // Others keep trying on the survivor meanwhile: its sweeper races their acquires for each expiry.
        LockWorkload.Member contender = members.get(6);
        AtomicBoolean allTold = new AtomicBoolean();
        Future<?> contenders = threads.submit(() -> {
            long until = System.nanoTime() + PATIENCE.toNanos();
            while (!allTold.get() && System.nanoTime() < until) {
                String appointment = appointments.get((int) Math.floorMod(System.nanoTime(), (long) appointments.size()));
                survivor.post("/appointments/" + appointment + "/acquire-lock", contender.token(), Map.of());
            }
        });

        Set<String> toldExpired = new HashSet<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (toldExpired.size() < appointments.size() && System.nanoTime() < deadline) {
            JsonNode frame = viewer.next();
            if (frame.path("type").asText().equals("lock-released")
                    && frame.path("reason").asText().equals("expired")
                    && frame.at("/lock/id").asText().equals(leaseOf.get(frame.path("appointmentId").asText()))) {
                toldExpired.add(frame.path("appointmentId").asText());
            }
        }
        allTold.set(true);
        contenders.get();

        assertThat(toldExpired).as("the survivor's clients were told of each expiry")
                .containsExactlyInAnyOrderElementsOf(appointments);
        List<HistoryRow> history = LockWorkload.history(cluster.database(), appointments);
        for (String appointment : appointments) {
            String lockId = leaseOf.get(appointment);
            assertThat(history).filteredOn(row -> row.lockId().equals(lockId))
                    .extracting(HistoryRow::action).as("history of the dead node's lease %s", lockId)
                    .containsExactly("acquired", "expired");
        }
    }

    @Test
    void clientsThatVanishWithoutAWordLoseTheirLeaseCursorAndSocket() throws Exception {
        ServerClient node = new ServerClient(cluster.start(SETTINGS).port());
        ServerClient other = new ServerClient(cluster.start(SETTINGS).port());
        List<LockWorkload.Member> members = LockWorkload.members(node, 6, TestCluster.ADMIN_EMAIL,
                TestCluster.ADMIN_PASSWORD);
        List<String> appointments = LockWorkload.hotAppointments(node, members.get(0), 6);
        WsTestClient watcher = connect(other, members.get(6));
        appointments.forEach(id -> watcher.subscribeAndAwaitSnapshot(UUID.fromString(id)));
        Map<String, String> vanished = new HashMap<>();
        List<CompletableFuture<WsTestClient>> clients = new ArrayList<>();
        for (int i = 0; i < appointments.size(); i++) {
            UUID appointment = UUID.fromString(appointments.get(i));
            LockWorkload.Member member = members.get(i);
            vanished.put(appointment.toString(), member.id());
            clients.add(CompletableFuture.supplyAsync(() -> {
                WsTestClient client = connect(node, member);
                client.subscribeAndAwaitSnapshot(appointment);
                assertThat(node.post("/appointments/" + appointment + "/acquire-lock", member.token(), Map.of())
                        .status()).isEqualTo(200);
                client.moveCursor(appointment, 10, 20);
                return client;
            }, threads));
        }
        List<WsTestClient> gone = clients.stream().map(CompletableFuture::join).toList();
        Set<String> cursorsSeen = new HashSet<>();
        while (cursorsSeen.size() < appointments.size()) {
            JsonNode frame = watcher.next();
            if (frame.path("type").asText().equals("cursor-update")) {
                cursorsSeen.add(frame.path("appointmentId").asText());
            }
        }

        gone.parallelStream().forEach(WsTestClient::drop);

        Set<String> cursorRemoved = new HashSet<>();
        Set<String> leaseExpired = new HashSet<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while ((cursorRemoved.size() < appointments.size() || leaseExpired.size() < appointments.size())
                && System.nanoTime() < deadline) {
            JsonNode frame = watcher.next();
            String appointment = frame.path("appointmentId").asText();
            String type = frame.path("type").asText();
            if (type.equals("cursor-remove") && frame.path("userId").asText().equals(vanished.get(appointment))) {
                cursorRemoved.add(appointment);
            } else if (type.equals("lock-released") && frame.path("reason").asText().equals("expired")
                    && frame.at("/lock/userId").asText().equals(vanished.get(appointment))) {
                leaseExpired.add(appointment);
            }
        }
        assertThat(cursorRemoved).as("cursors removed").containsExactlyInAnyOrderElementsOf(appointments);
        assertThat(leaseExpired).as("leases expired").containsExactlyInAnyOrderElementsOf(appointments);
        assertThat(gauge(node, "syncpoint_websocket_connections")).as("sockets cleaned up").isZero();
        assertThat(gauge(node, "syncpoint_websocket_subscriptions")).as("subscriptions cleaned up").isZero();
    }

    private WsTestClient connect(ServerClient node, LockWorkload.Member member) {
        WsTestClient client = WsTestClient.connect(URI.create(node.webSocketUrl() + "?token=" + member.token()));
        synchronized (sockets) {
            sockets.add(client);
        }
        return client;
    }

    /** The gauge's value once it has settled at zero, or its last value after a bounded wait. */
    private static double gauge(ServerClient node, String name) throws InterruptedException {
        Pattern line = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.eE+-]+)$");
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        double value;
        do {
            Matcher matcher = line.matcher(node.text("/metrics"));
            value = matcher.find() ? Double.parseDouble(matcher.group(2)) : Double.NaN;
            if (value == 0) {
                return value;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        } while (System.nanoTime() < deadline);
        return value;
    }

    private static long millis(long nanos) {
        return nanos < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
