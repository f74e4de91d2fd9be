package io.syncpoint.lock.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.HistoryAction;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.domain.LockState;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.PageRequest;
import io.syncpoint.lock.core.domain.Rejection;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.core.port.in.CreateAppointment;
import io.syncpoint.lock.core.port.in.GetLockStatus;
import io.syncpoint.lock.core.port.in.ReleaseLock;
import io.syncpoint.lock.core.port.out.LockHistory;
import io.syncpoint.lock.core.service.AppointmentService;
import io.syncpoint.lock.core.service.LockService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Test;

/**
 * Races many threads against one store. Part of the contract: every store runs these. A store
 * adapter's multi-node tests can run them too, with each thread's services on a different node.
 */
public abstract class LockRaces {
    private static final int CONTENDERS = 50;
    private static final int ROUNDS = 200;
    private static final int WORKERS = 12;
    private static final int ITERATIONS_PER_WORKER = 120;
    private static final int HOT_APPOINTMENTS = 3;
    private static final int READERS = 12;
    private static final int STATUS_ROUNDS = 60;

    /**
     * What a race runs on: the store (for its clock and history) and one or more sets of services
     * (one per node); contenders are spread over the nodes round-robin.
     */
    public record Setup(StoreFixture store, List<LockService> locksPerNode, Actor creator,
                        AppointmentService appointments) {
        public Setup(StoreFixture store, LockService locks, AppointmentService appointments, Actor creator) {
            this(store, List.of(locks), creator, appointments);
        }

        LockService locksFor(int thread) {
            return locksPerNode.get(thread % locksPerNode.size());
        }
    }

    protected abstract Setup setup();

