package io.syncpoint.lock.web;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.JavalinStaticResourceHandler;
import io.javalin.http.staticfiles.Location;
import io.javalin.router.ParsedEndpoint;
import io.javalin.websocket.WsHandlerEntry;
import io.javalin.websocket.WsHandlerType;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP adapter: every route of the API under {@value #BASE}, authentication, rate limits,
 * problem+json errors, health, metrics, the OpenAPI document and the static UI at {@code /}.
 * Extra registrations (the WebSocket gateway) come in through {@link WebDependencies#extensions()}.
 */
public final class WebServer {
    public static final String BASE = "/api/v1";
    /** Request threads are named this, a dash and a number. */
    static final String REQUEST_THREAD_NAME = "http";
    /** Refused bodies up to this many times the limit are read and dropped, so the client sees the 413. */
    private static final long DISCARDED_BODY_FACTOR = 16;
    /**
     * Jetty's own bounds for a body loaded before dispatch: what fits its input buffer (about 6.5 KB), so
     * loading pins no more memory than reading; a larger body is handed on when that much has arrived.
     */
    private static final int JETTY_CHOOSES = -1;

    private final WebDependencies dependencies;
    private final Javalin app;

    public WebServer(WebDependencies dependencies) {
        this.dependencies = dependencies;
        this.app = Javalin.create(this::configure);
    }

    /** Starts listening; returns the bound port (a free one when the settings say 0). */
    public int start() {
        app.start(dependencies.settings().port());
        return app.port();
    }

    /** Stops accepting connections and lets requests in flight finish. */
    public void stop() {
        app.stop();
    }

    /** Every registered HTTP route as {@code "METHOD path"}, such as {@code "GET /api/v1/health"}. */
    public Set<String> httpRoutes() {
        Set<String> routes = new TreeSet<>();
        for (ParsedEndpoint parsed : app.unsafe.internalRouter.allHttpHandlers()) {
            HandlerType method = parsed.endpoint.method;
            if (method.isHttpMethod()) {
                routes.add(method.name() + " " + parsed.endpoint.path);
            }
        }
        return routes;
    }

    /** Every registered WebSocket path. */
    public Set<String> webSocketRoutes() {
        Set<String> routes = new TreeSet<>();
        for (WsHandlerEntry entry : app.unsafe.wsRouter.getWsPathMatcher().allEntries()) {
            if (entry.getType() == WsHandlerType.WEBSOCKET) {
                routes.add(entry.getPath());
            }
        }
        return routes;
    }

    /** Jetty's pool of {@code threads} that serve requests, socket frames, the acceptor and the selector. */
    private static QueuedThreadPool requestThreads(int threads) {
        QueuedThreadPool pool = new QueuedThreadPool(threads, threads);
        pool.setName(REQUEST_THREAD_NAME);
        return pool;
    }

    /** The one JSON mapper of the API: strict on input (no duplicate keys, no trailing tokens). */
    public static ObjectMapper objectMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    private void configure(JavalinConfig config) {
        WebSettings settings = dependencies.settings();
        ObjectMapper mapper = objectMapper();
        Responses responses = new Responses(mapper);
        Requests requests = new Requests(mapper, settings.maxBodyBytes());
        RateLimiter rateLimiter = new RateLimiter(settings.rateLimits());
        HttpMetrics metrics = new HttpMetrics(dependencies.meterRegistry(), dependencies.activeLeases());
        Authentication authentication = new Authentication(dependencies.accounts(), rateLimiter);

        config.startup.showJavalinBanner = false;
        config.jetty.threadPool = requestThreads(settings.requestThreads());
        config.http.prefer405over404 = true;
        config.http.maxRequestSize = settings.maxBodyBytes();
        config.jetty.modifyServer(server -> {
            server.setStopTimeout(10_000);
            server.setErrorHandler(new ProblemErrorHandler(responses));
            // A body arrives before its request takes a thread, so a client sending it slowly holds none of the few.
            server.insertHandler(new EagerContentHandler(new EagerContentHandler.RetainedContentLoaderFactory(
                    JETTY_CHOOSES, JETTY_CHOOSES, false)));
        });
        config.jetty.modifyHttpConfiguration(http -> http.addCustomizer(new SecurityHeaders()));
        // Javalin's own handler reads the UI through the class loader; Jetty's would mount the whole jar first.
        config.resourceHandler(new JavalinStaticResourceHandler());
        config.staticFiles.add("/public", Location.CLASSPATH);
        config.requestLogger.http(metrics::recordRequest);
        if (!settings.corsOrigins().isEmpty()) {
            config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                List<String> origins = settings.corsOrigins();
                if (origins.contains("*")) {
                    rule.anyHost();
                } else {
                    rule.allowHost(origins.get(0), origins.subList(1, origins.size()).toArray(String[]::new));
                }
                List.of("ETag", "Retry-After", "Location").forEach(rule::exposeHeader);
            }));
        }

        new ProblemHandlers(responses, settings.maxBodyBytes(), authentication::chargeUnmatched).register(config.routes);
        config.routes.before(ctx -> {
            Requests.requireWellFormedPath(ctx);
            long length = ctx.req().getContentLengthLong();
            if (length > settings.maxBodyBytes()) {
                Requests.discardBody(ctx, settings.maxBodyBytes() * DISCARDED_BODY_FACTOR);
                throw Requests.payloadTooLarge(settings.maxBodyBytes());
            }
        });
        config.routes.beforeMatched(authentication::check);
        new AccountRoutes(dependencies.accounts(), requests, responses, rateLimiter).register(config.routes);
        new AppointmentRoutes(dependencies.appointments(), requests, responses).register(config.routes);
        new LockRoutes(dependencies.locks(), requests, responses, rateLimiter, metrics).register(config.routes);
        new EditRequestRoutes(dependencies.editRequests(), requests, responses, rateLimiter).register(config.routes);
        new OperationsRoutes(dependencies.storeHealth(), () -> !webSocketRoutes().isEmpty(),
                dependencies.meterRegistry(), settings.metricsPublic(), dependencies.clock(),
                dependencies.locks().leasePolicy(), dependencies.editRequests().fairAccessPolicy(), responses)
                .register(config.routes);
        dependencies.extensions().forEach(extension -> extension.accept(config));
    }
}
