package io.syncpoint.lock.web;

import io.javalin.config.JavalinConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.syncpoint.lock.core.port.out.StoreHealth;
import io.syncpoint.lock.core.service.AccountService;
import io.syncpoint.lock.core.service.AppointmentService;
import io.syncpoint.lock.core.service.EditRequestService;
import io.syncpoint.lock.core.service.LockService;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Everything the HTTP adapter needs, built by the application's wiring.
 *
 * @param accounts     also names the caller of every request from their bearer token (as the account is now)
 * @param activeLeases how many leases are live now, for the metrics gauge
 * @param extensions   extra registrations applied to the Javalin configuration after the HTTP routes
 *                     (the WebSocket gateway registers itself this way)
 */
public record WebDependencies(
        LockService locks,
        EditRequestService editRequests,
        AppointmentService appointments,
        AccountService accounts,
        StoreHealth storeHealth,
        LongSupplier activeLeases,
        PrometheusMeterRegistry meterRegistry,
        Clock clock,
        WebSettings settings,
        List<Consumer<JavalinConfig>> extensions) {

    public WebDependencies {
        requireAll(locks, editRequests, appointments, accounts, storeHealth, activeLeases, meterRegistry, clock, settings);
        extensions = List.copyOf(extensions);
    }

    public WebDependencies withExtension(Consumer<JavalinConfig> extension) {
        List<Consumer<JavalinConfig>> more = new java.util.ArrayList<>(extensions);
        more.add(extension);
        return new WebDependencies(locks, editRequests, appointments, accounts, storeHealth, activeLeases, meterRegistry,
                clock, settings, more);
    }

    private static void requireAll(Object... dependencies) {
        for (Object dependency : dependencies) {
            if (dependency == null) {
                throw new IllegalArgumentException("every web dependency is required");
            }
        }
    }
}
