package io.syncpoint.lock.core.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A lease: the exclusive, time-limited right of one user to edit one appointment.
 *
 * <p>{@code version} starts at 1 and goes up by one on every change of this lease (renewal, new
 * position); {@code fencingToken} stays for the lease's whole life. {@code renewals} counts renewals
 * for the history row that ends the lease.
 */
public record AppointmentLock(
        UUID id,
        UUID appointmentId,
        LockHolder holder,
        Instant createdAt,
        Instant expiresAt,
        long version,
        FencingToken fencingToken,
        int renewals) {

    public AppointmentLock {
        Check.present("id", id);
        Check.present("appointmentId", appointmentId);
        Check.present("holder", holder);
        Check.present("createdAt", createdAt);
        Check.present("expiresAt", expiresAt);
        Check.present("fencingToken", fencingToken);
        Check.positive("version", version);
        if (!expiresAt.isAfter(createdAt)) {
            throw new ValidationException("expiresAt", "must be after createdAt");
        }
        if (renewals < 0) {
            throw new ValidationException("renewals", "must not be negative");
        }
    }

    /** A new lease, version 1. */
    public static AppointmentLock grant(UUID id, UUID appointmentId, LockHolder holder, Instant now,
                                        LeasePolicy policy, FencingToken token) {
        return new AppointmentLock(id, appointmentId, holder, now, policy.expiryFrom(now), 1, token, 0);
    }

    public UUID holderId() {
        return holder.userId();
    }

    public boolean isHeldBy(UUID userId) {
        return holder.userId().equals(userId);
    }

    /** A lease is live strictly before its expiry instant. */
    public boolean isLiveAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /** The same lease, extended to now + ttl, one version up; a new position replaces the old one when given. */
    public AppointmentLock renew(Instant now, LeasePolicy policy, String position) {
        LockHolder movedHolder = position == null ? holder : holder.at(position);
        return new AppointmentLock(id, appointmentId, movedHolder, createdAt, policy.expiryFrom(now),
                version + 1, fencingToken, renewals + 1);
    }

    /** Whole seconds between the grant and {@code end}. */
    public long durationSecondsUntil(Instant end) {
        return Math.max(0, Duration.between(createdAt, end).toSeconds());
    }

    /** Whole seconds left at {@code now}, rounded up, at least 1: what a refused caller should wait. */
    public long secondsLeftAt(Instant now) {
        long millis = Duration.between(now, expiresAt).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }
}
