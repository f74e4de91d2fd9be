package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.LockState;
import io.syncpoint.lock.core.domain.Outcome;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

public interface GetLockStatus {
    Outcome<LockStatus> status(Actor actor, UUID appointmentId);

    /** The live lease, if any, as the caller sees it, and the store's time of the reading. */
    record LockStatus(LockState state, Optional<AppointmentLock> lock, Instant serverTime) {
    }
}
