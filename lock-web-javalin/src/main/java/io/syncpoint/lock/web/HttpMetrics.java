package io.syncpoint.lock.web;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The API's meters: request latency by route template (never the raw path, which would make one
 * series per appointment), lock outcomes by operation and result, and the live lease count.
 */
final class HttpMetrics {
    private final MeterRegistry registry;

    HttpMetrics(MeterRegistry registry, LongSupplier activeLeases) {
        this.registry = registry;
        Gauge.builder("syncpoint.leases.active", activeLeases, supplier -> supplier.getAsLong())
                .description("Leases live right now")
                .register(registry);
    }

    void recordRequest(Context ctx, Float millis) {
        Timer.builder("http.server.requests")
                .description("HTTP request latency by route")
                .tag("method", ctx.method().name())
                .tag("route", routeOf(ctx))
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(registry)
                .record(Duration.ofNanos((long) (millis * 1_000_000L)));
    }

    /** Counts one lock operation by its result: {@code ok}, {@code renewed} or the rejection code. */
    void recordLockOutcome(String operation, String result) {
        Counter.builder("syncpoint.lock.operations")
                .description("Lock operations by result")
                .tag("operation", operation)
                .tag("result", result)
                .register(registry)
                .increment();
    }

    private static String routeOf(Context ctx) {
        Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        return endpoint == null ? "unmatched" : endpoint.path;
    }
}
