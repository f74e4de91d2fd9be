package io.syncpoint.lock.core.domain;

import java.util.UUID;

/**
 * Who holds a lease, as shown to everyone else: name, email and optionally where in the appointment
 * they are working ({@code position}, a short free-form label such as a field name).
 */
public record LockHolder(UUID userId, String name, String email, String position) {
    public static final int MAX_POSITION_LENGTH = 200;

    public LockHolder {
        Check.present("userId", userId);
        Check.present("name", name);
        Check.present("email", email);
        position = Check.optionalText("position", position, MAX_POSITION_LENGTH);
    }

    public LockHolder at(String newPosition) {
        return new LockHolder(userId, name, email, newPosition);
    }
}
