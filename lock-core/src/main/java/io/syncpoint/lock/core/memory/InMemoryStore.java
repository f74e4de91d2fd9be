package io.syncpoint.lock.core.memory;

import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.EditQueue;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.FencingToken;
import io.syncpoint.lock.core.domain.HistoryAction;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.domain.LockStatistics;
import io.syncpoint.lock.core.domain.Page;
import io.syncpoint.lock.core.domain.PageRequest;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.out.AppointmentStore;
import io.syncpoint.lock.core.port.out.EventPublisher;
import io.syncpoint.lock.core.port.out.LeaseReading;
import io.syncpoint.lock.core.port.out.LockHistory;
import io.syncpoint.lock.core.port.out.LockStore;
import io.syncpoint.lock.core.port.out.LockTransaction;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * Leases, edit requests, history and appointments in this JVM's memory: the single-node store, safe
 * under any concurrency. Transactions on one appointment are serialized by a lock stripe; their writes
 * are buffered and applied together at the end, so a transaction that throws leaves nothing behind.
 * Closed edit requests are not kept: nothing reads them back.
 */
public final class InMemoryStore implements LockStore, LockHistory, AppointmentStore {
    private static final int STRIPES = 1024;

    private final Clock clock;
    private final EventPublisher events;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final Map<UUID, Appointment> appointments = new ConcurrentHashMap<>();
    private final Map<UUID, AppointmentLock> locks = new ConcurrentHashMap<>();
    private final Map<UUID, EditQueue> queues = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> dueSteps = new ConcurrentHashMap<>();
    private final AtomicLong fencingSequence = new AtomicLong();
    private final HistoryLog history;

    /** With the {@linkplain HistoryRetention#DEFAULT default history retention}. */
    public InMemoryStore(Clock clock, EventPublisher events) {
        this(clock, events, HistoryRetention.DEFAULT);
    }

