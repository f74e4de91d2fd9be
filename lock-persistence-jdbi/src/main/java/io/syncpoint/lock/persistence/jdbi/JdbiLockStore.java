package io.syncpoint.lock.persistence.jdbi;

import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.EditQueue;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.FencingToken;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.out.LockStore;
import io.syncpoint.lock.core.port.out.LockTransaction;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Leases in PostgreSQL. A lock transaction begins by locking the appointment's row
 * ({@code SELECT ... FOR UPDATE}), which serializes every transaction on that appointment across
 * all nodes; the lease change, its history row and its NOTIFY then commit together.
 *
 * <p>Round trips are kept few: once the row is locked, one statement reads the clock, the lease
 * row, the open edit requests and the due instant of the next timed step ({@link AppointmentState});
 * the transaction keeps them current through its own writes, so reading them again costs nothing,
 * and its events go out in one statement just before the commit.
 */
final class JdbiLockStore implements LockStore {
    private final Database database;

    JdbiLockStore(Database database) {
        this.database = database;
    }

    @Override
    public <T> T inTransaction(UUID appointmentId, Function<LockTransaction, T> work) {
        return database.inTransaction(handle -> {
            Optional<Appointment> appointment = handle.createQuery(
                            "SELECT " + Rows.APPOINTMENT_COLUMNS + " FROM appointments WHERE id = :id FOR UPDATE")
                    .bind("id", appointmentId)
                    .map((rs, ctx) -> Rows.appointment(rs))
                    .findOne();
            JdbiLockTransaction transaction = new JdbiLockTransaction(handle, appointmentId, appointment);
            T result = work.apply(transaction);
            transaction.sendEvents();
            return result;
        });
    }

    @Override
    public Instant now() {
        return database.withHandle(database::now);
    }

    @Override
    public Optional<AppointmentLock> findLock(UUID appointmentId) {
        return database.withHandle(handle -> selectLock(handle, appointmentId));
    }

