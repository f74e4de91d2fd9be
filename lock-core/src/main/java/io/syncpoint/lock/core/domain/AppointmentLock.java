package io.syncpoint.lock.core.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A lease: the exclusive, time-limited right of one user to edit one appointment.
 *
 * <p>{@code version} starts at 1 and goes up by one on every change of this lease (renewal, new
 * position); {@code fencingToken} stays for the lease's whole life. {@code renewals} counts renewals
 * for the history row that ends the lease. {@code lastActiveAt} is when the holder last worked on the
 * appointment as far as the lease knows: the grant, or the latest renewal that said the holder was active.
 */
public record AppointmentLock(
        UUID id,
        UUID appointmentId,
        LockHolder holder,
        Instant createdAt,
        Instant expiresAt,
        long version,
        FencingToken fencingToken,
        int renewals,
        Instant lastActiveAt) {

    public AppointmentLock {
        Check.present("id", id);
        Check.present("appointmentId", appointmentId);
        Check.present("holder", holder);
        Check.present("createdAt", createdAt);
        Check.present("expiresAt", expiresAt);
        Check.present("fencingToken", fencingToken);
        Check.present("lastActiveAt", lastActiveAt);
        Check.positive("version", version);
        if (!expiresAt.isAfter(createdAt)) {
            throw new ValidationException("expiresAt", "must be after createdAt");
        }
        if (lastActiveAt.isBefore(createdAt)) {
            throw new ValidationException("lastActiveAt", "must not be before createdAt");
        }
        if (renewals < 0) {
            throw new ValidationException("renewals", "must not be negative");
        }
    }

    /** A new lease, version 1. */
    public static AppointmentLock grant(UUID id, UUID appointmentId, LockHolder holder, Instant now,
                                        LeasePolicy policy, FencingToken token) {
        return new AppointmentLock(id, appointmentId, holder, now, policy.expiryFrom(now), 1, token, 0, now);
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

    /**
     * The same lease, extended to now + ttl, one version up; a new position replaces the old one when
     * given. An active renewal (the holder worked since the last one) moves {@code lastActiveAt} to now.
     */
    public AppointmentLock renew(Instant now, LeasePolicy policy, String position, boolean active) {
        LockHolder movedHolder = position == null ? holder : holder.at(position);
        return new AppointmentLock(id, appointmentId, movedHolder, createdAt, policy.expiryFrom(now),
                version + 1, fencingToken, renewals + 1, active ? now : lastActiveAt);
    }

    /** The holder is idle once {@code idle} has passed since they were last active. */
    public boolean isIdleAt(Instant now, Duration idle) {
        return !now.isBefore(lastActiveAt.plus(idle));
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
