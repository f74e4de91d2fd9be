package io.syncpoint.lock.web.ws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.Rejection;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.in.Authenticate;
import io.syncpoint.lock.core.port.in.GetLockStatus;
import io.syncpoint.lock.core.port.out.EventPublisher;
import io.syncpoint.lock.core.port.out.EventSubscriptions;
import io.syncpoint.lock.core.port.out.StoreUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket API: per-appointment rooms fed by the core's event stream (from this node and, with
 * PostgreSQL, from every node), snapshots on subscribe, collaborative cursors, and the limits that
 * keep one misbehaving client from hurting the others.
 *
 * <p>Identity comes from the {@code token} query parameter, checked before the upgrade together with
 * the handshake, the page's {@code Origin} and the user's number of open sockets. Events are
 * handed to each client's bounded outbox and never wait for a socket.
 */
public final class WebSocketGateway implements AutoCloseable {
    public static final String PATH = "/api/v1/ws";
    public static final String APPOINTMENT_PATH = "/api/v1/appointments/{id}/updates";

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketGateway.class);
    private static final String ACTOR = "syncpoint.ws.actor";
    private static final String METRIC_PREFIX = "syncpoint.websocket.";
    private static final long CONNECTION_RETRY_AFTER_SECONDS = 30;

    private final Authenticate callers;
    private final GetLockStatus lockStatus;
    private final EventSubscriptions events;
    private final EventPublisher publisher;
    private final Clock clock;
    private final WebSocketSettings settings;
    private final ObjectMapper json = new ObjectMapper();
    private final ServerFrames frames = new ServerFrames(json);
    private final CursorBoard cursors = new CursorBoard();
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Map<UUID, Set<Connection>> rooms = new ConcurrentHashMap<>();
    private final Map<UUID, Integer> socketsPerUser = new ConcurrentHashMap<>();
    private final Counter framesIn;
    private final Counter framesOut;
    private final Counter framesDropped;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "syncpoint-ws-cursor-sweeper");
        thread.setDaemon(true);
        return thread;
    });
    // Events are received while at least one socket is open here; guarded by receiving.
    private final Object receiving = new Object();
    private int openSockets;
    private EventSubscriptions.Subscription subscription;
    private boolean closed;
    private volatile EventSubscriptions.Subscription gapSubscription;

    public WebSocketGateway(Authenticate callers, GetLockStatus lockStatus, EventSubscriptions events,
                            EventPublisher publisher, MeterRegistry meters, Clock clock, WebSocketSettings settings) {
        this.callers = callers;
        this.lockStatus = lockStatus;
        this.events = events;
        this.publisher = publisher;
        this.clock = clock;
        this.settings = settings;
        Gauge.builder(METRIC_PREFIX + "connections", connections, Map::size)
                .description("Open WebSocket connections").register(meters);
        Gauge.builder(METRIC_PREFIX + "subscriptions", this, WebSocketGateway::subscriptionCount)
                .description("Appointment subscriptions over all open WebSocket connections").register(meters);
        framesIn = Counter.builder(METRIC_PREFIX + "frames.in").description("Frames received from clients")
                .register(meters);
        framesOut = Counter.builder(METRIC_PREFIX + "frames.out").description("Frames sent to clients")
                .register(meters);
        framesDropped = Counter.builder(METRIC_PREFIX + "frames.dropped")
                .description("Frames not sent because a client was too far behind or gone").register(meters);
    }

    /** Adds the two WebSocket routes, their upgrade check and the socket limits to a server being configured. */
    public void register(JavalinConfig config) {
        config.jetty.modifyWebSocketServletFactory(factory -> {
            // Frames up to this size reach the gateway and get a readable error; beyond it Jetty closes with 1009.
            factory.setMaxTextMessageSize(settings.maxFrameBytes() * 16L);
            factory.setMaxBinaryMessageSize(settings.maxFrameBytes());
            factory.setIdleTimeout(settings.idleTimeout());
        });
        config.routes.wsBeforeUpgrade(PATH, this::admit);
        config.routes.wsBeforeUpgrade(APPOINTMENT_PATH, ctx -> {
            if (admit(ctx) && appointmentIdOf(ctx.pathParam("id")).isEmpty()) {
                refuse(ctx, 400, "validation_failed", "Invalid request", "id: must be a UUID");
            }
        });
        config.routes.ws(PATH, this::handlers);
        config.routes.ws(APPOINTMENT_PATH, this::handlers);
    }

    /**
     * Starts sweeping still cursors. Events are received from the first open socket on: a node without
     * sockets has nobody to hand them to, and on PostgreSQL the database then wakes nobody on it for them.
     */
    public void start() {
        // Off the event thread: snapshots read the store.
        gapSubscription = events.onGap(() -> sweeper.execute(this::resendSnapshots));
        long sweepMillis = settings.cursorSweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepStillCursors, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
    }

    /** Stops receiving events and closes every connection with 1001 (going away). */
    @Override
    public void close() {
        synchronized (receiving) {
            closed = true;
            if (subscription != null) {
                subscription.close();
                subscription = null;
            }
        }
        if (gapSubscription != null) {
            gapSubscription.close();
        }
        sweeper.shutdownNow();
        connections.values().forEach(connection ->
                connection.outbox().closeAfterPending(StatusCode.SHUTDOWN, "server shutting down"));
    }

    /** Open connections on this node, for the health endpoint. */
    public int connectionCount() {
        return connections.size();
    }

    private int subscriptionCount() {
        return connections.values().stream().mapToInt(Connection::subscriptionCount).sum();
    }

    /**
     * Everything an upgrade must pass, cheapest first: a well-formed handshake, an allowed page origin,
     * a valid token, and a free place among the user's sockets.
     */
    private boolean admit(Context ctx) {
        Optional<String> malformed = HandshakeChecks.malformedHandshake(ctx);
        if (malformed.isPresent()) {
            refuse(ctx, 400, "validation_failed", "Invalid request", malformed.get());
            return false;
        }
        if (!HandshakeChecks.originAllowed(ctx, settings.allowedOrigins())) {
            refuse(ctx, 403, "forbidden", "Forbidden", "Pages of this origin may not open a socket on this server.");
            return false;
        }
        if (!authorize(ctx)) {
            return false;
        }
        Actor actor = ctx.attribute(ACTOR);
        if (socketsPerUser.getOrDefault(actor.userId(), 0) >= settings.maxConnectionsPerUser()) {
            ctx.header("Retry-After", Long.toString(CONNECTION_RETRY_AFTER_SECONDS));
            refuse(ctx, 429, "rate_limited", "Too many connections", "A user may hold at most "
                    + settings.maxConnectionsPerUser() + " WebSocket connections at once; close one first.");
            return false;
        }
        return true;
    }

    private boolean authorize(Context ctx) {
        Optional<Actor> actor;
        try {
            actor = Optional.ofNullable(ctx.queryParam("token")).flatMap(callers::authenticate);
        } catch (StoreUnavailableException e) {
            refuse(ctx, 503, "unavailable", "Service unavailable", "The database cannot be reached; try again shortly.");
            return false;
        }
        if (actor.isEmpty()) {
            refuse(ctx, 401, "unauthorized", "Unauthorized",
                    "A valid access token is required in the token query parameter.");
            return false;
        }
        ctx.attribute(ACTOR, actor.get());
        return true;
    }

    private void refuse(Context ctx, int status, String code, String title, String detail) {
        ObjectNode problem = json.createObjectNode();
        problem.put("type", "urn:syncpoint:problem:" + code);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("instance", ctx.path());
        problem.put("code", code);
        ctx.status(status).contentType("application/problem+json");
        // A refused upgrade never reaches Javalin's result writer, so the body goes straight to the response.
        try {
            ctx.res().getOutputStream().write(problem.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.debug("Client left before its upgrade was refused", e);
        }
        ctx.skipRemainingHandlers();
    }

    private void handlers(WsConfig ws) {
        ws.onConnect(this::onConnect);
        ws.onMessage(this::onMessage);
        ws.onBinaryMessage(ctx -> onBinary(ctx.sessionId()));
        ws.onClose(ctx -> disconnect(ctx.sessionId()));
        ws.onError(ctx -> disconnect(ctx.sessionId()));
    }

    private void onConnect(WsConnectContext ctx) {
        Actor actor = ctx.attribute(ACTOR);
        if (!claimSocket(actor.userId())) {
            // Upgrades racing past the check before the upgrade are closed here; the cap holds either way.
            ctx.closeSession(StatusCode.POLICY_VIOLATION, "too many connections for this user");
            return;
        }
        Connection connection = new Connection(ctx, actor,
                new Outbox(ctx.session, settings.outboundQueueCapacity(), framesOut, framesDropped),
                bucket(settings.frameBurst(), settings.framesPerSecond(), Duration.ofSeconds(1)),
                bucket(settings.toleratedViolations(), settings.toleratedViolations(), Duration.ofMinutes(1)));
        socketOpened();
        connections.put(ctx.sessionId(), connection);
        ctx.enableAutomaticPings(settings.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
        String pathId = ctx.pathParamMap().get("id");
        if (pathId != null) {
            appointmentIdOf(pathId).ifPresent(id -> guarded(connection, () -> subscribe(connection, id)));
        }
    }

    /**
     * The first open socket subscribes to events, and its subscribe returns once every event committed
     * afterwards will arrive: before any snapshot is read, so none is missed between snapshot and events.
     */
    private void socketOpened() {
        synchronized (receiving) {
            if (openSockets == 0 && !closed) {
                subscription = events.subscribe(this::onEvent);
            }
            openSockets++;
        }
    }

    /** The last socket to close ends the subscription, and the cursors heard so far, which would go stale. */
    private void socketClosed() {
        synchronized (receiving) {
            if (--openSockets == 0 && subscription != null) {
                subscription.close();
                subscription = null;
                cursors.clear();
            }
        }
    }

    /** Counts one more socket for the user; false when the user already holds as many as allowed. */
    private boolean claimSocket(UUID userId) {
        boolean[] claimed = {false};
        socketsPerUser.compute(userId, (id, open) -> {
            int count = open == null ? 0 : open;
            if (count >= settings.maxConnectionsPerUser()) {
                return open;
            }
            claimed[0] = true;
            return count + 1;
        });
        return claimed[0];
    }

    private void releaseSocket(UUID userId) {
        socketsPerUser.computeIfPresent(userId, (id, open) -> open <= 1 ? null : open - 1);
    }

    private Bucket bucket(long capacity, long refill, Duration period) {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(refill, period))
                .withCustomTimePrecision(new ClockTimeMeter(clock))
                .build();
    }

    private void onMessage(WsMessageContext ctx) {
        Connection connection = connections.get(ctx.sessionId());
        if (connection == null) {
            return;
        }
        framesIn.increment();
        if (!connection.admitFrame()) {
            refuse(connection, "rate_limited", "Too many frames; slow down.", null);
            return;
        }
        String text = ctx.message();
        if (text.length() > settings.maxFrameBytes()
                || text.getBytes(StandardCharsets.UTF_8).length > settings.maxFrameBytes()) {
            refuse(connection, "payload_too_large", "Frames are limited to " + settings.maxFrameBytes() + " bytes.",
                    null);
            return;
        }
        ClientFrame frame;
        try {
            frame = ClientFrame.parse(json, text);
        } catch (ClientFrame.Refused refused) {
            refuse(connection, refused.code(), refused.getMessage(), null);
            return;
        }
        guarded(connection, () -> handle(connection, frame));
    }

    /** Broken infrastructure (a store that is down) gets an error frame, never a dropped connection. */
    private void guarded(Connection connection, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warn("WebSocket frame of user {} failed", connection.userId(), e);
            connection.send(frames.error("unavailable", "The service could not handle the frame; try again.", null));
        }
    }

    private void onBinary(String sessionId) {
        Connection connection = connections.get(sessionId);
        if (connection != null) {
            framesIn.increment();
            refuse(connection, "validation_failed", "Frames must be JSON text.", null);
        }
    }

    private void handle(Connection connection, ClientFrame frame) {
        if (frame instanceof ClientFrame.Subscribe subscribe) {
            subscribe(connection, subscribe.appointmentId());
        } else if (frame instanceof ClientFrame.Unsubscribe unsubscribe) {
            unsubscribe(connection, unsubscribe.appointmentId());
        } else if (frame instanceof ClientFrame.CursorPosition cursor) {
            moveCursor(connection, cursor);
        } else if (frame instanceof ClientFrame.Ping) {
            connection.send(frames.pong());
        }
    }

    /** Joins the room first and reads the snapshot second, so no event between the two is missed. */
    private void subscribe(Connection connection, UUID appointmentId) {
        if (!connection.isSubscribed(appointmentId) && connection.subscriptionCount() >= settings.maxSubscriptions()) {
            refuse(connection, "forbidden", "A connection may watch at most " + settings.maxSubscriptions()
                    + " appointments.", appointmentId);
            return;
        }
        Connection.Subscription subscription = connection.watch(appointmentId);
        join(appointmentId, connection);
        Outcome<GetLockStatus.LockStatus> status;
        try {
            status = lockStatus.status(connection.actor(), appointmentId);
        } catch (RuntimeException e) {
            leave(connection, appointmentId);
            throw e;
        }
        if (status instanceof Outcome.Rejected<GetLockStatus.LockStatus> rejected) {
            leave(connection, appointmentId);
            Rejection rejection = rejected.rejection();
            connection.send(frames.error(rejection.code(), rejection.detail(), appointmentId));
            return;
        }
        GetLockStatus.LockStatus snapshot = status.orElseThrow();
        subscription.open(frames.subscribed(appointmentId, snapshot.lock(),
                cursors.on(appointmentId, connection.userId())), connection.outbox());
    }

    /** After a gap in the event stream every watcher gets a fresh snapshot, as if it had subscribed again. */
    private void resendSnapshots() {
        for (Connection connection : connections.values()) {
            for (UUID appointmentId : connection.subscribedAppointments()) {
                guarded(connection, () -> subscribe(connection, appointmentId));
            }
        }
    }

    private void unsubscribe(Connection connection, UUID appointmentId) {
        leave(connection, appointmentId);
        withdrawCursor(connection.userId(), appointmentId);
    }

    private void moveCursor(Connection connection, ClientFrame.CursorPosition cursor) {
        UUID appointmentId = cursor.appointmentId();
        if (!connection.isSubscribed(appointmentId)) {
            refuse(connection, "forbidden", "Subscribe to the appointment before moving a cursor on it.",
                    appointmentId);
            return;
        }
        if (!cursors.admitMove(connection.userId(), appointmentId, clock.instant(), settings.cursorThrottle())) {
            return;
        }
        Actor actor = connection.actor();
        publisher.publish(new DomainEvent.CursorMoved(appointmentId, actor.userId(), actor.name(), actor.email(),
                cursor.x(), cursor.y()));
    }

    /** Answers a refused frame; a client that keeps sending them is closed with 1008 (policy violation). */
    private void refuse(Connection connection, String code, String message, UUID appointmentId) {
        connection.send(frames.error(code, message, appointmentId));
        if (!connection.tolerateViolation()) {
            connection.outbox().closeAfterPending(StatusCode.POLICY_VIOLATION, "too many refused frames");
        }
    }

    private void join(UUID appointmentId, Connection connection) {
        rooms.compute(appointmentId, (id, members) -> {
            Set<Connection> room = members == null ? ConcurrentHashMap.newKeySet() : members;
            room.add(connection);
            return room;
        });
    }

    private void leave(Connection connection, UUID appointmentId) {
        connection.unwatch(appointmentId);
        rooms.computeIfPresent(appointmentId, (id, members) -> {
            members.remove(connection);
            return members.isEmpty() ? null : members;
        });
    }

    /** Tells every node the user's cursor is gone, unless another of the user's sockets here still watches. */
    private void withdrawCursor(UUID userId, UUID appointmentId) {
        if (!cursors.has(appointmentId, userId)) {
            return;
        }
        Set<Connection> room = rooms.getOrDefault(appointmentId, Set.of());
        if (room.stream().noneMatch(other -> other.userId().equals(userId))) {
            publisher.publish(new DomainEvent.CursorRemoved(appointmentId, userId));
        }
    }

    private void disconnect(String sessionId) {
        Connection connection = connections.remove(sessionId);
        if (connection == null) {
            return;
        }
        releaseSocket(connection.userId());
        connection.context().disableAutomaticPings();
        for (UUID appointmentId : connection.subscribedAppointments()) {
            leave(connection, appointmentId);
            try {
                withdrawCursor(connection.userId(), appointmentId);
            } catch (RuntimeException e) {
                LOG.warn("Could not announce the removal of a cursor on {}", appointmentId, e);
            }
        }
        socketClosed();
    }

    private void onEvent(DomainEvent event) {
        if (event instanceof DomainEvent.CursorMoved moved) {
            cursors.place(moved, clock.instant());
        } else if (event instanceof DomainEvent.CursorRemoved removed) {
            if (!cursors.remove(removed.appointmentId(), removed.userId())) {
                return;
            }
        } else if (event instanceof DomainEvent.AppointmentDeleted) {
            cursors.forget(event.appointmentId());
        }
        broadcast(event);
    }

    private void sweepStillCursors() {
        try {
            cursors.removeStill(clock.instant().minus(settings.cursorIdleTimeout())).forEach(this::broadcast);
        } catch (RuntimeException e) {
            LOG.warn("Cursor sweep failed", e);
        }
    }

    /** Hands the event's frame to every watcher of its appointment; a user never gets their own cursor back. */
    private void broadcast(DomainEvent event) {
        Set<Connection> room = rooms.get(event.appointmentId());
        if (room == null || room.isEmpty()) {
            return;
        }
        String frame = frames.of(event);
        UUID author = cursorAuthor(event);
        for (Connection connection : room) {
            if (!connection.userId().equals(author)) {
                connection.deliver(event.appointmentId(), frame);
            }
        }
    }

    private static UUID cursorAuthor(DomainEvent event) {
        if (event instanceof DomainEvent.CursorMoved moved) {
            return moved.userId();
        }
        if (event instanceof DomainEvent.CursorRemoved removed) {
            return removed.userId();
        }
        return null;
    }

    private static Optional<UUID> appointmentIdOf(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Rate limits run on the injected clock, so they follow the same time as everything else. */
    private record ClockTimeMeter(Clock clock) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            return TimeUnit.MILLISECONDS.toNanos(clock.millis());
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
