package io.syncpoint.lock.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.syncpoint.lock.app.MutualExclusionChecker.Descriptions;
import io.syncpoint.lock.app.MutualExclusionChecker.FinalData;
import io.syncpoint.lock.app.MutualExclusionChecker.HistoryRow;
import io.syncpoint.lock.app.MutualExclusionChecker.Kind;
import io.syncpoint.lock.app.MutualExclusionChecker.Lease;
import io.syncpoint.lock.app.MutualExclusionChecker.Observation;
import io.syncpoint.lock.app.MutualExclusionChecker.Save;
import io.syncpoint.lock.persistence.jdbi.PostgresSettings;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Many clients, each a user of its own (one of them an admin), doing random acquire, renew, save,
 * release, takeover and let-expire on a few hot appointments through any node, recording every
 * outcome with the instants it was sent and answered.
 */
final class LockWorkload {
    private static final String STARTS_AT = "2030-01-01T09:00:00Z";
    private static final String ENDS_AT = "2030-01-01T10:00:00Z";
    // Rare enough that most leases left alone get to expire rather than be taken over.
    private static final Duration TAKEOVER_EVERY = Duration.ofMillis(1500);

    record Member(String id, String token, boolean admin) {
    }

    private final List<ServerClient> nodes;
    private final List<Member> members;
    private final List<String> appointments;
    private final Duration leaseTtl;
    private final List<Observation> observations = Collections.synchronizedList(new ArrayList<>());

    LockWorkload(List<ServerClient> nodes, List<Member> members, List<String> appointments, Duration leaseTtl) {
        this.nodes = nodes;
        this.members = members;
        this.appointments = appointments;
        this.leaseTtl = leaseTtl;
    }

