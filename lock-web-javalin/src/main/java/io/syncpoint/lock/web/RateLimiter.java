package io.syncpoint.lock.web;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Token buckets per caller: one for every request, a tighter one for lock attempts. */
final class RateLimiter {
    /** Past this many callers the buckets are dropped and start full again, so memory stays bounded. */
    private static final int MAX_TRACKED_CALLERS = 50_000;

    private final WebSettings.RateLimits limits;
    private final Map<String, Bucket> requests = new ConcurrentHashMap<>();
    private final Map<String, Bucket> lockAttempts = new ConcurrentHashMap<>();

    RateLimiter(WebSettings.RateLimits limits) {
        this.limits = limits;
    }

    void chargeRequest(String caller) {
        charge(requests, caller, limits.requestsPerMinute());
    }

    void chargeLockAttempt(String caller) {
        charge(lockAttempts, caller, limits.lockAttemptsPerMinute());
    }

    private static void charge(Map<String, Bucket> buckets, String caller, long perMinute) {
        if (buckets.size() > MAX_TRACKED_CALLERS) {
            buckets.clear();
        }
        Bucket bucket = buckets.computeIfAbsent(caller, key -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
            throw new ApiProblem(429, "rate_limited", "Too many requests",
                    "Too many requests; try again in " + seconds + " s.", Map.of("retryAfterSeconds", seconds),
                    Map.of("Retry-After", Long.toString(seconds)));
        }
    }
}
