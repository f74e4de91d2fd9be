package io.syncpoint.lock.core.domain;

import java.util.Locale;

/** The lock state of an appointment as seen by one caller. */
public enum LockState {
    UNLOCKED,
    LOCKED_BY_USER,
    LOCKED_BY_OTHER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LockState of(AppointmentLock liveLock, java.util.UUID callerId) {
        if (liveLock == null) {
            return UNLOCKED;
        }
        return liveLock.isHeldBy(callerId) ? LOCKED_BY_USER : LOCKED_BY_OTHER;
    }
}
