package io.syncpoint.lock.core.port.out;

import java.util.UUID;

@FunctionalInterface
public interface IdGenerator {
    UUID newId();

    static IdGenerator random() {
        return UUID::randomUUID;
    }
}
