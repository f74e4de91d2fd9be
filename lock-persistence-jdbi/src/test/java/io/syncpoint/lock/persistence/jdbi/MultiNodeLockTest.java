package io.syncpoint.lock.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncpoint.lock.core.contract.AllAtOnce;
import io.syncpoint.lock.core.contract.FairAccessRaces;
import io.syncpoint.lock.core.contract.LockRaces;
import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.FairAccessPolicy;
import io.syncpoint.lock.core.domain.HistoryAction;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.PageRequest;
import io.syncpoint.lock.core.domain.Rejection;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.core.port.in.CreateAppointment;
import io.syncpoint.lock.core.port.in.ReleaseLock;
import io.syncpoint.lock.core.port.out.EventSubscriptions;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.service.AppointmentService;
import io.syncpoint.lock.core.service.EditRequestService;
import io.syncpoint.lock.core.service.LockService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Two nodes (two backends, two pools, two listeners) on one database, each with its own core
 * services; node B's application clock (the one its appointment service stamps with) runs ten
 * minutes ahead. Leases must stay exclusive, every
 * expiry must be recorded once, and events must reach the other node only when committed.
 */
class MultiNodeLockTest {
    private static final Duration TTL = Duration.ofSeconds(300);
    private static final Duration SKEW = Duration.ofMinutes(10);
    private static final Duration EVENT_WAIT = Duration.ofSeconds(10);

    private static TestDatabase database;
    private static PostgresBackend nodeA;
    private static PostgresBackend nodeB;

    private LockService locksA;
    private LockService locksB;
    private EditRequestService requestsB;
    private AppointmentService appointmentsA;
    private AppointmentService appointmentsB;
    private Actor alice;
    private Actor bob;
    private final List<EventSubscriptions.Subscription> subscriptions = new ArrayList<>();

    @BeforeAll
    static void startTwoNodes() {
        database = TestDatabase.create();
        nodeA = database.node();
        nodeB = database.startNode();
    }

    @AfterAll
    static void stopNodes() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void emptyDatabase() {
        database.reset();
        IdGenerator ids = IdGenerator.random();
        locksA = new LockService(nodeA.locks(), nodeA.history(), nodeA.appointments(), new LeasePolicy(TTL), ids);
        locksB = new LockService(nodeB.locks(), nodeB.history(), nodeB.appointments(), new LeasePolicy(TTL), ids);
        requestsB = new EditRequestService(nodeB.locks(), new LeasePolicy(TTL), FairAccessPolicy.defaults(), ids);
        appointmentsA = new AppointmentService(nodeA.appointments(), nodeA.locks(), ids, Clock.systemUTC());
        appointmentsB = new AppointmentService(nodeB.appointments(), nodeB.locks(), ids,
                Clock.offset(Clock.systemUTC(), SKEW));
        alice = registered("alice@example.com", "Alice");
        bob = registered("bob@example.com", "Bob");
    }

    @AfterEach
    void unsubscribe() {
        subscriptions.forEach(EventSubscriptions.Subscription::close);
    }

    @Nested
    class RacingOverBothNodes extends LockRaces {
        @Override
        protected LockRaces.Setup setup() {
            return new LockRaces.Setup(database.fixture(nodeA), List.of(locksA, locksB), alice, appointmentsA);
        }
    }

    /** Fair access across nodes: asking, accepting and the timed steps on node B, leases taken and released on node A. */
    @Nested
    class FairAccessRacingOverBothNodes extends FairAccessRaces {
        @Override
        protected FairAccessRaces.Setup setup() {
            return new FairAccessRaces.Setup(database.fixture(nodeA), locksA, requestsB, appointmentsA, alice);
        }
    }

