package io.syncpoint.lock.core.domain;

import java.time.Duration;
import java.time.Instant;

/** How long a lease lives without renewal. Every grant and every renewal runs until now + ttl. */
public record LeasePolicy(Duration ttl) {
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(300);
    private static final Duration MAX_TTL = Duration.ofDays(1);

    public LeasePolicy {
        Check.present("ttl", ttl);
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new ValidationException("ttl", "must be between 1 second and 1 day");
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
