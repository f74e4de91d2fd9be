package io.syncpoint.lock.persistence.jdbi;

import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.EditQueue;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.FencingToken;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.out.LeaseReading;
import io.syncpoint.lock.core.port.out.LockStore;
import io.syncpoint.lock.core.port.out.LockTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Leases in PostgreSQL. A lock transaction begins by locking the appointment's row, which serializes
 * every transaction on that appointment across all nodes; the lease change, its history row, its edit
 * requests, its due step and its NOTIFY then commit together, and a transaction that writes raises the
 * appointment's lock state number with them.
 *
 * <p>An appointment's lease lives in the appointment's own row (V9). A transaction changes it in its own view
 * only and writes the lease it ends with once, in the {@code UPDATE} that raises the number, on the condition
 * that the row still holds the lease the transaction found.
 *
 * <p>Round trips are what a lock transaction costs. Decided on the rows, it reads everything it needs
 * in one ({@link LockedAppointment}: clock, lease, open requests, last ticket, due instant and, where a
 * new lease is likely, the next fencing token), keeps that state current through its own writes so
 * reading it again costs nothing, queues the writes and sends them in one round trip together with
 * the {@code COMMIT} ({@link StatementBatch}, all events last in one {@code pg_notify} statement; an
 * unchanged due instant writes nothing): two round trips for an acquire, a renewal or a release. The
 * appointment's details are read only where a use case needs them (a save, a delete), in a third.
 *
 * <p>Where this node wrote the appointment last, nobody waits in line and no other transaction on the
 * appointment is under way on this node, the transaction is first decided on the state the node
 * remembers ({@link RememberedLockStates}) and sends its check, its writes and its {@code COMMIT} in
 * one round trip; when the check finds the state moved on, nothing was written and the work runs
 * again on the rows. The work may so run twice; it acts only through its transaction.
 */
final class JdbiLockStore implements LockStore {
    /** lock-status's statement for one appointment: its existence, its lease and the database's clock, from its one row. */
    static final String READ_LEASE = readingLeases("(VALUES (CAST(? AS uuid)))");

    /** The same for each appointment in an array, one row each: readings that share a statement. */
    private static final String READ_LEASES = readingLeases("unnest(CAST(? AS uuid[]))");

    /** The check that opens a transaction decided on a remembered state (V8). */
    static final String CHECK_REMEMBERED = "SELECT take_remembered_lock_state(?, ?, ?, ?, ?, ?)";

    /**
     * The check for a transaction that changes the lease (V9): it writes the lease in the same UPDATE that
     * raises the number, where the lease is still the one the transaction found.
     */
    static final String CHECK_REMEMBERED_WRITING_LEASE = "SELECT take_remembered_lock_state_writing_lease(?, ?, ?, ?, ?,"
            + " CAST(? AS uuid), ?, ?, CAST(? AS jsonb), ?, ?, ?, ?, ?, ?)";

    /** The lease's columns in the appointment's row, each set from a placeholder; all null where there is none. */
    private static final String LEASE_SET = "lease_id = ?, lease_holder_id = ?, lease_user_info = CAST(? AS jsonb),"
            + " lease_created_at = ?, lease_expires_at = ?, lease_version = ?, lease_fencing_token = ?,"
            + " lease_renewals = ?, lease_last_active_at = ?";

    /**
     * What a transaction decided on the rows sends first when it changes the lease: the number raised and the
     * lease written in one UPDATE, where the lease is still the one the transaction found.
     */
    static final String RAISE_NUMBER_WRITING_LEASE = "UPDATE appointments SET lock_state = lock_state + 1, "
            + LEASE_SET + " WHERE id = ? AND lease_id IS NOT DISTINCT FROM CAST(? AS uuid)";

    private static final String NEXT_TOKEN = "SELECT nextval('fencing_tokens')";

    /** What a transaction decided on the rows sends first when it writes: every writing transaction raises the number. */
    private static final String RAISE_NUMBER = "UPDATE appointments SET lock_state = lock_state + 1 WHERE id = ?";

    /** What the check raises when the remembered state is no longer current. */
    private static final String STATE_MOVED_ON = "SP001";

    /**
     * How many lock-status statements one node keeps under way at once; readings that arrive meanwhile
     * share the next. Two rather than one, so that one stalled connection does not hold up every
     * reading of the node. See {@code docs/performance-changes.md} for what it bought.
     */
    static final int LEASE_READINGS_UNDER_WAY = 2;

