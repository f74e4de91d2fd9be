package io.syncpoint.lock.core.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;

/** What an editor may change on an appointment, valid by construction. */
public record AppointmentDetails(
        String title,
        String description,
        Instant startsAt,
        Instant endsAt,
        String location,
        List<String> attendees,
        AppointmentStatus status) {

    public static final int MAX_TITLE = 200;
    public static final int MAX_DESCRIPTION = 10_000;
    public static final int MAX_LOCATION = 500;
    public static final int MAX_ATTENDEES = 200;

    public AppointmentDetails {
        title = Check.text("title", title, 1, MAX_TITLE);
        description = Check.optionalMultilineText("description", description, MAX_DESCRIPTION);
        // Microseconds: the finest time every store keeps, so an appointment reads back as it was written.
        startsAt = Check.storable("startsAt", startsAt).truncatedTo(ChronoUnit.MICROS);
        endsAt = Check.storable("endsAt", endsAt).truncatedTo(ChronoUnit.MICROS);
        if (!endsAt.isAfter(startsAt)) {
            throw new ValidationException("endsAt", "must be after startsAt");
        }
        location = Check.optionalText("location", location, MAX_LOCATION);
        attendees = normalizedAttendees(attendees);
        status = status == null ? AppointmentStatus.SCHEDULED : status;
    }

    private static List<String> normalizedAttendees(List<String> attendees) {
        if (attendees == null) {
            return List.of();
        }
        if (attendees.size() > MAX_ATTENDEES) {
            throw new ValidationException("attendees", "must have at most " + MAX_ATTENDEES + " entries");
        }
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (int i = 0; i < attendees.size(); i++) {
            unique.add(Check.email("attendees[" + i + "]", attendees.get(i)));
        }
        return List.copyOf(unique);
    }
}
