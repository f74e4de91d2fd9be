package io.syncpoint.lock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * CPU time (user and system) from {@code /proc}, for the shares the table gives per request: PostgreSQL's
 * processes, and a server's JIT compiler threads. A process or thread that ends between two readings takes
 * its time with it; the benchmark's backends are pooled connections and the compiler threads live as long
 * as their JVM. 0 where there is no {@code /proc}.
 */
final class ProcessCpu {
    private static final long NANOS_PER_TICK = 1_000_000_000L / clockTicksPerSecond();

    private ProcessCpu() {
    }

    /** Every process on this machine whose name starts with {@code postgres}: the postmaster, its backends and workers. */
    static long database() {
        return nanos(Path.of("/proc"), name -> name.startsWith("postgres"));
    }

    /** The JIT compiler threads of process {@code pid} (HotSpot names them {@code C1/C2 CompilerThreadN}). */
    static long compilerThreads(long pid) {
        return nanos(Path.of("/proc", Long.toString(pid), "task"), name -> name.contains("CompilerThre"));
    }

    private static long nanos(Path directory, Predicate<String> named) {
        long ticks = 0;
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path entry : entries.toList()) {
                if (entry.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    ticks += ticks(entry.resolve("stat"), named);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return ticks * NANOS_PER_TICK;
    }

    private static long ticks(Path statFile, Predicate<String> named) {
        String stat;
        try {
            stat = Files.readString(statFile);
        } catch (IOException e) {
            return 0;
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open || !named.test(stat.substring(open + 1, close))) {
            return 0;
        }
        // After the name: the state, then ten more fields; user and system time are the 12th and 13th.
        String[] fields = stat.substring(close + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder(List.of("getconf", "CLK_TCK")).redirectErrorStream(true).start();
            String answer = new String(getconf.getInputStream().readAllBytes()).trim();
            return getconf.waitFor() == 0 ? Long.parseLong(answer) : 100;
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
