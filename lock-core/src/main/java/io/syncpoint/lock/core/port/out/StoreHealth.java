package io.syncpoint.lock.core.port.out;

/** Whether the store answers right now; the in-memory store always does. */
@FunctionalInterface
public interface StoreHealth {
    boolean isAvailable();

    static StoreHealth alwaysAvailable() {
        return () -> true;
    }
}
