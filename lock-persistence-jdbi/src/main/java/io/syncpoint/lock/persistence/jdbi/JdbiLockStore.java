package io.syncpoint.lock.persistence.jdbi;

import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.FencingToken;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.out.LeaseReading;
import io.syncpoint.lock.core.port.out.LockStore;
import io.syncpoint.lock.core.port.out.LockTransaction;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Leases in PostgreSQL. A lock transaction begins by locking the appointment's row
 * ({@code SELECT ... FOR UPDATE}), which serializes every transaction on that appointment across
 * all nodes; the lease change, its history row and its NOTIFY then commit together.
 *
 * <p>Round trips are what a lock transaction costs: it reads everything it needs in one
 * ({@link LockedAppointment}), queues its writes and sends them in one ({@link StatementBatch}),
 * and commits: three for an acquire, where each statement once took its own.
 */
final class JdbiLockStore implements LockStore {
    private final Database database;

    JdbiLockStore(Database database) {
        this.database = database;
    }

    @Override
    public <T> T inTransaction(UUID appointmentId, Function<LockTransaction, T> work) {
        return database.inTransaction(handle -> {
            LockedAppointment opening = LockedAppointment.read(handle.getConnection(), appointmentId,
                    database.clockOffset());
            JdbiLockTransaction tx = new JdbiLockTransaction(handle, appointmentId, opening);
            T result = work.apply(tx);
            tx.writes.send(handle.getConnection());
            return result;
        });
    }

    @Override
    public Instant now() {
        return database.withHandle(database::now);
    }

    /** One statement: the appointment's existence, its lease row and the database's clock. */
    @Override
    public LeaseReading readLease(UUID appointmentId) {
        return database.withHandle(handle -> {
            try (PreparedStatement statement = handle.getConnection().prepareStatement(
                    "SELECT clock_timestamp() AS now, EXISTS (SELECT 1 FROM appointments WHERE id = ?) AS appointment_exists,"
                            + " l.id, l.appointment_id, l.holder_id, l.user_info, l.created_at, l.expires_at, l.version,"
                            + " l.fencing_token, l.renewals"
                            + " FROM (SELECT 1) one LEFT JOIN appointment_locks l ON l.appointment_id = ?")) {
                StatementBatch.bind(statement, List.of(appointmentId, appointmentId));
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    Instant now = Rows.instant(rows, "now").plus(database.clockOffset()).truncatedTo(ChronoUnit.MICROS);
                    Optional<AppointmentLock> lease = rows.getObject("id") == null
                            ? Optional.empty() : Optional.of(Rows.lock(rows));
                    return new LeaseReading(rows.getBoolean("appointment_exists"), lease, now);
                }
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException("could not read the lease of " + appointmentId, e, null);
            }
        });
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

    private static Optional<AppointmentLock> selectLock(Handle handle, UUID appointmentId) {
        return handle.createQuery("SELECT " + Rows.LOCK_COLUMNS + " FROM appointment_locks WHERE appointment_id = :id")
                .bind("id", appointmentId)
                .map((rs, ctx) -> Rows.lock(rs))
                .findOne();
    }

    /**
     * Reads come from the opening round trip while nothing is written; writes wait in {@link #writes}
     * until the end. A command that runs its own SQL takes the handle from {@link #flushed()}, so it
     * sees every write queued before it.
     */
    private final class JdbiLockTransaction implements LockTransaction {
        private final Handle handle;
        private final UUID appointmentId;
        private final Instant now;
        private final StatementBatch writes = new StatementBatch();
        private Optional<Appointment> appointment;
        private Optional<AppointmentLock> leaseAsOpened;
        private Optional<FencingToken> reservedToken;

        JdbiLockTransaction(Handle handle, UUID appointmentId, LockedAppointment opening) {
            this.handle = handle;
            this.appointmentId = appointmentId;
            this.appointment = opening.appointment();
            this.leaseAsOpened = opening.lease();
            this.now = opening.now();
            this.reservedToken = opening.nextToken();
        }

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public Optional<Appointment> appointment() {
            return appointment;
        }

        @Override
        public Optional<AppointmentLock> lock() {
            if (leaseAsOpened != null) {
                return leaseAsOpened;
            }
            return selectLock(flushed(), appointmentId);
        }

        @Override
        public FencingToken nextFencingToken() {
            if (reservedToken.isPresent()) {
                FencingToken token = reservedToken.get();
                reservedToken = Optional.empty();
                return token;
            }
            return new FencingToken(handle.createQuery("SELECT nextval('fencing_tokens')").mapTo(Long.class).one());
        }

        @Override
        public void insertLock(AppointmentLock lock) {
            requireOwnAppointment(lock.appointmentId());
            leaseAsOpened = null;
            writes.add("INSERT INTO appointment_locks (" + Rows.LOCK_COLUMNS + ") VALUES (?, ?, ?, CAST(? AS jsonb),"
                            + " ?, ?, ?, ?, ?)",
                    lock.id(), lock.appointmentId(), lock.holderId(), Rows.userInfo(lock.holder()), lock.createdAt(),
                    lock.expiresAt(), lock.version(), lock.fencingToken().value(), lock.renewals());
        }

        @Override
        public void updateLock(AppointmentLock lock) {
            requireOwnAppointment(lock.appointmentId());
            leaseAsOpened = null;
            writes.addChangingOneRow("UPDATE appointment_locks SET holder_id = ?, user_info = CAST(? AS jsonb),"
                            + " expires_at = ?, version = ?, renewals = ? WHERE id = ? AND appointment_id = ?",
                    "no such lease row: " + lock.id(),
                    lock.holderId(), Rows.userInfo(lock.holder()), lock.expiresAt(), lock.version(), lock.renewals(),
                    lock.id(), appointmentId);
        }

        @Override
        public void deleteLock(AppointmentLock lock) {
            leaseAsOpened = null;
            writes.addChangingOneRow("DELETE FROM appointment_locks WHERE id = ? AND appointment_id = ?",
                    "no such lease row: " + lock.id(), lock.id(), appointmentId);
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

        @Override
        public void deleteAppointment() {
            leaseAsOpened = null;
            writes.add("DELETE FROM appointments WHERE id = ?", appointmentId);
            appointment = Optional.empty();
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
        public void publish(DomainEvent event) {
            writes.add("SELECT pg_notify(?, ?)", NotifyEventBus.CHANNEL, EventCodec.encode(event));
        }

        private Handle flushed() {
            writes.send(handle.getConnection());
            return handle;
        }

        private void requireOwnAppointment(UUID candidate) {
            if (!candidate.equals(appointmentId) || appointment.isEmpty()) {
                throw new IllegalStateException("appointment " + candidate + " is not the one of this transaction ("
                        + appointmentId + ") or does not exist");
            }
        }
    }
}
