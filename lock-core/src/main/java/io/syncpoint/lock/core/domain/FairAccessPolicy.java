package io.syncpoint.lock.core.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * The timings of fair access. A holder is idle after {@code idle} without activity; a request that
 * has waited {@code handoff} at the head of the line gets the lease from an idle holder; an offer
 * stands for {@code offer}; clients ask an editor idle for {@code idleRelease} whether they are still
 * editing. At most {@code maxOpenRequests} requests wait per appointment.
 */
public record FairAccessPolicy(Duration idle, Duration handoff, Duration offer, Duration idleRelease,
                               int maxOpenRequests) {
    public static final int DEFAULT_MAX_OPEN_REQUESTS = 20;
    public static final Duration MIN_DURATION = Duration.ofSeconds(1);
    public static final Duration MAX_DURATION = Duration.ofDays(1);

    public FairAccessPolicy {
        idle = sensible("idle", idle);
        handoff = sensible("handoff", handoff);
        offer = sensible("offer", offer);
        idleRelease = sensible("idleRelease", idleRelease);
        if (maxOpenRequests < 1) {
            throw new ValidationException("maxOpenRequests", "must be at least 1");
        }
    }

    public static FairAccessPolicy defaults() {
        return new FairAccessPolicy(Duration.ofSeconds(120), Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(600), DEFAULT_MAX_OPEN_REQUESTS);
    }

    /** When an offer made at {@code now} lapses. */
    public Instant offerEndsFrom(Instant now) {
        return now.plus(offer);
    }

    private static Duration sensible(String field, Duration value) {
        Check.present(field, value);
        if (value.compareTo(MIN_DURATION) < 0 || value.compareTo(MAX_DURATION) > 0) {
            throw new ValidationException(field, "must be at least 1 second and at most 1 day");
        }
        return value;
    }
}