    /**
     * Node B's application clock really runs ahead (its appointments are stamped ten minutes late), yet
     * leases on both nodes are timed by the one database clock: no lock path reads an application clock.
     */
    @Test
    void leasesAreTimedByTheDatabaseClockSoANodeWhoseApplicationClockRunsAheadCannotTakeALiveLease() {
        UUID meeting = appointment(appointmentsB, "Planning");
        Instant createdOnB = nodeB.appointments().findAppointment(meeting).orElseThrow().createdAt();
        assertThat(Duration.between(nodeB.locks().now(), createdOnB)).as("node B's application clock is ahead")
                .isGreaterThan(SKEW.dividedBy(2));
        AppointmentLock held = locksA.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow().lock();

        Rejection refusal = locksB.acquire(AcquireLock.Command.of(bob, meeting)).rejectionOrThrow();

        assertThat(refusal).isInstanceOf(Rejection.LockHeld.class);
        assertThat(nodeB.locks().findLock(meeting)).contains(held);
        assertThat(Duration.between(nodeB.locks().now(), held.createdAt()).abs()).isLessThan(SKEW.dividedBy(2));
        AppointmentLock bobsLater = locksB.acquire(AcquireLock.Command.of(bob, appointment(appointmentsB, "Later")))
                .orElseThrow().lock();
        assertThat(Duration.between(nodeB.locks().now(), bobsLater.expiresAt()))
                .as("a lease granted by node B runs one TTL from the database's now, not from B's clock")
                .isBetween(TTL.minusSeconds(30), TTL);
    }

    /**
     * Workers on both nodes take, renew and release leases on two appointments. Each node decides a
     * transaction on the state it remembers where it wrote the appointment last, and the other node's
     * writes make some of those states stale: leases must stay exclusive, with rising tokens, either way,
     * and both must have happened.
     */
    @Test
    void leasesStayExclusiveWhileEachNodeDecidesOnWhatItRemembersAndFindsSomeOfItMovedOn() throws Exception {
        JdbiLockStore storeA = (JdbiLockStore) nodeA.locks();
        JdbiLockStore storeB = (JdbiLockStore) nodeB.locks();
        long decidedBefore = storeA.decidedOnRemembered() + storeB.decidedOnRemembered();
        long againBefore = storeA.decidedAgain() + storeB.decidedAgain();
        List<UUID> hot = List.of(appointment(appointmentsA, "Hot 1"), appointment(appointmentsB, "Hot 2"));
        int workers = 8;
        List<Actor> actors = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            actors.add(registered("worker" + w + "@example.com", "Worker " + w));
        }
        AtomicInteger[] inside = {new AtomicInteger(), new AtomicInteger()};
        AtomicInteger overlaps = new AtomicInteger();
        AtomicLong grants = new AtomicLong();

