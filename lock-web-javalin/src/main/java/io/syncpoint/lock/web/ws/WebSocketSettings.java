package io.syncpoint.lock.web.ws;

import java.time.Duration;
import java.util.List;

/**
 * Limits and timings of the WebSocket gateway.
 *
 * @param maxFrameBytes           largest client frame handled; bigger ones get {@code payload_too_large}
 * @param maxSubscriptions        appointments one connection may watch at once
 * @param outboundQueueCapacity   frames waiting for one slow client before new ones are dropped
 * @param framesPerSecond         sustained client frame rate per connection (token bucket refill)
 * @param frameBurst              client frames accepted in a burst (token bucket capacity)
 * @param toleratedViolations     refused frames a connection may send per minute before it is closed with 1008
 * @param cursorThrottle          at most one cursor move per user and appointment in this window
 * @param cursorIdleTimeout       a cursor that did not move for this long is removed
 * @param cursorSweepInterval     how often idle cursors are looked for
 * @param pingInterval            how often the server pings each client
 * @param idleTimeout             a connection silent for this long (not even a pong) is closed
 * @param maxConnectionsPerUser   sockets one user may hold open at once on this node; more are refused before the upgrade
 * @param allowedOrigins          browser origins, besides the server's own, whose pages may open a socket
 *                                ({@code *}: any); requests without {@code Origin} come from no browser and pass
 */
public record WebSocketSettings(
        int maxFrameBytes,
        int maxSubscriptions,
        int outboundQueueCapacity,
        int framesPerSecond,
        int frameBurst,
        int toleratedViolations,
        Duration cursorThrottle,
        Duration cursorIdleTimeout,
        Duration cursorSweepInterval,
        Duration pingInterval,
        Duration idleTimeout,
        int maxConnectionsPerUser,
        List<String> allowedOrigins) {

    public static final int DEFAULT_MAX_CONNECTIONS_PER_USER = 20;

    public WebSocketSettings {
        positive("maxFrameBytes", maxFrameBytes);
        positive("maxSubscriptions", maxSubscriptions);
        positive("outboundQueueCapacity", outboundQueueCapacity);
        positive("framesPerSecond", framesPerSecond);
        positive("frameBurst", frameBurst);
        positive("toleratedViolations", toleratedViolations);
        positive("cursorThrottle", cursorThrottle);
        positive("cursorIdleTimeout", cursorIdleTimeout);
        positive("cursorSweepInterval", cursorSweepInterval);
        positive("pingInterval", pingInterval);
        positive("idleTimeout", idleTimeout);
        positive("maxConnectionsPerUser", maxConnectionsPerUser);
        allowedOrigins = List.copyOf(allowedOrigins);
        if (idleTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("idleTimeout must be longer than pingInterval");
        }
    }

    public static WebSocketSettings defaults() {
        return new WebSocketSettings(4096, 50, 256, 20, 60, 20,
                Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofSeconds(25), Duration.ofSeconds(60), DEFAULT_MAX_CONNECTIONS_PER_USER, List.of());
    }

    public WebSocketSettings withCursorSweepInterval(Duration interval) {
        return new WebSocketSettings(maxFrameBytes, maxSubscriptions, outboundQueueCapacity, framesPerSecond,
                frameBurst, toleratedViolations, cursorThrottle, cursorIdleTimeout, interval, pingInterval,
                idleTimeout, maxConnectionsPerUser, allowedOrigins);
    }

    public WebSocketSettings withMaxConnectionsPerUser(int max) {
        return new WebSocketSettings(maxFrameBytes, maxSubscriptions, outboundQueueCapacity, framesPerSecond,
                frameBurst, toleratedViolations, cursorThrottle, cursorIdleTimeout, cursorSweepInterval, pingInterval,
                idleTimeout, max, allowedOrigins);
    }

    public WebSocketSettings withAllowedOrigins(List<String> origins) {
        return new WebSocketSettings(maxFrameBytes, maxSubscriptions, outboundQueueCapacity, framesPerSecond,
                frameBurst, toleratedViolations, cursorThrottle, cursorIdleTimeout, cursorSweepInterval, pingInterval,
                idleTimeout, maxConnectionsPerUser, origins);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration");
        }
    }
}
