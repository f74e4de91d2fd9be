package io.syncpoint.lock.web;

import java.util.List;

/**
 * How the HTTP adapter behaves: where it listens, which browser origins may call it, how much one
 * user may ask of it, and how large a request body may be.
 *
 * @param port            0 binds a free port
 * @param corsOrigins     origins allowed to call the API from a browser, such as {@code https://app.example.com}
 * @param maxBodyBytes    larger request bodies are refused with 413
 * @param metricsPublic   false: {@code /metrics} needs an admin token
 */
public record WebSettings(int port, List<String> corsOrigins, RateLimits rateLimits, long maxBodyBytes,
                          boolean metricsPublic) {

    public static final long DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    public WebSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        corsOrigins = List.copyOf(corsOrigins);
        if (rateLimits == null) {
            throw new IllegalArgumentException("rateLimits is required");
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1");
        }
    }

    public static WebSettings defaults(int port) {
        return new WebSettings(port, List.of(), RateLimits.defaults(), DEFAULT_MAX_BODY_BYTES, true);
    }

    public WebSettings withRateLimits(RateLimits limits) {
        return new WebSettings(port, corsOrigins, limits, maxBodyBytes, metricsPublic);
    }

    public WebSettings withCorsOrigins(List<String> origins) {
        return new WebSettings(port, origins, rateLimits, maxBodyBytes, metricsPublic);
    }

    public WebSettings withMetricsPublic(boolean isPublic) {
        return new WebSettings(port, corsOrigins, rateLimits, maxBodyBytes, isPublic);
    }

    /**
     * Token buckets per user (per client address before sign-in), refilled continuously over a minute.
     * Lock attempts (acquire, takeover) draw from both buckets. Sign-in attempts draw from a bucket of the
     * account (its email) and one of the client address, before any password is checked; a correct
     * password gives both their attempt back, so only failed guesses use them up.
     */
    public record RateLimits(long requestsPerMinute, long lockAttemptsPerMinute, long signInsPerAccountPerMinute,
                             long signInsPerAddressPerMinute) {
        public static final long DEFAULT_SIGN_INS_PER_ACCOUNT = 5;
        public static final long DEFAULT_SIGN_INS_PER_ADDRESS = 20;

        public RateLimits {
            if (requestsPerMinute < 1 || lockAttemptsPerMinute < 1 || signInsPerAccountPerMinute < 1
                    || signInsPerAddressPerMinute < 1) {
                throw new IllegalArgumentException("rate limits must be at least 1 per minute");
            }
        }

        /** These request and lock-attempt limits with the default sign-in limits. */
        public RateLimits(long requestsPerMinute, long lockAttemptsPerMinute) {
            this(requestsPerMinute, lockAttemptsPerMinute, DEFAULT_SIGN_INS_PER_ACCOUNT, DEFAULT_SIGN_INS_PER_ADDRESS);
        }

        public static RateLimits defaults() {
            return new RateLimits(1200, 120);
        }
    }
}
