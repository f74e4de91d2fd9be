package io.syncpoint.lock.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.app.MutualExclusionChecker.Observation;
import io.syncpoint.lock.app.MutualExclusionChecker.Report;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.EditQueue;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.FencingToken;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.out.LeaseReading;
import io.syncpoint.lock.core.port.out.LockStore;
import io.syncpoint.lock.core.port.out.LockTransaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The mutual-exclusion checker run against two real nodes on one PostgreSQL database, one node's
 * clock ten minutes ahead: leases never overlap, history and fencing hold, and no acknowledged save
 * is lost. {@code -Dreliability.operations=N} runs a longer workload (default 20,000).
 */
class MutualExclusionTest {
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final Map<String, String> SETTINGS = Map.of("LOCK_TTL_SECONDS", String.valueOf(LEASE.toSeconds()),
            "LOCK_SWEEP_INTERVAL_SECONDS", "1");
    private static final int OPERATIONS = Integer.getInteger("reliability.operations", 20_000);
    private static final int CLIENTS = 10;
    private static final int HOT_APPOINTMENTS = 5;

    private final TestCluster cluster = new TestCluster();

    @AfterEach
    void stopNodes() {
        cluster.close();
    }

    @Test
    void leasesNeverOverlapAndNoAcknowledgedSaveIsLostOnTwoNodesOneWithItsClockTenMinutesAhead() throws Exception {
        Application honest = cluster.start(SETTINGS);
        Application ahead = cluster.start(SETTINGS, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)),
                UnaryOperator.identity());

        Report report = runAndCheck(List.of(new ServerClient(honest.port()), new ServerClient(ahead.port())),
                OPERATIONS, Duration.ofMinutes(OPERATIONS / 2_000 + 2));

        assertThat(report.violations()).as(report.summary()).isEmpty();
        assertThat(report.operations()).isGreaterThanOrEqualTo(OPERATIONS);
        assertThat(report.outcomes()).as("every kind of operation succeeded at least once").containsKeys(
                "acquire|200", "renew|200", "save|200", "release|200", "takeover|200", "acquire|409 lock_held");
        assertThat(report.outcomes().keySet()).as("no server error, no request left unanswered")
                .noneMatch(outcome -> outcome.contains("|5") || outcome.endsWith("no answer"));
        assertThat(report.historyRows()).as("leases ended every way").containsKeys("acquired", "released", "expired",
                "force_released");
    }

    @Test
    void theCheckerCatchesAStoreThatTreatsLiveLeasesAsExpired() throws Exception {
        Application broken = cluster.start(SETTINGS, Clock.systemUTC(), IgnoringLiveLeases::new);

        Report report = runAndCheck(List.of(new ServerClient(broken.port())), 1_500, Duration.ofMinutes(1));

        assertThat(report.violations()).as(report.summary()).isNotEmpty();
        assertThat(report.violations()).anyMatch(violation -> violation.contains("promised it until"));
    }

    private Report runAndCheck(List<ServerClient> nodes, int operations, Duration cap) throws Exception {
        List<LockWorkload.Member> members = LockWorkload.members(nodes.get(0), CLIENTS - 1, TestCluster.ADMIN_EMAIL,
                TestCluster.ADMIN_PASSWORD);
        List<String> appointments = LockWorkload.hotAppointments(nodes.get(0), members.get(0), HOT_APPOINTMENTS);
        LockWorkload workload = new LockWorkload(nodes, members, appointments, LEASE);

        long started = System.nanoTime();
        List<Observation> observations = workload.run(operations, cap, 8_2026L);
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        Report report = MutualExclusionChecker.check(observations, workload.history(cluster.database()),
                workload.finalData(nodes.get(0)));
        System.out.printf("Mutual exclusion: %d operations on %d node(s) in %d ms (%d/s)%n%s", observations.size(),
                nodes.size(), millis, observations.size() * 1000L / Math.max(1, millis), report.summary());
        return report;
    }

    /**
     * A deliberately broken store: a live lease looks expired to every transaction, so the next
     * acquire ends it early and grants another, as a store without the live-lease check would.
     */
    private record IgnoringLiveLeases(LockStore store) implements LockStore {
        @Override
        public <T> T inTransaction(UUID appointmentId, Function<LockTransaction, T> work) {
            return store.inTransaction(appointmentId, tx -> work.apply(new Transaction(tx)));
        }

        @Override
        public Instant now() {
            return store.now();
        }

        @Override
        public LeaseReading readLease(UUID appointmentId) {
            return store.readLease(appointmentId);
        }

        @Override
        public Optional<AppointmentLock> findLock(UUID appointmentId) {
            return store.findLock(appointmentId);
        }

        @Override
        public Map<UUID, AppointmentLock> findLocks(Collection<UUID> appointmentIds) {
            return store.findLocks(appointmentIds);
        }

        @Override
        public List<AppointmentLock> findAllLocks() {
            return store.findAllLocks();
        }

        @Override
        public List<AppointmentLock> findExpiredLocks(int limit) {
            return store.findExpiredLocks(limit);
        }

        @Override
        public List<UUID> findDueAppointments(int limit) {
            return store.findDueAppointments(limit);
        }

        private record Transaction(LockTransaction tx) implements LockTransaction {
            @Override
            public Instant now() {
                return tx.now();
            }

            @Override
            public UUID appointmentId() {
                return tx.appointmentId();
            }

            @Override
            public boolean appointmentExists() {
                return tx.appointmentExists();
            }

            @Override
            public Optional<Appointment> appointment() {
                return tx.appointment();
            }

            @Override
            public Optional<AppointmentLock> lock() {
                return tx.lock().map(lock -> new AppointmentLock(lock.id(), lock.appointmentId(), lock.holder(),
                        lock.createdAt(), lock.createdAt().plusNanos(1_000), lock.version(), lock.fencingToken(),
                        lock.renewals(), lock.createdAt()));
            }

            @Override
            public FencingToken nextFencingToken() {
                return tx.nextFencingToken();
            }

            @Override
            public void insertLock(AppointmentLock lock) {
                tx.insertLock(lock);
            }

            @Override
            public void updateLock(AppointmentLock lock) {
                tx.updateLock(lock);
            }

            @Override
            public void deleteLock(AppointmentLock lock) {
                tx.deleteLock(lock);
            }

            @Override
            public void updateAppointment(Appointment appointment) {
                tx.updateAppointment(appointment);
            }

            @Override
            public void deleteAppointment() {
                tx.deleteAppointment();
            }

            @Override
            public void appendHistory(LockHistoryEntry entry) {
                tx.appendHistory(entry);
            }

            @Override
            public void publish(DomainEvent event) {
                tx.publish(event);
            }

            @Override
            public EditQueue editQueue() {
                return tx.editQueue();
            }

            @Override
            public void insertEditRequest(EditRequest request) {
                tx.insertEditRequest(request);
            }

            @Override
            public void updateEditRequest(EditRequest request) {
                tx.updateEditRequest(request);
            }

            @Override
            public void scheduleDueStep(Instant dueAtOrNull) {
                tx.scheduleDueStep(dueAtOrNull);
            }
        }
    }
}
