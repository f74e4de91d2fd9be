package io.syncpoint.lock.core.domain;

import java.util.Locale;

/**
 * Where an edit request stands. {@code PENDING} and {@code OFFERED} are open (the request is in the
 * queue); the others are final.
 */
public enum EditRequestState {
    /** Waiting in line. */
    PENDING,
    /** At the head of the line while the appointment is free: only its requester may take the lease. */
    OFFERED,
    /** The requester got the lease. */
    GRANTED,
    /** The holder kept the lease. */
    DECLINED,
    /** The requester gave up. */
    WITHDRAWN,
    /** The offer lapsed, or the appointment was deleted. */
    EXPIRED;

    public boolean isOpen() {
        return this == PENDING || this == OFFERED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EditRequestState fromWireName(String value) {
        for (EditRequestState state : values()) {
            if (state.wireName().equals(value)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown edit request state: " + value);
    }
}
