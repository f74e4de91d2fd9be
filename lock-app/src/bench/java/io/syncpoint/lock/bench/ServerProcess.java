package io.syncpoint.lock.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server in its own process (the jar, or the bare Javalin reference): started, polled until its
 * first healthy answer, measured from {@code /proc}, stopped with SIGTERM.
 */
final class ServerProcess implements AutoCloseable {
    /**
     * A space of {@code GC.heap_info}: one line for G1 ("garbage-first heap   total 262144K, used 23456K"),
     * one per generation for the serial and parallel collectors ("def new generation   total 4928K, used 2043K").
     */
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private final double startSeconds;

    private ServerProcess(String name, Process process, int port, Path log, double startSeconds) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
        this.startSeconds = startSeconds;
    }

    /** {@code java [jvmArgs] -jar jar} with {@code env} (any LOCK_ variable of this JVM is left out). */
    static ServerProcess jar(String name, Path jar, List<String> jvmArgs, Map<String, String> env, Path logDir)
            throws IOException, InterruptedException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        return start(name, command, env, port, "/health", logDir);
    }

    /** A class of this benchmark's classpath as a server, with the same JVM settings as the jar. */
    static ServerProcess mainClass(String name, Class<?> main, List<String> jvmArgs, Path logDir)
            throws IOException, InterruptedException {
        return mainClass(name, main, jvmArgs, Map.of(), logDir);
    }

    /** The same, with {@code env} set for it. */
    static ServerProcess mainClass(String name, Class<?> main, List<String> jvmArgs, Map<String, String> env,
                                   Path logDir) throws IOException, InterruptedException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName(), Integer.toString(port)));
        return start(name, command, env, port, "/health", logDir);
    }

    private static ServerProcess start(String name, List<String> command, Map<String, String> env, int port,
                                       String healthPath, Path logDir) throws IOException, InterruptedException {
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(variable -> variable.startsWith("LOCK_"));
        builder.environment().putAll(env);
        builder.environment().put("LOCK_PORT", Integer.toString(port));
        long started = System.nanoTime();
        Process process = builder.start();
        long deadline = started + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " stopped at start:\n" + Files.readString(log));
            }
            try (HttpConnection connection = new HttpConnection("127.0.0.1", port)) {
                if (connection.send("GET", healthPath, null, null).status() == 200) {
                    double seconds = (System.nanoTime() - started) / 1e9;
                    return new ServerProcess(name, process, port, log, seconds);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        process.destroyForcibly();
        throw new IllegalStateException(name + " gave no healthy answer within 120 s:\n" + Files.readString(log));
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** From the launch of the process to its first healthy answer. */
    double startSeconds() {
        return startSeconds;
    }

    /** CPU time (user and system) the server has used since it started; -1 where the platform does not tell. */
    long cpuNanos() {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** The part of {@link #cpuNanos()} its JIT compiler threads used; 0 where there is no {@code /proc}. */
    long compilerCpuNanos() {
        return ProcessCpu.compilerThreads(process.pid());
    }

    /** Resident set size now, from {@code /proc/<pid>/status}; -1 where there is no {@code /proc}. */
    long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Heap in use now, as the JVM itself reports it ({@code jcmd <pid> GC.heap_info}); -1 where that fails. */
    long heapUsedBytes() {
        try {
            Process jcmd = new ProcessBuilder(jcmd(), Long.toString(process.pid()), "GC.heap_info")
                    .redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            Matcher used = HEAP_USED.matcher(output);
            long kilobytes = -1;
            while (used.find()) {
                kilobytes = Math.max(kilobytes, 0) + Long.parseLong(used.group(1));
            }
            return kilobytes < 0 ? -1 : kilobytes * 1024;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Asks the server's JVM for a full collection, so the heap figure after it is what is really kept. */
    void collectGarbage() throws InterruptedException {
        try {
            Process jcmd = new ProcessBuilder(jcmd(), Long.toString(process.pid()), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            jcmd.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no jcmd: the heap figure is taken without a collection
        }
    }

    String logText() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String jcmd() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
