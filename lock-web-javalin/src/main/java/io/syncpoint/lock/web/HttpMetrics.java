package io.syncpoint.lock.web;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The API's meters: request latency by route template (never the raw path, which would make one
 * series per appointment), lock outcomes by operation and result, and the live lease count.
 * Every tag takes its value from a fixed set, so no request, however invented, adds a series.
 * Meters are kept by their tags once registered: a request costs one map look-up, not the
 * registry's building and matching of a meter id.
 */
final class HttpMetrics {
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
            "OPTIONS");
    private static final String OTHER = "other";

    private final MeterRegistry registry;
    private final Map<List<String>, Timer> requestTimers = new ConcurrentHashMap<>();
    private final Map<List<String>, Counter> lockCounters = new ConcurrentHashMap<>();

    HttpMetrics(MeterRegistry registry, LongSupplier activeLeases) {
        this.registry = registry;
        Gauge.builder("syncpoint.leases.active", activeLeases, supplier -> supplier.getAsLong())
                .description("Leases live right now")
                .register(registry);
    }

    void recordRequest(Context ctx, Float millis) {
        List<String> tags = List.of(methodOf(ctx), routeOf(ctx), Integer.toString(ctx.statusCode()));
        requestTimers.computeIfAbsent(tags, key -> Timer.builder("http.server.requests")
                        .description("HTTP request latency by route")
                        .tag("method", key.get(0))
                        .tag("route", key.get(1))
                        .tag("status", key.get(2))
                        .register(registry))
                .record(Duration.ofNanos((long) (millis * 1_000_000L)));
    }

    /** Counts one lock operation by its result: {@code ok}, {@code renewed} or the rejection code. */
    void recordLockOutcome(String operation, String result) {
        lockCounters.computeIfAbsent(List.of(operation, result), key -> Counter.builder("syncpoint.lock.operations")
                        .description("Lock operations by result")
                        .tag("operation", key.get(0))
                        .tag("result", key.get(1))
                        .register(registry))
                .increment();
    }

    private static String methodOf(Context ctx) {
        String method = ctx.method().name();
        return KNOWN_METHODS.contains(method) ? method : OTHER;
    }

    /** A route template; requests no route matched (unknown paths, static files) share one bucket. */
    private static String routeOf(Context ctx) {
        Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        return endpoint == null ? OTHER : endpoint.path;
    }
}
