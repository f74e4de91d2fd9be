package io.syncpoint.lock.web.ws;

import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What an upgrade request must carry before a socket is opened: a well-formed RFC 6455 handshake,
 * and, from a browser, a page of the server's own origin or of an allowed one (a foreign page would
 * otherwise use its visitor's token).
 */
final class HandshakeChecks {
    private static final int KEY_BYTES = 16;

    private HandshakeChecks() {
    }

    /** Why the handshake cannot be answered, if it cannot. */
    static Optional<String> malformedHandshake(Context ctx) {
        String key = ctx.header("Sec-WebSocket-Key");
        if (key == null || key.isBlank()) {
            return Optional.of("Sec-WebSocket-Key: is required for a WebSocket upgrade");
        }
        try {
            if (Base64.getDecoder().decode(key.strip()).length != KEY_BYTES) {
                return Optional.of("Sec-WebSocket-Key: must be 16 bytes in base64");
            }
        } catch (IllegalArgumentException e) {
            return Optional.of("Sec-WebSocket-Key: must be 16 bytes in base64");
        }
        if (!"13".equals(ctx.header("Sec-WebSocket-Version"))) {
            return Optional.of("Sec-WebSocket-Version: must be 13");
        }
        return Optional.empty();
    }

    /**
     * No {@code Origin}: not a browser, so no page can be abusing a visitor's token. Otherwise the origin
     * must be allowed by configuration or be the server's own (same host and port as the request's Host).
     */
    static boolean originAllowed(Context ctx, List<String> allowedOrigins) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return true;
        }
        if (allowedOrigins.contains("*") || allowedOrigins.stream().anyMatch(origin::equalsIgnoreCase)) {
            return true;
        }
        return sameAuthority(origin, ctx.header("Host"));
    }

    private static boolean sameAuthority(String origin, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            URI page = new URI(origin);
            String scheme = page.getScheme();
            if (page.getHost() == null || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                return false;
            }
            URI server = new URI(scheme + "://" + host.strip());
            return page.getHost().toLowerCase(Locale.ROOT).equals(lowerCase(server.getHost()))
                    && port(page) == port(server);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String lowerCase(String text) {
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
