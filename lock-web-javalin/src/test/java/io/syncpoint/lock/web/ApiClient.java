package io.syncpoint.lock.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * A small JSON client for the API under test: {@link KeepAliveClient} connections, one per request under
 * way, each kept open for the next request. Tests that race many threads share one client. The JDK's
 * client was used here before; it now and then fails a request on a reused connection
 * ({@link KeepAliveClient} says how), and a test would count that against the server.
 */
final class ApiClient implements JsonClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Well under the server's idle timeout (Jetty's 30 s), so that no request goes out on a connection the server is closing. */
    private static final long KEEP_IDLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");
    /**
     * Answers after which the server may close the connection: Jetty's own answers to a request it could
     * not parse (which say {@code Connection: close}), and a 413 for a body not yet read to the end (which
     * may not). The connection is not used again.
     */
    private static final Set<Integer> MAY_CLOSE = Set.of(400, 408, 413, 414, 431);

    private final int port;
    private final Deque<Idle> idle = new ConcurrentLinkedDeque<>();

    ApiClient(int port) {
        this.port = port;
    }

    /**
     * Sends on an idle connection, or a new one. A server may close a kept-alive connection at any time;
     * so, as RFC 9112 (9.3.1) allows, a request whose method is idempotent is sent once more on a new
     * connection when a reused one ends before any byte of the answer.
     */
    @Override
    public Response send(String method, String path, String token, Object body, Map<String, String> headers) {
        Idle reused = idle.pollFirst();
        if (reused != null && fresh(reused)) {
            try {
                return sendOn(reused.connection(), method, path, token, body, headers);
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof KeepAliveClient.ClosedBeforeAnswer) || !IDEMPOTENT.contains(method)) {
                    throw e;
                }
            }
        }
        return sendOn(new KeepAliveClient(port), method, path, token, body, headers);
    }

    private Response sendOn(KeepAliveClient connection, String method, String path, String token, Object body,
                            Map<String, String> headers) {
        try {
            Response response = connection.send(method, path, token, body, headers);
            if (MAY_CLOSE.contains(response.status()) || response.status() >= 500) {
                connection.close();
            } else {
                idle.offerFirst(new Idle(connection, System.nanoTime()));
            }
            return response;
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Closes {@code candidate} when it was idle too long. */
    private static boolean fresh(Idle candidate) {
        if (System.nanoTime() - candidate.since() < KEEP_IDLE_NANOS) {
            return true;
        }
        candidate.connection().close();
        return false;
    }

    private record Idle(KeepAliveClient connection, long since) {
    }

    static String json(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException notJson) {
            return MissingNode.getInstance();
        }
    }

    /** An answer: its status, its headers (names in any case), its body as text and, when it is JSON, parsed. */
    record Response(int status, Map<String, List<String>> headers, String text, JsonNode json) {
        static Response of(int status, Map<String, List<String>> headers, String text) {
            Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.forEach((name, values) -> byName.computeIfAbsent(name, any -> new ArrayList<>()).addAll(values));
            return new Response(status, byName, text, parse(text));
        }

        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        String contentType() {
            return header("Content-Type");
        }

        String code() {
            return json.path("code").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }
}
