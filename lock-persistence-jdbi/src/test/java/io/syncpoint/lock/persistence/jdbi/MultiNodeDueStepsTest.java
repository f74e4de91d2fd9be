package io.syncpoint.lock.persistence.jdbi;

import io.syncpoint.lock.core.contract.AllAtOnce;
import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.EditRequestState;
import io.syncpoint.lock.core.domain.FairAccessPolicy;
import io.syncpoint.lock.core.domain.HistoryAction;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.domain.PageRequest;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.core.port.in.AskToEdit;
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
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The timed steps of fair access on two nodes (two backends, two pools, two listeners, each with its
 * own core services) polling one database: every step that falls due is taken once, on one node, in
 * the appointment's transaction, however many pollers race for it.
 */
class MultiNodeDueStepsTest {
    private static final Duration EVENT_WAIT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(500);

    private static TestDatabase database;
    private static PostgresBackend nodeA;
    private static PostgresBackend nodeB;

    private final List<EventSubscriptions.Subscription> subscriptions = new ArrayList<>();
    private Actor alice;
    private Actor bob;
    private Actor carol;

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
        alice = registered("alice@example.com", "Alice");
        bob = registered("bob@example.com", "Bob");
        carol = registered("carol@example.com", "Carol");
    }

    @AfterEach
    void unsubscribe() {
        subscriptions.forEach(EventSubscriptions.Subscription::close);
    }

    /** One node's core services, all with the same timings. */
    private record Node(LockService locks, EditRequestService requests, AppointmentService appointments) {
        static Node on(PostgresBackend backend, LeasePolicy lease, FairAccessPolicy fairAccess) {
            IdGenerator ids = IdGenerator.random();
            return new Node(new LockService(backend.locks(), backend.history(), backend.appointments(), lease, fairAccess,
                    ids), new EditRequestService(backend.locks(), lease, fairAccess, ids),
                    new AppointmentService(backend.appointments(), backend.locks(), ids, Clock.systemUTC(), fairAccess));
        }
    }

    /**
     * Three kinds of step fall due at once on 45 appointments (idle handoffs, lapsed offers, lease
     * expiries with people waiting), then four pollers, two per node, run the due steps together.
     */
    @Test
    void whenBothNodesRunTheSameDueStepsAtOnceEachStepIsTakenOnceWithOneHistoryPairAndOneEventEach() throws Exception {
        Node a = Node.on(nodeA, LeasePolicy.standard(), FairAccessPolicy.defaults());
        Node b = Node.on(nodeB, LeasePolicy.standard(), FairAccessPolicy.defaults());
        int perKind = 15;
        List<UUID> expiring = new ArrayList<>();
        List<UUID> idle = new ArrayList<>();
        List<UUID> offered = new ArrayList<>();
        // t0: leases that will expire at t0 + 300 s.
        for (int i = 0; i < perKind; i++) {
            UUID meeting = appointment(a, "Expiring " + i);
            node(i, a, b).locks().acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow();
            expiring.add(meeting);
        }
        database.advanceClock(Duration.ofSeconds(200));
        // t0 + 200 s: an idle holder asked (handoff due at t0 + 320 s), and an offer standing until t0 + 230 s.
        for (int i = 0; i < perKind; i++) {
            Node node = node(i, a, b);
            UUID meeting = appointment(a, "Idle " + i);
            node.locks().acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow();
            node.requests().ask(new AskToEdit.Command(bob, meeting, "May I?")).orElseThrow();
            idle.add(meeting);

            UUID another = appointment(a, "Offered " + i);
            node.locks().acquire(AcquireLock.Command.of(alice, another)).orElseThrow();
            node.requests().ask(new AskToEdit.Command(bob, another, null)).orElseThrow();
            node.requests().ask(new AskToEdit.Command(carol, another, null)).orElseThrow();
            node.locks().release(ReleaseLock.Command.of(alice, another)).orElseThrow();
            offered.add(another);
        }
        assertThat(a.requests().runDueSteps() + b.requests().runDueSteps()).as("nothing is due before its time").isZero();
        database.advanceClock(Duration.ofSeconds(95));
        // t0 + 295 s: someone asks just before the lease expires (its idle handoff would only be due at t0 + 325 s).
        for (int i = 0; i < perKind; i++) {
            node(i, a, b).requests().ask(new AskToEdit.Command(bob, expiring.get(i), null)).orElseThrow();
        }
        database.advanceClock(Duration.ofSeconds(35));
        BlockingQueue<DomainEvent> onA = listenOn(nodeA);
        // The set-up's events may still be on their way to node A: take them off up to a marker.
        eventsUntilMarker(onA);

        // t0 + 330 s: every step is due; four pollers on two nodes race for them.
        List<Integer> steps = AllAtOnce.run(List.of(a.requests()::runDueSteps, b.requests()::runDueSteps,
                a.requests()::runDueSteps, b.requests()::runDueSteps));

        assertThat(a.requests().runDueSteps() + b.requests().runDueSteps()).as("nothing is left due").isZero();
        assertThat(steps.stream().mapToInt(Integer::intValue).sum()).as("steps taken: " + steps)
                .isGreaterThanOrEqualTo(3 * perKind);
        List<DomainEvent> events = eventsUntilMarker(onA);
        for (UUID meeting : idle) {
            List<LockHistoryEntry> rows = history(meeting);
            assertThat(rows).extracting(LockHistoryEntry::action)
                    .containsExactly(HistoryAction.ACQUIRED, HistoryAction.RELEASED, HistoryAction.ACQUIRED);
            assertThat(rows.get(0).holder().userId()).isEqualTo(bob.userId());
            assertThat(rows.get(0).metadata()).containsEntry("auto", "holder_idle")
                    .containsEntry("handedOverFrom", alice.userId().toString());
            assertThat(rows.get(1).metadata()).containsEntry("handedOverTo", bob.userId().toString());
            assertThat(rows.get(0).fencingToken().value()).isGreaterThan(rows.get(1).fencingToken().value());
            assertThat(of(events, meeting, DomainEvent.LockHandedOver.class)).singleElement()
                    .satisfies(handover -> assertThat(handover.auto()).isTrue());
            assertThat(of(events, meeting, DomainEvent.LockReleased.class)).isEmpty();
            assertThat(nodeB.locks().findLock(meeting).orElseThrow().holder().userId()).isEqualTo(bob.userId());
            assertThat(a.requests().openRequests(alice, meeting).orElseThrow()).isEmpty();
        }
        for (UUID meeting : offered) {
            assertThat(history(meeting)).extracting(LockHistoryEntry::action)
                    .containsExactly(HistoryAction.RELEASED, HistoryAction.ACQUIRED);
            List<EditRequest> open = b.requests().openRequests(alice, meeting).orElseThrow();
            assertThat(open).singleElement().satisfies(request -> {
                assertThat(request.requesterId()).isEqualTo(carol.userId());
                assertThat(request.state()).isEqualTo(EditRequestState.OFFERED);
            });
            assertThat(of(events, meeting, DomainEvent.EditRequestUpdated.class).stream()
                    .filter(update -> update.request().state() == EditRequestState.EXPIRED))
                    .singleElement().satisfies(update -> assertThat(update.request().requesterId()).isEqualTo(bob.userId()));
            assertThat(of(events, meeting, DomainEvent.LockOffered.class)).singleElement()
                    .satisfies(offer -> assertThat(offer.userId()).isEqualTo(carol.userId()));
        }
        for (UUID meeting : expiring) {
            assertThat(history(meeting)).extracting(LockHistoryEntry::action)
                    .containsExactly(HistoryAction.EXPIRED, HistoryAction.ACQUIRED);
            assertThat(nodeA.locks().findLock(meeting)).isEmpty();
            assertThat(of(events, meeting, DomainEvent.LockReleased.class)).singleElement()
                    .satisfies(released -> assertThat(released.reason()).isEqualTo(DomainEvent.ReleaseReason.EXPIRED));
            assertThat(of(events, meeting, DomainEvent.LockOffered.class)).singleElement()
                    .satisfies(offer -> assertThat(offer.userId()).isEqualTo(bob.userId()));
        }
    }

    /**
     * Real time, short timings, both nodes polling every 500 ms as the application does: how long after
     * its due instant each step's event reaches the listeners of both nodes. Printed, not asserted (the
     * machine may be loaded); the steps themselves must happen.
     */
    @Test
    void withBothNodesPollingEveryHalfSecondEveryStepIsAnnouncedShortlyAfterItFallsDue() throws Exception {
        FairAccessPolicy quick = new FairAccessPolicy(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofSeconds(600), FairAccessPolicy.DEFAULT_MAX_OPEN_REQUESTS);
        LeasePolicy lease = LeasePolicy.ofSeconds(5);
        Node a = Node.on(nodeA, lease, quick);
        Node b = Node.on(nodeB, lease, quick);
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Arrival> arrived = Collections.synchronizedList(new ArrayList<>());
        for (PostgresBackend node : List.of(nodeA, nodeB)) {
            String name = node == nodeA ? "A" : "B";
            subscriptions.add(node.eventSubscriptions().subscribe(
                    event -> arrived.add(new Arrival(name, event, Instant.now()))));
        }
        int perKind = 8;
        List<Due> due = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService pollers = Executors.newScheduledThreadPool(2);
        // Setting up an expiry waits for the lease to near its end: enough threads that no scenario waits for another.
        ScheduledExecutorService setup = Executors.newScheduledThreadPool(perKind + 2);
        try {
            pollers.scheduleWithFixedDelay(polling(a, failures), 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
            pollers.scheduleWithFixedDelay(polling(b, failures), 230, POLL.toMillis(), TimeUnit.MILLISECONDS);
            List<Future<?>> scenarios = new ArrayList<>();
            for (int i = 0; i < perKind; i++) {
                Node node = node(i, a, b);
                long stagger = i * 137L;
                scenarios.add(setup.schedule(() -> due.add(idleHandoff(node, quick)), stagger, TimeUnit.MILLISECONDS));
                scenarios.add(setup.schedule(() -> due.add(lapsedOffer(node)), stagger + 50, TimeUnit.MILLISECONDS));
                scenarios.add(setup.schedule(() -> due.add(expiryWithQueue(node, lease)), stagger + 90,
                        TimeUnit.MILLISECONDS));
            }
            for (Future<?> scenario : scenarios) {
                scenario.get(30, TimeUnit.SECONDS);
            }
            List<Due> steps = List.copyOf(due);
            long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
            while (System.nanoTime() < deadline && !steps.stream().allMatch(step -> step.seenOnBoth(arrived))) {
                Thread.sleep(50);
            }

            assertThat(steps).hasSize(3 * perKind).allSatisfy(step -> assertThat(step.seenOnBoth(arrived))
                    .as("the %s step of %s was announced on both nodes", step.kind(), step.appointmentId()).isTrue());
            StringBuilder report = new StringBuilder("Delay from due instant to the event, both nodes polling every "
                    + POLL.toMillis() + " ms (ms):");
            for (String kind : List.of("idle handoff", "lapsed offer", "expiry with queue")) {
                for (String node : List.of("A", "B")) {
                    List<Long> delays = steps.stream().filter(step -> step.kind().equals(kind))
                            .map(step -> step.delayOn(node, arrived).toMillis()).sorted().toList();
                    report.append(String.format("%n  %-18s on node %s: min %4d  median %4d  max %4d  (n=%d)", kind, node,
                            delays.get(0), delays.get(delays.size() / 2), delays.get(delays.size() - 1), delays.size()));
                }
            }
            System.out.println(report);
            assertThat(failures).isEmpty();
        } finally {
            pollers.shutdownNow();
            setup.shutdownNow();
            pollers.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** A poller as the application runs it: a failing round is counted and the next one runs. */
    private static Runnable polling(Node node, List<Throwable> failures) {
        return () -> {
            try {
                node.requests().runDueSteps();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        };
    }

    private record Arrival(String node, DomainEvent event, Instant at) {
    }

    /** A step, when it falls due, and the event that announces it. */
    private record Due(String kind, UUID appointmentId, Instant at, Predicate<DomainEvent> announcement) {
        boolean seenOnBoth(List<Arrival> arrived) {
            return first("A", arrived) != null && first("B", arrived) != null;
        }

        Duration delayOn(String node, List<Arrival> arrived) {
            return Duration.between(at, first(node, arrived).at());
        }

        private Arrival first(String node, List<Arrival> arrived) {
            synchronized (arrived) {
                return arrived.stream()
                        .filter(arrival -> arrival.node().equals(node) && announcement.test(arrival.event()))
                        .findFirst().orElse(null);
            }
        }
    }

    /** Alice holds and stays idle; Bob asks: the lease goes to Bob once he waited the handoff and she was idle. */
    private Due idleHandoff(Node node, FairAccessPolicy policy) {
        UUID meeting = appointment(node, "Idle holder");
        AppointmentLock held = node.locks().acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow().lock();
        EditRequest asked = node.requests().ask(new AskToEdit.Command(bob, meeting, null)).orElseThrow().request();
        Instant dueAt = latest(asked.createdAt().plus(policy.handoff()), held.lastActiveAt().plus(policy.idle()));
        return new Due("idle handoff", meeting, dueAt, event -> event instanceof DomainEvent.LockHandedOver handover
                && handover.appointmentId().equals(meeting));
    }

    /** Alice releases with Bob and Carol waiting: Bob's offer lapses, and the lease is offered to Carol. */
    private Due lapsedOffer(Node node) {
        UUID meeting = appointment(node, "Lapsing offer");
        node.locks().acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow();
        node.requests().ask(new AskToEdit.Command(bob, meeting, null)).orElseThrow();
        node.requests().ask(new AskToEdit.Command(carol, meeting, null)).orElseThrow();
        node.locks().release(ReleaseLock.Command.of(alice, meeting)).orElseThrow();
        EditRequest offer = node.requests().openRequests(alice, meeting).orElseThrow().get(0);
        assertThat(offer.state()).isEqualTo(EditRequestState.OFFERED);
        return new Due("lapsed offer", meeting, offer.offeredUntil(), event -> event instanceof DomainEvent.LockOffered o
                && o.appointmentId().equals(meeting) && o.userId().equals(carol.userId()));
    }

    /** Bob asks shortly before Alice's lease expires: the expiry comes first and offers the lease to Bob. */
    private Due expiryWithQueue(Node node, LeasePolicy lease) {
        UUID meeting = appointment(node, "Expiring lease");
        AppointmentLock held = node.locks().acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow().lock();
        sleepUntil(held.expiresAt().minus(lease.ttl().dividedBy(4)));
        node.requests().ask(new AskToEdit.Command(bob, meeting, null)).orElseThrow();
        return new Due("expiry with queue", meeting, held.expiresAt(), event -> event instanceof DomainEvent.LockReleased r
                && r.appointmentId().equals(meeting) && r.reason() == DomainEvent.ReleaseReason.EXPIRED);
    }

    private static void sleepUntil(Instant instant) {
        long millis = Duration.between(Instant.now(), instant).toMillis();
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static Instant latest(Instant first, Instant second) {
        return first.isAfter(second) ? first : second;
    }

    private static Node node(int i, Node a, Node b) {
        return i % 2 == 0 ? a : b;
    }

    private List<LockHistoryEntry> history(UUID meeting) {
        return nodeA.history().ofAppointment(meeting, PageRequest.standard()).data();
    }

    private static <E extends DomainEvent> List<E> of(List<DomainEvent> events, UUID meeting, Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast)
                .filter(event -> event.appointmentId().equals(meeting)).toList();
    }

    private BlockingQueue<DomainEvent> listenOn(PostgresBackend node) {
        BlockingQueue<DomainEvent> received = new LinkedBlockingQueue<>();
        subscriptions.add(node.eventSubscriptions().subscribe(received::add));
        return received;
    }

    /** Everything received up to a marker sent after the work: NOTIFY delivers in commit order. */
    private List<DomainEvent> eventsUntilMarker(BlockingQueue<DomainEvent> queue) throws InterruptedException {
        DomainEvent.CursorRemoved marker = new DomainEvent.CursorRemoved(UUID.randomUUID(), alice.userId());
        nodeB.eventPublisher().publish(marker);
        List<DomainEvent> received = new ArrayList<>();
        long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
        while (true) {
            DomainEvent event = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("the marker did not arrive within " + EVENT_WAIT + "; got " + received.size());
            }
            if (event.equals(marker)) {
                return received;
            }
            received.add(event);
        }
    }

    private Actor registered(String email, String name) {
        UserAccount account = new UserAccount(UUID.randomUUID(), email, name, Role.USER, "hash-not-used", Instant.now());
        assertThat(nodeA.users().insertUser(account)).isTrue();
        return account.asActor();
    }

    private UUID appointment(Node node, String title) {
        Instant start = Instant.parse("2026-05-04T09:00:00Z");
        AppointmentDetails details = new AppointmentDetails(title, null, start, start.plus(Duration.ofHours(1)), null,
                List.of(), null);
        return node.appointments().create(new CreateAppointment.Command(alice, details)).id();
    }
}
