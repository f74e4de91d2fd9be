package io.syncpoint.lock.core.domain;

import java.util.Optional;
import java.util.UUID;

/**
 * The optimistic check on a lease. A caller that sends {@code expectedVersion} claims to hold the
 * lease at that version: if it holds no live lease any more, its lease was lost; if the version
 * moved on, that is a conflict. A caller that sends no version makes no claim.
 */
public final class VersionPolicy {
    private VersionPolicy() {
    }

    public static Optional<Rejection> check(AppointmentLock liveLock, UUID callerId, Long expectedVersion) {
        if (expectedVersion == null) {
            return Optional.empty();
        }
        if (liveLock == null || !liveLock.isHeldBy(callerId)) {
            return Optional.of(new Rejection.LockLost());
        }
        if (liveLock.version() != expectedVersion) {
            return Optional.of(new Rejection.VersionConflict(liveLock.version(), expectedVersion));
        }
        return Optional.empty();
    }
}
