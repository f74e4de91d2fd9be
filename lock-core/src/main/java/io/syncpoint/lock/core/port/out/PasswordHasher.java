package io.syncpoint.lock.core.port.out;

public interface PasswordHasher {
    String hash(String password);

    boolean matches(String password, String hash);
}
