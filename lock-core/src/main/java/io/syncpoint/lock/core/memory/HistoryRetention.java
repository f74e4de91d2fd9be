package io.syncpoint.lock.core.memory;

import java.time.Duration;
import java.util.Objects;

/**
 * How much lock history the in-memory store keeps: rows older than {@code maxAge} and, past
 * {@code maxEntries} rows, the oldest ones are dropped as new rows arrive, so an embedded server's
 * memory stays bounded however long it runs.
 */
public record HistoryRetention(Duration maxAge, int maxEntries) {
    public static final HistoryRetention DEFAULT = new HistoryRetention(Duration.ofDays(7), 50_000);

    public HistoryRetention {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, not " + maxAge);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, not " + maxEntries);
        }
    }
}