        List<Callable<Void>> tasks = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Actor actor = actors.get(w);
            LockService locks = w % 2 == 0 ? locksA : locksB;
            tasks.add(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int n = 0; n < 150; n++) {
                    int slot = random.nextInt(hot.size());
                    Outcome<AcquireLock.Acquisition> taken = locks.acquire(AcquireLock.Command.of(actor, hot.get(slot)));
                    if (!taken.isOk()) {
                        continue;
                    }
                    grants.incrementAndGet();
                    if (inside[slot].incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                    }
                    long version = taken.orElseThrow().lock().version();
                    if (random.nextBoolean()) {
                        version = locks.acquire(new AcquireLock.Command(actor, hot.get(slot), version, null))
                                .orElseThrow().lock().version();
                    }
                    inside[slot].decrementAndGet();
                    locks.release(new ReleaseLock.Command(actor, hot.get(slot), version)).orElseThrow();
                }
                return null;
            });
        }
        AllAtOnce.run(tasks);

        assertThat(overlaps.get()).isZero();
        long acquiredRows = 0;
        for (UUID appointmentId : hot) {
            List<LockHistoryEntry> rows = LockRaces.oldestFirst(nodeA.history(), appointmentId);
            LockRaces.assertLeasesFollowOneAnother(rows);
            acquiredRows += rows.stream().filter(row -> row.action() == HistoryAction.ACQUIRED).count();
            assertThat(nodeA.locks().findLock(appointmentId)).isEmpty();
        }
        assertThat(acquiredRows).isEqualTo(grants.get());
        assertThat(storeA.decidedOnRemembered() + storeB.decidedOnRemembered() - decidedBefore)
                .as("transactions decided on a remembered state").isPositive();
        assertThat(storeA.decidedAgain() + storeB.decidedAgain() - againBefore)
                .as("remembered states found moved on, decided again on the rows").isPositive();
    }

    @Test
    void whenBothNodesSweepAtOnceEachExpiryIsRecordedExactlyOnce() throws Exception {
        int leases = 120;
        List<UUID> meetings = new ArrayList<>();
        for (int i = 0; i < leases; i++) {
            UUID meeting = appointment(i % 2 == 0 ? appointmentsA : appointmentsB, "Meeting " + i);
            (i % 2 == 0 ? locksA : locksB).acquire(AcquireLock.Command.of(i % 3 == 0 ? alice : bob, meeting))
                    .orElseThrow();
            meetings.add(meeting);
        }
        database.advanceClock(TTL.plusSeconds(1));

        List<Integer> swept = AllAtOnce.run(List.of(locksA::sweepExpired, locksB::sweepExpired));

        assertThat(swept.get(0) + swept.get(1)).isEqualTo(leases);
        long expiredRows = 0;
        for (UUID meeting : meetings) {
            assertThat(nodeA.locks().findLock(meeting)).isEmpty();
            List<LockHistoryEntry> rows = nodeA.history().ofAppointment(meeting, PageRequest.standard()).data();
            assertThat(rows).extracting(LockHistoryEntry::action)
                    .containsExactly(HistoryAction.EXPIRED, HistoryAction.ACQUIRED);
            expiredRows += nodeB.history().statistics(meeting).total(HistoryAction.EXPIRED);
        }
        assertThat(expiredRows).isEqualTo(leases);
        assertThat(locksA.sweepExpired() + locksB.sweepExpired()).isZero();
    }

    @Test
    void anEventCommittedOnOneNodeReachesListenersOnTheOther() {
        UUID meeting = appointment(appointmentsA, "Planning");
        BlockingQueue<DomainEvent> onB = listenOn(nodeB);

        AppointmentLock lock = locksA.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow().lock();

        assertThat(next(onB, DomainEvent.LockAcquired.class, meeting).lock()).isEqualTo(lock);
    }

    @Test
    void cursorEventsAreRelayedToEveryNode() {
        UUID meeting = UUID.randomUUID();
        BlockingQueue<DomainEvent> onB = listenOn(nodeB);
        DomainEvent.CursorMoved moved = new DomainEvent.CursorMoved(meeting, alice.userId(), "Alice",
                "alice@example.com", 0.25, 0.75);

        nodeA.eventPublisher().publish(moved);

        assertThat(next(onB, DomainEvent.CursorMoved.class, meeting)).isEqualTo(moved);
    }

    @Test
    void theEventsOfOneTransactionReachTheOtherNodeTogetherInTheOrderTheyWerePublished() {
        UUID meeting = appointment(appointmentsA, "Planning");
        BlockingQueue<DomainEvent> onB = listenOn(nodeB);
        List<DomainEvent> published = new ArrayList<>();
        for (int version = 2; version <= 12; version++) {
            published.add(new DomainEvent.AppointmentUpdated(meeting, version, alice.userId()));
        }

        nodeA.locks().inTransaction(meeting, tx -> {
            published.forEach(tx::publish);
            return null;
        });
        DomainEvent.CursorRemoved marker = new DomainEvent.CursorRemoved(meeting, bob.userId());
        nodeA.eventPublisher().publish(marker);

        assertThat(eventsBefore(onB, marker)).containsExactlyElementsOf(published);
    }

    @Test
    void aRolledBackTransactionAnnouncesNothing() {
        UUID meeting = appointment(appointmentsA, "Planning");
        BlockingQueue<DomainEvent> onA = listenOn(nodeA);
        BlockingQueue<DomainEvent> onB = listenOn(nodeB);

        assertThatThrownBy(() -> nodeA.locks().inTransaction(meeting, tx -> {
            tx.publish(new DomainEvent.AppointmentUpdated(meeting, 2, alice.userId()));
            throw new IllegalStateException("the work failed after publishing");
        })).isInstanceOf(IllegalStateException.class);
        // Sent after the rollback: everything the rolled-back transaction could have announced comes before it.
        DomainEvent.CursorRemoved marker = new DomainEvent.CursorRemoved(meeting, bob.userId());
        nodeA.eventPublisher().publish(marker);

        assertThat(eventsBefore(onA, marker)).isEmpty();
        assertThat(eventsBefore(onB, marker)).isEmpty();
        assertThat(nodeA.appointments().findAppointment(meeting).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void aWriteThatFindsNoRowFailsItsTransactionBeforeTheCommitThatTravelsWithIt() {
        UUID meeting = appointment(appointmentsA, "Planning");
        BlockingQueue<DomainEvent> onB = listenOn(nodeB);

        assertThatThrownBy(() -> nodeA.locks().inTransaction(meeting, tx -> {
            tx.insertLock(AppointmentLock.grant(UUID.randomUUID(), meeting, alice.asHolder(null), tx.now(),
                    LeasePolicy.ofSeconds(300), tx.nextFencingToken()));
            tx.publish(new DomainEvent.AppointmentUpdated(meeting, 2, alice.userId()));
            tx.updateEditRequest(EditRequest.pending(UUID.randomUUID(), meeting, bob.asHolder(null), null,
                    tx.now(), 1));
            return null;
        })).hasStackTraceContaining("no such edit request");
        DomainEvent.CursorRemoved marker = new DomainEvent.CursorRemoved(meeting, bob.userId());
        nodeA.eventPublisher().publish(marker);

        assertThat(nodeA.locks().findLock(meeting)).as("the lease written before the failed check").isEmpty();
        assertThat(eventsBefore(onB, marker)).isEmpty();
    }

        private BlockingQueue<DomainEvent> listenOn(PostgresBackend node) {
        BlockingQueue<DomainEvent> received = new LinkedBlockingQueue<>();
        subscriptions.add(node.eventSubscriptions().subscribe(received::add));
        return received;
    }

    private Actor registered(String email, String name) {
        UserAccount account = new UserAccount(UUID.randomUUID(), email, name, Role.USER, "hash-not-used", Instant.now());
        assertThat(nodeA.users().insertUser(account)).isTrue();
        return account.asActor();
    }

    private UUID appointment(AppointmentService appointments, String title) {
        Instant start = Instant.parse("2026-05-04T09:00:00Z");
        AppointmentDetails details = new AppointmentDetails(title, null, start, start.plus(Duration.ofHours(1)), null,
                List.of(), null);
        return appointments.create(new CreateAppointment.Command(alice, details)).id();
    }

    private static <E extends DomainEvent> E next(BlockingQueue<DomainEvent> queue, Class<E> type, UUID appointmentId) {
        List<DomainEvent> received = receiveUntil(queue,
                event -> type.isInstance(event) && event.appointmentId().equals(appointmentId));
        return type.cast(received.get(received.size() - 1));
    }

    /** The events received before {@code marker}, waiting for the marker. */
    private static List<DomainEvent> eventsBefore(BlockingQueue<DomainEvent> queue, DomainEvent marker) {
        List<DomainEvent> received = receiveUntil(queue, marker::equals);
        return received.subList(0, received.size() - 1);
    }

    /** Events as they arrive, up to and including the first that is {@code last}. */
    private static List<DomainEvent> receiveUntil(BlockingQueue<DomainEvent> queue, Predicate<DomainEvent> last) {
        List<DomainEvent> received = new ArrayList<>();
        long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
        try {
            while (true) {
                DomainEvent event = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (event == null) {
                    throw new AssertionError("the awaited event did not arrive within " + EVENT_WAIT + "; got " + received);
                }
                received.add(event);
                if (last.test(event)) {
                    return received;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for events", e);
        }
    }
}
