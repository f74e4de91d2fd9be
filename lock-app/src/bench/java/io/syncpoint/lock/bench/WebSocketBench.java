package io.syncpoint.lock.bench;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/** WebSocket fan-out to many subscribers of one appointment, and the cost of many idle sockets. */
final class WebSocketBench {
    /**
     * @param clientCpuNanos the load generator's CPU time over all rounds (its 1,000 sockets receiving)
     * @param serverCpuNanos the server's CPU time over all rounds, -1 where the platform does not tell
     */
    record FanOut(Histogram latency, int events, int incomplete, long clientCpuNanos, long serverCpuNanos) {
        double millis(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1e6;
        }

        /** CPU per round (an acquire and a release: two events, each to every subscriber), in ms. */
        double clientMillisPerRound() {
            return clientCpuNanos / 1e6 / events;
        }

        double serverMillisPerRound() {
            return serverCpuNanos < 0 ? -1 : serverCpuNanos / 1e6 / events;
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

    private final RawWebSockets sockets;
    private volatile Round round = new Round(0);
    private volatile CountDownLatch subscribed = new CountDownLatch(0);

    private WebSocketBench(ServerProcess server) throws IOException {
        sockets = new RawWebSockets("127.0.0.1", server.port(), this::frame);
    }

    /**
     * {@code subscribers} sockets on {@code appointment} (spread over {@code users}); {@code holder} then
     * acquires and releases it {@code events} times, and each time the delay from the acquire's HTTP
     * answer to the last subscriber's {@code lock-acquired} is recorded.
     */
    static FanOut fanOut(ServerProcess server, List<Api.User> users, int subscribers, Api.User holder,
                         String appointment, int events) throws Exception {
        WebSocketBench bench = new WebSocketBench(server);
        try {
            bench.subscribed = new CountDownLatch(subscribers);
            bench.open(users, subscribers, "/appointments/" + appointment + "/updates");
            if (!bench.subscribed.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (subscribers - bench.subscribed.getCount())
                        + " of " + subscribers + " sockets got their snapshot");
            }
            Histogram latency = new Histogram(3_600_000_000_000L, 3);
            int incomplete = 0;
            String path = Api.BASE + "/appointments/" + appointment;
            long clientCpu = LoadRun.processCpuNanos();
            long serverCpu = server.cpuNanos();
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
            long serverCpuAfter = server.cpuNanos();
            return new FanOut(latency, events, incomplete, LoadRun.processCpuNanos() - clientCpu,
                    serverCpu < 0 || serverCpuAfter < 0 ? -1 : serverCpuAfter - serverCpu);
        } finally {
            bench.sockets.close();
        }
    }

    /** {@code count} authenticated sockets that subscribe to nothing; the server's heap and RSS before and with them. */
    static IdleSockets idle(ServerProcess server, List<Api.User> users, int count) throws Exception {
        server.collectGarbage();
        Thread.sleep(1_000);
        long rssBefore = server.rssBytes();
        long heapBefore = server.heapUsedBytes();
        WebSocketBench bench = new WebSocketBench(server);
        try {
            int open = bench.open(users, count, "/ws");
            Thread.sleep(2_000);
            server.collectGarbage();
            Thread.sleep(1_000);
            return new IdleSockets(open, rssBefore, server.rssBytes(), heapBefore, server.heapUsedBytes());
        } finally {
            bench.sockets.close();
        }
    }

    /** Opens {@code count} sockets one after the other; how many the server accepted. */
    private int open(List<Api.User> users, int count, String path) {
        int open = 0;
        for (int i = 0; i < count; i++) {
            try {
                sockets.open(Api.BASE + path + "?token=" + users.get(i % users.size()).token());
                open++;
            } catch (IOException e) {
                System.out.println("[bench] a socket was refused: " + e.getMessage());
            }
        }
        return open;
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
