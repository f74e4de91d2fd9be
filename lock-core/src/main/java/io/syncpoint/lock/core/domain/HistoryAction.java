package io.syncpoint.lock.core.domain;

import java.util.Locale;

/** The lock events kept in the audit history. Renewals are not history rows. */
public enum HistoryAction {
    ACQUIRED,
    RELEASED,
    EXPIRED,
    FORCE_RELEASED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean endsLease() {
        return this != ACQUIRED;
    }

    public static HistoryAction fromWireName(String value) {
        for (HistoryAction action : values()) {
            if (action.wireName().equals(value)) {
                return action;
            }
        }
        throw new IllegalArgumentException("unknown history action: " + value);
    }
}
