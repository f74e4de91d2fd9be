package io.syncpoint.lock.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load: a fixed number of keep-alive connections, each on its own thread sending its
 * next request as soon as the last one is answered; a warm-up whose answers are not counted, then a
 * measurement. Every answer's latency goes into an HdrHistogram; an answer with a status the
 * workload does not expect, or a broken connection, counts as an error.
 */
final class LoadRun {
    /** One connection's loop body: one cycle of the workload (e.g. acquire, then release). */
    interface Cycle {
        void run(Caller caller) throws IOException;
    }

    /** Makes the cycle of connection {@code index}; called once per connection before the load starts. */
    interface Workload {
        Cycle connection(int index);
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

    /** Sends requests on one connection and records them while the measurement runs. */
    static final class Caller {
        private final HttpConnection connection;
        private final Histogram latency = new Histogram(3_600_000_000_000L, 3);
        private final LoadRun run;
        private long requests;
        private long errors;

        Caller(HttpConnection connection, LoadRun run) {
            this.connection = connection;
            this.run = run;
        }

        /** Sends one request; an answer whose status is not among {@code expected} counts as an error. */
        HttpConnection.Response call(String method, String path, String token, String body, int[] expected,
                                     String... headers) throws IOException {
            long start = System.nanoTime();
            HttpConnection.Response response;
            try {
                response = connection.send(method, path, token, body, headers);
            } catch (IOException e) {
                if (run.measuring) {
                    requests++;
                    errors++;
                }
                connection.reconnect();
                throw e;
            }
            long took = System.nanoTime() - start;
            if (run.measuring) {
                requests++;
                latency.recordValue(took);
                if (!contains(expected, response.status())) {
                    errors++;
                }
            }
            return response;
        }

        private static boolean contains(int[] statuses, int status) {
            for (int expected : statuses) {
                if (expected == status) {
                    return true;
                }
            }
            return false;
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
        List<Caller> callers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicLong failures = new AtomicLong();
        for (int i = 0; i < connections; i++) {
            Caller caller = new Caller(new HttpConnection("127.0.0.1", ports.get(i % ports.size())), this);
            Cycle cycle = workload.connection(i);
            callers.add(caller);
            threads.add(new Thread(() -> {
                while (!stopping) {
                    try {
                        cycle.run(caller);
                    } catch (IOException e) {
                        failures.incrementAndGet();
                    }
                }
            }, "load-" + i));
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
        for (Caller caller : callers) {
            latency.add(caller.latency);
            requests += caller.requests;
            errors += caller.errors;
            caller.connection.close();
        }
        return new Result(requests, errors, seconds, latency, maxRss, heap, clientCores, serverCpu, compilerCpu, databaseCpu);
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
