package io.syncpoint.lock.bench;

import io.syncpoint.lock.persistence.jdbi.PostgresSettings;
import io.syncpoint.lock.persistence.jdbi.StoreStatements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the database itself sustains, measured by {@code pgbench}: its built-in {@code simple-update}
 * (the write path's reference), and scripts of the very statements the PostgreSQL store sends for a
 * lock-status and for an acquire and a release (captured with {@code log_statement = all}), in the same
 * round trips, one operation per transaction, so that the database's share of SyncPoint's own work is
 * measured without our Java in it.
 */
final class Pgbench {
    private static final Pattern URL = Pattern.compile("^jdbc:postgresql://([^:/]+):(\\d+)/([^?]+).*$");
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");

    /** Transactions per second and their average latency; percentiles where each transaction was logged, else -1. */
    record Result(double tps, double latencyAverageMillis, double p50Millis, double p99Millis, double p999Millis) {
        Result(double tps, double latencyAverageMillis) {
            this(tps, latencyAverageMillis, -1, -1, -1);
        }
    }

    private static final String APPOINTMENT = "CAST(md5('syncpoint-pgbench-' || :client_id) AS uuid)";
    private static final String LEASE = "CAST(md5('syncpoint-pgbench-lease-' || :client_id) AS uuid)";
    private static final String HOLDER = "CAST('00000000-0000-7000-8000-00000000b0b0' AS uuid)";
    /** A history row's id as the store makes them, time-ordered (µs since the epoch, then random bits). */
    private static final String HISTORY_ID = "CAST(lpad(to_hex(CAST(extract(epoch FROM clock_timestamp()) * 1000000 AS bigint)),"
            + " 16, '0') || substr(md5(random()::text), 1, 16) AS uuid)";
    private static final String HOLDER_INFO = "CAST('{\"name\":\"Pgbench\",\"email\":\"pgbench@bench.test\"}' AS jsonb)";

    /** The first round trip of every lock transaction, the store's own statements on the client's appointment. */
    private static final String OPENING = "\\startpipeline\nBEGIN;\n"
            + placeholders(StoreStatements.opening(), APPOINTMENT, APPOINTMENT, "0", APPOINTMENT, APPOINTMENT,
                    APPOINTMENT)
            + ";\n\\endpipeline\n";

    /** The lease's nine columns as an acquire writes them (its token the one this transaction took), and as a release does. */
    private static final String[] NEW_LEASE = {LEASE, HOLDER, HOLDER_INFO, "now()", "now() + interval '300 seconds'",
            "1", "currval('fencing_tokens')", "0", "now()"};
    private static final String[] NO_LEASE = {"NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"};

    /** The writes after the lease: its history row, its event, the COMMIT. */
    private static final String HISTORY_AND_EVENT = """
            INSERT INTO lock_history (id, appointment_id, lock_id, user_id, user_info, action, at, fencing_token,
              duration_seconds, renewals, released_by, reason, metadata) VALUES (HISTORY_ID, APPOINTMENT,
              LEASE, HOLDER, HOLDER_INFO, ACTION, clock_timestamp(), currval('fencing_tokens'), DURATION,
              NULL, NULL, CAST('{}' AS jsonb));
            SELECT pg_notify('syncpoint_pgbench', payload) FROM unnest(CAST(:events AS text[])) AS payload;
            COMMIT;
            \\endpipeline
            """.replace("HISTORY_ID", HISTORY_ID);

    private static final String ACQUIRE_HISTORY = HISTORY_AND_EVENT.replace("ACTION", "'acquired'")
            .replace("DURATION", "NULL, NULL");
    private static final String RELEASE_HISTORY = HISTORY_AND_EVENT.replace("ACTION", "'released'")
            .replace("DURATION", "0, 0");

    /** The second round trip decided on the rows: the number raised with the lease written, then the rest. */
    private static String writesOnRows(String[] lease, String found, String history) {
        List<String> values = new ArrayList<>(List.of(lease));
        values.addAll(List.of(APPOINTMENT, found, "'no such lease'"));
        return "\\startpipeline\n" + placeholders(StoreStatements.raiseNumberWritingLease(), values.toArray(String[]::new))
                + ";\n" + history;
    }

    /** An acquire of the client's own appointment decided on the rows: the store's two round trips. */
    private static final String ACQUIRE = OPENING + writesOnRows(NEW_LEASE, "NULL", ACQUIRE_HISTORY);

    /** The release of that lease: again two round trips. */
    private static final String RELEASE = OPENING + writesOnRows(NO_LEASE, LEASE, RELEASE_HISTORY);

    /**
     * The check a transaction decided on a remembered state opens with, writing the lease, in the same round
     * trip as its other writes. The remembered number is read in place (the store knows it; this costs an
     * index lookup more), the window is the store's.
     */
    private static String checked(String[] lease, String found) {
        List<String> values = new ArrayList<>(List.of(APPOINTMENT,
                "(SELECT lock_state FROM appointments WHERE id = " + APPOINTMENT + ")", "0", "clock_timestamp()",
                "clock_timestamp() + interval '1 second'", found));
        values.addAll(List.of(lease));
        return placeholders(StoreStatements.checkRememberedWritingLease(), values.toArray(String[]::new)) + ";\n";
    }

    /**
     * An acquire decided on a remembered state: one round trip. The store takes the token with the
     * release before it; here the acquire takes it, the same work for a pair.
     */
    private static final String ACQUIRE_ONE_TRIP = "\\startpipeline\nBEGIN;\nSELECT nextval('fencing_tokens');\n"
            + checked(NEW_LEASE, "NULL") + ACQUIRE_HISTORY;

    /** The release decided on a remembered state: one round trip. */
    private static final String RELEASE_ONE_TRIP = "\\startpipeline\nBEGIN;\n" + checked(NO_LEASE, LEASE) + RELEASE_HISTORY;

    /**
     * One transaction of the script is one lock operation, as one HTTP request of the write path is: a
     * client's odd transactions acquire its own appointment, its even ones release it ({@code :n} counts
     * them, per client, from {@code -D n=0}). So pgbench's rate is operations per second and its
     * per-transaction log gives each operation's latency.
     */
    static final String LOCK_OPERATION = lockOperation(ACQUIRE, RELEASE);

    /** {@link #LOCK_OPERATION} as the store sends it where it decides on the state it remembers: one round trip each. */
    static final String LOCK_OPERATION_ONE_TRIP = lockOperation(ACQUIRE_ONE_TRIP, RELEASE_ONE_TRIP);

    private static String lockOperation(String acquire, String release) {
        return resolved("\\set n :n + 1\n\\if :n % 2 = 1\n" + acquire + "\\else\n" + release + "\\endif\n");
    }

    /**
     * {@link #LOCK_OPERATION_ONE_TRIP}'s acquire as one string of statements, {@code BEGIN} to {@code COMMIT},
     * with its variables {@code :client_id} and {@code :events}: what {@link BareJdbcServer} sends in one round trip.
     */
    static final String ACQUIRE_ONE_TRIP_STATEMENTS = unpiped(ACQUIRE_ONE_TRIP);

    /** The same for the release. */
    static final String RELEASE_ONE_TRIP_STATEMENTS = unpiped(RELEASE_ONE_TRIP);

    private static String unpiped(String pipeline) {
        return resolved(pipeline.replace("\\startpipeline\n", "").replace("\\endpipeline\n", ""));
    }

    private static String resolved(String script) {
        return script.replace("APPOINTMENT", APPOINTMENT).replace("LEASE", LEASE).replace("HOLDER_INFO", HOLDER_INFO)
                .replace("HOLDER", HOLDER);
    }

    /** One event as the store notifies it (a lock_acquired of the usual size), for {@code :events}. */
    static final String EVENTS = "{\"{\\\"type\\\":\\\"lock_acquired\\\",\\\"lock\\\":{\\\"id\\\":"
            + "\\\"01a24b10-f27f-7489-bbb6-34130b2b60c6\\\",\\\"appointmentId\\\":"
            + "\\\"01a24b10-f09e-7155-b37d-f49e42333533\\\",\\\"createdAt\\\":\\\"2026-12-06T11:15:31.581788Z\\\","
            + "\\\"expiresAt\\\":\\\"2026-12-06T11:20:31.581788Z\\\",\\\"version\\\":1,\\\"fencingToken\\\":29,"
            + "\\\"renewals\\\":0,\\\"lastActiveAt\\\":\\\"2026-12-06T11:15:31.581788Z\\\",\\\"holder\\\":"
            + "{\\\"userId\\\":\\\"01a24b10-efde-77a0-bf9e-510005e30570\\\",\\\"name\\\":\\\"Pgbench\\\","
            + "\\\"email\\\":\\\"pgbench@bench.test\\\",\\\"position\\\":null}}}\"}";

    /**
     * ShedLock's own lock and unlock statements ({@code JdbcStorageAccessor}: a conditional update, then an
     * update), one pair per transaction, each statement committing on its own as ShedLock's do, on a lock
     * name of the client's own in ShedLock's table (see {@link #shedLockSetUp}).
     */
    static final String SHEDLOCK_PAIR = """
            UPDATE shedlock SET lock_until = now() + interval '5 minutes', locked_at = now(), locked_by = 'pgbench'
              WHERE name = 'pgbench-' || :client_id AND lock_until <= now();
            UPDATE shedlock SET lock_until = now() WHERE name = 'pgbench-' || :client_id;
            """;

    /**
     * The least a lock that keeps what ShedLock does not can write, one statement per operation as
     * ShedLock's: the client's lease row (see {@link #leastWorkSetUp}) updated in place, with a fencing
     * token from the store's sequence and a version; in {@link #AUDITED_PAIR}, also the operation's row in
     * the store's own history table; and one {@code pg_notify} for each entry of {@code :events} (none
     * for an empty array). A pair per transaction, each statement committing on its own.
     */
    private static final String LEAST_WORK = """
            WITH lease AS (UPDATE pgbench_leases SET holder_id = HOLDER, expires_at = clock_timestamp() + interval '300 seconds',
              fencing_token = nextval('fencing_tokens'), version = version + 1
              WHERE appointment_id = APPOINTMENT AND expires_at <= clock_timestamp() RETURNING fencing_token)
              HISTORY('acquired', NULL)
              SELECT pg_notify('syncpoint_pgbench', payload) FROM lease, unnest(CAST(:events AS text[])) AS payload;
            WITH lease AS (UPDATE pgbench_leases SET holder_id = NULL, expires_at = clock_timestamp(), version = version + 1
              WHERE appointment_id = APPOINTMENT RETURNING fencing_token)
              HISTORY('released', 0)
              SELECT pg_notify('syncpoint_pgbench', payload) FROM lease, unnest(CAST(:events AS text[])) AS payload;
            """.replace("APPOINTMENT", APPOINTMENT).replace("HOLDER", HOLDER);

    private static final Pattern HISTORY = Pattern.compile("HISTORY\\('(\\w+)', (\\w+)\\)");

    /** {@link #LEAST_WORK} without a history row: the lease alone, with its token and version. */
    static final String LEASE_PAIR = HISTORY.matcher(LEAST_WORK).replaceAll("");

    /** {@link #LEAST_WORK} with the history row, as the store writes it. */
    static final String AUDITED_PAIR = HISTORY.matcher(LEAST_WORK).replaceAll(", history AS (INSERT INTO lock_history"
            + " (id, appointment_id, lock_id, user_id, user_info, action, at, fencing_token, duration_seconds, renewals,"
            + " released_by, reason, metadata) SELECT " + HISTORY_ID + ", " + APPOINTMENT + ", " + LEASE + ", "
            + HOLDER + ", " + HOLDER_INFO + ", '$1', clock_timestamp(), fencing_token,"
            + " $2, $2, NULL, NULL, CAST('{}' AS jsonb) FROM lease)");

    /** ShedLock's row for each client's lock name of {@link #SHEDLOCK_PAIR}, unlocked; its table must exist. */
    static String shedLockSetUp(int clients) {
        return "INSERT INTO shedlock (name, lock_until, locked_at, locked_by) SELECT 'pgbench-' || n, now(), now(),"
                + " 'nobody yet' FROM generate_series(0, " + (clients - 1) + ") AS n ON CONFLICT (name) DO NOTHING";
    }

    /** The lease rows of {@link #LEASE_PAIR} and {@link #AUDITED_PAIR}, one per client, free. */
    static String leastWorkSetUp(int clients) {
        return "CREATE TABLE IF NOT EXISTS pgbench_leases (appointment_id uuid PRIMARY KEY, holder_id uuid,"
                + " expires_at timestamptz NOT NULL, fencing_token bigint NOT NULL, version bigint NOT NULL);"
                + " INSERT INTO pgbench_leases SELECT CAST(md5('syncpoint-pgbench-' || n) AS uuid), NULL, now(), 0, 0"
                + " FROM generate_series(0, " + (clients - 1) + ") AS n ON CONFLICT (appointment_id) DO NOTHING";
    }

    /**
     * Whether every client of {@link #SHEDLOCK_PAIR} and {@link #LEASE_PAIR} / {@link #AUDITED_PAIR} locked its
     * row at least once: a script whose rows are missing updates nothing and would report a rate for no work.
     */
    static String leastWorkCheck(int clients) {
        return "SELECT (SELECT count(*) FROM shedlock WHERE name LIKE 'pgbench-%' AND locked_by = 'pgbench') = " + clients
                + " AND (SELECT count(*) FROM pgbench_leases WHERE version > 0) = " + clients;
    }

    /** lock-status's one statement, the store's own, on the appointment in {@code :locked}. */
    static final String LOCK_STATUS = placeholders(StoreStatements.lockStatus(), ":locked") + ";\n";

    /** {@code sql} with its {@code ?} placeholders replaced by {@code values}, in order; one value for each. */
    private static String placeholders(String sql, String... values) {
        String[] parts = sql.split("\\?", -1);
        if (parts.length != values.length + 1) {
            throw new IllegalStateException((parts.length - 1) + " placeholders, " + values.length + " values: " + sql);
        }
        StringBuilder text = new StringBuilder(parts[0]);
        for (int i = 0; i < values.length; i++) {
            text.append(values[i]).append(parts[i + 1]);
        }
        return text.toString();
    }

    /**
     * The appointments {@link #LOCK_OPERATION} locks, one per client, created if missing and without a
     * lease (a run may end between a client's acquire and its release).
     */
    static String lockOperationSetUp(int clients) {
        String appointments = "SELECT CAST(md5('syncpoint-pgbench-' || n) AS uuid) AS id"
                + " FROM generate_series(0, " + (clients - 1) + ") AS n";
        return "INSERT INTO appointments (id, title, starts_at, ends_at, status, version, created_by, created_at,"
                + " updated_at) SELECT id, 'pgbench ' || id, now(), now() + interval '1 hour', 'scheduled', 1, "
                + HOLDER + ", now(), now() FROM (" + appointments + ") AS ids ON CONFLICT (id) DO NOTHING;"
                + " UPDATE appointments SET lease_id = NULL, lease_holder_id = NULL, lease_user_info = NULL,"
                + " lease_created_at = NULL, lease_expires_at = NULL, lease_version = NULL, lease_fencing_token = NULL,"
                + " lease_renewals = NULL, lease_last_active_at = NULL WHERE id IN (" + appointments + ")";
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
        List<String> init = new ArrayList<>(List.of(pgbench.toString(), "-i", "-q", "-s", "1"));
        init.addAll(connection(database));
        run(init, database, logDir.resolve("pgbench-init.log"));
        List<String> bench = new ArrayList<>(List.of(pgbench.toString(), "-b", "simple-update", "-c",
                Integer.toString(clients), "-j", "2", "-T", Long.toString(Math.max(1, duration.toSeconds()))));
        bench.addAll(connection(database));
        return parse(run(bench, database, logDir.resolve("pgbench.log")));
    }

    /**
     * {@code clients} clients running {@code script} in prepared mode for {@code duration}, with
     * {@code variables} defined ({@code -D}); no vacuum, as the script uses no pgbench tables. With
     * {@code latencies}, every transaction is logged ({@code -l}) and the result has its percentiles.
     */
    static Result runScript(Path pgbench, PostgresSettings database, String name, String script,
            Map<String, String> variables, int clients, Duration duration, boolean latencies, Path logDir)
            throws IOException, InterruptedException {
        Path file = logDir.resolve("pgbench-" + name + ".sql");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        List<String> bench = new ArrayList<>(List.of(pgbench.toString(), "-n", "-M", "prepared", "-f", file.toString(),
                "-c", Integer.toString(clients), "-j", "2", "-T", Long.toString(Math.max(1, duration.toSeconds()))));
        variables.forEach((variable, value) -> bench.addAll(List.of("-D", variable + "=" + value)));
        Path transactions = logDir.resolve("pgbench-" + name + "-transactions");
        if (latencies) {
            bench.addAll(List.of("-l", "--log-prefix=" + transactions));
        }
        bench.addAll(connection(database));
        Result result = parse(run(bench, database, logDir.resolve("pgbench-" + name + ".log")));
        if (!latencies) {
            return result;
        }
        long[] micros = transactionLatencies(transactions);
        return new Result(result.tps(), result.latencyAverageMillis(), percentile(micros, 50), percentile(micros, 99),
                percentile(micros, 99.9));
    }

    /**
     * The latencies (µs, sorted) of the per-thread logs pgbench wrote under {@code prefix}, which are then
     * deleted; each line: client, transaction, latency, script, epoch seconds, microseconds.
     */
    private static long[] transactionLatencies(Path prefix) throws IOException {
        List<Path> logs;
        try (var files = Files.list(prefix.getParent())) {
            logs = files.filter(path -> path.getFileName().toString().startsWith(prefix.getFileName() + ".")).toList();
        }
        List<Long> latencies = new ArrayList<>();
        for (Path log : logs) {
            for (String line : Files.readAllLines(log, StandardCharsets.US_ASCII)) {
                String[] fields = line.split(" ");
                if (fields.length >= 3) {
                    latencies.add(Long.parseLong(fields[2]));
                }
            }
            Files.delete(log);
        }
        return latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static double percentile(long[] sortedMicros, double percentile) {
        if (sortedMicros.length == 0) {
            return -1;
        }
        int index = (int) Math.ceil(percentile / 100 * sortedMicros.length) - 1;
        return sortedMicros[Math.max(0, Math.min(sortedMicros.length - 1, index))] / 1000.0;
    }

    /** Host, port and user options, then the database name, from the JDBC URL. */
    private static List<String> connection(PostgresSettings database) {
        Matcher url = URL.matcher(database.jdbcUrl());
        if (!url.matches()) {
            throw new IllegalStateException("cannot read host and port from " + database.jdbcUrl());
        }
        return List.of("-h", url.group(1), "-p", url.group(2), "-U", database.user(), url.group(3));
    }

    private static Result parse(String output) {
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