    /** @param events receives every committed event, in commit order per appointment */
    public InMemoryStore(Clock clock, EventPublisher events, HistoryRetention retention) {
        this.clock = clock;
        this.events = events;
        this.history = new HistoryLog(retention);
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    @Override
    public <T> T inTransaction(UUID appointmentId, Function<LockTransaction, T> work) {
        ReentrantLock stripe = stripes[Math.floorMod(appointmentId.hashCode(), STRIPES)];
        stripe.lock();
        try {
            MemoryTransaction tx = new MemoryTransaction(appointmentId, now());
            T result = work.apply(tx);
            tx.commit();
            tx.published.forEach(events::publish);
            return result;
        } finally {
            stripe.unlock();
        }
    }

    /** To the microsecond, like PostgreSQL, so both stores hand out the same instants. */
    @Override
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public LeaseReading readLease(UUID appointmentId) {
        Instant now = now();
        Optional<AppointmentLock> lease = findLock(appointmentId);
        return new LeaseReading(lease.isPresent() || appointments.containsKey(appointmentId), lease, now);
    }

    @Override
    public Optional<AppointmentLock> findLock(UUID appointmentId) {
        return Optional.ofNullable(locks.get(appointmentId));
    }

    @Override
    public Map<UUID, AppointmentLock> findLocks(Collection<UUID> appointmentIds) {
        Map<UUID, AppointmentLock> found = new HashMap<>();
        for (UUID id : appointmentIds) {
            AppointmentLock lock = locks.get(id);
            if (lock != null) {
                found.put(id, lock);
            }
        }
        return found;
    }

    @Override
    public List<AppointmentLock> findAllLocks() {
        return locks.values().stream().sorted(Comparator.comparing(AppointmentLock::createdAt)).toList();
    }

    @Override
    public List<AppointmentLock> findExpiredLocks(int limit) {
        Instant now = now();
        return locks.values().stream().filter(lock -> !lock.isLiveAt(now)).limit(limit).toList();
    }

    @Override
    public List<UUID> findDueAppointments(int limit) {
        Instant now = now();
        return dueSteps.entrySet().stream()
                .filter(entry -> !entry.getValue().isAfter(now))
                .sorted(Map.Entry.comparingByValue())
                .limit(limit)
                .map(Map.Entry::getKey)
                .toList();
    }

    @Override
    public void insertAppointment(Appointment appointment) {
        if (appointments.putIfAbsent(appointment.id(), appointment) != null) {
            throw new IllegalStateException("appointment exists already: " + appointment.id());
        }
    }

    @Override
    public Optional<Appointment> findAppointment(UUID id) {
        return Optional.ofNullable(appointments.get(id));
    }

    @Override
    public Page<Appointment> listAppointments(Instant from, Instant to, PageRequest page) {
        List<Appointment> matching = appointments.values().stream()
                .filter(a -> from == null || a.details().endsAt().isAfter(from))
                .filter(a -> to == null || a.details().startsAt().isBefore(to))
                .sorted(Comparator.comparing((Appointment a) -> a.details().startsAt()).thenComparing(Appointment::id))
                .toList();
        return Page.of(slice(matching, page), matching.size(), page);
    }

    @Override
    public Page<LockHistoryEntry> ofAppointment(UUID appointmentId, PageRequest page) {
        return history.page(history.byAppointment, appointmentId, page);
    }

    @Override
    public Page<LockHistoryEntry> ofUser(UUID userId, PageRequest page) {
        return history.page(history.byUser, userId, page);
    }

    @Override
    public LockStatistics statistics(UUID appointmentId) {
        AppointmentLock lock = locks.get(appointmentId);
        boolean currentlyLocked = lock != null && lock.isLiveAt(now());
        return history.statistics(appointmentId, currentlyLocked);
    }

    @Override
    public long deleteOlderThan(Instant cutoff) {
        return history.deleteOlderThan(cutoff);
    }

    private static <T> List<T> slice(List<T> all, PageRequest page) {
        int from = (int) Math.min(all.size(), page.offset());
        int to = Math.min(all.size(), from + page.limit());
        return all.subList(from, to);
    }

    private final class MemoryTransaction implements LockTransaction {
        private final UUID appointmentId;
        private final Instant now;
        private Appointment appointment;
        private AppointmentLock lock;
        private boolean appointmentDeleted;
        private boolean appointmentChanged;
        private boolean lockChanged;
        private final List<EditRequest> openRequests;
        private long lastTicket;
        private boolean requestsChanged;
        private EditQueue queue;
        private Instant dueStep;
        private boolean dueStepChanged;
        private final List<LockHistoryEntry> appended = new ArrayList<>();
        private final List<DomainEvent> published = new ArrayList<>();

        MemoryTransaction(UUID appointmentId, Instant now) {
            this.appointmentId = appointmentId;
            this.now = now;
            this.appointment = appointments.get(appointmentId);
            this.lock = locks.get(appointmentId);
            this.queue = queues.getOrDefault(appointmentId, EditQueue.empty());
            this.openRequests = new ArrayList<>(queue.open());
            this.lastTicket = queue.lastTicket();
        }

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public UUID appointmentId() {
            return appointmentId;
        }

        @Override
        public Optional<Appointment> appointment() {
            return Optional.ofNullable(appointment);
        }

        @Override
        public Optional<AppointmentLock> lock() {
            return Optional.ofNullable(lock);
        }

        @Override
        public FencingToken nextFencingToken() {
            return new FencingToken(fencingSequence.incrementAndGet());
        }

        @Override
        public void insertLock(AppointmentLock newLock) {
            requireOwnAppointment(newLock);
            if (lock != null) {
                throw new IllegalStateException("appointment " + appointmentId + " has a lease row already");
            }
            lock = newLock;
            lockChanged = true;
        }

        @Override
        public void updateLock(AppointmentLock changed) {
            requireOwnAppointment(changed);
            if (lock == null || !lock.id().equals(changed.id())) {
                throw new IllegalStateException("no such lease row: " + changed.id());
            }
            lock = changed;
            lockChanged = true;
        }

        @Override
        public void deleteLock(AppointmentLock ended) {
            if (lock == null || !lock.id().equals(ended.id())) {
                throw new IllegalStateException("no such lease row: " + ended.id());
            }
            lock = null;
            lockChanged = true;
        }

        @Override
        public void updateAppointment(Appointment changed) {
            if (appointment == null || !appointment.id().equals(changed.id())) {
                throw new IllegalStateException("no such appointment: " + changed.id());
            }
            appointment = changed;
            appointmentChanged = true;
        }

        @Override
        public void deleteAppointment() {
            appointment = null;
            appointmentDeleted = true;
        }

        @Override
        public void appendHistory(LockHistoryEntry entry) {
            appended.add(entry);
        }

        @Override
        public void publish(DomainEvent event) {
            published.add(event);
        }

        @Override
        public EditQueue editQueue() {
            if (queue == null) {
                queue = new EditQueue(openRequests, lastTicket);
            }
            return queue;
        }

        @Override
        public void insertEditRequest(EditRequest request) {
            if (!request.appointmentId().equals(appointmentId) || appointment == null) {
                throw new IllegalStateException("edit request " + request.id() + " does not belong to " + appointmentId);
            }
            if (request.ticket() <= lastTicket) {
                throw new IllegalStateException("ticket " + request.ticket() + " was handed out already");
            }
            if (request.isOpen() && openRequests.stream().anyMatch(open -> open.isBy(request.requesterId()))) {
                throw new IllegalStateException("user " + request.requesterId() + " has an open request already");
            }
            lastTicket = request.ticket();
            if (request.isOpen()) {
                openRequests.add(request);
            }
            requestsChanged = true;
            queue = null;
        }

        @Override
        public void updateEditRequest(EditRequest request) {
            for (int i = 0; i < openRequests.size(); i++) {
                if (openRequests.get(i).id().equals(request.id())) {
                    if (request.isOpen()) {
                        openRequests.set(i, request);
                    } else {
                        openRequests.remove(i);
                    }
                    requestsChanged = true;
                    queue = null;
                    return;
                }
            }
            throw new IllegalStateException("no such open edit request: " + request.id());
        }

        @Override
        public void scheduleDueStep(Instant dueAtOrNull) {
            dueStep = dueAtOrNull;
            dueStepChanged = true;
        }

        private void requireOwnAppointment(AppointmentLock candidate) {
            if (!candidate.appointmentId().equals(appointmentId) || appointment == null) {
                throw new IllegalStateException("lease " + candidate.id() + " does not belong to " + appointmentId);
            }
        }

        void commit() {
            if (lockChanged || appointmentDeleted) {
                if (lock == null) {
                    locks.remove(appointmentId);
                } else {
                    locks.put(appointmentId, lock);
                }
            }
            if (appointmentDeleted) {
                appointments.remove(appointmentId);
                queues.remove(appointmentId);
                dueSteps.remove(appointmentId);
            } else {
                if (appointmentChanged) {
                    appointments.put(appointmentId, appointment);
                }
                if (requestsChanged) {
                    queues.put(appointmentId, editQueue());
                }
                if (dueStepChanged && dueStep == null) {
                    dueSteps.remove(appointmentId);
                } else if (dueStepChanged) {
                    dueSteps.put(appointmentId, dueStep);
                }
            }
            history.appendAll(appended, now);
        }
    }

    /**
     * The audit history, indexed by appointment and by holder, oldest first in each index. Every
     * row is also queued in arrival order; the retention drops rows from that queue's head, which
     * is the head of each index too.
     */
    private static final class HistoryLog {
        private final ReentrantReadWriteLock guard = new ReentrantReadWriteLock();
        private final HistoryRetention retention;
        private final ArrayDeque<LockHistoryEntry> arrivals = new ArrayDeque<>();
        private final Map<UUID, Rows> byAppointment = new HashMap<>();
        private final Map<UUID, Rows> byUser = new HashMap<>();

        HistoryLog(HistoryRetention retention) {
            this.retention = retention;
        }

        void appendAll(List<LockHistoryEntry> entries, Instant now) {
            if (entries.isEmpty()) {
                return;
            }
            guard.writeLock().lock();
            try {
                for (LockHistoryEntry entry : entries) {
                    arrivals.addLast(entry);
                    byAppointment.computeIfAbsent(entry.appointmentId(), id -> new Rows()).add(entry);
                    byUser.computeIfAbsent(entry.userId(), id -> new Rows()).add(entry);
                }
                Instant cutoff = now.minus(retention.maxAge());
                while (arrivals.size() > retention.maxEntries() || arrivals.peekFirst().at().isBefore(cutoff)) {
                    LockHistoryEntry dropped = arrivals.removeFirst();
                    dropOldest(byAppointment, dropped.appointmentId());
                    dropOldest(byUser, dropped.userId());
                    if (arrivals.isEmpty()) {
                        break;
                    }
                }
            } finally {
                guard.writeLock().unlock();
            }
        }

        int size() {
            guard.readLock().lock();
            try {
                return arrivals.size();
            } finally {
                guard.readLock().unlock();
            }
        }

        Page<LockHistoryEntry> page(Map<UUID, Rows> index, UUID key, PageRequest page) {
            guard.readLock().lock();
            try {
                Rows rows = index.getOrDefault(key, Rows.NONE);
                List<LockHistoryEntry> newestFirst = new ArrayList<>(page.limit());
                for (long i = rows.size() - 1 - page.offset(); i >= 0 && newestFirst.size() < page.limit(); i--) {
                    newestFirst.add(rows.get((int) i));
                }
                return Page.of(newestFirst, rows.size(), page);
            } finally {
                guard.readLock().unlock();
            }
        }

        LockStatistics statistics(UUID appointmentId, boolean currentlyLocked) {
            guard.readLock().lock();
            try {
                Map<HistoryAction, Long> totals = new EnumMap<>(HistoryAction.class);
                HashSet<UUID> users = new HashSet<>();
                long durationSum = 0;
                long ended = 0;
                Rows rows = byAppointment.getOrDefault(appointmentId, Rows.NONE);
                for (int i = 0; i < rows.size(); i++) {
                    LockHistoryEntry entry = rows.get(i);
                    totals.merge(entry.action(), 1L, Long::sum);
                    users.add(entry.userId());
                    if (entry.durationSeconds() != null) {
                        durationSum += entry.durationSeconds();
                        ended++;
                    }
                }
                Double average = ended == 0 ? null : (double) durationSum / ended;
                return new LockStatistics(appointmentId, totals, average, users.size(), currentlyLocked);
            } finally {
                guard.readLock().unlock();
            }
        }

        long deleteOlderThan(Instant cutoff) {
            guard.writeLock().lock();
            try {
                int before = arrivals.size();
                arrivals.removeIf(entry -> entry.at().isBefore(cutoff));
                byAppointment.values().forEach(rows -> rows.removeOlderThan(cutoff));
                byUser.values().forEach(rows -> rows.removeOlderThan(cutoff));
                byAppointment.values().removeIf(Rows::isEmpty);
                byUser.values().removeIf(Rows::isEmpty);
                return before - arrivals.size();
            } finally {
                guard.writeLock().unlock();
            }
        }

        private static void dropOldest(Map<UUID, Rows> index, UUID key) {
            Rows rows = index.get(key);
            rows.dropOldest();
            if (rows.isEmpty()) {
                index.remove(key);
            }
        }
    }

    /** One index's rows, oldest first; dropping the oldest is amortized O(1), so retention costs nothing per row. */
    private static final class Rows {
        static final Rows NONE = new Rows();

        private final ArrayList<LockHistoryEntry> entries = new ArrayList<>();
        private int head;

        void add(LockHistoryEntry entry) {
            entries.add(entry);
        }

        int size() {
            return entries.size() - head;
        }

        boolean isEmpty() {
            return size() == 0;
        }

        LockHistoryEntry get(int index) {
            return entries.get(head + index);
        }

        void dropOldest() {
            entries.set(head++, null);
            if (head > 64 && head * 2 > entries.size()) {
                entries.subList(0, head).clear();
                head = 0;
            }
        }

        void removeOlderThan(Instant cutoff) {
            entries.subList(0, head).clear();
            head = 0;
            entries.removeIf(entry -> entry.at().isBefore(cutoff));
        }
    }

    /** How many history rows the store holds, for tests of the retention. */
    int historySize() {
        return history.size();
    }
}
