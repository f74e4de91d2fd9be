package io.syncpoint.lock.core.domain;

import java.util.UUID;

/** The authenticated caller of a use case. Adapters build it from a verified token, never from a request body. */
public record Actor(UUID userId, String email, String name, Role role) {
    public Actor {
        Check.present("userId", userId);
        Check.present("email", email);
        Check.present("name", name);
        Check.present("role", role);
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** How this actor appears on a lease it holds. */
    public LockHolder asHolder(String position) {
        return new LockHolder(userId, name, email, position);
    }
}
