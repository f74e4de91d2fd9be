package io.syncpoint.lock.bench;

import io.syncpoint.lock.persistence.jdbi.PostgresSettings;
import io.syncpoint.lock.persistence.jdbi.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmark: starts the packaged server on the in-memory default and on PostgreSQL, drives it
 * from this JVM, measures every reference in the same run and prints one table (also written to
 * {@code target/bench/results.md}). {@code -Dbench.quick=true} runs every workload briefly.
 */
public final class BenchmarkRun {
    private static final int CONNECTIONS = 16;
    private static final int SUBSCRIBERS = 1_000;
    private static final int IDLE_SOCKETS = 5_000;
    private static final int SOCKET_USERS = 50;
    private static final String SECRET = "a-benchmark-secret-of-at-least-32-characters";

    private final boolean quick = Boolean.getBoolean("bench.quick");
    /** Starts measured before the one whose server is then measured: a start row gives the median of all. */
    private static final int EXTRA_STARTS = 2;
    private final Duration warmUp = quick ? Duration.ofSeconds(3) : Duration.ofSeconds(10);
    /**
     * Unmeasured load a fresh JVM gets per workload before its first measurement. With the server, the
     * database and the load sharing two cores, the JIT's compiler threads get a small share of the CPU:
     * the PostgreSQL write path was still compiling after a minute (about 1,070 requests/s in the second
     * 15 s of load, 1,430 in the fourth, 1,550 in the tenth), so a short warm-up measures the JIT, not the server.
     */
    private final Duration preRun = quick ? Duration.ofSeconds(3) : Duration.ofSeconds(40);
    private final Duration measure = quick ? Duration.ofSeconds(5) : Duration.ofSeconds(20);
    private final int events = quick ? 50 : 250;
    private final Path jar = Path.of(System.getProperty("bench.jar", "lock-app/target/lock-app.jar"));
    private final Path out = Path.of(System.getProperty("bench.out", "target/bench"));
    private final List<String> serverJvmArgs = jvmArgs("bench.serverJvmArgs");
    private final List<String> jmhJvmArgs = jvmArgs("bench.jmhJvmArgs");
    private final Table table = new Table();
    private Optional<PostgresSettings> postgres = Optional.empty();
    /** The in-memory server's write and read results: what our Java costs when no database is asked. */
    private final Map<String, LoadRun.Result> inMemory = new HashMap<>();
    /** pgbench's simple-update and the appointment the read path reads, from the PostgreSQL server's run. */
    private Pgbench.Result simpleUpdate;
    private String readPathAppointment;

    private BenchmarkRun() {
    }

    private static List<String> jvmArgs(String property) {
        return Arrays.stream(System.getProperty(property, "").trim().split("\\s+")).filter(arg -> !arg.isEmpty()).toList();
    }