    @Override
    public Map<UUID, AppointmentLock> findLocks(Collection<UUID> appointmentIds) {
        if (appointmentIds.isEmpty()) {
            return Map.of();
        }
        List<AppointmentLock> rows = database.withHandle(handle -> handle.createQuery(
                        "SELECT " + Rows.LOCK_COLUMNS + " FROM appointment_locks WHERE appointment_id = ANY(:ids)")
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
                        "SELECT " + Rows.LOCK_COLUMNS + " FROM appointment_locks ORDER BY created_at, id")
                .map((rs, ctx) -> Rows.lock(rs))
                .list());
    }

    @Override
    public List<AppointmentLock> findExpiredLocks(int limit) {
        return database.withHandle(handle -> handle.createQuery(
                        "SELECT " + Rows.LOCK_COLUMNS + " FROM appointment_locks"
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

    private static Optional<AppointmentLock> selectLock(Handle handle, UUID appointmentId) {
        return handle.createQuery("SELECT " + Rows.LOCK_COLUMNS + " FROM appointment_locks WHERE appointment_id = :id")
                .bind("id", appointmentId)
                .map((rs, ctx) -> Rows.lock(rs))
                .findOne();
    }

    /**
     * What a lock transaction reads once its appointment's row is locked, in one statement: nothing
     * else can change these rows until the commit, so they stay true as long as the transaction's
     * own writes are applied to them.
     */
    private static final class AppointmentState {
        private static final String SELECT = "SELECT clock.db_now, "
                + Rows.aliased(Rows.LOCK_COLUMNS, "l", "lock_") + ", due.due_at,"
                + " (SELECT max(ticket) FROM edit_requests WHERE appointment_id = :id) AS last_ticket, "
                + Rows.aliased(Rows.EDIT_REQUEST_COLUMNS, "r", "request_")
                + " FROM (SELECT clock_timestamp() AS db_now) AS clock"
                + " LEFT JOIN appointment_locks l ON l.appointment_id = :id"
                + " LEFT JOIN appointment_due_steps due ON due.appointment_id = :id"
                + " LEFT JOIN edit_requests r ON r.appointment_id = :id AND r.state IN ('pending', 'offered')"
                + " ORDER BY r.ticket";

        final Instant now;
        Optional<AppointmentLock> lock;
        Instant dueAt;
        long lastTicket;
        final List<EditRequest> openRequests = new ArrayList<>();

        private AppointmentState(Instant now, Optional<AppointmentLock> lock, Instant dueAt, long lastTicket) {
            this.now = now;
            this.lock = lock;
            this.dueAt = dueAt;
            this.lastTicket = lastTicket;
        }

        static AppointmentState read(Handle handle, UUID appointmentId, Database database) {
            return handle.createQuery(SELECT)
                    .bind("id", appointmentId)
                    .reduceResultSet(null, (AppointmentState state, ResultSet rs, StatementContext ctx) -> {
                        AppointmentState current = state;
                        if (current == null) {
                            Optional<AppointmentLock> lock = rs.getObject("lock_id") == null
                                    ? Optional.empty() : Optional.of(Rows.lock(rs, "lock_"));
                            current = new AppointmentState(database.onStoreClock(Rows.instant(rs, "db_now")), lock,
                                    Rows.instant(rs, "due_at"), rs.getLong("last_ticket"));
                        }
                        if (rs.getObject("request_id") != null) {
                            current.openRequests.add(Rows.editRequest(rs, "request_"));
                        }
                        return current;
                    });
        }

        /** Applies a written request: open ones stay in the queue in ticket order, closed ones leave it. */
        void apply(EditRequest request) {
            lastTicket = Math.max(lastTicket, request.ticket());
            openRequests.removeIf(open -> open.id().equals(request.id()));
            if (request.state().isOpen()) {
                openRequests.add(request);
                openRequests.sort(Comparator.comparingLong(EditRequest::ticket));
            }
        }

        /** The appointment is gone, and with it (by cascade) its lease, its requests and its due step. */
        void appointmentDeleted() {
            lock = Optional.empty();
            dueAt = null;
            lastTicket = 0;
            openRequests.clear();
        }
    }

    private final class JdbiLockTransaction implements LockTransaction {
        private final Handle handle;
        private final UUID appointmentId;
        private final List<String> events = new ArrayList<>();
        private Optional<Appointment> appointment;
        private AppointmentState state;

        JdbiLockTransaction(Handle handle, UUID appointmentId, Optional<Appointment> appointment) {
            this.handle = handle;
            this.appointmentId = appointmentId;
            this.appointment = appointment;
        }

        /** Read on first use, after the row lock: a transaction that waited must see the time after the wait. */
        private AppointmentState state() {
            if (state == null) {
                state = AppointmentState.read(handle, appointmentId, database);
            }
            return state;
        }

        @Override
        public Instant now() {
            return state().now;
        }

        @Override
        public Optional<Appointment> appointment() {
            return appointment;
        }

        @Override
        public Optional<AppointmentLock> lock() {
            return state().lock;
        }

        @Override
        public EditQueue editQueue() {
            AppointmentState current = state();
            return new EditQueue(current.openRequests, current.lastTicket);
        }

        @Override
        public FencingToken nextFencingToken() {
            return new FencingToken(handle.createQuery("SELECT nextval('fencing_tokens')").mapTo(Long.class).one());
        }

        @Override
        public void insertLock(AppointmentLock lock) {
            requireOwnAppointment(lock.appointmentId());
            handle.createUpdate("INSERT INTO appointment_locks (" + Rows.LOCK_COLUMNS + ") VALUES (:id, :appointmentId,"
                            + " :holderId, CAST(:userInfo AS jsonb), :createdAt, :expiresAt, :version, :fencingToken,"
                            + " :renewals, :lastActiveAt)")
                    .bind("id", lock.id())
                    .bind("appointmentId", lock.appointmentId())
                    .bind("holderId", lock.holderId())
                    .bind("userInfo", Rows.userInfo(lock.holder()))
                    .bind("createdAt", Rows.timestamp(lock.createdAt()))
                    .bind("expiresAt", Rows.timestamp(lock.expiresAt()))
                    .bind("version", lock.version())
                    .bind("fencingToken", lock.fencingToken().value())
                    .bind("renewals", lock.renewals())
                    .bind("lastActiveAt", Rows.timestamp(lock.lastActiveAt()))
                    .execute();
            state().lock = Optional.of(lock);
        }

        @Override
        public void updateLock(AppointmentLock lock) {
            requireOwnAppointment(lock.appointmentId());
            int updated = handle.createUpdate("UPDATE appointment_locks SET holder_id = :holderId,"
                            + " user_info = CAST(:userInfo AS jsonb), expires_at = :expiresAt, version = :version,"
                            + " renewals = :renewals, last_active_at = :lastActiveAt"
                            + " WHERE id = :id AND appointment_id = :appointmentId")
                    .bind("id", lock.id())
                    .bind("appointmentId", appointmentId)
                    .bind("holderId", lock.holderId())
                    .bind("userInfo", Rows.userInfo(lock.holder()))
                    .bind("expiresAt", Rows.timestamp(lock.expiresAt()))
                    .bind("version", lock.version())
                    .bind("renewals", lock.renewals())
                    .bind("lastActiveAt", Rows.timestamp(lock.lastActiveAt()))
                    .execute();
            requireOneRow(updated, "no such lease row: " + lock.id());
            state().lock = Optional.of(lock);
        }

        @Override
        public void deleteLock(AppointmentLock lock) {
            int deleted = handle.createUpdate("DELETE FROM appointment_locks WHERE id = :id AND appointment_id = :appointmentId")
                    .bind("id", lock.id())
                    .bind("appointmentId", appointmentId)
                    .execute();
            requireOneRow(deleted, "no such lease row: " + lock.id());
            state().lock = Optional.empty();
        }

        @Override
        public void updateAppointment(Appointment changed) {
            requireOwnAppointment(changed.id());
            int updated = handle.createUpdate("UPDATE appointments SET title = :title, description = :description,"
                            + " starts_at = :startsAt, ends_at = :endsAt, location = :location,"
                            + " attendees = CAST(:attendees AS jsonb), status = :status, version = :version,"
                            + " updated_at = :updatedAt WHERE id = :id")
                    .bind("id", changed.id())
                    .bind("title", changed.details().title())
                    .bind("description", changed.details().description())
                    .bind("startsAt", Rows.timestamp(changed.details().startsAt()))
                    .bind("endsAt", Rows.timestamp(changed.details().endsAt()))
                    .bind("location", changed.details().location())
                    .bind("attendees", Rows.toJson(changed.details().attendees()))
                    .bind("status", changed.details().status().wireName())
                    .bind("version", changed.version())
                    .bind("updatedAt", Rows.timestamp(changed.updatedAt()))
                    .execute();
            requireOneRow(updated, "no such appointment: " + changed.id());
            appointment = Optional.of(changed);
        }

        @Override
        public void deleteAppointment() {
            handle.createUpdate("DELETE FROM appointments WHERE id = :id").bind("id", appointmentId).execute();
            appointment = Optional.empty();
            state().appointmentDeleted();
        }

        @Override
        public void appendHistory(LockHistoryEntry entry) {
            handle.createUpdate("INSERT INTO lock_history (" + Rows.HISTORY_COLUMNS + ") VALUES (:id, :appointmentId,"
                            + " :lockId, :userId, CAST(:userInfo AS jsonb), :action, :at, :fencingToken, :durationSeconds,"
                            + " :renewals, :releasedBy, :reason, CAST(:metadata AS jsonb))")
                    .bind("id", entry.id())
                    .bind("appointmentId", entry.appointmentId())
                    .bind("lockId", entry.lockId())
                    .bind("userId", entry.userId())
                    .bind("userInfo", Rows.userInfo(entry.holder()))
                    .bind("action", entry.action().wireName())
                    .bind("at", Rows.timestamp(entry.at()))
                    .bind("fencingToken", entry.fencingToken().value())
                    .bind("durationSeconds", entry.durationSeconds())
                    .bind("renewals", entry.renewals())
                    .bind("releasedBy", entry.releasedBy())
                    .bind("reason", entry.reason())
                    .bind("metadata", Rows.toJson(entry.metadata()))
                    .execute();
        }

        @Override
        public void insertEditRequest(EditRequest request) {
            requireOwnAppointment(request.appointmentId());
            handle.createUpdate("INSERT INTO edit_requests (" + Rows.EDIT_REQUEST_COLUMNS + ") VALUES (:id,"
                            + " :appointmentId, :requesterId, CAST(:requesterInfo AS jsonb), :message, :createdAt,"
                            + " :state, :ticket, :offeredUntil, :updatedAt, :reason)")
                    .bind("id", request.id())
                    .bind("appointmentId", request.appointmentId())
                    .bind("requesterId", request.requester().userId())
                    .bind("requesterInfo", Rows.userInfo(request.requester()))
                    .bind("message", request.message())
                    .bind("createdAt", Rows.timestamp(request.createdAt()))
                    .bind("state", request.state().wireName())
                    .bind("ticket", request.ticket())
                    .bind("offeredUntil", Rows.timestamp(request.offeredUntil()))
                    .bind("updatedAt", Rows.timestamp(request.updatedAt()))
                    .bind("reason", request.reason())
                    .execute();
            state().apply(request);
        }

        @Override
        public void updateEditRequest(EditRequest request) {
            requireOwnAppointment(request.appointmentId());
            int updated = handle.createUpdate("UPDATE edit_requests SET state = :state, offered_until = :offeredUntil,"
                            + " updated_at = :updatedAt, reason = :reason WHERE id = :id AND appointment_id = :appointmentId")
                    .bind("id", request.id())
                    .bind("appointmentId", appointmentId)
                    .bind("state", request.state().wireName())
                    .bind("offeredUntil", Rows.timestamp(request.offeredUntil()))
                    .bind("updatedAt", Rows.timestamp(request.updatedAt()))
                    .bind("reason", request.reason())
                    .execute();
            requireOneRow(updated, "no such edit request: " + request.id());
            state().apply(request);
        }

        @Override
        public void scheduleDueStep(Instant dueAt) {
            AppointmentState current = state();
            if (Objects.equals(dueAt, current.dueAt)) {
                return;
            }
            if (dueAt == null) {
                handle.createUpdate("DELETE FROM appointment_due_steps WHERE appointment_id = :id")
                        .bind("id", appointmentId)
                        .execute();
            } else {
                requireOwnAppointment(appointmentId);
                handle.createUpdate("INSERT INTO appointment_due_steps (appointment_id, due_at) VALUES (:id, :dueAt)"
                                + " ON CONFLICT (appointment_id) DO UPDATE SET due_at = EXCLUDED.due_at")
                        .bind("id", appointmentId)
                        .bind("dueAt", Rows.timestamp(dueAt))
                        .execute();
            }
            current.dueAt = dueAt;
        }

        @Override
        public void publish(DomainEvent event) {
            // Encoded now, so an event that cannot be sent fails the work that published it.
            events.add(EventCodec.encode(event));
        }

        /** Sends the published events, in order, in one statement; NOTIFY delivers them only on commit. */
        void sendEvents() {
            NotifyEventBus.notifyInOrder(handle, events);
            events.clear();
        }

        private void requireOwnAppointment(UUID candidate) {
            if (!candidate.equals(appointmentId) || appointment.isEmpty()) {
                throw new IllegalStateException("appointment " + candidate + " is not the one of this transaction ("
                        + appointmentId + ") or does not exist");
            }
        }

        private void requireOneRow(int rows, String message) {
            if (rows != 1) {
                throw new IllegalStateException(message);
            }
        }
    }
}
