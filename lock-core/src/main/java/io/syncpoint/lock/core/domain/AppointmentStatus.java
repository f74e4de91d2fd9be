package io.syncpoint.lock.core.domain;

import java.util.Locale;

public enum AppointmentStatus {
    SCHEDULED,
    COMPLETED,
    CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AppointmentStatus fromWireName(String field, String value) {
        for (AppointmentStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw new ValidationException(field, "must be one of scheduled, completed, cancelled");
    }
}