    public static void main(String[] args) throws Exception {
        // Stopped early (Ctrl-C), the benchmark still stops the servers it started.
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy), "stop-servers"));
        new BenchmarkRun().runAll();
        System.exit(0);
    }

    private void runAll() throws Exception {
        Files.createDirectories(out);
        String machine = machine();
        System.out.println("[bench] " + machine.replace("\n", "\n[bench] "));
        LoadRun.Result bare = selected("bare") ? section("bare Javalin route", this::bareJavalin) : null;
        if (selected("memory")) {
            section("in-memory server", () -> server("in-memory", Map.of(), bare));
        }
        if (selected("postgres")) {
            section("PostgreSQL server", () -> {
                postgres = Optional.of(TestPostgres.server().newDatabase(16));
                System.out.println("[bench] server database: " + postgres.get().jdbcUrl());
                server("PostgreSQL", databaseEnv(postgres.get()), bare);
                section("bare Javalin server, one round trip per request", () -> bareJdbc(postgres.get(), bare));
                return null;
            });
        }
        if (selected("jmh")) {
            section("in-memory library (JMH)", this::inMemoryLibrary);
        }
        if (selected("library")) {
            section("PostgreSQL library against ShedLock", this::postgresLibrary);
        }

        table.note("Load average at the end: " + read(Path.of("/proc/loadavg")));
        String report = "Benchmark of " + Instant.now() + (quick ? " (quick: -Dbench.quick=true)" : "") + "\n\n"
                + machine + "\n\n" + table.markdown();
        Files.writeString(out.resolve("results.md"), report, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(report);
        System.out.println("(also in " + out.resolve("results.md") + "; server logs beside it)");
    }

    /** {@code -Dbench.only=bare,memory,postgres,jmh,library} runs only those parts; all by default. */
    private static boolean selected(String part) {
        String only = System.getProperty("bench.only", "").trim();
        return only.isEmpty() || Arrays.asList(only.split("\\s*,\\s*")).contains(part);
    }

    private interface Section<T> {
        T run() throws Exception;
    }

    /** Runs one part of the benchmark; a part that fails is noted under the table and the others go on. */
    private <T> T section(String name, Section<T> section) {
        System.out.println("[bench] --- " + name);
        try {
            return section.run();
        } catch (Exception | Error e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            table.note(name + ": not measured (" + e.getClass().getSimpleName() + ": " + message + ")");
            e.printStackTrace(System.out);
            return null;
        }
    }

    /**
     * The start the README recommends: one run writes a class-data archive as it stops, the next starts
     * with it. Both run before the measured server, so on PostgreSQL every start row finds the schema migrated.
     */
    private Void startWithArchive(String store, Map<String, String> env) throws Exception {
        String slug = store.toLowerCase(Locale.ROOT);
        Path archive = out.resolve("lock-app-" + slug + ".jsa");
        Files.deleteIfExists(archive);
        List<String> writing = new ArrayList<>(serverJvmArgs);
        writing.add("-XX:ArchiveClassesAtExit=" + archive);
        try (ServerProcess ignored = ServerProcess.jar("server-" + slug + "-writing-archive", jar, writing, env, out)) {
            Thread.sleep(1_000);
        }
        if (!Files.exists(archive)) {
            throw new IllegalStateException("the server wrote no class-data archive at " + archive);
        }
        List<String> using = new ArrayList<>(serverJvmArgs);
        using.add("-XX:SharedArchiveFile=" + archive);
        List<Double> earlier = starts("server-" + slug + "-with-archive", using, env, EXTRA_STARTS);
        try (ServerProcess server = ServerProcess.jar("server-" + slug + "-with-archive", jar, using, env, out)) {
            addStartRow("start with the class-data archive (README); idle RSS", store, server, earlier);
        }
        return null;
    }

    /**
     * The start time of a server just started, as the median with {@code earlierStarts} (one start varies
     * by a tenth of a second or more from the next on two shared cores), and its RSS once it has idled for 2 s.
     */
    private void addStartRow(String workload, String store, ServerProcess server, List<Double> earlierStarts)
            throws Exception {
        Thread.sleep(2_000);
        long idleRss = server.rssBytes();
        List<Double> starts = new ArrayList<>(earlierStarts);
        starts.add(server.startSeconds());
        Collections.sort(starts);
        double median = starts.get(starts.size() / 2);
        String all = starts.stream().map(start -> String.format(Locale.ROOT, "%.2f", start))
                .collect(Collectors.joining(", "));
        table.add(new Table.Row(workload, store,
                String.format(Locale.ROOT, "%.2f s (median of %d: %s s)", median, starts.size(), all),
                "–", "–", "–", "–", Table.megabytes(idleRss), Table.megabytes(server.heapUsedBytes()), "–",
                Table.verdicts(Table.atMost("start", median, 2, "s"),
                        Table.atMost("idle RSS", idleRss / 1048576.0, 200, "MB"))));
    }

    /** The start times of {@code count} servers started and stopped one after the other. */
    private List<Double> starts(String name, List<String> jvmArgs, Map<String, String> env, int count)
            throws Exception {
        List<Double> starts = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            try (ServerProcess server = ServerProcess.jar(name + "-start-" + i, jar, jvmArgs, env, out)) {
                starts.add(server.startSeconds());
            }
        }
        return starts;
    }

    private LoadRun.Result bareJavalin() throws Exception {
        try (ServerProcess server = ServerProcess.mainClass("bare-javalin", BareJavalinServer.class, serverJvmArgs, out)) {
            LoadRun.Result result = LoadRun.run(CONNECTIONS, List.of(server.port()), HttpWorkloads.bareRoute(), warmUp,
                    measure, List.of(server));
            table.add(loadRow("read: bare Javalin 7 JSON route (reference)", "–", result, "–", "–"));
            return result;
        }
    }

    /** Start, every HTTP and WebSocket workload, and (on PostgreSQL) pgbench and two nodes, on one store. */
    private Void server(String store, Map<String, String> storeEnv, LoadRun.Result bare) throws Exception {
        Map<String, String> env = new HashMap<>(serverEnv());
        env.putAll(storeEnv);
        section("start with a class-data archive (" + store + ")", () -> startWithArchive(store, env));
        List<Double> earlier = starts("server-" + store.toLowerCase(Locale.ROOT), serverJvmArgs, env, EXTRA_STARTS);
        try (ServerProcess server = ServerProcess.jar("server-" + store.toLowerCase(Locale.ROOT), jar, serverJvmArgs,
                env, out)) {
            addStartRow("start: java -jar to first healthy answer; idle RSS", store, server, earlier);

            List<Api.User> users;
            List<Api.User> socketUsers;
            Api.User holder;
            List<String> writeAppointments = new ArrayList<>();
            List<String> saveAppointments = new ArrayList<>();
            String contended;
            String locked;
            String watched;
            try (Api api = new Api(server.port())) {
                users = api.signUp("editor", CONNECTIONS);
                socketUsers = api.signUp("viewer", SOCKET_USERS);
                holder = api.signUp("holder", 1).get(0);
                for (int i = 0; i < CONNECTIONS; i++) {
                    writeAppointments.add(api.createAppointment(users.get(i), "Write path " + i));
                    saveAppointments.add(api.createAppointment(users.get(i), "Guarded save " + i));
                }
                contended = api.createAppointment(holder, "Contended");
                locked = api.createAppointment(holder, "Read path");
                watched = api.createAppointment(holder, "Watched");
                api.acquire(holder, locked);
            }
            readPathAppointment = locked;

            // A fresh JVM first runs every workload unmeasured (preRun), so that no measurement pays for the JIT.
            for (LoadRun.Workload workload : List.of(HttpWorkloads.writePath(users, writeAppointments),
                    HttpWorkloads.readPath(users, locked), HttpWorkloads.guardedSave(users, saveAppointments))) {
                LoadRun.run(CONNECTIONS, List.of(server.port()), workload, preRun, Duration.ofSeconds(1), List.of());
            }
            LoadRun.Result write = LoadRun.run(CONNECTIONS, List.of(server.port()),
                    HttpWorkloads.writePath(users, writeAppointments), warmUp, measure, List.of(server));
            Optional<Pgbench.Result> pgbench = store.equals("PostgreSQL") && postgres.isPresent()
                    ? Optional.ofNullable(section("pgbench", () -> pgbench(postgres.get()))) : Optional.empty();
            String rssTarget = Table.atMost("RSS", write.maxRssBytes() / 1048576.0, 256, "MB");
            if (pgbench.isPresent()) {
                section("pgbench: the store's acquire and release statements", () -> lockStatements(postgres.get()));
                double tps = pgbench.get().tps();
                table.add(loadRow("write: acquire + release, 16 conns, own appointment each", store, write,
                        String.format(Locale.ROOT, "pgbench simple-update, 16 clients: %,.0f TPS, avg %.2f ms", tps,
                                pgbench.get().latencyAverageMillis()),
                        Table.verdicts(Table.atLeast("pgbench TPS", write.perSecond() / tps, 0.7),
                                Table.atMost("p99", write.millis(99), 15, "ms"), rssTarget)));
            } else {
                table.add(loadRow("write: acquire + release, 16 conns, own appointment each", store, write,
                        store.equals("PostgreSQL") ? "pgbench: not measured (see notes)" : "–",
                        Table.verdicts(Table.atMost("p99", write.millis(99), 15, "ms"), rssTarget)));
            }

            LoadRun.Result watchedWrite = writeWithOneSocketOpen(server, users, writeAppointments, socketUsers.get(0));
            table.add(loadRow("write, while one WebSocket is open on the server (it then receives every event)", store,
                    watchedWrite, String.format(Locale.ROOT, "write path without a socket: %s (%.2f×)",
                            Table.rate(write.perSecond(), "req/s"), watchedWrite.perSecond() / write.perSecond()), "–"));

            LoadRun.Result contention = LoadRun.run(CONNECTIONS, List.of(server.port()),
                    HttpWorkloads.contention(users, contended), warmUp, measure, List.of(server));
            table.add(loadRow("contention: 16 conns on one appointment (409 lock_held expected)", store, contention,
                    "write path: " + Table.rate(write.perSecond(), "req/s"), "–"));

            LoadRun.Result read = LoadRun.run(CONNECTIONS, List.of(server.port()), HttpWorkloads.readPath(users, locked),
                    warmUp, measure, List.of(server));
            table.add(loadRow("read: lock-status of a locked appointment", store, read,
                    bare == null ? "bare Javalin: not measured" : "bare Javalin route: " + Table.rate(bare.perSecond(), "req/s"),
                    bare == null ? "–" : Table.atLeast("bare Javalin", read.perSecond() / bare.perSecond(), 0.5)));
            if (pgbench.isPresent()) {
                section("pgbench: lock-status's statement", () -> lockStatusStatement(postgres.get(), locked));
            }
            if (!store.equals("PostgreSQL")) {
                inMemory.put("write", write);
                inMemory.put("read", read);
            }

            LoadRun.Result save = LoadRun.run(CONNECTIONS, List.of(server.port()),
                    HttpWorkloads.guardedSave(users, saveAppointments), warmUp, measure, List.of(server));
            table.add(loadRow("guarded save: acquire, PUT If-Match + Lock-Token, release", store, save,
                    "write path: " + Table.rate(write.perSecond(), "req/s"), "–"));

            section("WebSocket fan-out (" + store + ")", () -> {
                WebSocketBench.FanOut fanOut = WebSocketBench.fanOut(server, socketUsers, SUBSCRIBERS, holder, watched,
                        events);
                table.add(new Table.Row("WebSocket: acquire's answer to the last of 1,000 subscribers' lock-acquired",
                        store, fanOut.latency().getTotalCount() + " events (CPU per acquire and release: load generator "
                                + Table.millis(fanOut.clientMillisPerRound()) + ", server "
                                + Table.millis(fanOut.serverMillisPerRound()) + ")", Table.millis(fanOut.millis(50)),
                        Table.millis(fanOut.millis(99)), Table.millis(fanOut.millis(99.9)),
                        fanOut.incomplete() + " of " + fanOut.events() + " incomplete", Table.megabytes(server.rssBytes()),
                        Table.megabytes(server.heapUsedBytes()), "–",
                        Table.atMost("p99", fanOut.millis(99), 100, "ms")));
                return null;
            });
            section("idle WebSockets (" + store + ")", () -> {
                WebSocketBench.IdleSockets idle = WebSocketBench.idle(server, socketUsers, IDLE_SOCKETS);
                table.add(new Table.Row("WebSocket: 5,000 idle authenticated sockets (after a full GC)", store,
                        idle.open() + " open", "–", "–", "–", idle.open() == IDLE_SOCKETS ? "0" : "some refused",
                        Table.megabytes(idle.rssAfter()) + " (" + Table.megabytes(idle.rssBefore()) + " without)",
                        Table.megabytes(idle.heapAfter()) + " (" + Table.megabytes(idle.heapBefore()) + " without)", "–",
                        Table.atMost("heap", idle.heapAfter() / 1048576.0, 512, "MB")));
                return null;
            });

            if (store.equals("PostgreSQL")) {
                section("two nodes", () -> twoNodes(server, env, users, writeAppointments, write));
            }
        }
        return null;
    }

    private Pgbench.Result pgbench(PostgresSettings database) throws Exception {
        Optional<java.nio.file.Path> pgbench = Pgbench.find();
        if (pgbench.isEmpty()) {
            table.note("pgbench: not measured, no pgbench on this machine (Debian: apt-get install postgresql-client)");
            return null;
        }
        Pgbench.Result result = Pgbench.run(pgbench.get(), database, CONNECTIONS, measure, out);
        simpleUpdate = result;
        table.add(new Table.Row("write reference: pgbench -b simple-update, 16 clients, same database", "PostgreSQL",
                Table.rate(result.tps(), "TPS"), "–", "–", "–", "–", "–", "–",
                "avg latency " + Table.millis(result.latencyAverageMillis()), "–"));
        return result;
    }

    /**
     * pgbench running the statements the store sends for an acquire and a release, every client on an
     * appointment of its own: decided on the rows (two round trips each), and decided on the state the
     * node remembers (one round trip each, what the write path sends once a connection's appointment was
     * written twice by the node): what the database sustains for exactly our lock transactions, with no
     * Java in the way. Beside each, what that leaves for the HTTP write path when the database and the
     * server share the machine, estimated from the in-memory server's own cost.
     */
    private Void lockStatements(PostgresSettings database) throws Exception {
        for (boolean oneTrip : List.of(false, true)) {
            Pgbench.Result operations = lockOperations(database, "server-lock-operations" + (oneTrip ? "-one-trip" : ""),
                    oneTrip ? Pgbench.LOCK_OPERATION_ONE_TRIP : Pgbench.LOCK_OPERATION);
            if (operations == null) {
                return null;
            }
            table.add(new Table.Row("write reference: pgbench running the store's own acquire and release statements"
                    + (oneTrip ? ", decided on a remembered state (1 round trip each)" : ", decided on the rows"
                    + " (2 round trips each)") + ", 16 clients", "PostgreSQL",
                    Table.rate(operations.tps(), "lock operations/s") + " ("
                            + Table.rate(operations.tps() / 2, "pairs/s") + ")",
                    Table.millis(operations.p50Millis()), Table.millis(operations.p99Millis()),
                    Table.millis(operations.p999Millis()), "–", "–", "–",
                    "avg latency " + Table.millis(operations.latencyAverageMillis()) + ceiling("write", operations.tps()),
                    "–"));
        }
        return null;
    }

    /** {@code script} on {@code database}, 16 clients; null (noted) where there is no pgbench. */
    private Pgbench.Result lockOperations(PostgresSettings database, String name, String script) throws Exception {
        Optional<Path> pgbench = pgbenchScripts(database, Pgbench.lockOperationSetUp(CONNECTIONS));
        if (pgbench.isEmpty()) {
            return null;
        }
        return Pgbench.runScript(pgbench.get(), database, name, script,
                Map.of("events", Pgbench.EVENTS, "n", "0"), CONNECTIONS, measure, true, out);
    }

    /**
     * The pgbench to run scripts with, once {@code setUp}'s statements have run on {@code database}; empty,
     * with a line under the table, where the machine has none.
     */
    private Optional<Path> pgbenchScripts(PostgresSettings database, String... setUp) throws SQLException {
        Optional<Path> pgbench = Pgbench.find();
        if (pgbench.isEmpty()) {
            table.note("pgbench scripts: not measured, no pgbench on this machine");
            return pgbench;
        }
        setUp(database, setUp);
        return pgbench;
    }

    /** Runs {@code statements} on {@code database}, one after the other. */
    private static void setUp(PostgresSettings database, String... statements) throws SQLException {
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static Connection connect(PostgresSettings database) throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
    }

    /** pgbench running lock-status's one statement on the locked appointment: the database's share of a read. */
    private Void lockStatusStatement(PostgresSettings database, String locked) throws Exception {
        Pgbench.Result status = Pgbench.runScript(Pgbench.find().orElseThrow(), database, "lock-status",
                Pgbench.LOCK_STATUS, Map.of("locked", locked), CONNECTIONS, measure, false, out);
        table.add(new Table.Row("read reference: pgbench running lock-status's own statement, 16 clients", "PostgreSQL",
                Table.rate(status.tps(), "statements/s"), "–", "–", "–", "–", "–", "–",
                "avg latency " + Table.millis(status.latencyAverageMillis()) + ceiling("read", status.tps())
                + " if every reading sent a statement of its own (under load, readings share statements)", "–"));
        return null;
    }

    /**
     * Where the database and the server share the cores, each request costs the machine its database work
     * and its Java work: at most 1 / (1/database rate + 1/in-memory server rate) requests per second.
     */
    private String ceiling(String workload, double databaseRate) {
        LoadRun.Result java = inMemory.get(workload);
        if (java == null) {
            return "";
        }
        double ceiling = 1 / (1 / databaseRate + 1 / java.perSecond());
        return "; with the in-memory server's own cost (" + Table.rate(java.perSecond(), "req/s")
                + ") on the same cores: ceiling about " + Table.rate(ceiling, "req/s");
    }

    /**
     * {@link BareJdbcServer} on the server's database, after the server has stopped, warmed up as the
     * server was: the least a Java server sharing the cores with the database does for a reading and for
     * an audited, notifying lock operation, one statement per request, and for our own lock operation,
     * the store's statements in one round trip. What it reaches of the targets' references is what this
     * machine leaves for any server that sends those statements per request.
     */
    private Void bareJdbc(PostgresSettings database, LoadRun.Result bare) throws Exception {
        setUp(database, Pgbench.leastWorkSetUp(CONNECTIONS), Pgbench.lockOperationSetUp(CONNECTIONS));
        Map<String, String> env = databaseEnv(database);
        String pool = env.getOrDefault("LOCK_DB_POOL_SIZE", "10");
        LoadRun.Workload writing = HttpWorkloads.bareLeaseStatements();
        LoadRun.Workload ownWriting = HttpWorkloads.bareOwnStatements();
        Optional<LoadRun.Workload> reading = Optional.ofNullable(readPathAppointment)
                .map(HttpWorkloads::bareStatusStatement);
        List<LoadRun.Workload> workloads = new ArrayList<>(List.of(writing, ownWriting));
        reading.ifPresent(workloads::add);
        try (ServerProcess server = ServerProcess.mainClass("bare-jdbc", BareJdbcServer.class, serverJvmArgs, env, out)) {
            for (LoadRun.Workload workload : workloads) {
                LoadRun.run(CONNECTIONS, List.of(server.port()), workload, preRun, Duration.ofSeconds(1), List.of());
            }
            LoadRun.Result write = LoadRun.run(CONNECTIONS, List.of(server.port()), writing, warmUp, measure,
                    List.of(server));
            table.add(loadRow("write reference: bare Javalin route, one statement per request through a pool of "
                    + pool + ": the least an audited, notifying lock writes"
                    + " (lease row in place, history row, NOTIFY), acquire + release, 16 conns", "PostgreSQL", write,
                    againstSimpleUpdate(write), "–"));
            LoadRun.Result own = LoadRun.run(CONNECTIONS, List.of(server.port()), ownWriting, warmUp, measure,
                    List.of(server));
            table.add(loadRow("write reference: bare Javalin route sending, per request through a pool of " + pool
                    + ", the store's own acquire or release statements decided on a remembered state (1 round trip),"
                    + " acquire + release, 16 conns", "PostgreSQL", own, againstSimpleUpdate(own), "–"));
            if (reading.isPresent()) {
                LoadRun.Result read = LoadRun.run(CONNECTIONS, List.of(server.port()), reading.get(), warmUp, measure,
                        List.of(server));
                table.add(loadRow("read reference: bare Javalin route, lock-status's statement per request through a"
                        + " pool of " + pool + ", the row as JSON", "PostgreSQL",
                        read, bare == null ? "bare Javalin route: not measured"
                                : String.format(Locale.ROOT, "%.2f× the bare Javalin route (%,.0f req/s)",
                                read.perSecond() / bare.perSecond(), bare.perSecond()), "–"));
            }
        }
        return null;
    }

    /** {@code result}'s rate beside {@code simple-update}'s TPS of this run. */
    private String againstSimpleUpdate(LoadRun.Result result) {
        return simpleUpdate == null ? "pgbench simple-update: not measured"
                : String.format(Locale.ROOT, "%.2f× pgbench simple-update (%,.0f TPS)",
                result.perSecond() / simpleUpdate.tps(), simpleUpdate.tps());
    }

    private Void twoNodes(ServerProcess first, Map<String, String> env, List<Api.User> users, List<String> appointments,
                          LoadRun.Result oneNode) throws Exception {
        try (ServerProcess second = ServerProcess.jar("server-postgresql-node2", jar, serverJvmArgs, env, out)) {
            LoadRun.Result both = LoadRun.run(CONNECTIONS, List.of(first.port(), second.port()),
                    HttpWorkloads.writePath(users, appointments), preRun, measure, List.of(first, second));
            table.add(loadRow("two nodes: the write path, 8 conns on each node (RSS, heap: both nodes)", "PostgreSQL", both,
                    "one node: " + Table.rate(oneNode.perSecond(), "req/s") + String.format(Locale.ROOT, " (%.2f×)",
                            both.perSecond() / oneNode.perSecond()), "–"));
        }
        return null;
    }

    private Void inMemoryLibrary() throws Exception {
        double oneThreadMicros = 0;
        for (int threads : new int[] {1, 2}) {
            Options options = new OptionsBuilder()
                    .include(InMemoryLockBenchmark.class.getName() + ".acquireAndRelease")
                    .threads(threads).forks(1)
                    .warmupIterations(quick ? 2 : 3).warmupTime(TimeValue.seconds(quick ? 1 : 2))
                    .measurementIterations(quick ? 3 : 5).measurementTime(TimeValue.seconds(quick ? 1 : 2))
                    .jvmArgs("-Xms1g", "-Xmx4g")
                    .jvmArgsAppend(jmhJvmArgs.toArray(String[]::new))
                    .output(out.resolve("jmh-in-memory-" + threads + "-thread.log").toString())
                    .build();
            RunResult result = new Runner(options).runSingle();
            double micros = result.getPrimaryResult().getScore();
            double error = result.getPrimaryResult().getScoreError();
            if (threads == 1) {
                oneThreadMicros = micros;
            }
            table.add(new Table.Row("library (JMH): acquire + release pair, in-memory store, " + threads
                    + (threads == 1 ? " thread" : " threads, own appointment each"), "in-memory (embedded)",
                    String.format(Locale.ROOT, "%.2f ± %.2f µs/pair (%,.0f pairs/s)", micros, error,
                            threads * 1e6 / micros), "–", "–", "–", "–", "–", "–",
                    threads == 1 ? "–" : String.format(Locale.ROOT, "1 thread: %,.0f pairs/s", 1e6 / oneThreadMicros),
                    threads == 1 ? Table.atMost("pair", micros, 2, "µs") : "–"));
        }
        return null;
    }

    private Void postgresLibrary() throws Exception {
        PostgresSettings database = TestPostgres.server().newDatabase(CONNECTIONS);
        System.out.println("[bench] library database: " + database.jdbcUrl());
        // lock-core first: its migrations expect an empty database; ShedLock's table is added after them.
        PostgresLibraryRun.Result ours = PostgresLibraryRun.lockCore(database, CONNECTIONS, preRun, measure);
        Optional<Pgbench.Result> statements = Optional.ofNullable(
                section("pgbench: the store's acquire and release statements (library database)",
                        () -> lockOperations(database, "library-lock-operations",
                                Pgbench.LOCK_OPERATION_ONE_TRIP)));
        PostgresLibraryRun.Result shedLock = PostgresLibraryRun.shedLock(database, CONNECTIONS, preRun, measure);
        Optional<LeastWork> leastWork = Optional.ofNullable(
                section("pgbench: ShedLock's statements and the least an audited lock writes (library database)",
                        () -> leastWork(database)));
        for (PostgresLibraryRun.Result result : List.of(ours, shedLock)) {
            if (result.errors() > 0) {
                table.note(String.format(Locale.ROOT, "%s: %,d lock attempts not granted, of which %,d threw%s",
                        result == ours ? "lock-core on PostgreSQL" : "ShedLock", result.errors(), result.failures(),
                        result.failures() > 0 ? " (first: " + result.firstFailure() + ")" : ""));
            }
        }
        table.add(libraryRow("library reference: ShedLock JDBC provider 6.9.2, 16 threads, own lock name each, pool 16",
                shedLock, "–", "–"));
        table.add(libraryRow("library: lock-core on PostgreSQL, 16 threads, own appointment each, pool 16", ours,
                String.format(Locale.ROOT, "ShedLock: %,.0f pairs/s, lock p50 %s", shedLock.pairsPerSecond(),
                        Table.millis(shedLock.lockMillis(50)))
                        + statements.map(operations -> String.format(Locale.ROOT,
                                "; pgbench running the store's own statements (one round trip each), same database:"
                                + " %,.0f pairs/s",
                                operations.tps() / 2)).orElse("")
                        + leastWork.map(least -> String.format(Locale.ROOT,
                                "; the least an audited, notifying lock writes: %,.0f pairs/s (%.2f× ShedLock's"
                                + " statements)", least.notified().tps(), least.notified().tps() / least.shedLock().tps()))
                                .orElse(""),
                Table.atLeast("ShedLock pairs/s", ours.pairsPerSecond() / shedLock.pairsPerSecond(), 1.0)));
        return null;
    }

    /** What the database sustains, in pairs per second, for ShedLock's statements and for the least work of an audited lock. */
    private record LeastWork(Pgbench.Result shedLock, Pgbench.Result lease, Pgbench.Result audited,
                             Pgbench.Result notified) {
    }

    /**
     * pgbench on the library's database, one statement per lock operation: ShedLock's own, then the least a
     * lock that keeps fencing tokens, versions and history can write ({@link Pgbench#LEASE_PAIR},
     * {@link Pgbench#AUDITED_PAIR}), without and with the event every other node needs. It shows what each
     * thing ShedLock does not keep costs the database, whoever writes the statements.
     */
    private LeastWork leastWork(PostgresSettings database) throws Exception {
        Optional<Path> pgbench = pgbenchScripts(database, Pgbench.shedLockSetUp(CONNECTIONS),
                Pgbench.leastWorkSetUp(CONNECTIONS));
        if (pgbench.isEmpty()) {
            return null;
        }
        Map<String, String> noEvents = Map.of("events", "{}");
        LeastWork least = new LeastWork(
                Pgbench.runScript(pgbench.get(), database, "shedlock", Pgbench.SHEDLOCK_PAIR, Map.of(), CONNECTIONS,
                        measure, false, out),
                Pgbench.runScript(pgbench.get(), database, "lease", Pgbench.LEASE_PAIR, noEvents, CONNECTIONS, measure,
                        false, out),
                Pgbench.runScript(pgbench.get(), database, "audited", Pgbench.AUDITED_PAIR, noEvents, CONNECTIONS,
                        measure, false, out),
                Pgbench.runScript(pgbench.get(), database, "audited-notified", Pgbench.AUDITED_PAIR,
                        Map.of("events", Pgbench.EVENTS), CONNECTIONS, measure, false, out));
        try (Connection connection = connect(database);
             Statement statement = connection.createStatement();
             ResultSet check = statement.executeQuery(Pgbench.leastWorkCheck(CONNECTIONS))) {
            if (!check.next() || !check.getBoolean(1)) {
                throw new IllegalStateException("pgbench's lock scripts left a client's row untouched");
            }
        }
        double shedLock = least.shedLock().tps();
        table.add(leastWorkRow("ShedLock's lock and unlock statements", least.shedLock(), ""));
        table.add(leastWorkRow("a lease row updated in place with a fencing token and a version", least.lease(),
                String.format(Locale.ROOT, "%.2f× ShedLock's statements", least.lease().tps() / shedLock)));
        table.add(leastWorkRow("the same and its row in the history table", least.audited(),
                String.format(Locale.ROOT, "%.2f× ShedLock's statements", least.audited().tps() / shedLock)));
        table.add(leastWorkRow("the same and a NOTIFY for the other nodes", least.notified(),
                String.format(Locale.ROOT, "%.2f× ShedLock's statements", least.notified().tps() / shedLock)));
        return least;
    }

    private static Table.Row leastWorkRow(String work, Pgbench.Result result, String reference) {
        return new Table.Row("library reference: pgbench, one statement per lock operation, 16 clients: " + work,
                "PostgreSQL (embedded)", Table.rate(result.tps(), "pairs/s"), "–", "–", "–", "–", "–", "–",
                (reference.isEmpty() ? "" : reference + "; ") + "avg pair " + Table.millis(result.latencyAverageMillis()),
                "–");
    }

    private static Table.Row libraryRow(String workload, PostgresLibraryRun.Result result, String reference,
                                        String verdict) {
        return new Table.Row(workload, "PostgreSQL (embedded)",
                String.format(Locale.ROOT, "%,.0f pairs/s (%.2f client cores)", result.pairsPerSecond(),
                        result.clientCpuCores()),
                "lock " + Table.millis(result.lockMillis(50)), "lock " + Table.millis(result.lockMillis(99)),
                "lock " + Table.millis(result.lockMillis(99.9)),
                Table.share(result.pairs() + result.errors() == 0 ? 1 : (double) result.errors() / (result.pairs() + result.errors())),
                "–", "–", reference, verdict);
    }

    /**
     * The write path while one authenticated socket, subscribed to nothing, is open on {@code server}: a
     * node receives events (on PostgreSQL, LISTENs) only while a socket is open on it.
     */
    private LoadRun.Result writeWithOneSocketOpen(ServerProcess server, List<Api.User> users, List<String> appointments,
            Api.User viewer) throws Exception {
        try (RawWebSockets socket = new RawWebSockets("127.0.0.1", server.port(), text -> { })) {
            socket.open(Api.BASE + "/ws?token=" + viewer.token());
            return LoadRun.run(CONNECTIONS, List.of(server.port()), HttpWorkloads.writePath(users, appointments), warmUp,
                    measure, List.of(server));
        }
    }

    private static Table.Row loadRow(String workload, String store, LoadRun.Result result, String reference,
                                     String verdict) {
        String database = store.equals("PostgreSQL")
                ? String.format(Locale.ROOT, "; PostgreSQL %.0f µs", result.databaseMicrosPerRequest()) : "";
        return new Table.Row(workload, store, Table.rate(result.perSecond(), "req/s")
                + String.format(Locale.ROOT, " (load generator: %.2f cores; CPU per request: server %.0f µs, of"
                        + " which JIT compiler %.0f µs%s; load generator %.0f µs)", result.clientCores(),
                        result.serverMicrosPerRequest(), result.compilerMicrosPerRequest(), database,
                        result.clientMicrosPerRequest()),
                Table.millis(result.millis(50)),
                Table.millis(result.millis(99)), Table.millis(result.millis(99.9)), Table.share(result.errorShare()),
                Table.megabytes(result.maxRssBytes()) + " max", Table.megabytes(result.heapBytes()), reference, verdict);
    }

    /** Settings of every benchmarked server: a fixed secret, and limits raised so that they never throttle the load. */
    private static Map<String, String> serverEnv() {
        return Map.of("LOCK_JWT_SECRET", SECRET,
                "LOCK_RATE_LIMIT_PER_MINUTE", "10000000",
                "LOCK_LOCK_RATE_LIMIT_PER_MINUTE", "10000000",
                "LOCK_SIGNIN_LIMIT_PER_ADDRESS_PER_MINUTE", "10000000",
                "LOCK_SIGNIN_LIMIT_PER_ACCOUNT_PER_MINUTE", "10000000",
                "LOCK_WS_MAX_CONNECTIONS_PER_USER", "200");
    }

    private static Map<String, String> databaseEnv(PostgresSettings database) {
        Map<String, String> env = new HashMap<>(Map.of("LOCK_DB_URL", database.jdbcUrl(), "LOCK_DB_USER", database.user(),
                "LOCK_DB_PASSWORD", database.password()));
        String pool = System.getProperty("bench.dbPoolSize", "");
        if (!pool.isBlank()) {
            env.put("LOCK_DB_POOL_SIZE", pool);
        }
        return env;
    }

    private String machine() {
        StringBuilder text = new StringBuilder();
        text.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(firstLine(Path.of("/proc/cpuinfo"), "model name")).append(", ")
                .append(firstLine(Path.of("/proc/meminfo"), "MemTotal")).append("; Java ")
                .append(System.getProperty("java.version")).append("; load average at start: ")
                .append(read(Path.of("/proc/loadavg"))).append('\n');
        text.append("Server JVM options: ").append(serverJvmArgs.isEmpty() ? "none (the jar's defaults)" : serverJvmArgs)
                .append("; a fresh JVM runs each workload ").append(preRun.toSeconds())
                .append(" s unmeasured first; warm-up ").append(warmUp.toSeconds()).append(" s, measurement ")
                .append(measure.toSeconds()).append(" s per workload; ").append(CONNECTIONS).append(" keep-alive connections");
        return text.toString();
    }

    private static String firstLine(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(line -> line.startsWith(prefix))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim().replaceAll("\\s+", " "))
                    .findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
