package io.syncpoint.lock.core.port.out;

import java.util.UUID;

public interface PasswordHasher {
    String hash(String password);

    boolean matches(String password, String hash);

    /**
     * A hash to check against when no account has the email, so that an unknown email costs the same
     * time as a wrong password. It is the hash of a password nobody knows.
     */
    default String decoyHash() {
        return hash(UUID.randomUUID().toString());
    }
}
