package io.syncpoint.lock.core.domain;

import java.time.Instant;
import java.util.UUID;

/** The thing people edit. {@code version} starts at 1 and goes up by one on every saved edit. */
public record Appointment(
        UUID id,
        AppointmentDetails details,
        long version,
        UUID createdBy,
        Instant createdAt,
        Instant updatedAt) {

    public Appointment {
        Check.present("id", id);
        Check.present("details", details);
        Check.positive("version", version);
        Check.present("createdBy", createdBy);
        Check.present("createdAt", createdAt);
        Check.present("updatedAt", updatedAt);
    }

    public static Appointment create(UUID id, AppointmentDetails details, UUID createdBy, Instant now) {
        return new Appointment(id, details, 1, createdBy, now, now);
    }

    public Appointment revise(AppointmentDetails newDetails, Instant now) {
        return new Appointment(id, newDetails, version + 1, createdBy, createdAt, now);
    }
}
