package io.syncpoint.lock.persistence.jdbi;

import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.FencingToken;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * What a lock transaction reads first, in one round trip: the appointment's row, locked
 * ({@code FOR UPDATE}), then, in a second statement that runs once the lock is held, the lease
 * row, the database's clock and, when there is no live lease, the next fencing token.
 *
 * <p>The second statement must be a statement of its own: a statement waiting for the row lock
 * keeps the snapshot it started with, so a lease committed during the wait would be invisible
 * to it, and its clock would be read before the wait. The driver sends both in one round trip.
 *
 * <p>The token is taken ahead only where a new lease is likely; a transaction that takes one and
 * grants nothing leaves a gap in the sequence, as a rolled-back transaction does. Tokens stay
 * strictly increasing; the contract never promised them consecutive.
 *
 * @param nextToken taken from the sequence ahead; empty where a live lease was found
 */
record LockedAppointment(Optional<Appointment> appointment, Optional<AppointmentLock> lease, Instant now,
                         Optional<FencingToken> nextToken) {

    private static final String SQL = "SELECT " + Rows.APPOINTMENT_COLUMNS + " FROM appointments WHERE id = ? FOR UPDATE;\n"
            + "SELECT clock.now, l.id, l.appointment_id, l.holder_id, l.user_info, l.created_at, l.expires_at, l.version,"
            + " l.fencing_token, l.renewals,"
            + " CASE WHEN EXISTS (SELECT 1 FROM appointments WHERE id = ?)"
            + " AND (l.id IS NULL OR l.expires_at <= clock.now + ? * interval '1 microsecond')"
            + " THEN nextval('fencing_tokens') END AS next_token"
            + " FROM (SELECT clock_timestamp() AS now) clock"
            + " LEFT JOIN appointment_locks l ON l.appointment_id = ?";

    static LockedAppointment read(Connection connection, UUID appointmentId, Duration clockOffset) {
        long offsetMicros = clockOffset.getSeconds() * 1_000_000L + clockOffset.getNano() / 1_000;
        try (PreparedStatement statement = connection.prepareStatement(SQL)) {
            StatementBatch.bind(statement, List.of(appointmentId, appointmentId, offsetMicros, appointmentId));
            statement.execute();
            Optional<Appointment> appointment;
            try (ResultSet rows = statement.getResultSet()) {
                appointment = rows.next() ? Optional.of(Rows.appointment(rows)) : Optional.empty();
            }
            statement.getMoreResults();
            try (ResultSet rows = statement.getResultSet()) {
                rows.next();
                Instant now = Rows.instant(rows, "now").plus(clockOffset).truncatedTo(ChronoUnit.MICROS);
                Optional<AppointmentLock> lease = rows.getObject("id") == null
                        ? Optional.empty() : Optional.of(Rows.lock(rows));
                long token = rows.getLong("next_token");
                Optional<FencingToken> nextToken = rows.wasNull() ? Optional.empty() : Optional.of(new FencingToken(token));
                return new LockedAppointment(appointment, lease, now, nextToken);
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("could not lock appointment " + appointmentId, e, null);
        }
    }
}
