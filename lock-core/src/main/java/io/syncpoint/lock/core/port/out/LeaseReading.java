package io.syncpoint.lock.core.port.out;

import io.syncpoint.lock.core.domain.AppointmentLock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An appointment's lease as read at one instant: whether the appointment exists, its lease row
 * (live or not yet swept) and the store's time of the reading, so the caller decides liveness
 * with the same clock the store uses.
 */
public record LeaseReading(boolean appointmentExists, Optional<AppointmentLock> lease, Instant now) {
    public LeaseReading {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(now, "now");
        if (!appointmentExists && lease.isPresent()) {
            throw new IllegalArgumentException("a lease without its appointment: " + lease.get().id());
        }
    }
}
