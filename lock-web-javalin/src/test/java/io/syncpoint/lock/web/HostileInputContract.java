package io.syncpoint.lock.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncpoint.lock.core.port.in.SignIn;
import io.syncpoint.lock.web.ws.WebSocketSettings;
import io.syncpoint.lock.web.ws.WsTestClient;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Hostile input on every route and over WebSocket, run once per store: thousands of generated requests
 * and frames (see {@link HttpFuzzer}) while a well-behaved client keeps working. No answer may be a 5xx,
 * every error is a problem with a code, memory and metrics stay bounded, and every acknowledged write
 * is there afterwards. The WebSocket gateway keeps its production limits, so garbage also meets the
 * close codes that end abusive connections.
 *
 * <p>Reproduce or lengthen a run with {@code -Dsyncpoint.fuzz.seed=<seed>},
 * {@code -Dsyncpoint.fuzz.requests=<n>} and {@code -Dsyncpoint.fuzz.frames=<n>}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostileInputContract {
    private static final long SEED = Long.getLong("syncpoint.fuzz.seed", 20_261_128L);
    private static final int REQUESTS = Integer.getInteger("syncpoint.fuzz.requests", 10_000);
    private static final int FRAMES = Integer.getInteger("syncpoint.fuzz.frames", 10_000);
    private static final int FUZZ_THREADS = 4;
    private static final long WAIT_SECONDS = 10;
    private static final int CLOSED_WITHOUT_CLOSE_FRAME = 1006;
    private static final int MAX_METRICS_BYTES = 1024 * 1024;
    private static final long MAX_HEAP_GROWTH_BYTES = 128L * 1024 * 1024;
    private static final Set<String> METRIC_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "other");
    private static final Set<String> SERVER_FRAME_TYPES = Set.of("subscribed", "lock-acquired", "lock-update",
            "lock-released", "admin-takeover", "appointment-updated", "appointment-deleted", "cursor-update",
            "cursor-remove", "pong", "error");
    private static final Pattern METRIC_LABELS = Pattern.compile("^http_server_requests_seconds_count\\{(.*)}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestBackend backend;
    private FullServer server;
    private ApiClient api;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> userTokens = new ArrayList<>();
    private final List<UUID> userIds = new ArrayList<>();
    private final List<UUID> appointmentIds = new CopyOnWriteArrayList<>();
    private final Map<UUID, Acknowledged> acknowledged = new ConcurrentHashMap<>();
    private String adminToken;

    protected abstract TestBackend createBackend();

    @BeforeAll
    void startServer() {
        backend = createBackend();
        server = new FullServer(backend, WebSettings.defaults(0)
                .withRateLimits(new WebSettings.RateLimits(1_000_000, 1_000_000)),
                WebSocketSettings.defaults());
        api = server.api();
        for (int i = 0; i < 4; i++) {
            ApiClient.Response signedUp = server.signUp("Fuzz " + i);
            userTokens.add(signedUp.json().get("token").asText());
            userIds.add(UUID.fromString(signedUp.json().get("user").get("id").asText()));
        }
        String adminEmail = "fuzz-admin-" + UUID.randomUUID() + "@example.com";
        backend.accounts().ensureAdmin(adminEmail, "Fuzz Admin", "admin-password");
        adminToken = backend.accounts().signIn(new SignIn.Command(adminEmail, "admin-password")).orElseThrow().token();
        userIds.add(UUID.fromString(api.get("/api/v1/auth/session", adminToken).json().get("user").get("id").asText()));
        for (int i = 0; i < 8; i++) {
            appointmentIds.add(UUID.fromString(createAppointment(userTokens.get(i % userTokens.size()), "Fuzz " + i)
                    .json().get("id").asText()));
        }
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void thousandsOfHostileRequestsGetNo5xxAndLoseNothing() throws Exception {
        long heapBefore = usedHeapAfterGc();
        int metricsBefore = metricsText().length();
        Random pools = new Random(SEED);
        HttpFuzzer fuzzer = new HttpFuzzer(OperationsRoutes.resource(OperationsRoutes.OPENAPI_RESOURCE), SEED,
                new HttpFuzzer.Pools() {
                    @Override
                    public String userToken() {
                        synchronized (pools) {
                            return userTokens.get(pools.nextInt(userTokens.size()));
                        }
                    }

                    @Override
                    public String adminToken() {
                        return adminToken;
                    }

                    @Override
                    public UUID knownAppointmentId() {
                        synchronized (pools) {
                            return appointmentIds.get(pools.nextInt(appointmentIds.size()));
                        }
                    }

                    @Override
                    public UUID knownUserId() {
                        synchronized (pools) {
                            return userIds.get(pools.nextInt(userIds.size()));
                        }
                    }
                });
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        Map<HttpFuzzer.Operation, AtomicInteger> perOperation = new ConcurrentHashMap<>();
        Queue failures = new Queue();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger unanswered = new AtomicInteger();
        AtomicBoolean fuzzing = new AtomicBoolean(true);
        long started = System.nanoTime();

        ExecutorService pool = Executors.newFixedThreadPool(FUZZ_THREADS + 1);
        Future<Integer> wellBehaved = pool.submit(() -> wellBehavedHttpClient(fuzzing, failures));
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < FUZZ_THREADS; t++) {
            workers.add(pool.submit(() -> {
                while (sent.incrementAndGet() <= REQUESTS) {
                    HttpFuzzer.FuzzRequest request = fuzzer.next();
                    perOperation.computeIfAbsent(request.operation(), operation -> new AtomicInteger()).incrementAndGet();
                    RawHttpClient.Response response = send(request);
                    if (response.status() == 0) {
                        unanswered.incrementAndGet();
                        if (!request.hangUp()) {
                            failures.add("no answer to " + describe(request));
                        }
                        continue;
                    }
                    statuses.computeIfAbsent(response.status(), status -> new AtomicInteger()).incrementAndGet();
                    check(request, response, failures);
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(5, TimeUnit.MINUTES);
        }
        fuzzing.set(false);
        int cycles = wellBehaved.get(1, TimeUnit.MINUTES);
        pool.shutdown();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

        int missing = checkAcknowledgedWrites(failures);
        String metrics = metricsText();
        checkMetricSeries(metrics, failures);
        long heapGrowth = usedHeapAfterGc() - heapBefore;
        int fivexx = statuses.entrySet().stream().filter(entry -> entry.getKey() >= 500)
                .mapToInt(entry -> entry.getValue().get()).sum();
        System.out.printf("HTTP fuzz on %s: seed %d, %d requests over %d of %d operations in %d s, statuses %s, 5xx %d, unanswered (client hung up) %d,"
                        + " well-behaved cycles %d, acknowledged writes checked %d (missing %d), /metrics %d -> %d bytes,"
                        + " heap growth %d KiB, failures %d%n",
                storeName(), SEED, REQUESTS, perOperation.size(), fuzzer.operations().size(), seconds,
                new TreeMap<>(statuses), fivexx, unanswered.get(), cycles,
                acknowledged.size(), missing, metricsBefore, metrics.length(), heapGrowth / 1024, failures.size());

        assertThat(failures.first(20)).as("failures (seed %d)", SEED).isEmpty();
        assertThat(fivexx).as("5xx answers (seed %d)", SEED).isZero();
        assertThat(perOperation.keySet()).as("operations exercised").containsExactlyInAnyOrderElementsOf(fuzzer.operations());
        assertThat(cycles).as("well-behaved cycles during the fuzz").isPositive();
        assertThat(metrics.length()).as("/metrics size").isLessThan(MAX_METRICS_BYTES);
        assertThat(heapGrowth).as("heap growth").isLessThan(MAX_HEAP_GROWTH_BYTES);
    }

    @Test
    void thousandsOfHostileFramesGetErrorsAndNeverBreakTheGateway() throws Exception {
        Random random = new Random(SEED + 1);
        UUID watched = UUID.fromString(createAppointment(userTokens.get(0), "Watched").json().get("id").asText());
        String holder = server.signUp("Holder").json().get("token").asText();
        Queue failures = new Queue();
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        Map<Integer, AtomicInteger> closes = new ConcurrentHashMap<>();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger connections = new AtomicInteger();
        AtomicBoolean fuzzing = new AtomicBoolean(true);

        ExecutorService pool = Executors.newFixedThreadPool(FUZZ_THREADS + 1);
        Future<Integer> wellBehaved;
        try (WsTestClient observer = WsTestClient.connect(wsUri(userTokens.get(1)))) {
            observer.subscribeAndAwaitSnapshot(watched);
            wellBehaved = pool.submit(() -> wellBehavedWatcher(observer, holder, watched, fuzzing, failures));
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < FUZZ_THREADS; t++) {
                long threadSeed = random.nextLong();
                workers.add(pool.submit(() -> {
                    Random frames = new Random(threadSeed);
                    List<WsTestClient> sockets = new ArrayList<>();
                    try {
                        while (meterCount("syncpoint.websocket.frames.in") < FRAMES) {
                            if (sockets.size() < 6) {
                                open(userTokens.get(frames.nextInt(userTokens.size())), failures).ifPresent(opened -> {
                                    sockets.add(opened);
                                    connections.incrementAndGet();
                                });
                                continue;
                            }
                            WsTestClient socket = sockets.get(frames.nextInt(sockets.size()));
                            if (socket.isClosed()) {
                                recordClose(socket, closes, answers, failures);
                                sockets.remove(socket);
                                continue;
                            }
                            try {
                                sendFrame(socket, frames);
                                sent.incrementAndGet();
                            } catch (RuntimeException closedMeanwhile) {
                                awaitClosed(socket, failures);
                            }
                            if (sent.get() % 50 == 0) {
                                sockets.forEach(each -> drain(each, answers, failures));
                            }
                        }
                    } finally {
                        for (WsTestClient socket : sockets) {
                            drainUntilPong(socket, answers, failures);
                            if (socket.isClosed()) {
                                recordClose(socket, closes, answers, failures);
                            }
                            socket.close();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(5, TimeUnit.MINUTES);
            }
            fuzzing.set(false);
            int cycles = wellBehaved.get(1, TimeUnit.MINUTES);
            observer.expectNothingBeforePong();
            pool.shutdown();

            System.out.printf("WebSocket fuzz on %s: seed %d, %d frames (%.0f read by the server) over %d connections,"
                            + " answers %s, closes %s, frames dropped for slow or closed clients %.0f,"
                            + " well-behaved lock cycles seen %d, failures %d%n",
                    storeName(), SEED, sent.get(), meterCount("syncpoint.websocket.frames.in"), connections.get(),
                    new TreeMap<>(answers), new TreeMap<>(closes), meterCount("syncpoint.websocket.frames.dropped"),
                    cycles, failures.size());
            assertThat(failures.first(20)).as("failures (seed %d)", SEED).isEmpty();
            assertThat(closes.keySet()).as("close codes (-1: the client saw the server close without its close frame)")
                    .isSubsetOf(-1, 1000, 1001, 1008, 1009);
            assertThat(meterCount("syncpoint.websocket.frames.in")).as("frames the server read")
                    .isGreaterThanOrEqualTo(FRAMES);
            assertThat(cycles).isPositive();
            assertThat(answers.getOrDefault("pong", new AtomicInteger()).get()).isPositive();
        }
        awaitNoConnectionsBut(0);
    }

    /**
     * Creates, locks, saves, reads and releases appointments over and over on one keep-alive connection;
     * every step must succeed and get its own answer.
     */
    private int wellBehavedHttpClient(AtomicBoolean fuzzing, Queue failures) {
        String token = server.signUp("Careful").json().get("token").asText();
        int cycles = 0;
        try (KeepAliveClient careful = new KeepAliveClient(server.port())) {
            while (fuzzing.get() || cycles == 0) {
                ApiClient.Response created = createAppointment(careful, token, "Careful " + cycles);
                if (!expect(created, 201, "create", failures)) {
                    return cycles;
                }
                String id = created.json().get("id").asText();
                ApiClient.Response acquired = careful.post("/api/v1/appointments/" + id + "/acquire-lock", token, null);
                if (!expect(acquired, 200, "acquire", failures)) {
                    return cycles;
                }
                String title = "Careful " + cycles + " revised";
                ApiClient.Response saved = careful.put("/api/v1/appointments/" + id, token, appointment(title), Map.of(
                        "If-Match", "\"1\"", "Lock-Token", acquired.json().get("lock").get("fencingToken").asText()));
                if (!expect(saved, 200, "save", failures)) {
                    return cycles;
                }
                acknowledge(saved.json());
                ApiClient.Response read = careful.get("/api/v1/appointments/" + id, token);
                if (!expect(read, 200, "read", failures) || !read.json().get("title").asText().equals(title)) {
                    failures.add("well-behaved read returned " + read);
                    return cycles;
                }
                if (!expect(careful.delete("/api/v1/appointments/" + id + "/release-lock", token, null), 200, "release",
                        failures)) {
                    return cycles;
                }
                cycles++;
            }
        }
        return cycles;
    }

    /** Takes and releases a lock while an observer watches; the observer must see every change. */
    private int wellBehavedWatcher(WsTestClient observer, String token, UUID watched, AtomicBoolean fuzzing,
                                   Queue failures) {
        int cycles = 0;
        String lockPath = "/api/v1/appointments/" + watched;
        try (KeepAliveClient holder = new KeepAliveClient(server.port())) {
            while (fuzzing.get() || cycles == 0) {
                if (!expect(holder.post(lockPath + "/acquire-lock", token, null), 200, "acquire", failures)) {
                    return cycles;
                }
                observer.skipUntil("lock-acquired", "lock-update");
                if (!expect(holder.delete(lockPath + "/release-lock", token, null), 200, "release", failures)) {
                    return cycles;
                }
                JsonNode released = observer.skipUntil("lock-released", "lock-update");
                if (!released.path("appointmentId").asText().equals(watched.toString())) {
                    failures.add("observer got " + released);
                }
                cycles++;
            }
        }
        return cycles;
    }

    private static boolean expect(ApiClient.Response response, int status, String step, Queue failures) {
        if (response.status() != status) {
            failures.add("well-behaved " + step + " got " + response);
            return false;
        }
        return true;
    }

    /**
     * A new socket of the user; empty when the upgrade is refused because the user already holds as many
     * sockets as allowed (the server may not yet have counted the ones this client saw closing).
     */
    private Optional<WsTestClient> open(String token, Queue failures) {
        try {
            return Optional.of(WsTestClient.connect(wsUri(token)));
        } catch (CompletionException refused) {
            if (!(refused.getCause() instanceof WebSocketHandshakeException handshake)
                    || handshake.getResponse().statusCode() != 429) {
                failures.add("upgrade failed: " + refused.getCause());
            }
            return Optional.empty();
        }
    }

    /**
     * A closed socket's close code. When the server closes a connection (1008, 1009) while the client is
     * still sending, the JDK client may see the connection end before the close frame: counted as -1,
     * whether the client reports it as an error or as 1006, the code no peer sends (RFC 6455, 7.4.1)
     * that stands for a connection closed without a close frame.
     */
    private static void recordClose(WsTestClient socket, Map<Integer, AtomicInteger> closes,
                                    Map<String, AtomicInteger> answers, Queue failures) {
        drain(socket, answers, failures);
        int code = socket.closeCodeIfClosed().orElse(-1);
        closes.computeIfAbsent(code == CLOSED_WITHOUT_CLOSE_FRAME ? -1 : code, key -> new AtomicInteger())
                .incrementAndGet();
    }

    private static void awaitClosed(WsTestClient socket, Queue failures) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!socket.isClosed() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        if (!socket.isClosed()) {
            failures.add("a frame could not be sent on a connection that stayed open");
        }
    }

    private void sendFrame(WsTestClient socket, Random random) {
        String id = random.nextInt(3) > 0 ? appointmentIds.get(random.nextInt(appointmentIds.size())).toString()
                : UUID.randomUUID().toString();
        String[] frames = {
            "{\"type\":\"subscribe\",\"appointmentId\":\"" + id + "\"}",
            "{\"type\":\"unsubscribe\",\"appointmentId\":\"" + id + "\"}",
            "{\"type\":\"cursor-position\",\"appointmentId\":\"" + id + "\",\"position\":{\"x\":" + random.nextInt(2000)
                    + ",\"y\":" + (random.nextInt(4000) - 2000) + "}}",
            "{\"type\":\"cursor-position\",\"appointmentId\":\"" + id + "\",\"position\":{\"x\":1e308,\"y\":\"a\"}}",
            "{\"type\":\"cursor-position\",\"appointmentId\":\"" + id + "\",\"position\":[1,2]}",
            "{\"type\":\"ping\"}",
            "{\"type\":\"subscribe\",\"appointmentId\":\"" + id + "\u0000\"}",
            "{\"type\":\"sub\u0000scribe\"}",
            "{\"type\":\"subscribe\",\"appointmentId\":null}",
            "{\"type\":42}", "{\"type\":[\"ping\"]}", "{}", "[]", "null", "\"ping\"", "{not json", "", " ",
            "{\"type\":\"ping\",\"type\":\"subscribe\"}",
            "{\"type\":\"dance\",\"steps\":" + "[".repeat(1000) + "]".repeat(1000) + "}",
            "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(4000 + random.nextInt(2000)) + "\"}",
            "{\"type\":\"ping\",\"pad\":\"" + "\u001b\u0007\u007f\u202e".repeat(50) + "\"}",
            "{\"type\":\"subscribe\",\"appointmentId\":\"" + "é".repeat(36) + "\"}",
        };
        int choice = random.nextInt(frames.length + 2);
        if (choice == frames.length) {
            socket.sendBinary(new byte[] {(byte) 0xff, 0, 1, 2});
        } else if (choice == frames.length + 1) {
            socket.send(random.nextInt(20) == 0
                    ? "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}"
                    : "{\"type\":\"subscribe\",\"appointmentId\":\"" + id + "\",\"extra\":" + random.nextLong() + "}");
        } else {
            socket.send(frames[choice]);
        }
    }

    /** Pings an open socket and takes its frames up to the pong, so every answer to the fuzz is counted. */
    private static void drainUntilPong(WsTestClient socket, Map<String, AtomicInteger> answers, Queue failures)
            throws InterruptedException {
        try {
            socket.send("{\"type\":\"ping\"}");
        } catch (RuntimeException closed) {
            awaitClosed(socket, failures);
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            JsonNode frame = socket.inbox().poll(100, TimeUnit.MILLISECONDS);
            if (frame == null && socket.isClosed()) {
                return;
            }
            if (frame != null && count(frame, answers, failures).equals("pong")) {
                return;
            }
        }
        failures.add("no pong within " + WAIT_SECONDS + " s");
    }

    private static void drain(WsTestClient socket, Map<String, AtomicInteger> answers, Queue failures) {
        JsonNode frame;
        while ((frame = socket.inbox().poll()) != null) {
            count(frame, answers, failures);
        }
    }

    /** Counts one frame by type (errors by code) and checks its shape; returns its type. */
    private static String count(JsonNode frame, Map<String, AtomicInteger> answers, Queue failures) {
        String type = frame.path("type").asText("");
        answers.computeIfAbsent(type.equals("error") ? "error:" + frame.path("code").asText() : type,
                key -> new AtomicInteger()).incrementAndGet();
        if (!SERVER_FRAME_TYPES.contains(type)) {
            failures.add("unknown frame " + frame);
        } else if (type.equals("error") && (frame.path("code").asText("").isBlank()
                || frame.path("message").asText("").isBlank() || frame.path("code").asText().equals("internal_error"))) {
            failures.add("error frame without a fitting code " + frame);
        } else if (type.equals("error") && frame.path("code").asText().equals("unavailable")) {
            failures.add("the database is up, yet " + frame);
        }
        return type;
    }

    private RawHttpClient.Response send(HttpFuzzer.FuzzRequest request) {
        if (!request.raw()) {
            try {
                HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port()
                        + request.target())).timeout(Duration.ofSeconds(30));
                request.headers().forEach(builder::header);
                builder.method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
                HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
                Map<String, String> headers = new java.util.LinkedHashMap<>();
                response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
                return new RawHttpClient.Response(response.statusCode(), headers,
                        new String(response.body(), StandardCharsets.UTF_8), "");
            } catch (IllegalArgumentException notSendableByTheJdkClient) {
                return sendRaw(request);
            } catch (IOException connectionClosedUnderTheClient) {
                // The JDK client fails a request when the server answered early (a body over the limit) or closed
                // a pooled connection; a fresh connection shows what the server answers.
                return sendRaw(request);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return sendRaw(request);
    }

    private RawHttpClient.Response sendRaw(HttpFuzzer.FuzzRequest request) {
        StringBuilder head = new StringBuilder(request.method()).append(' ').append(request.target())
                .append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        request.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        byte[] body = request.body() == null ? new byte[0] : request.body();
        byte[] sent = body;
        if (request.label().equals("bad chunking")) {
            head.append("Transfer-Encoding: chunked\r\n");
            sent = ("ZZ\r\n" + new String(body, StandardCharsets.ISO_8859_1) + "\r\n0\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
        } else if (!request.headers().containsKey("Content-Length") && !request.headers().containsKey("Transfer-Encoding")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
            if (request.hangUp()) {
                sent = java.util.Arrays.copyOf(body, body.length / 2);
            }
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(headBytes, headBytes.length + sent.length);
        System.arraycopy(sent, 0, bytes, headBytes.length, sent.length);
        try {
            return server.raw().exchange(bytes, request.hangUp());
        } catch (java.io.UncheckedIOException refused) {
            return new RawHttpClient.Response(0, Map.of(), "", refused.toString());
        }
    }

    private void check(HttpFuzzer.FuzzRequest request, RawHttpClient.Response response, Queue failures) {
        int status = response.status();
        if (status >= 500) {
            failures.add(status + " for " + describe(request) + ": " + response.body());
            return;
        }
        if (status >= 400) {
            JsonNode problem = response.json();
            String type = response.header("Content-Type");
            if (type == null || !type.startsWith("application/problem+json") || problem.path("code").asText("").isBlank()
                    || problem.path("status").asInt() != status || problem.path("title").asText("").isBlank()
                    || problem.path("detail").asText("").isBlank() || !problem.path("type").asText("").startsWith("urn:")) {
                failures.add("not a problem: " + status + " " + type + " " + response.body() + " for " + describe(request));
            }
            return;
        }
        if ((status == 200 || status == 201) && isAppointmentTarget(request.target())
                && (request.method().equals("POST") || request.method().equals("PUT"))) {
            JsonNode appointment = response.json();
            if (appointment.has("id") && appointment.has("version") && appointment.has("title")) {
                acknowledge(appointment);
                if (request.method().equals("POST") && appointmentIds.size() < 200) {
                    appointmentIds.add(UUID.fromString(appointment.get("id").asText()));
                }
            }
        }
        if (status == 204 && request.method().equals("DELETE") && isAppointmentTarget(request.target())) {
            UUID id = UUID.fromString(request.target().substring("/api/v1/appointments/".length()));
            acknowledged.compute(id, (key, known) -> new Acknowledged(Long.MAX_VALUE, null, true));
        }
    }

    private static boolean isAppointmentTarget(String target) {
        return target.equals("/api/v1/appointments")
                || target.matches("/api/v1/appointments/[0-9a-f-]{36}");
    }

    private void acknowledge(JsonNode appointment) {
        UUID id = UUID.fromString(appointment.get("id").asText());
        Acknowledged latest = new Acknowledged(appointment.get("version").asLong(), appointment.get("title").asText(), false);
        acknowledged.merge(id, latest, (known, now) -> known.deleted() || known.version() >= now.version() ? known : now);
    }

    /** Every acknowledged write must be readable: the last acknowledged version and title, or gone if deleted. */
    private int checkAcknowledgedWrites(Queue failures) {
        String reader = userTokens.get(0);
        int missing = 0;
        for (Map.Entry<UUID, Acknowledged> entry : acknowledged.entrySet()) {
            ApiClient.Response read = api.get("/api/v1/appointments/" + entry.getKey(), reader);
            Acknowledged expected = entry.getValue();
            boolean present = expected.deleted()
                    ? read.status() == 404
                    : read.status() == 200 && read.json().get("version").asLong() == expected.version()
                            && read.json().get("title").asText().equals(expected.title());
            if (!present) {
                missing++;
                failures.add("acknowledged " + expected + " of " + entry.getKey() + " but read " + read);
            }
        }
        return missing;
    }

    /** Every request series is tagged with a known method and a documented route, so none is added by a caller. */
    private void checkMetricSeries(String metrics, Queue failures) throws IOException {
        Set<String> routes = new java.util.HashSet<>();
        JSON.readTree(OperationsRoutes.resource(OperationsRoutes.OPENAPI_RESOURCE)).get("paths").fieldNames()
                .forEachRemaining(routes::add);
        routes.add("other");
        for (String line : metrics.split("\n")) {
            Matcher labels = METRIC_LABELS.matcher(line);
            if (labels.find()) {
                String method = label(labels.group(1), "method");
                String route = label(labels.group(1), "route");
                if (!METRIC_METHODS.contains(method) || !routes.contains(route)) {
                    failures.add("metric series outside the fixed tag values: " + line);
                }
            }
        }
    }

    private static String label(String labels, String name) {
        Matcher value = Pattern.compile("(?:^|,)" + name + "=\"([^\"]*)\"").matcher(labels);
        return value.find() ? value.group(1) : "";
    }

    private double meterCount(String counter) {
        return server.dependencies.meterRegistry().get(counter).counter().count();
    }

    private String metricsText() {
        return api.get("/api/v1/metrics", null).text();
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private void awaitNoConnectionsBut(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.gateway.connectionCount() > expected && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        assertThat(server.gateway.connectionCount()).as("sockets left open").isEqualTo(expected);
    }

    private URI wsUri(String token) {
        return URI.create("ws://localhost:" + server.port() + "/api/v1/ws?token=" + token);
    }

    private ApiClient.Response createAppointment(String token, String title) {
        return createAppointment(api, token, title);
    }

    private ApiClient.Response createAppointment(JsonClient client, String token, String title) {
        ApiClient.Response response = client.post("/api/v1/appointments", token, appointment(title));
        if (response.status() == 201) {
            acknowledge(response.json());
        }
        return response;
    }

    private static Map<String, Object> appointment(String title) {
        return Map.of("title", title, "startsAt", "2030-01-01T09:00:00Z", "endsAt", "2030-01-01T10:00:00Z");
    }

    private String storeName() {
        return getClass().getSimpleName().replace("HostileInputTest", "");
    }

    private static String describe(HttpFuzzer.FuzzRequest request) {
        String body = request.body() == null ? "" : new String(request.body(), StandardCharsets.UTF_8);
        return request.label() + " " + request.method() + " " + request.target() + " " + request.headers().keySet() + " "
                + (body.length() > 200 ? body.substring(0, 200) + "…" : body);
    }

    private record Acknowledged(long version, String title, boolean deleted) {
    }

    /** Failures seen by any thread, reported together at the end. */
    private static final class Queue {
        private final ConcurrentLinkedQueue<String> items = new ConcurrentLinkedQueue<>();
        private final AtomicLong count = new AtomicLong();

        void add(String failure) {
            count.incrementAndGet();
            items.add(failure);
        }

        long size() {
            return count.get();
        }

        List<String> first(int limit) {
            return items.stream().limit(limit).toList();
        }
    }
}
