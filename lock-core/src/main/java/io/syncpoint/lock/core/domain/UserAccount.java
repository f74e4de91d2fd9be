package io.syncpoint.lock.core.domain;

import java.time.Instant;
import java.util.UUID;

/** A person who can sign in. {@code passwordHash} never leaves the core and the stores. */
public record UserAccount(UUID id, String email, String name, Role role, String passwordHash, Instant createdAt) {
    public static final int MIN_PASSWORD_LENGTH = 8;
    public static final int MAX_PASSWORD_LENGTH = 72;

    public UserAccount {
        Check.present("id", id);
        email = Check.email("email", email);
        name = Check.text("name", name, 1, 100);
        Check.present("role", role);
        Check.present("passwordHash", passwordHash);
        Check.present("createdAt", createdAt);
    }

    public UserAccount withRole(Role newRole) {
        return new UserAccount(id, email, name, newRole, passwordHash, createdAt);
    }

    public Actor asActor() {
        return new Actor(id, email, name, role);
    }

    @Override
    public String toString() {
        return "UserAccount[id=" + id + ", email=" + email + ", role=" + role + "]";
    }
}
