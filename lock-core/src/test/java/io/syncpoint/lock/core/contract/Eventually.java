package io.syncpoint.lock.core.contract;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for what another thread or process brings about, asking again every few milliseconds. */
public final class Eventually {
    private static final long POLL_MILLIS = 10;

    private Eventually() {
    }

    /** Whether {@code condition} held at some point within {@code wait}; asked once more at the end. */
    public static boolean holds(Duration wait, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return condition.getAsBoolean();
    }
}
