package io.syncpoint.lock.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load: a fixed number of keep-alive connections, each sending its next request as soon
 * as the last one is answered; a warm-up whose answers are not counted, then a measurement. Every
 * answer's latency goes into an HdrHistogram; an answer with a status the workload does not expect, or
 * a broken connection, counts as an error.
 *
 * <p>The connections are served by {@value #THREADS} threads, each waiting on its share of them with
 * one selector, as {@code pgbench -j 2} serves its clients and {@code wrk} its connections: the load
 * generator shares the cores with the server and the database, and a thread per connection, each woken
 * for every answer, cost them about 40 µs of CPU per request.
 */
final class LoadRun {
    /** Threads serving the connections: the machine's two cores, as the pgbench reference's {@code -j 2}. */
    static final int THREADS = 2;

    /**
     * One connection's workload, one cycle (e.g. acquire, then release) after the other. {@code next}
     * is given the answer to the request before (null when a cycle starts, also after a broken
     * connection) and returns the cycle's next request, or null when the cycle is over. A load stops
     * only between cycles, so that a cycle that took a lease also releases it.
     */
    interface Cycle {
        Request next(HttpConnection.Response last);
    }

    /** Makes the cycle of connection {@code index}; called once per connection before the load starts. */
    interface Workload {
        Cycle connection(int index);
    }

    /** A request, written once, and the statuses that count as its success. */
    record Request(byte[] bytes, int[] expected) {
        static Request of(String method, String path, String token, String jsonBody, int[] expected,
                          String... headers) {
            return new Request(HttpConnection.request(method, path, token, jsonBody, headers), expected);
        }

        boolean expects(int status) {
            for (int one : expected) {
                if (one == status) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A cycle of fixed requests, sent in order whatever they are answered. */
    static Cycle inOrder(Request... requests) {
        return new Cycle() {
            private int sent;

            @Override
            public Request next(HttpConnection.Response last) {
                if (last == null) {
                    sent = 0;
                }
                return sent < requests.length ? requests[sent++] : null;
            }
        };
    }

    /** The figures of one measurement. */
    record Result(long requests, long errors, double seconds, Histogram latency, long maxRssBytes, long heapBytes,
                  double clientCores, long serverCpuNanos, long compilerCpuNanos, long databaseCpuNanos) {
        double perSecond() {
            return requests / seconds;
        }

        /** The servers' CPU time (user and system, every thread) per answered request, in microseconds. */
        double serverMicrosPerRequest() {
            return requests == 0 ? 0 : serverCpuNanos / 1e3 / requests;
        }

        /** The part of {@link #serverMicrosPerRequest()} the servers' JIT compilers used. */
        double compilerMicrosPerRequest() {
            return requests == 0 ? 0 : compilerCpuNanos / 1e3 / requests;
        }

        /** PostgreSQL's CPU time (every process of the server) per answered request, in microseconds. */
        double databaseMicrosPerRequest() {
            return requests == 0 ? 0 : databaseCpuNanos / 1e3 / requests;
        }

        /** This load generator's CPU time per answered request, in microseconds. */
        double clientMicrosPerRequest() {
            return requests == 0 ? 0 : clientCores * seconds * 1e6 / requests;
        }

        double errorShare() {
            return requests == 0 ? 1 : (double) errors / requests;
        }

        double millis(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1e6;
        }
    }

    private volatile boolean measuring;
    private volatile boolean stopping;

    /**
     * Runs {@code workload} on {@code connections} connections spread over {@code ports} (round robin),
     * sampling the RSS of {@code servers} during the measurement (their sum, at its highest).
     */
    static Result run(int connections, List<Integer> ports, Workload workload, Duration warmUp, Duration measure,
                      List<ServerProcess> servers) throws Exception {
        return new LoadRun().execute(connections, ports, workload, warmUp, measure, servers);
    }

    private Result execute(int connections, List<Integer> ports, Workload workload, Duration warmUp, Duration measure,
                           List<ServerProcess> servers) throws Exception {
        List<Loop> loops = new ArrayList<>();
        for (int i = 0; i < Math.min(THREADS, connections); i++) {
            loops.add(new Loop());
        }
        for (int i = 0; i < connections; i++) {
            loops.get(i % loops.size()).add(new Connection(new InetSocketAddress("127.0.0.1", ports.get(i % ports.size())),
                    workload.connection(i)));
        }
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < loops.size(); i++) {
            threads.add(new Thread(loops.get(i), "load-" + i));
        }
        threads.forEach(Thread::start);
        Thread.sleep(warmUp.toMillis());
        measuring = true;
        long cpuBefore = processCpuNanos();
        long serversBefore = sum(servers, ServerProcess::cpuNanos);
        long compilersBefore = sum(servers, ServerProcess::compilerCpuNanos);
        long databaseBefore = ProcessCpu.database();
        long start = System.nanoTime();
        long end = start + measure.toNanos();
        long maxRss = 0;
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(250, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            long rss = 0;
            for (ServerProcess server : servers) {
                rss += Math.max(0, server.rssBytes());
            }
            maxRss = Math.max(maxRss, rss);
        }
        measuring = false;
        double seconds = (System.nanoTime() - start) / 1e9;
        double clientCores = (processCpuNanos() - cpuBefore) / 1e9 / seconds;
        long serverCpu = sum(servers, ServerProcess::cpuNanos) - serversBefore;
        long compilerCpu = sum(servers, ServerProcess::compilerCpuNanos) - compilersBefore;
        long databaseCpu = ProcessCpu.database() - databaseBefore;
        stopping = true;
        for (Thread thread : threads) {
            thread.join(60_000);
        }
        long heap = -1;
        for (ServerProcess server : servers) {
            long used = server.heapUsedBytes();
            heap = used < 0 ? heap : Math.max(0, heap) + used;
        }
        Histogram latency = new Histogram(3_600_000_000_000L, 3);
        long requests = 0;
        long errors = 0;
        for (Loop loop : loops) {
            latency.add(loop.latency);
            requests += loop.requests;
            errors += loop.errors;
        }
        return new Result(requests, errors, seconds, latency, maxRss, heap, clientCores, serverCpu, compilerCpu, databaseCpu);
    }

    /** One thread's connections and what it counted while the measurement ran. */
    private final class Loop implements Runnable {
        private final Histogram latency = new Histogram(3_600_000_000_000L, 3);
        private final List<Connection> connections = new ArrayList<>();
        private final Selector selector;
        private long requests;
        private long errors;

        Loop() throws IOException {
            selector = Selector.open();
        }

        void add(Connection connection) throws IOException {
            connections.add(connection);
            connection.open(selector);
        }

        @Override
        public void run() {
            try (selector) {
                int running = 0;
                for (Connection connection : connections) {
                    running += startCycle(connection) ? 1 : 0;
                }
                while (running > 0) {
                    selector.select();
                    for (SelectionKey key : selector.selectedKeys()) {
                        Connection connection = (Connection) key.attachment();
                        if (!answered(connection)) {
                            connection.close();
                            running--;
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException e) {
                throw new IllegalStateException("the load's selector failed", e);
            } finally {
                connections.forEach(Connection::close);
            }
        }

        /** Starts a cycle on {@code connection} unless the load is stopping; whether it runs on. */
        private boolean startCycle(Connection connection) throws IOException {
            if (stopping) {
                return false;
            }
            return send(connection, connection.cycle.next(null));
        }

        /** Reads what arrived; whether the connection runs on (false once its last cycle is over). */
        private boolean answered(Connection connection) throws IOException {
            HttpConnection.Response response;
            try {
                response = connection.read();
            } catch (IOException e) {
                count(connection, false, false);
                connection.reopen(selector);
                return startCycle(connection);
            }
            if (response == null) {
                return true;
            }
            count(connection, true, connection.request.expects(response.status()));
            if (connection.closing) {
                connection.reopen(selector);
            }
            return send(connection, connection.cycle.next(response));
        }

        /** Counts an answer ({@code expected} or not) or, with {@code answered} false, a broken connection. */
        private void count(Connection connection, boolean answered, boolean expected) {
            if (measuring) {
                requests++;
                if (answered) {
                    latency.recordValue(System.nanoTime() - connection.sentAt);
                }
                if (!expected) {
                    errors++;
                }
            }
        }

        /** Sends {@code request}; a cycle that has nothing to send ends, and the next one starts. */
        private boolean send(Connection connection, Request request) throws IOException {
            if (request == null) {
                return startCycle(connection);
            }
            try {
                connection.write(request);
                return true;
            } catch (IOException e) {
                count(connection, false, false);
                connection.reopen(selector);
                return startCycle(connection);
            }
        }
    }

    /** One keep-alive connection, its cycle, the request on the way and the bytes of its answer so far. */
    private static final class Connection {
        private final InetSocketAddress address;
        private final Cycle cycle;
        private ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        private SocketChannel channel;
        private Request request;
        private long sentAt;
        /** Whether the server said it closes the connection after the answer just read. */
        private boolean closing;

        Connection(InetSocketAddress address, Cycle cycle) {
            this.address = address;
            this.cycle = cycle;
        }

        void open(Selector selector) throws IOException {
            channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(address, 5_000);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, this);
            in.clear();
            closing = false;
        }

        /** Opens a new socket after an error left this one in an unknown state. */
        void reopen(Selector selector) throws IOException {
            close();
            open(selector);
        }

        /** Writes the whole request: a few hundred bytes, which a socket with nothing unanswered takes at once. */
        void write(Request next) throws IOException {
            request = next;
            sentAt = System.nanoTime();
            ByteBuffer bytes = ByteBuffer.wrap(next.bytes());
            while (bytes.hasRemaining()) {
                if (channel.write(bytes) == 0) {
                    Thread.onSpinWait();
                }
            }
        }

        /** The answer, once all of it has arrived; null while it has not. */
        HttpConnection.Response read() throws IOException {
            if (!in.hasRemaining()) {
                ByteBuffer larger = ByteBuffer.allocate(in.capacity() * 2);
                in.flip();
                in = larger.put(in);
            }
            if (channel.read(in) < 0) {
                throw new IOException("connection closed");
            }
            HttpAnswer answer = HttpAnswer.parse(in.array(), in.position());
            if (answer == null) {
                return null;
            }
            in.clear();
            closing = answer.close();
            return answer.response();
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing left to do with a socket that does not close
            }
        }
    }

    /** {@code cpu} summed over {@code servers}; a reading a platform does not give (below 0) counts 0. */
    private static long sum(List<ServerProcess> servers, ToLongFunction<ServerProcess> cpu) {
        long total = 0;
        for (ServerProcess server : servers) {
            total += Math.max(0, cpu.applyAsLong(server));
        }
        return total;
    }

    /** CPU time of this whole JVM: the load generator's cost on the shared cores. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
