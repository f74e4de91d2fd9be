package io.syncpoint.lock.web;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per caller: one for every request, a tighter one for lock attempts, and for sign-in
 * one per account and one per client address.
 */
final class RateLimiter {
    /** Past this many callers the buckets are dropped and start full again, so memory stays bounded. */
    private static final int MAX_TRACKED_CALLERS = 50_000;

    private final WebSettings.RateLimits limits;
    private final Map<String, Bucket> requests = new ConcurrentHashMap<>();
    private final Map<String, Bucket> lockAttempts = new ConcurrentHashMap<>();
    private final Map<String, Bucket> signInsPerAccount = new ConcurrentHashMap<>();
    private final Map<String, Bucket> signInsPerAddress = new ConcurrentHashMap<>();

    RateLimiter(WebSettings.RateLimits limits) {
        this.limits = limits;
    }

    void chargeRequest(String caller) {
        charge(requests, caller, limits.requestsPerMinute());
    }

    void chargeLockAttempt(String caller) {
        charge(lockAttempts, caller, limits.lockAttemptsPerMinute());
    }

    /** Charges a sign-in attempt to the client address and to the account; called before any password is checked. */
    void chargeSignIn(String address, String email) {
        charge(signInsPerAddress, address, limits.signInsPerAddressPerMinute());
        charge(signInsPerAccount, email, limits.signInsPerAccountPerMinute());
    }

    /** A correct password gives the attempt back: only failed guesses use up the allowance. */
    void refundSignIn(String address, String email) {
        refund(signInsPerAddress, address);
        refund(signInsPerAccount, email);
    }

    private static void refund(Map<String, Bucket> buckets, String caller) {
        Bucket bucket = buckets.get(caller);
        if (bucket != null) {
            bucket.addTokens(1);
        }
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
