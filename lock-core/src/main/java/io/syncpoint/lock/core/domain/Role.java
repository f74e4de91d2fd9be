package io.syncpoint.lock.core.domain;

import java.util.Locale;

/** What a user may do: every user edits under a lease; admins may also end or take over anyone's lease. */
public enum Role {
    USER,
    ADMIN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromWireName(String field, String value) {
        for (Role role : values()) {
            if (role.wireName().equals(value)) {
                return role;
            }
        }
        throw new ValidationException(field, "must be one of user, admin");
    }
}
