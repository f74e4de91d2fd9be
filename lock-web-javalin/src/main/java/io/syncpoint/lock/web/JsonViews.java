package io.syncpoint.lock.web;

import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.HistoryAction;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.domain.LockHolder;
import io.syncpoint.lock.core.domain.LockStatistics;
import io.syncpoint.lock.core.domain.Page;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.port.in.AppointmentView;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The JSON shapes of SPEC.md, written out member by member so that a change in a domain record
 * never changes the API by accident. Instants are ISO-8601 strings, fencing tokens numbers.
 */
public final class JsonViews {
    private JsonViews() {
    }

    public static Map<String, Object> lock(AppointmentLock lock) {
        if (lock == null) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", lock.id().toString());
        json.put("appointmentId", lock.appointmentId().toString());
        json.put("userId", lock.holderId().toString());
        json.put("userInfo", userInfo(lock.holder()));
        json.put("createdAt", instant(lock.createdAt()));
        json.put("expiresAt", instant(lock.expiresAt()));
        json.put("version", lock.version());
        json.put("fencingToken", lock.fencingToken().value());
        json.put("lastActiveAt", instant(lock.lastActiveAt()));
        return json;
    }

    /**
     * {@code {id, appointmentId, requester, message, createdAt, state, position}}, plus {@code offeredUntil}
     * while offered and {@code reason} once declined with one. {@code position} (1 = next in line) is null
     * once the request is no longer open.
     */
    public static Map<String, Object> editRequest(EditRequest request, int position) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", request.id().toString());
        json.put("appointmentId", request.appointmentId().toString());
        json.put("requester", person(request.requester()));
        json.put("message", request.message());
        json.put("createdAt", instant(request.createdAt()));
        json.put("state", request.state().wireName());
        json.put("position", request.isOpen() && position > 0 ? position : null);
        if (request.offeredUntil() != null) {
            json.put("offeredUntil", instant(request.offeredUntil()));
        }
        if (request.reason() != null) {
            json.put("reason", request.reason());
        }
        return json;
    }

    /** {@code {userId, name, email}}: who asked, who handed over, who took over. */
    public static Map<String, Object> person(LockHolder holder) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("userId", holder.userId().toString());
        json.put("name", holder.name());
        json.put("email", holder.email());
        return json;
    }

    /** {@code {name, email, position?}}: position only when the holder gave one. */
    public static Map<String, Object> userInfo(LockHolder holder) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", holder.name());
        json.put("email", holder.email());
        if (holder.position() != null) {
            json.put("position", holder.position());
        }
        return json;
    }

    public static Map<String, Object> user(UserAccount user) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", user.id().toString());
        json.put("email", user.email());
        json.put("name", user.name());
        json.put("role", user.role().wireName());
        json.put("createdAt", instant(user.createdAt()));
        return json;
    }

    public static Map<String, Object> appointment(AppointmentView view) {
        return appointment(view.appointment(), view.lock().orElse(null));
    }

    public static Map<String, Object> appointment(Appointment appointment, AppointmentLock liveLock) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", appointment.id().toString());
        json.put("title", appointment.details().title());
        json.put("description", appointment.details().description());
        json.put("startsAt", instant(appointment.details().startsAt()));
        json.put("endsAt", instant(appointment.details().endsAt()));
        json.put("location", appointment.details().location());
        json.put("attendees", appointment.details().attendees());
        json.put("status", appointment.details().status().wireName());
        json.put("version", appointment.version());
        json.put("createdBy", appointment.createdBy().toString());
        json.put("createdAt", instant(appointment.createdAt()));
        json.put("updatedAt", instant(appointment.updatedAt()));
        json.put("lock", lock(liveLock));
        return json;
    }

    public static Map<String, Object> historyEntry(LockHistoryEntry entry) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", entry.id().toString());
        json.put("appointmentId", entry.appointmentId().toString());
        json.put("lockId", entry.lockId().toString());
        json.put("userId", entry.userId().toString());
        json.put("userInfo", userInfo(entry.holder()));
        json.put("action", entry.action().wireName());
        json.put("timestamp", instant(entry.at()));
        json.put("fencingToken", entry.fencingToken().value());
        json.put("duration", entry.durationSeconds());
        json.put("renewalCount", entry.renewals());
        json.put("releasedBy", entry.releasedBy() == null ? null : entry.releasedBy().toString());
        json.put("reason", entry.reason());
        json.put("metadata", entry.metadata());
        return json;
    }

    public static Map<String, Object> statistics(LockStatistics statistics) {
        Map<String, Object> totals = new LinkedHashMap<>();
        for (HistoryAction action : HistoryAction.values()) {
            totals.put(action.wireName(), statistics.total(action));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("appointmentId", statistics.appointmentId().toString());
        json.put("totals", totals);
        json.put("averageDurationSeconds", statistics.averageDurationSeconds());
        json.put("uniqueUsers", statistics.uniqueUsers());
        json.put("currentlyLocked", statistics.currentlyLocked());
        return json;
    }

    public static <T> Map<String, Object> page(Page<T> page, Function<T, Object> item) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("data", page.data().stream().map(item).toList());
        json.put("total", page.total());
        json.put("limit", page.limit());
        json.put("offset", page.offset());
        return json;
    }

    /** A JSON object whose members keep the order given: {@code object("a", 1, "b", 2)}. */
    public static Map<String, Object> object(Object... namesAndValues) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            json.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return json;
    }

    /** The strong entity tag of a version: {@code "3"}. */
    public static String etag(long version) {
        return "\"" + version + "\"";
    }

    private static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
