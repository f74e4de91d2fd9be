package io.syncpoint.lock.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.syncpoint.lock.core.domain.FairAccessPolicy;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.port.out.StoreHealth;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Health, Prometheus metrics, the OpenAPI document, and the timings clients plan renewals and notices by. */
final class OperationsRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(OperationsRoutes.class);
    static final String OPENAPI_RESOURCE = "/io/syncpoint/lock/web/openapi.json";

    private final StoreHealth storeHealth;
    private final BooleanSupplier webSocketsEnabled;
    private final PrometheusMeterRegistry registry;
    private final boolean metricsPublic;
    private final Clock clock;
    private final LeasePolicy leasePolicy;
    private final FairAccessPolicy fairAccess;
    private final Responses responses;
    private final String openApi = resource(OPENAPI_RESOURCE);
    private final String version = version();

    OperationsRoutes(StoreHealth storeHealth, BooleanSupplier webSocketsEnabled, PrometheusMeterRegistry registry,
                     boolean metricsPublic, Clock clock, LeasePolicy leasePolicy, FairAccessPolicy fairAccess,
                     Responses responses) {
        this.storeHealth = storeHealth;
        this.webSocketsEnabled = webSocketsEnabled;
        this.registry = registry;
        this.metricsPublic = metricsPublic;
        this.clock = clock;
        this.leasePolicy = leasePolicy;
        this.fairAccess = fairAccess;
        this.responses = responses;
    }

    /** Under the API's base and at the root, where probes and Prometheus look by default. */
    void register(RoutesConfig routes) {
        for (String base : List.of(WebServer.BASE, "")) {
            routes.get(base + "/health", this::health, Access.ANYONE);
            routes.get(base + "/metrics", this::metrics, metricsPublic ? Access.ANYONE : Access.ADMIN);
            routes.get(base + "/openapi.json", this::openApi, Access.ANYONE);
        }
        routes.get(WebServer.BASE + "/settings", this::settings, Access.ANYONE);
    }

    /** From the configuration alone, so it answers even while the database is down. */
    private void settings(Context ctx) {
        responses.json(ctx, 200, JsonViews.object(
                "leaseSeconds", leasePolicy.ttl().toSeconds(),
                "idleSeconds", fairAccess.idle().toSeconds(),
                "handoffSeconds", fairAccess.handoff().toSeconds(),
                "offerSeconds", fairAccess.offer().toSeconds(),
                "idleReleaseSeconds", fairAccess.idleRelease().toSeconds()));
    }

    private void health(Context ctx) {
        boolean databaseUp = databaseUp();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", databaseUp ? "up" : "down");
        json.put("timestamp", clock.instant().toString());
        json.put("database", databaseUp ? "up" : "down");
        json.put("websocket", webSocketsEnabled.getAsBoolean() ? "up" : "disabled");
        json.put("version", version);
        ctx.header("Cache-Control", "no-store");
        responses.json(ctx, databaseUp ? 200 : 503, json);
    }

    private boolean databaseUp() {
        try {
            return storeHealth.isAvailable();
        } catch (RuntimeException e) {
            LOG.warn("store health check failed: {}", e.getMessage());
            return false;
        }
    }

    private void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
    }

    private void openApi(Context ctx) {
        ctx.contentType(Responses.JSON).result(openApi);
    }

    static String resource(String name) {
        try (InputStream in = OperationsRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String version() {
        Properties properties = new Properties();
        try (InputStream in = OperationsRoutes.class.getResourceAsStream("/io/syncpoint/lock/web/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }
}