    /** Registered users who take part in a race, one per thread. */
    private static List<Actor> contenders(Setup setup, int count) {
        List<Actor> contenders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UserAccount account = new UserAccount(UUID.randomUUID(), "contender" + i + "@example.com",
                    "Contender " + i, Role.USER, "hash-not-used", Instant.now());
            assertThat(setup.store().users().insertUser(account)).isTrue();
            contenders.add(account.asActor());
        }
        return contenders;
    }

    private UUID newAppointment(Setup setup, String title) {
        Instant start = Instant.parse("2026-04-01T08:00:00Z");
        AppointmentDetails details = new AppointmentDetails(title, null, start, start.plus(Duration.ofHours(1)),
                null, List.of(), null);
        return setup.appointments().create(new CreateAppointment.Command(setup.creator(), details)).id();
    }

    @Test
    void fiftyThreadsAcquiringOneFreeAppointmentProduceExactlyOneWinnerEveryRound() throws Exception {
        Setup setup = setup();
        UUID appointmentId = newAppointment(setup, "Contested");
        List<Actor> contenders = contenders(setup, CONTENDERS);
        Map<UUID, Actor> byId = new HashMap<>();
        contenders.forEach(actor -> byId.put(actor.userId(), actor));
        ExecutorService pool = Executors.newFixedThreadPool(CONTENDERS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Outcome<AcquireLock.Acquisition>>> attempts = new ArrayList<>();
                for (int i = 0; i < CONTENDERS; i++) {
                    Actor actor = contenders.get(i);
                    LockService locks = setup.locksFor(i);
                    attempts.add(pool.submit(() -> {
                        start.await();
                        return locks.acquire(AcquireLock.Command.of(actor, appointmentId));
                    }));
                }
                start.countDown();
                List<AcquireLock.Acquisition> winners = new ArrayList<>();
                for (Future<Outcome<AcquireLock.Acquisition>> attempt : attempts) {
                    Outcome<AcquireLock.Acquisition> outcome = attempt.get();
                    if (outcome.isOk()) {
                        winners.add(outcome.orElseThrow());
                    } else {
                        assertThat(outcome.rejectionOrThrow()).isInstanceOf(Rejection.LockHeld.class);
                    }
                }
                assertThat(winners).as("winners of round %d", round).hasSize(1);
                Actor winner = byId.get(winners.get(0).lock().holderId());
                setup.locksFor(0).release(ReleaseLock.Command.of(winner, appointmentId)).orElseThrow();
            }
        } finally {
            pool.shutdownNow();
        }
        long acquisitions = setup.store().history().ofAppointment(appointmentId, PageRequest.first(1)).total();
        assertThat(acquisitions).isEqualTo(2L * ROUNDS);
    }

    /**
     * Workers increment a plain counter only while holding a lease, and randomly release, renew or
     * abandon it (abandoned leases expire when the clock moves). The clock only moves between a
     * worker's acquire and its last use of the lease when the lease is renewed in time, as a live
     * client would; so any overlap of two leases is the store's fault and shows up as a wrong count.
     */
    @Test
    void aCounterGuardedByLeasesCountsExactlyAndLeasesNeverOverlap() throws Exception {
        Setup setup = setup();
        List<UUID> hot = new ArrayList<>();
        for (int i = 0; i < HOT_APPOINTMENTS; i++) {
            hot.add(newAppointment(setup, "Hot " + i));
        }
        long[] counters = new long[HOT_APPOINTMENTS];
        AtomicInteger[] inside = new AtomicInteger[HOT_APPOINTMENTS];
        for (int i = 0; i < HOT_APPOINTMENTS; i++) {
            inside[i] = new AtomicInteger();
        }
        AtomicLong increments = new AtomicLong();
        AtomicLong grants = new AtomicLong();
        AtomicInteger overlaps = new AtomicInteger();
        ReadWriteLock timeGate = new ReentrantReadWriteLock();
        Duration ttl = setup.locksFor(0).leasePolicy().ttl();
        List<Actor> workers = contenders(setup, WORKERS);

        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                Actor actor = workers.get(w);
                LockService locks = setup.locksFor(w);
                running.add(pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int n = 0; n < ITERATIONS_PER_WORKER; n++) {
                        int slot = random.nextInt(HOT_APPOINTMENTS);
                        UUID appointmentId = hot.get(slot);
                        timeGate.readLock().lock();
                        try {
                            Outcome<AcquireLock.Acquisition> outcome = locks.acquire(AcquireLock.Command.of(actor, appointmentId));
                            if (!outcome.isOk()) {
                                continue;
                            }
                            if (!outcome.orElseThrow().renewed()) {
                                grants.incrementAndGet();
                            }
                            long version = outcome.orElseThrow().lock().version();
                            if (inside[slot].incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            counters[slot]++;
                            increments.incrementAndGet();
                            inside[slot].decrementAndGet();
                            int choice = random.nextInt(10);
                            if (choice < 4) {
                                locks.release(new ReleaseLock.Command(actor, appointmentId, version)).orElseThrow();
                            } else if (choice < 7) {
                                AcquireLock.Acquisition renewal = locks.acquire(
                                        new AcquireLock.Command(actor, appointmentId, version, null)).orElseThrow();
                                assertThat(renewal.renewed()).isTrue();
                                assertThat(renewal.lock().version()).isEqualTo(version + 1);
                                locks.release(ReleaseLock.Command.of(actor, appointmentId)).orElseThrow();
                            }
                        } finally {
                            timeGate.readLock().unlock();
                        }
                        if (random.nextInt(8) == 0) {
                            timeGate.writeLock().lock();
                            try {
                                setup.store().advanceClock(ttl.plusSeconds(1));
                            } finally {
                                timeGate.writeLock().unlock();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : running) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        setup.store().advanceClock(ttl.plusSeconds(1));
        setup.locksFor(0).sweepExpired();

        long counted = 0;
        for (long counter : counters) {
            counted += counter;
        }
        assertThat(overlaps.get()).isZero();
        assertThat(counted).isEqualTo(increments.get());
        assertThat(grants.get()).isPositive();
        long acquiredRows = 0;
        for (UUID appointmentId : hot) {
            List<LockHistoryEntry> rows = oldestFirst(setup, appointmentId);
            assertLeasesFollowOneAnother(rows);
            acquiredRows += rows.stream().filter(row -> row.action() == HistoryAction.ACQUIRED).count();
            assertThat(setup.store().locks().findLock(appointmentId)).isEmpty();
        }
        assertThat(acquiredRows).isEqualTo(grants.get());
    }

    /**
     * Holders acquire and release while readers flood lock-status on the same appointments (and on
     * one that does not exist) through every node. A holder's own status read, made right after its
     * acquire or release returned, always shows that change: however a store serves concurrent reads,
     * none is answered with what was committed before it was asked.
     */
    @Test
    void everyStatusReadShowsWhatWasCommittedBeforeItWasAskedWhileReadersFloodTheSameAppointments()
            throws Exception {
        Setup setup = setup();
        List<UUID> hot = new ArrayList<>();
        for (int i = 0; i < HOT_APPOINTMENTS; i++) {
            hot.add(newAppointment(setup, "Watched " + i));
        }
        UUID nowhere = UUID.randomUUID();
        List<Actor> people = contenders(setup, HOT_APPOINTMENTS + 1);
        List<Actor> holders = people.subList(0, HOT_APPOINTMENTS);
        Actor watcher = people.get(HOT_APPOINTMENTS);
        AtomicInteger wrongReadings = new AtomicInteger();
        AtomicLong floodReadings = new AtomicLong();
        CountDownLatch holdersDone = new CountDownLatch(HOT_APPOINTMENTS);
        ExecutorService pool = Executors.newFixedThreadPool(HOT_APPOINTMENTS + READERS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                LockService locks = setup.locksFor(r);
                running.add(pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (holdersDone.getCount() > 0) {
                        int slot = random.nextInt(HOT_APPOINTMENTS + 1);
                        UUID appointmentId = slot == HOT_APPOINTMENTS ? nowhere : hot.get(slot);
                        Outcome<GetLockStatus.LockStatus> status = locks.status(watcher, appointmentId);
                        boolean right = slot == HOT_APPOINTMENTS
                                ? status.rejectionOrThrow() instanceof Rejection.NotFound
                                : status.orElseThrow().lock().map(lock -> lock.appointmentId().equals(appointmentId)
                                        && lock.holderId().equals(holders.get(slot).userId())).orElse(true);
                        if (!right) {
                            wrongReadings.incrementAndGet();
                        }
                        floodReadings.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (int h = 0; h < HOT_APPOINTMENTS; h++) {
                Actor holder = holders.get(h);
                UUID appointmentId = hot.get(h);
                LockService writing = setup.locksFor(h);
                LockService reading = setup.locksFor(h + 1);
                running.add(pool.submit(() -> {
                    try {
                        for (int round = 0; round < STATUS_ROUNDS; round++) {
                            AcquireLock.Acquisition taken = writing.acquire(AcquireLock.Command.of(holder, appointmentId))
                                    .orElseThrow();
                            GetLockStatus.LockStatus held = reading.status(holder, appointmentId).orElseThrow();
                            assertThat(held.state()).as("round %d after the acquire", round)
                                    .isEqualTo(LockState.LOCKED_BY_USER);
                            assertThat(held.lock()).contains(taken.lock());
                            writing.release(ReleaseLock.Command.of(holder, appointmentId)).orElseThrow();
                            GetLockStatus.LockStatus free = reading.status(holder, appointmentId).orElseThrow();
                            assertThat(free.state()).as("round %d after the release", round)
                                    .isEqualTo(LockState.UNLOCKED);
                            assertThat(free.lock()).isEmpty();
                        }
                    } finally {
                        holdersDone.countDown();
                    }
                    return null;
                }));
            }
            for (Future<?> task : running) {
                task.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(wrongReadings.get()).isZero();
        assertThat(floodReadings.get()).isGreaterThan(READERS);
    }

    private static List<LockHistoryEntry> oldestFirst(Setup setup, UUID appointmentId) {
        return oldestFirst(setup.store().history(), appointmentId);
    }

    /** The appointment's whole history, oldest row first. */
    public static List<LockHistoryEntry> oldestFirst(LockHistory history, UUID appointmentId) {
        List<LockHistoryEntry> rows = new ArrayList<>();
        long offset = 0;
        while (true) {
            var page = history.ofAppointment(appointmentId,
                    new PageRequest(PageRequest.MAX_LIMIT, offset));
            rows.addAll(page.data());
            offset += page.data().size();
            if (page.data().isEmpty() || offset >= page.total()) {
                break;
            }
        }
        java.util.Collections.reverse(rows);
        return rows;
    }

    /** Every lease ends, with its own token, before the next one begins, which has a greater token. */
    public static void assertLeasesFollowOneAnother(List<LockHistoryEntry> rows) {
        LockHistoryEntry open = null;
        LockHistoryEntry last = null;
        for (LockHistoryEntry row : rows) {
            if (row.action() == HistoryAction.ACQUIRED) {
                assertThat(open).as("lease %s begins while %s is open", row.lockId(), open).isNull();
                if (last != null) {
                    assertThat(row.fencingToken()).as("the token of lease %s after %s", row.lockId(), last.lockId())
                            .isGreaterThan(last.fencingToken());
                }
                open = row;
                last = row;
            } else {
                assertThat(open).as("%s ends a lease that is not open", row).isNotNull();
                assertThat(row.lockId()).isEqualTo(open.lockId());
                assertThat(row.fencingToken()).isEqualTo(open.fencingToken());
                open = null;
            }
        }
        assertThat(open).as("every lease ended after the final sweep").isNull();
    }
}
