package io.syncpoint.lock.core.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One row of the audit history. {@code holder} is the lease's holder; {@code releasedBy} is who ended
 * it (the holder, an admin, or nobody for an expiry). A row that ends a lease carries its duration in
 * seconds and how often it was renewed.
 */
public record LockHistoryEntry(
        UUID id,
        UUID appointmentId,
        UUID lockId,
        LockHolder holder,
        HistoryAction action,
        Instant at,
        FencingToken fencingToken,
        Long durationSeconds,
        Integer renewals,
        UUID releasedBy,
        String reason,
        Map<String, String> metadata) {

    public static final int MAX_REASON_LENGTH = 500;

    public LockHistoryEntry {
        Check.present("id", id);
        Check.present("appointmentId", appointmentId);
        Check.present("lockId", lockId);
        Check.present("holder", holder);
        Check.present("action", action);
        Check.present("at", at);
        Check.present("fencingToken", fencingToken);
        reason = Check.optionalText("reason", reason, MAX_REASON_LENGTH);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        if (action.endsLease() != (durationSeconds != null)) {
            throw new ValidationException("durationSeconds", "is given exactly on rows that end a lease");
        }
    }

    public static LockHistoryEntry acquired(UUID id, AppointmentLock lock, Map<String, String> metadata) {
        return new LockHistoryEntry(id, lock.appointmentId(), lock.id(), lock.holder(), HistoryAction.ACQUIRED,
                lock.createdAt(), lock.fencingToken(), null, null, null, null, metadata);
    }

    public static LockHistoryEntry ended(UUID id, AppointmentLock lock, HistoryAction action, Instant at,
                                         UUID releasedBy, String reason) {
        return ended(id, lock, action, at, releasedBy, reason, Map.of());
    }

    public static LockHistoryEntry ended(UUID id, AppointmentLock lock, HistoryAction action, Instant at,
                                         UUID releasedBy, String reason, Map<String, String> metadata) {
        return new LockHistoryEntry(id, lock.appointmentId(), lock.id(), lock.holder(), action, at,
                lock.fencingToken(), lock.durationSecondsUntil(at), lock.renewals(), releasedBy, reason, metadata);
    }

    public UUID userId() {
        return holder.userId();
    }
}
