package io.syncpoint.lock.persistence.jdbi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.AppointmentStatus;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.EditRequestState;
import io.syncpoint.lock.core.domain.FencingToken;
import io.syncpoint.lock.core.domain.HistoryAction;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.domain.LockHolder;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.argument.Argument;

/** Rows to domain values and back; the table layout stays private to this package. */
final class Rows {
    static final String APPOINTMENT_COLUMNS = "id, title, description, starts_at, ends_at, location, attendees, status,"
            + " version, created_by, created_at, updated_at";
    static final String LOCK_COLUMNS = "id, appointment_id, holder_id, user_info, created_at, expires_at, version,"
            + " fencing_token, renewals, last_active_at";
    /**
     * The leases, as a row source with {@link #LOCK_COLUMNS}: a lease lives in its appointment's row (V9).
     * PostgreSQL plans it as the appointments it filters, so a look-up by id uses the table's key.
     */
    static final String LEASES = "(SELECT " + leaseOf("appointments", "") + " FROM appointments WHERE lease_id IS NOT NULL)";

    static final String EDIT_REQUEST_COLUMNS = "id, appointment_id, requester_id, requester_info, message, created_at,"
            + " state, ticket, offered_until, updated_at, reason";
    static final String HISTORY_COLUMNS = "id, appointment_id, lock_id, user_id, user_info, action, at, fencing_token,"
            + " duration_seconds, renewals, released_by, reason, metadata";
    static final String USER_COLUMNS = "id, email, name, role, password_hash, created_at";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private Rows() {
    }

    /** Binds an instant as {@code timestamptz}, independent of the JVM's time zone. */
    static Argument timestamp(Instant instant) {
        return (position, statement, ctx) -> {
            if (instant == null) {
                statement.setNull(position, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                statement.setObject(position, instant.atOffset(ZoneOffset.UTC));
            }
        };
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    static Appointment appointment(ResultSet rs) throws SQLException {
        AppointmentDetails details = new AppointmentDetails(
                rs.getString("title"),
                rs.getString("description"),
                instant(rs, "starts_at"),
                instant(rs, "ends_at"),
                rs.getString("location"),
                fromJson(rs.getString("attendees"), STRINGS),
                AppointmentStatus.fromWireName("status", rs.getString("status")));
        return new Appointment(uuid(rs, "id"), details, rs.getLong("version"), uuid(rs, "created_by"),
                instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    static AppointmentLock lock(ResultSet rs) throws SQLException {
        return lock(rs, "");
    }

    /** The lease in columns named {@code prefix + column}, as in a join. */
    static AppointmentLock lock(ResultSet rs, String prefix) throws SQLException {
        Instant createdAt = instant(rs, prefix + "created_at");
        // Written by a node of a release before V6 during a rolling upgrade: the grant is the last activity known.
        Instant lastActiveAt = instant(rs, prefix + "last_active_at");
        return new AppointmentLock(
                uuid(rs, prefix + "id"),
                uuid(rs, prefix + "appointment_id"),
                holder(uuid(rs, prefix + "holder_id"), rs.getString(prefix + "user_info")),
                createdAt,
                instant(rs, prefix + "expires_at"),
                rs.getLong(prefix + "version"),
                new FencingToken(rs.getLong(prefix + "fencing_token")),
                rs.getInt(prefix + "renewals"),
                lastActiveAt == null ? createdAt : lastActiveAt);
    }

    /** The edit request in columns named {@code prefix + column}, as in a join. */
    static EditRequest editRequest(ResultSet rs, String prefix) throws SQLException {
        return new EditRequest(
                uuid(rs, prefix + "id"),
                uuid(rs, prefix + "appointment_id"),
                holder(uuid(rs, prefix + "requester_id"), rs.getString(prefix + "requester_info")),
                rs.getString(prefix + "message"),
                instant(rs, prefix + "created_at"),
                EditRequestState.fromWireName(rs.getString(prefix + "state")),
                rs.getLong(prefix + "ticket"),
                instant(rs, prefix + "offered_until"),
                instant(rs, prefix + "updated_at"),
                rs.getString(prefix + "reason"));
    }

    /**
     * The lease in the row of {@code appointment} (a table or its alias) as {@link #LOCK_COLUMNS}, each named
     * {@code prefix + column}; the lease's id is null where the appointment has no lease.
     */
    static String leaseOf(String appointment, String prefix) {
        return selected(LOCK_COLUMNS, appointment, prefix, name -> name.equals("appointment_id") ? "id"
                : name.equals("id") ? "lease_id" : "lease_" + name);
    }

    /** {@code columns} (a comma-separated list) qualified by {@code table} and renamed to {@code prefix + column}. */
    static String aliased(String columns, String table, String prefix) {
        return selected(columns, table, prefix, UnaryOperator.identity());
    }

    /** Each of {@code columns}, read from {@code table}'s column {@code source} gives it, named {@code prefix + column}. */
    private static String selected(String columns, String table, String prefix, UnaryOperator<String> source) {
        StringBuilder select = new StringBuilder();
        for (String column : columns.split(",")) {
            String name = column.strip();
            if (select.length() > 0) {
                select.append(", ");
            }
            select.append(table).append('.').append(source.apply(name)).append(" AS ").append(prefix).append(name);
        }
        return select.toString();
    }

    static LockHistoryEntry historyEntry(ResultSet rs) throws SQLException {
        long duration = rs.getLong("duration_seconds");
        Long durationSeconds = rs.wasNull() ? null : duration;
        int renewalCount = rs.getInt("renewals");
        Integer renewals = rs.wasNull() ? null : renewalCount;
        return new LockHistoryEntry(
                uuid(rs, "id"),
                uuid(rs, "appointment_id"),
                uuid(rs, "lock_id"),
                holder(uuid(rs, "user_id"), rs.getString("user_info")),
                HistoryAction.fromWireName(rs.getString("action")),
                instant(rs, "at"),
                new FencingToken(rs.getLong("fencing_token")),
                durationSeconds,
                renewals,
                uuid(rs, "released_by"),
                rs.getString("reason"),
                fromJson(rs.getString("metadata"), STRING_MAP));
    }

    static UserAccount user(ResultSet rs) throws SQLException {
        return new UserAccount(uuid(rs, "id"), rs.getString("email"), rs.getString("name"),
                Role.fromWireName("role", rs.getString("role")), rs.getString("password_hash"),
                instant(rs, "created_at"));
    }

    /** The holder's display data; the holder's id has a column of its own. */
    static String userInfo(LockHolder holder) {
        ObjectNode info = JSON.createObjectNode()
                .put("name", holder.name())
                .put("email", holder.email());
        if (holder.position() != null) {
            info.put("position", holder.position());
        }
        return info.toString();
    }

    private static LockHolder holder(UUID userId, String userInfo) {
        JsonNode info = readTree(userInfo);
        JsonNode position = info.get("position");
        return new LockHolder(userId, info.path("name").asText(), info.path("email").asText(),
                position == null || position.isNull() ? null : position.asText());
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + value, e);
        }
    }

    private static <T> T fromJson(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON column: " + json, e);
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON column: " + json, e);
        }
    }
}
