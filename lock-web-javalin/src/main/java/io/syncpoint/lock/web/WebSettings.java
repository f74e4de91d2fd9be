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
 * @param requestThreads  the most threads that handle requests and socket frames at once (Jetty's pool,
 *                        its acceptor and selector threads included); see {@link #defaultRequestThreads(int)}
 */
public record WebSettings(int port, List<String> corsOrigins, RateLimits rateLimits, long maxBodyBytes,
                          boolean metricsPublic, int requestThreads) {

    public static final long DEFAULT_MAX_BODY_BYTES = 64 * 1024;
    /** The fewest request threads: Jetty's acceptor and selector take two, the rest handle requests. */
    public static final int MIN_REQUEST_THREADS = 6;
    private static final int REQUEST_THREADS_PER_CORE = 4;
    private static final int MIN_DEFAULT_REQUEST_THREADS = 8;

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
        if (requestThreads < MIN_REQUEST_THREADS) {
            throw new IllegalArgumentException("requestThreads must be at least " + MIN_REQUEST_THREADS);
        }
    }

    /**
     * Four threads per core, at least {@value #MIN_DEFAULT_REQUEST_THREADS}. A request spends most of its
     * time on the cores (its database round trip is short), so threads past a few per core only take
     * turns: on two cores shared with PostgreSQL, 8 threads served the write path 10 % faster, and
     * lock-status as fast, as Jetty's usual 250; 6 wrote faster still but read 17 % slower, since fewer
     * readings then share a statement (see {@code docs/performance-changes.md}, change 29). Where the
     * database is farther away and requests wait longer for it, more threads keep the cores busy.
     */
    public static int defaultRequestThreads(int cores) {
        return Math.max(MIN_DEFAULT_REQUEST_THREADS, REQUEST_THREADS_PER_CORE * cores);
    }

    public static WebSettings defaults(int port) {
        return new WebSettings(port, List.of(), RateLimits.defaults(), DEFAULT_MAX_BODY_BYTES, true,
                defaultRequestThreads(Runtime.getRuntime().availableProcessors()));
    }

    public WebSettings withRateLimits(RateLimits limits) {
        return new WebSettings(port, corsOrigins, limits, maxBodyBytes, metricsPublic, requestThreads);
    }

    public WebSettings withCorsOrigins(List<String> origins) {
        return new WebSettings(port, origins, rateLimits, maxBodyBytes, metricsPublic, requestThreads);
    }

    public WebSettings withMetricsPublic(boolean isPublic) {
        return new WebSettings(port, corsOrigins, rateLimits, maxBodyBytes, isPublic, requestThreads);
    }

    public WebSettings withRequestThreads(int threads) {
        return new WebSettings(port, corsOrigins, rateLimits, maxBodyBytes, metricsPublic, threads);
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
