package io.syncpoint.lock.core.port.out;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

@FunctionalInterface
public interface IdGenerator {
    UUID newId();

    /** Random UUIDs (version 4) from the JDK's {@code SecureRandom}. */
    static IdGenerator random() {
        return UUID::randomUUID;
    }

    /**
     * Time-ordered UUIDs (version 7, RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. New
     * rows land at the end of a B-tree index instead of anywhere in it, and an id costs a few
     * nanoseconds instead of a {@code SecureRandom} call. They identify rows and are not secrets; the
     * service's secrets (tokens, password salts) come from {@code SecureRandom}.
     */
    static IdGenerator timeOrdered() {
        return () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long high = System.currentTimeMillis() << 16 | 0x7000L | random.nextInt(0x1000);
            long low = random.nextLong() & 0x3fff_ffff_ffff_ffffL | 0x8000_0000_0000_0000L;
            return new UUID(high, low);
        };
    }
}