    private final Database database;
    private final CoalescedReads<UUID, LeaseReading> leaseReadings;
    private final RememberedLockStates remembered;
    private final LongAdder decidedOnRemembered = new LongAdder();
    private final LongAdder decidedAgain = new LongAdder();

    JdbiLockStore(Database database) {
        this.database = database;
        this.leaseReadings = new CoalescedReads<>(LEASE_READINGS_UNDER_WAY, this::readLeases);
        this.remembered = new RememberedLockStates();
    }

    @Override
    public <T> T inTransaction(UUID appointmentId, Function<LockTransaction, T> work) {
        boolean alone = remembered.enter(appointmentId);
        try {
            Optional<RememberedLockStates.Guess> guess = alone ? remembered.guess(appointmentId) : Optional.empty();
            if (guess.isPresent()) {
                Optional<Decided<T>> decided = decideOnRemembered(appointmentId, guess.get(), work);
                if (decided.isPresent()) {
                    return decided.get().result();
                }
            }
            return decideOnRows(appointmentId, work);
        } finally {
            remembered.leave(appointmentId);
        }
    }

    /** A result of work, which may be null. */
    private record Decided<T>(T result) {
    }

    /** Thrown by a transaction decided on a remembered state when the work asks for what only the rows tell. */
    private static final class NeedsRows extends RuntimeException {
        NeedsRows() {
            super("decided on the rows", null, false, false);
        }
    }

    /** Empty when the work needs the rows or the check found the remembered state moved on: nothing was written. */
    private <T> Optional<Decided<T>> decideOnRemembered(UUID appointmentId, RememberedLockStates.Guess guess,
                                                         Function<LockTransaction, T> work) {
        JdbiLockTransaction transaction = new JdbiLockTransaction(appointmentId, guess);
        T result;
        try {
            result = work.apply(transaction);
        } catch (NeedsRows needsRows) {
            return Optional.empty();
        }
        boolean wrote;
        try {
            wrote = database.inTransaction(connection -> transaction.checkWritesAndCommit(connection, guess));
        } catch (RuntimeException failure) {
            remembered.forget(appointmentId);
            if (Failures.hasSqlState(failure, STATE_MOVED_ON)) {
                decidedAgain.increment();
                return Optional.empty();
            }
            throw failure;
        }
        transaction.rememberCommitted(guess.state().number() + (wrote ? 1 : 0), true);
        decidedOnRemembered.increment();
        return Optional.of(new Decided<>(result));
    }

    private <T> T decideOnRows(UUID appointmentId, Function<LockTransaction, T> work) {
        Optional<Long> before = remembered.number(appointmentId);
        Committed<T> committed = database.inTransaction(connection -> {
            LockedAppointment opening = LockedAppointment.read(connection, appointmentId, database);
            remembered.storeClockRead(opening.now());
            JdbiLockTransaction transaction = new JdbiLockTransaction(connection, appointmentId, opening);
            T result = work.apply(transaction);
            boolean wrote = transaction.sendWritesAndCommit();
            return new Committed<>(result, transaction, opening.lockState() + (wrote ? 1 : 0),
                    before.isPresent() && before.get() == opening.lockState());
        });
        committed.transaction().rememberCommitted(committed.number(), committed.confirmed());
        return committed.result();
    }

    /**
     * A transaction decided on the rows, once committed, with the lock state number it left and whether
     * it found the number the node remembered.
     */
    private record Committed<T>(T result, JdbiLockTransaction transaction, long number, boolean confirmed) {
    }

    /** Transactions committed as decided on a remembered state. */
    long decidedOnRemembered() {
        return decidedOnRemembered.sum();
    }

    /** Transactions whose check found the remembered state moved on, and which were decided again on the rows. */
    long decidedAgain() {
        return decidedAgain.sum();
    }

    @Override
    public Instant now() {
        return database.withHandle(database::now);
    }

    /**
     * One statement: the appointment's existence, its lease row and the database's clock. Under load,
     * concurrent readings share statements ({@link CoalescedReads}, {@link #READ_LEASES}).
     */
    @Override
    public LeaseReading readLease(UUID appointmentId) {
        return leaseReadings.read(appointmentId);
    }

    /** The lease reading of every appointment {@code asked} gives (a row source of one uuid column). */
    private static String readingLeases(String asked) {
        return "SELECT asked.id AS asked_id, clock_timestamp() AS db_now, a.id IS NOT NULL AS appointment_exists, "
                + Rows.leaseOf("a", "lock_") + " FROM " + asked + " AS asked(id) LEFT JOIN appointments a ON a.id = asked.id";
    }

