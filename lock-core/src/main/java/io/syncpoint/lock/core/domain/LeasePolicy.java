package io.syncpoint.lock.core.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a lease lives without renewal. Every grant and every renewal runs until now + ttl.
 * Clients renew at a third of the lease (at most every 60 s); below {@link #MIN_TTL} a round trip
 * plus a renewal no longer fits, so shorter leases are refused.
 */
public record LeasePolicy(Duration ttl) {
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(300);
    public static final Duration MIN_TTL = Duration.ofSeconds(5);
    public static final Duration MAX_TTL = Duration.ofDays(1);

    public LeasePolicy {
        Check.present("ttl", ttl);
        if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new ValidationException("ttl", "must be at least 5 seconds and at most 1 day");
        }
    }

    public static LeasePolicy ofSeconds(long seconds) {
        return new LeasePolicy(Duration.ofSeconds(seconds));
    }

    public static LeasePolicy standard() {
        return new LeasePolicy(DEFAULT_TTL);
    }

    public Instant expiryFrom(Instant now) {
        return now.plus(ttl);
    }
}
