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
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Leases in PostgreSQL. A lock transaction begins by locking the appointment's row
 * ({@code SELECT ... FOR UPDATE}), which serializes every transaction on that appointment across
 * all nodes; the lease change, its history row and its NOTIFY then commit together.
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
            return work.apply(new JdbiLockTransaction(handle, appointmentId, appointment));
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
        // Edit requests are not stored in PostgreSQL yet, so no timed step is ever scheduled.
        return List.of();
    }

    private static Optional<AppointmentLock> selectLock(Handle handle, UUID appointmentId) {
        return handle.createQuery("SELECT " + Rows.LOCK_COLUMNS + " FROM appointment_locks WHERE appointment_id = :id")
                .bind("id", appointmentId)
                .map((rs, ctx) -> Rows.lock(rs))
                .findOne();
    }

    private final class JdbiLockTransaction implements LockTransaction {
        private final Handle handle;
        private final UUID appointmentId;
        private Optional<Appointment> appointment;
        private Instant now;

        JdbiLockTransaction(Handle handle, UUID appointmentId, Optional<Appointment> appointment) {
            this.handle = handle;
            this.appointmentId = appointmentId;
            this.appointment = appointment;
        }

        @Override
        public Instant now() {
            if (now == null) {
                now = database.now(handle);
            }
            return now;
        }

        @Override
        public Optional<Appointment> appointment() {
            return appointment;
        }

        @Override
        public Optional<AppointmentLock> lock() {
            return selectLock(handle, appointmentId);
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
                            + " :renewals)")
                    .bind("id", lock.id())
                    .bind("appointmentId", lock.appointmentId())
                    .bind("holderId", lock.holderId())
                    .bind("userInfo", Rows.userInfo(lock.holder()))
                    .bind("createdAt", Rows.timestamp(lock.createdAt()))
                    .bind("expiresAt", Rows.timestamp(lock.expiresAt()))
                    .bind("version", lock.version())
                    .bind("fencingToken", lock.fencingToken().value())
                    .bind("renewals", lock.renewals())
                    .execute();
        }

        @Override
        public void updateLock(AppointmentLock lock) {
            requireOwnAppointment(lock.appointmentId());
            int updated = handle.createUpdate("UPDATE appointment_locks SET holder_id = :holderId,"
                            + " user_info = CAST(:userInfo AS jsonb), expires_at = :expiresAt, version = :version,"
                            + " renewals = :renewals WHERE id = :id AND appointment_id = :appointmentId")
                    .bind("id", lock.id())
                    .bind("appointmentId", appointmentId)
                    .bind("holderId", lock.holderId())
                    .bind("userInfo", Rows.userInfo(lock.holder()))
                    .bind("expiresAt", Rows.timestamp(lock.expiresAt()))
                    .bind("version", lock.version())
                    .bind("renewals", lock.renewals())
                    .execute();
            requireOneRow(updated, "no such lease row: " + lock.id());
        }

        @Override
        public void deleteLock(AppointmentLock lock) {
            int deleted = handle.createUpdate("DELETE FROM appointment_locks WHERE id = :id AND appointment_id = :appointmentId")
                    .bind("id", lock.id())
                    .bind("appointmentId", appointmentId)
                    .execute();
            requireOneRow(deleted, "no such lease row: " + lock.id());
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
        public void publish(DomainEvent event) {
            NotifyEventBus.notify(handle, event);
        }

        @Override
        public EditQueue editQueue() {
            return EditQueue.empty();
        }

        @Override
        public void insertEditRequest(EditRequest request) {
            throw new UnsupportedOperationException("edit requests are not stored in PostgreSQL yet");
        }

        @Override
        public void updateEditRequest(EditRequest request) {
            throw new UnsupportedOperationException("edit requests are not stored in PostgreSQL yet");
        }

        @Override
        public void scheduleDueStep(Instant dueAtOrNull) {
            if (dueAtOrNull != null) {
                throw new UnsupportedOperationException("timed steps are not stored in PostgreSQL yet");
            }
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