    private Map<UUID, LeaseReading> readLeases(Set<UUID> appointmentIds) {
        return database.withConnection(connection -> {
            boolean one = appointmentIds.size() == 1;
            try (PreparedStatement statement = connection.prepareStatement(one ? READ_LEASE : READ_LEASES)) {
                if (one) {
                    StatementBatch.bind(statement, List.copyOf(appointmentIds));
                } else {
                    statement.setArray(1, connection.createArrayOf("uuid", appointmentIds.toArray()));
                }
                Map<UUID, LeaseReading> readings = new HashMap<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        UUID appointmentId = Rows.uuid(rows, "asked_id");
                        Optional<AppointmentLock> lease = rows.getObject("lock_id") == null
                                ? Optional.empty() : Optional.of(Rows.lock(rows, "lock_"));
                        readings.put(appointmentId, new LeaseReading(rows.getBoolean("appointment_exists"), lease,
                                database.onStoreClock(Rows.instant(rows, "db_now"))));
                    }
                }
                return readings;
            }
        });
    }

    @Override
    public Optional<AppointmentLock> findLock(UUID appointmentId) {
        return database.withHandle(handle -> handle.createQuery(
                        "SELECT " + Rows.LOCK_COLUMNS + " FROM " + Rows.LEASES + " AS l WHERE appointment_id = :id")
                .bind("id", appointmentId)
                .map((rs, ctx) -> Rows.lock(rs))
                .findOne());
    }

    @Override
    public Map<UUID, AppointmentLock> findLocks(Collection<UUID> appointmentIds) {
        if (appointmentIds.isEmpty()) {
            return Map.of();
        }
        List<AppointmentLock> rows = database.withHandle(handle -> handle.createQuery(
                        "SELECT " + Rows.LOCK_COLUMNS + " FROM " + Rows.LEASES + " AS l WHERE appointment_id = ANY(:ids)")
                .bindArray("ids", UUID.class, appointmentIds)
                .map((rs, ctx) -> Rows.lock(rs))
                .list());
        Map<UUID, AppointmentLock> byAppointment = new HashMap<>();
        rows.forEach(lock -> byAppointment.put(lock.appointmentId(), lock));
        return byAppointment;
    }

    @Override
    public List<AppointmentLock> findAllLocks() {
        return database.withHandle(handle -> handle.createQuery(
                        "SELECT " + Rows.LOCK_COLUMNS + " FROM " + Rows.LEASES + " AS l ORDER BY created_at, id")
                .map((rs, ctx) -> Rows.lock(rs))
                .list());
    }

    @Override
    public List<AppointmentLock> findExpiredLocks(int limit) {
        return database.withHandle(handle -> handle.createQuery(
                        "SELECT " + Rows.LOCK_COLUMNS + " FROM " + Rows.LEASES + " AS l"
                                + " WHERE expires_at <= " + Database.NOW
                                + " ORDER BY expires_at LIMIT :limit")
                .bind("offsetMicros", database.offsetMicros())
                .bind("limit", limit)
                .map((rs, ctx) -> Rows.lock(rs))
                .list());
    }

    @Override
    public List<UUID> findDueAppointments(int limit) {
        return database.withHandle(handle -> handle.createQuery(
                        "SELECT appointment_id FROM appointment_due_steps WHERE due_at <= " + Database.NOW
                                + " ORDER BY due_at LIMIT :limit")
                .bind("offsetMicros", database.offsetMicros())
                .bind("limit", limit)
                .mapTo(UUID.class)
                .list());
    }

    /**
     * Reads come from the opening round trip (or the remembered state), kept current through the
     * transaction's own writes; writes wait in {@link #writes}, events in {@link #events}, until the
     * end. No command reads rows the queued writes could change: the one that runs SQL of its own,
     * {@link #nextFencingToken()} when no token was taken ahead, reads only the sequence. A command
     * that ever needs to read rows would first have to send the queued writes (without the commit,
     * which travels with them now) or it would not see them. Decided on a remembered state, a command
     * that needs SQL of its own sends the transaction back to be decided on the rows.
     */
    private final class JdbiLockTransaction implements LockTransaction {
        // Null while decided on a remembered state: nothing is sent until the end.
        private final Connection connection;
        private final UUID appointmentId;
        private final Instant now;
        private final StatementBatch writes = new StatementBatch();
        private final List<String> events = new ArrayList<>();
        private final List<EditRequest> openRequests;
        private boolean appointmentExists;
        // Null until first asked for: most lock operations only ask whether the appointment exists.
        private Optional<Appointment> appointment;
        private Optional<AppointmentLock> lock;
        // The id of the lease the transaction found (null for none), and whether the transaction changed the lease since.
        private final UUID leaseFoundId;
        private boolean leaseChanged;
        private Instant dueAt;
        private long lastTicket;
        private Optional<FencingToken> reservedToken;

        JdbiLockTransaction(Connection connection, UUID appointmentId, LockedAppointment opening) {
            this.connection = connection;
            this.appointmentId = appointmentId;
            this.now = opening.now();
            this.appointmentExists = opening.exists();
            this.lock = opening.lease();
            this.leaseFoundId = lock.map(AppointmentLock::id).orElse(null);
            this.dueAt = opening.dueAt();
            this.lastTicket = opening.queue().lastTicket();
            this.openRequests = new ArrayList<>(opening.queue().open());
            this.reservedToken = opening.nextToken();
        }

        /** Decided on a remembered state: an appointment that exists, with nobody in line and no step due. */
        JdbiLockTransaction(UUID appointmentId, RememberedLockStates.Guess guess) {
            RememberedLockStates.State state = guess.state();
            this.connection = null;
            this.appointmentId = appointmentId;
            this.now = guess.at();
            this.appointmentExists = true;
            this.lock = state.lease();
            this.leaseFoundId = lock.map(AppointmentLock::id).orElse(null);
            this.dueAt = null;
            this.lastTicket = state.lastTicket();
            this.openRequests = new ArrayList<>();
            this.reservedToken = state.nextToken();
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
        public boolean appointmentExists() {
            return appointmentExists;
        }

        @Override
        public Optional<Appointment> appointment() {
            if (!appointmentExists) {
                return Optional.empty();
            }
            if (appointment == null) {
                appointment = LockedAppointment.details(rows(), appointmentId);
            }
            return appointment;
        }

        @Override
        public Optional<AppointmentLock> lock() {
            return lock;
        }

        @Override
        public EditQueue editQueue() {
            return new EditQueue(openRequests, lastTicket);
        }

        @Override
        public FencingToken nextFencingToken() {
            if (reservedToken.isPresent()) {
                FencingToken token = reservedToken.get();
                reservedToken = Optional.empty();
                return token;
            }
            // A handoff or a takeover: a live lease was found, so no token was taken ahead.
            try (PreparedStatement statement = rows().prepareStatement(NEXT_TOKEN);
                 ResultSet rows = statement.executeQuery()) {
                rows.next();
                return new FencingToken(rows.getLong(1));
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException("could not take a fencing token", e, null);
            }
        }

        /** Leases change in the transaction's view only; the last one is written with the raised number, at the end. */
        @Override
        public void insertLock(AppointmentLock lease) {
            requireOwnAppointment(lease.appointmentId());
            if (lock.isPresent()) {
                throw new IllegalStateException("appointment " + appointmentId + " has a lease: " + lock.get().id());
            }
            lock = Optional.of(lease);
            leaseChanged = true;
        }

        @Override
        public void updateLock(AppointmentLock lease) {
            requireOwnAppointment(lease.appointmentId());
            requireCurrentLease(lease);
            lock = Optional.of(lease);
            leaseChanged = true;
        }

        @Override
        public void deleteLock(AppointmentLock lease) {
            requireCurrentLease(lease);
            lock = Optional.empty();
            leaseChanged = true;
        }

        @Override
        public void updateAppointment(Appointment changed) {
            requireOwnAppointment(changed.id());
            writes.addChangingOneRow("UPDATE appointments SET title = ?, description = ?, starts_at = ?, ends_at = ?,"
                            + " location = ?, attendees = CAST(? AS jsonb), status = ?, version = ?, updated_at = ?"
                            + " WHERE id = ?",
                    "no such appointment: " + changed.id(),
                    changed.details().title(), changed.details().description(), changed.details().startsAt(),
                    changed.details().endsAt(), changed.details().location(), Rows.toJson(changed.details().attendees()),
                    changed.details().status().wireName(), changed.version(), changed.updatedAt(), changed.id());
            appointment = Optional.of(changed);
        }

        /** Its lease, requests and due step go with it (by cascade); its history stays. */
        @Override
        public void deleteAppointment() {
            writes.add("DELETE FROM appointments WHERE id = ?", appointmentId);
            appointmentExists = false;
            appointment = Optional.empty();
            lock = Optional.empty();
            dueAt = null;
            lastTicket = 0;
            openRequests.clear();
        }

        @Override
        public void appendHistory(LockHistoryEntry entry) {
            writes.add("INSERT INTO lock_history (" + Rows.HISTORY_COLUMNS + ") VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?,"
                            + " ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))",
                    entry.id(), entry.appointmentId(), entry.lockId(), entry.userId(), Rows.userInfo(entry.holder()),
                    entry.action().wireName(), entry.at(), entry.fencingToken().value(), entry.durationSeconds(),
                    entry.renewals(), entry.releasedBy(), entry.reason(), Rows.toJson(entry.metadata()));
        }

        @Override
        public void insertEditRequest(EditRequest request) {
            requireOwnAppointment(request.appointmentId());
            writes.add("INSERT INTO edit_requests (" + Rows.EDIT_REQUEST_COLUMNS + ") VALUES (?, ?, ?, CAST(? AS jsonb),"
                            + " ?, ?, ?, ?, ?, ?, ?)",
                    request.id(), request.appointmentId(), request.requester().userId(),
                    Rows.userInfo(request.requester()), request.message(), request.createdAt(),
                    request.state().wireName(), request.ticket(), request.offeredUntil(), request.updatedAt(),
                    request.reason());
            apply(request);
        }

        @Override
        public void updateEditRequest(EditRequest request) {
            requireOwnAppointment(request.appointmentId());
            writes.addChangingOneRow("UPDATE edit_requests SET state = ?, offered_until = ?, updated_at = ?, reason = ?"
                            + " WHERE id = ? AND appointment_id = ?",
                    "no such edit request: " + request.id(),
                    request.state().wireName(), request.offeredUntil(), request.updatedAt(), request.reason(),
                    request.id(), appointmentId);
            apply(request);
        }

        /** An unchanged instant writes nothing: the core calls this at the end of most transactions. */
        @Override
        public void scheduleDueStep(Instant due) {
            if (Objects.equals(due, dueAt)) {
                return;
            }
            if (due == null) {
                writes.add("DELETE FROM appointment_due_steps WHERE appointment_id = ?", appointmentId);
            } else {
                requireOwnAppointment(appointmentId);
                writes.add("INSERT INTO appointment_due_steps (appointment_id, due_at) VALUES (?, ?)"
                        + " ON CONFLICT (appointment_id) DO UPDATE SET due_at = EXCLUDED.due_at", appointmentId, due);
            }
            dueAt = due;
        }

        @Override
        public void publish(DomainEvent event) {
            // Encoded now, so an event that cannot be sent fails the work that published it.
            events.add(EventCodec.encode(event));
        }

        /**
         * Sends the raised lock state number (with the lease, where the transaction changed it), the queued
         * writes, then the published events in one statement, in order, then the {@code COMMIT}, all in one
         * round trip; NOTIFY delivers the events on that commit. A transaction that wrote nothing is committed
         * by the caller, its number unchanged. Answers whether it wrote.
         */
        boolean sendWritesAndCommit() {
            NotifyEventBus.notifyInOrder(writes, events);
            events.clear();
            if (writes.isEmpty() && !writesLease()) {
                return false;
            }
            StatementBatch raise = new StatementBatch();
            if (writesLease()) {
                raise.addChangingOneRow(RAISE_NUMBER_WRITING_LEASE, "the lease of appointment " + appointmentId
                        + " is no longer the one its transaction found", withLease(List.of(), appointmentId, leaseFoundId));
            } else {
                raise.add(RAISE_NUMBER, appointmentId);
            }
            send(connection, raise, false, row -> { });
            return true;
        }

        /**
         * Sends the check that the remembered state is still current (writing the lease, where the transaction
         * changed it), the queued writes, the events and the {@code COMMIT}, all in one round trip. A
         * transaction that writes nothing only checks. Answers whether it wrote (and so raised the lock state
         * number).
         */
        boolean checkWritesAndCommit(Connection on, RememberedLockStates.Guess guess) {
            NotifyEventBus.notifyInOrder(writes, events);
            events.clear();
            boolean writing = !writes.isEmpty() || writesLease();
            StatementBatch check = writesLease()
                    ? new StatementBatch().add(CHECK_REMEMBERED_WRITING_LEASE, withLease(Arrays.asList(appointmentId,
                            guess.state().number(), database.offsetMicros(), guess.at(), guess.latest(), leaseFoundId)))
                    : new StatementBatch().add(CHECK_REMEMBERED, appointmentId, guess.state().number(), writing,
                            database.offsetMicros(), guess.at(), guess.latest());
            send(on, check, true, row -> remembered.storeClockRead(row.getObject(1, OffsetDateTime.class).toInstant()));
            return writing;
        }

        /** Whether the lease is written at the end: it changed, and the appointment (whose row holds it) stays. */
        private boolean writesLease() {
            return leaseChanged && appointmentExists;
        }

        /** {@code before}, then the lease's nine columns as {@link #LEASE_SET} takes them (all null for none), then {@code after}. */
        private Object[] withLease(List<Object> before, Object... after) {
            List<Object> values = new ArrayList<>(before);
            if (lock.isPresent()) {
                AppointmentLock lease = lock.get();
                values.addAll(Arrays.asList(lease.id(), lease.holderId(), Rows.userInfo(lease.holder()),
                        lease.createdAt(), lease.expiresAt(), lease.version(), lease.fencingToken().value(),
                        lease.renewals(), lease.lastActiveAt()));
            } else {
                values.addAll(Collections.nCopies(9, null));
            }
            values.addAll(Arrays.asList(after));
            return values.toArray();
        }

        /** The first row a statement answers. */
        @FunctionalInterface
        private interface Answer {
            void read(ResultSet row) throws SQLException;
        }

        /**
         * Sends, in one round trip: the next lease's token where one is taken ahead, {@code opening} (whose
         * one statement answers a row for {@code openingAnswer} where {@code answers}), the queued writes
         * and the {@code COMMIT}.
         */
        private void send(Connection on, StatementBatch opening, boolean answers, Answer openingAnswer) {
            StatementBatch batch = new StatementBatch();
            int token = takesTokenAhead() ? 0 : -1;
            if (token == 0) {
                batch.add(NEXT_TOKEN);
            }
            batch.addAll(opening).addAll(writes).sendAndCommit(on, token + 1 + (answers ? 1 : 0), (statement, row) -> {
                if (statement == token) {
                    reservedToken = Optional.of(new FencingToken(row.getLong(1)));
                } else {
                    openingAnswer.read(row);
                }
            });
        }

        /**
         * Tells the node what this committed transaction left, under the lock state number it left.
         * {@code confirmed}: it found the number the node remembered before it.
         */
        void rememberCommitted(long number, boolean confirmed) {
            if (!appointmentExists) {
                remembered.forget(appointmentId);
                return;
            }
            remembered.remember(appointmentId, new RememberedLockStates.State(number, confirmed, decidable(), lock,
                    lastTicket, now, reservedToken));
        }

        /** Whether a later transaction may be decided on this one's state: nobody in line, no step due. */
        private boolean decidable() {
            return appointmentExists && openRequests.isEmpty() && dueAt == null;
        }

        /** A remembered state with no live lease keeps a token taken ahead for the next lease. */
        private boolean takesTokenAhead() {
            return decidable() && reservedToken.isEmpty()
                    && lock.filter(lease -> lease.isLiveAt(now)).isEmpty();
        }

        /** The connection, for work that needs the rows; a transaction decided on a remembered state has none. */
        private Connection rows() {
            if (connection == null) {
                throw new NeedsRows();
            }
            return connection;
        }

        /** Applies a written request: open ones stay in line (the queue sorts by ticket), closed ones leave it. */
        private void apply(EditRequest request) {
            lastTicket = Math.max(lastTicket, request.ticket());
            openRequests.removeIf(open -> open.id().equals(request.id()));
            if (request.state().isOpen()) {
                openRequests.add(request);
            }
        }

        private void requireCurrentLease(AppointmentLock lease) {
            if (lock.filter(current -> current.id().equals(lease.id())).isEmpty()) {
                throw new IllegalStateException("no such lease of appointment " + appointmentId + ": " + lease.id());
            }
        }

        private void requireOwnAppointment(UUID candidate) {
            if (!candidate.equals(appointmentId) || !appointmentExists) {
                throw new IllegalStateException("appointment " + candidate + " is not the one of this transaction ("
                        + appointmentId + ") or does not exist");
            }
        }
    }
}
