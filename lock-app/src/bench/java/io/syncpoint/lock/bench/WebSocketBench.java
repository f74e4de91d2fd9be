package io.syncpoint.lock.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/** WebSocket fan-out to many subscribers of one appointment, and the cost of many idle sockets. */
final class WebSocketBench {
    private static final int HANDSHAKES_AT_ONCE = 64;

    record FanOut(Histogram latency, int events, int incomplete) {
        double millis(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1e6;
        }
    }

    record IdleSockets(int open, long rssBefore, long rssAfter, long heapBefore, long heapAfter) {
    }

    /** One acquire's deliveries: every subscriber counts down once and the latest arrival is kept. */
    private static final class Round {
        final CountDownLatch acquired;
        final CountDownLatch released;
        final AtomicLong lastArrival = new AtomicLong();

        Round(int clients) {
            acquired = new CountDownLatch(clients);
            released = new CountDownLatch(clients);
        }
    }

    private final List<HttpClient> clients = new ArrayList<>();
    private final List<WebSocket> sockets = new ArrayList<>();
    private final AtomicInteger opened = new AtomicInteger();
    private volatile Round round = new Round(0);
    private volatile CountDownLatch subscribed = new CountDownLatch(0);

    private WebSocketBench() {
        for (int i = 0; i < 4; i++) {
            clients.add(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
        }
    }

    /**
     * {@code subscribers} sockets on {@code appointment} (spread over {@code users}); {@code holder} then
     * acquires and releases it {@code events} times, and each time the delay from the acquire's HTTP
     * answer to the last subscriber's {@code lock-acquired} is recorded.
     */
    static FanOut fanOut(ServerProcess server, List<Api.User> users, int subscribers, Api.User holder,
                         String appointment, int events) throws Exception {
        WebSocketBench bench = new WebSocketBench();
        try {
            bench.subscribed = new CountDownLatch(subscribers);
            bench.open(server, users, subscribers, "/appointments/" + appointment + "/updates");
            if (!bench.subscribed.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (subscribers - bench.subscribed.getCount())
                        + " of " + subscribers + " sockets got their snapshot");
            }
            Histogram latency = new Histogram(3_600_000_000_000L, 3);
            int incomplete = 0;
            String path = Api.BASE + "/appointments/" + appointment;
            try (HttpConnection http = new HttpConnection("127.0.0.1", server.port())) {
                for (int event = 0; event < events; event++) {
                    Round current = new Round(subscribers);
                    bench.round = current;
                    HttpConnection.Response acquired = http.send("POST", path + "/acquire-lock", holder.token(), "{}");
                    long answered = System.nanoTime();
                    if (acquired.status() != 200) {
                        throw new IllegalStateException("acquire answered " + acquired.status() + ": " + acquired.body());
                    }
                    if (!current.acquired.await(10, TimeUnit.SECONDS)) {
                        incomplete++;
                    } else {
                        latency.recordValue(Math.max(0, current.lastArrival.get() - answered));
                    }
                    http.send("DELETE", path + "/release-lock", holder.token(), null);
                    current.released.await(10, TimeUnit.SECONDS);
                }
            }
            return new FanOut(latency, events, incomplete);
        } finally {
            bench.closeAll();
        }
    }

    /** {@code count} authenticated sockets that subscribe to nothing; the server's heap and RSS before and with them. */
    static IdleSockets idle(ServerProcess server, List<Api.User> users, int count) throws Exception {
        server.collectGarbage();
        Thread.sleep(1_000);
        long rssBefore = server.rssBytes();
        long heapBefore = server.heapUsedBytes();
        WebSocketBench bench = new WebSocketBench();
        try {
            bench.open(server, users, count, "/ws");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (bench.opened.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(2_000);
            server.collectGarbage();
            Thread.sleep(1_000);
            return new IdleSockets(bench.opened.get(), rssBefore, server.rssBytes(), heapBefore, server.heapUsedBytes());
        } finally {
            bench.closeAll();
        }
    }

    private void open(ServerProcess server, List<Api.User> users, int count, String path) throws Exception {
        Semaphore handshakes = new Semaphore(HANDSHAKES_AT_ONCE);
        List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            handshakes.acquire();
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + Api.BASE + path + "?token="
                    + users.get(i % users.size()).token());
            CompletableFuture<WebSocket> socket = clients.get(i % clients.size()).newWebSocketBuilder()
                    .buildAsync(uri, new Listener());
            socket.whenComplete((ws, failure) -> handshakes.release());
            pending.add(socket);
        }
        for (CompletableFuture<WebSocket> socket : pending) {
            sockets.add(socket.get(60, TimeUnit.SECONDS));
        }
    }

    private void closeAll() {
        sockets.forEach(WebSocket::abort);
        sockets.clear();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            opened.incrementAndGet();
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frame(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        private void frame(String frame) {
            if (frame.contains("\"type\":\"lock-acquired\"")) {
                Round current = round;
                current.lastArrival.accumulateAndGet(System.nanoTime(), Math::max);
                current.acquired.countDown();
            } else if (frame.contains("\"type\":\"lock-released\"")) {
                round.released.countDown();
            } else if (frame.contains("\"type\":\"subscribed\"")) {
                subscribed.countDown();
            }
        }
    }
}
