package io.syncpoint.lock.persistence.jdbi;

import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.EditQueue;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.FencingToken;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * What a lock transaction decided on the rows reads first, in one round trip: whether the appointment
 * exists, its row locked ({@code FOR UPDATE}) with its lock state number (V8), then, in a second
 * statement that runs once the lock is held, the database's clock, the lease row, the instant the next
 * timed step falls due, the highest ticket handed out, the open edit requests in ticket order and, when
 * there is no live lease, the next fencing token.
 *
 * <p>The second statement must be a statement of its own: a statement waiting for the row lock
 * keeps the snapshot it started with, so a lease or request committed during the wait would be
 * invisible to it, and its clock would be read before the wait. The driver sends both in one round
 * trip. Nothing else changes these rows until the commit, so they stay true for the whole
 * transaction as long as its own writes are applied to them.
 *
 * <p>The token is taken ahead only where a new lease is likely; a transaction that takes one and
 * grants nothing leaves a gap in the sequence, as a rolled-back transaction does. Tokens stay
 * strictly increasing; the contract never promised them consecutive.
 *
 * <p>The appointment's details are not read here: the lock rules only ask whether it exists, and
 * decoding its row (attendees' JSON, instants) cost about a seventh of a lock operation's client CPU. A
 * transaction that needs them reads them once the row is locked ({@link #DETAILS_SQL}).
 *
 * @param exists    whether the appointment exists (its row is then locked)
 * @param lockState the appointment's lock state number as this transaction found it; 0 when it does not exist
 * @param dueAt     when the appointment's next timed step falls due; null when none is scheduled
 * @param nextToken taken from the sequence ahead; empty where a live lease was found
 */
record LockedAppointment(boolean exists, long lockState, Optional<AppointmentLock> lease, Instant now,
                         Instant dueAt, EditQueue queue, Optional<FencingToken> nextToken) {

    // One row of clock, lease, due instant, last ticket and token (a CTE: with its volatile functions
    // PostgreSQL evaluates it once, so the sequence is advanced once however many requests are open),
    // repeated beside each open request.
    static final String SQL = "SELECT lock_state FROM appointments WHERE id = ? FOR UPDATE;\n"
            + "WITH head AS (SELECT clock.db_now, " + Rows.leaseOf("a", "lock_") + ", due.due_at,"
            + " (SELECT max(ticket) FROM edit_requests WHERE appointment_id = ?) AS last_ticket,"
            + " CASE WHEN a.id IS NOT NULL"
            + " AND (a.lease_id IS NULL OR a.lease_expires_at <= clock.db_now + ? * interval '1 microsecond')"
            + " THEN nextval('fencing_tokens') END AS next_token"
            + " FROM (SELECT clock_timestamp() AS db_now) AS clock"
            + " LEFT JOIN appointments a ON a.id = ?"
            + " LEFT JOIN appointment_due_steps due ON due.appointment_id = ?)"
            + " SELECT head.*, " + Rows.aliased(Rows.EDIT_REQUEST_COLUMNS, "r", "request_")
            + " FROM head LEFT JOIN edit_requests r ON r.appointment_id = ? AND r.state IN ('pending', 'offered')"
            + " ORDER BY r.ticket";

    /** The appointment's details, read within its transaction once its row is locked. */
    static final String DETAILS_SQL = "SELECT " + Rows.APPOINTMENT_COLUMNS + " FROM appointments WHERE id = ?";

    /** The locked appointment's details, or empty where it does not exist. */
    static Optional<Appointment> details(Connection connection, UUID appointmentId) {
        try (PreparedStatement statement = connection.prepareStatement(DETAILS_SQL)) {
            statement.setObject(1, appointmentId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(Rows.appointment(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("could not read appointment " + appointmentId, e, null);
        }
    }

    static LockedAppointment read(Connection connection, UUID appointmentId, Database database) {
        try (PreparedStatement statement = connection.prepareStatement(SQL)) {
            StatementBatch.bind(statement, List.of(appointmentId, appointmentId, database.offsetMicros(), appointmentId,
                    appointmentId, appointmentId));
            statement.execute();
            boolean exists;
            long lockState;
            try (ResultSet rows = statement.getResultSet()) {
                exists = rows.next();
                lockState = exists ? rows.getLong(1) : 0;
            }
            statement.getMoreResults();
            try (ResultSet rows = statement.getResultSet()) {
                rows.next();
                Instant now = database.onStoreClock(Rows.instant(rows, "db_now"));
                Optional<AppointmentLock> lease = rows.getObject("lock_id") == null
                        ? Optional.empty() : Optional.of(Rows.lock(rows, "lock_"));
                Instant dueAt = Rows.instant(rows, "due_at");
                long lastTicket = rows.getLong("last_ticket");
                long token = rows.getLong("next_token");
                Optional<FencingToken> nextToken = rows.wasNull() ? Optional.empty() : Optional.of(new FencingToken(token));
                List<EditRequest> open = new ArrayList<>();
                do {
                    if (rows.getObject("request_id") != null) {
                        open.add(Rows.editRequest(rows, "request_"));
                    }
                } while (rows.next());
                return new LockedAppointment(exists, lockState, lease, now, dueAt, new EditQueue(open, lastTicket), nextToken);
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("could not lock appointment " + appointmentId, e, null);
        }
    }
}