    /** Signs up {@code users} users and signs in the admin, all on {@code node}. */
    static List<Member> members(ServerClient node, int users, String adminEmail, String adminPassword) {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            String email = "client" + i + "-" + System.nanoTime() + "@syncpoint.test";
            ServerClient.Answer signedUp = node.post("/auth/signup", null,
                    Map.of("email", email, "name", "Client " + i, "password", "client-password-" + i));
            if (signedUp.status() != 201) {
                throw new IllegalStateException("sign-up failed: " + signedUp);
            }
            members.add(new Member(signedUp.json().at("/user/id").asText(), signedUp.json().get("token").asText(), false));
        }
        ServerClient.Answer admin = node.post("/auth/signin", null, Map.of("email", adminEmail, "password", adminPassword));
        members.add(new Member(admin.json().at("/user/id").asText(), admin.json().get("token").asText(), true));
        return members;
    }

    static List<String> hotAppointments(ServerClient node, Member creator, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ServerClient.Answer created = node.post("/appointments", creator.token(),
                    Map.of("title", "Hot appointment " + i, "startsAt", STARTS_AT, "endsAt", ENDS_AT));
            if (created.status() != 201) {
                throw new IllegalStateException("could not create an appointment: " + created);
            }
            ids.add(created.json().get("id").asText());
        }
        return ids;
    }

    /** Runs until {@code operations} requests were made or {@code cap} has passed; returns every observation. */
    List<Observation> run(int operations, Duration cap, long seed) throws Exception {
        AtomicInteger budget = new AtomicInteger(operations);
        long deadline = System.nanoTime() + cap.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(members.size());
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                Client client = new Client(i, members.get(i), new Random(seed + i));
                clients.add(pool.submit(() -> client.run(budget, deadline)));
            }
            for (Future<?> client : clients) {
                client.get();
            }
        } finally {
            pool.shutdownNow();
        }
        synchronized (observations) {
            return List.copyOf(observations);
        }
    }

    /** Every appointment's version and text as they are now, read through {@code node}. */
    Map<String, FinalData> finalData(ServerClient node) {
        Map<String, FinalData> data = new HashMap<>();
        Member reader = members.get(0);
        for (String id : appointments) {
            ServerClient.Answer answer = node.get("/appointments/" + id, reader.token());
            if (answer.status() == 200) {
                data.put(id, new FinalData(answer.json().get("version").asLong(),
                        answer.json().path("description").asText("")));
            }
        }
        return data;
    }

    /** The lock history rows of the workload's appointments, read from the database. */
    List<HistoryRow> history(PostgresSettings database) throws SQLException {
        return history(database, appointments);
    }

    /** The lock history rows of {@code appointments}, read from the database, oldest first. */
    static List<HistoryRow> history(PostgresSettings database, List<String> appointments) throws SQLException {
        List<HistoryRow> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
             PreparedStatement query = connection.prepareStatement("SELECT seq, appointment_id, lock_id, action, at, "
                     + "fencing_token FROM lock_history WHERE appointment_id = ANY (?) ORDER BY seq")) {
            query.setArray(1, connection.createArrayOf("uuid", appointments.toArray()));
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(new HistoryRow(result.getLong(1), result.getString(2), result.getString(3),
                            result.getString(4), result.getTimestamp(5).toInstant(), result.getLong(6)));
                }
            }
        }
        return rows;
    }

    /** A lease this client believes it holds. */
    private record Held(String lockId, long token, long version) {
    }

    private final class Client {
        private final int number;
        private final Member member;
        private final Random random;
        private final Map<String, Held> held = new HashMap<>();
        private final Map<String, Long> leftToExpireUntil = new HashMap<>();
        private int saves;
        private long nextTakeover;

        Client(int number, Member member, Random random) {
            this.number = number;
            this.member = member;
            this.random = random;
        }

        void run(AtomicInteger budget, long deadline) {
            while (System.nanoTime() < deadline && budget.getAndDecrement() > 0) {
                // Holders mostly work on what they hold, so leases change hands often.
                String appointment = !held.isEmpty() && random.nextInt(100) < 85
                        ? List.copyOf(held.keySet()).get(random.nextInt(held.size()))
                        : appointments.get(random.nextInt(appointments.size()));
                ServerClient node = nodes.get(random.nextInt(nodes.size()));
                Held lease = held.get(appointment);
                int dice = random.nextInt(100);
                if (member.admin() && lease == null && System.nanoTime() > nextTakeover) {
                    nextTakeover = System.nanoTime() + TAKEOVER_EVERY.toNanos();
                    takeover(node, appointment);
                } else if (lease == null) {
                    if (leftToExpireUntil.getOrDefault(appointment, 0L) > System.nanoTime()) {
                        budget.incrementAndGet();
                        pause();
                        continue;
                    }
                    acquire(node, appointment, null);
                } else if (dice < 35) {
                    acquire(node, appointment, lease);
                } else if (dice < 75) {
                    save(node, appointment, lease);
                } else if (dice < 99) {
                    release(node, appointment, lease);
                } else {
                    held.remove(appointment);
                    leftToExpireUntil.put(appointment, System.nanoTime() + leaseTtl.plusMillis(1500).toNanos());
                    long now = System.nanoTime();
                    record(Kind.LET_EXPIRE, appointment, now, now, 0, null,
                            new Lease(lease.lockId(), lease.token(), null, null, false), null);
                }
            }
        }

        private void acquire(ServerClient node, String appointment, Held lease) {
            Map<String, Object> body = lease == null ? Map.of() : Map.of("expectedVersion", lease.version());
            long sent = System.nanoTime();
            ServerClient.Answer answer = call(() -> node.post("/appointments/" + appointment + "/acquire-lock",
                    member.token(), body));
            long received = System.nanoTime();
            Lease granted = null;
            if (answer.status() == 200) {
                boolean renewed = answer.json().path("renewed").asBoolean();
                granted = lease(answer.json().get("lock"), !renewed);
                held.put(appointment, new Held(granted.lockId(), granted.token(), answer.json().at("/lock/version").asLong()));
            } else {
                held.remove(appointment);
                if (answer.status() == 409) {
                    // As a client honouring Retry-After would, only sooner: keeps the contention without spinning.
                    pause();
                }
            }
            record(lease == null ? Kind.ACQUIRE : Kind.RENEW, appointment, sent, received, answer.status(),
                    code(answer), granted, null);
        }

        private void takeover(ServerClient node, String appointment) {
            long sent = System.nanoTime();
            ServerClient.Answer answer = call(() -> node.post("/appointments/" + appointment + "/takeover-lock",
                    member.token(), Map.of("reason", "checker takeover")));
            long received = System.nanoTime();
            Lease granted = null;
            if (answer.status() == 200) {
                granted = lease(answer.json().get("lock"), true);
                held.put(appointment, new Held(granted.lockId(), granted.token(), answer.json().at("/lock/version").asLong()));
            } else {
                held.remove(appointment);
            }
            record(Kind.TAKEOVER, appointment, sent, received, answer.status(), code(answer), granted, null);
        }

        /** Reads the appointment, then saves it with one more tag, under the lease. */
        private void save(ServerClient node, String appointment, Held lease) {
            long readSent = System.nanoTime();
            ServerClient.Answer read = call(() -> node.get("/appointments/" + appointment, member.token()));
            record(Kind.READ, appointment, readSent, System.nanoTime(), read.status(), code(read), null, null);
            if (read.status() != 200) {
                return;
            }
            long version = read.json().get("version").asLong();
            String tag = "c" + number + "." + Integer.toString(saves++, 36);
            String text = Descriptions.append(read.json().path("description").asText(""), tag);
            Map<String, Object> body = Map.of("title", read.json().get("title").asText(), "description", text,
                    "startsAt", STARTS_AT, "endsAt", ENDS_AT);
            Map<String, String> headers = Map.of("If-Match", "\"" + version + "\"",
                    "Lock-Token", String.valueOf(lease.token()));
            long sent = System.nanoTime();
            ServerClient.Answer answer = call(() -> node.put("/appointments/" + appointment, member.token(), body,
                    headers));
            long received = System.nanoTime();
            long savedVersion = answer.status() == 200 ? answer.json().get("version").asLong() : -1;
            if (answer.status() != 200 && answer.status() != 412) {
                held.remove(appointment);
            }
            record(Kind.SAVE, appointment, sent, received, answer.status(), code(answer),
                    new Lease(lease.lockId(), lease.token(), null, null, false),
                    new Save(version, tag, text, savedVersion));
        }

        private void release(ServerClient node, String appointment, Held lease) {
            long sent = System.nanoTime();
            ServerClient.Answer answer = call(() -> node.delete("/appointments/" + appointment + "/release-lock",
                    member.token(), Map.of("expectedVersion", lease.version())));
            long received = System.nanoTime();
            held.remove(appointment);
            record(Kind.RELEASE, appointment, sent, received, answer.status(), code(answer),
                    new Lease(lease.lockId(), lease.token(), null, null, false), null);
        }

        private void record(Kind kind, String appointment, long sent, long received, int status, String code,
                            Lease lease, Save save) {
            observations.add(new Observation(kind, number, appointment, sent, received, status, code, lease, save));
        }
    }

    /** A client that waits for a lease to free up pauses a moment rather than spin. */
    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Lease lease(JsonNode lock, boolean newLease) {
        return new Lease(lock.get("id").asText(), lock.get("fencingToken").asLong(),
                Instant.parse(lock.get("createdAt").asText()), Instant.parse(lock.get("expiresAt").asText()), newLease);
    }

    private static String code(ServerClient.Answer answer) {
        return answer.json().path("code").asText("");
    }

    /** A request that got no answer is recorded as such, never dropped. */
    private static ServerClient.Answer call(Supplier<ServerClient.Answer> request) {
        try {
            return request.get();
        } catch (UncheckedIOException e) {
            return new ServerClient.Answer(Observation.NO_ANSWER, JsonNodeFactory.instance.objectNode(), "");
        }
    }
}
