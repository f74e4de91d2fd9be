package io.syncpoint.lock.bench;

import io.syncpoint.lock.persistence.jdbi.PostgresSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code pgbench -b simple-update}: what the database itself sustains, the write path's reference. */
final class Pgbench {
    private static final Pattern URL = Pattern.compile("^jdbc:postgresql://([^:/]+):(\\d+)/([^?]+).*$");
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");

    record Result(double tps, double latencyAverageMillis) {
    }

    private Pgbench() {
    }

    /** The pgbench on the PATH or in /usr/bin, if there is one. */
    static Optional<Path> find() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "pgbench");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** {@code pgbench -i}, then {@code clients} clients of simple-update for {@code duration}. */
    static Result run(Path pgbench, PostgresSettings database, int clients, Duration duration, Path logDir)
            throws IOException, InterruptedException {
        Matcher url = URL.matcher(database.jdbcUrl());
        if (!url.matches()) {
            throw new IllegalStateException("cannot read host and port from " + database.jdbcUrl());
        }
        List<String> connection = List.of("-h", url.group(1), "-p", url.group(2), "-U", database.user());
        List<String> init = new ArrayList<>(List.of(pgbench.toString(), "-i", "-q", "-s", "1"));
        init.addAll(connection);
        init.add(url.group(3));
        run(init, database, logDir.resolve("pgbench-init.log"));
        List<String> bench = new ArrayList<>(List.of(pgbench.toString(), "-b", "simple-update", "-c",
                Integer.toString(clients), "-j", "2", "-T", Long.toString(Math.max(1, duration.toSeconds()))));
        bench.addAll(connection);
        bench.add(url.group(3));
        String output = run(bench, database, logDir.resolve("pgbench.log"));
        Matcher tps = TPS.matcher(output);
        Matcher latency = LATENCY.matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench printed no tps:\n" + output);
        }
        return new Result(Double.parseDouble(tps.group(1)), latency.find() ? Double.parseDouble(latency.group(1)) : -1);
    }

    private static String run(List<String> command, PostgresSettings database, Path log)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PGPASSWORD", database.password());
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("pgbench did not finish: " + command);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("pgbench failed (" + process.exitValue() + "):\n" + output);
        }
        return output;
    }
}
