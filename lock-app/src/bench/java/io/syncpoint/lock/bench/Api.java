package io.syncpoint.lock.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The setup calls of the benchmark (accounts, appointments), made once before any load. */
final class Api implements AutoCloseable {
    static final String BASE = "/api/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A signed-up account and its bearer token. */
    record User(String id, String email, String token) {
    }

    private final HttpConnection connection;

    Api(int port) throws IOException {
        this.connection = new HttpConnection("127.0.0.1", port);
    }

    List<User> signUp(String prefix, int count) throws IOException {
        List<User> users = new ArrayList<>();
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < count; i++) {
            String email = prefix + "-" + i + "-" + run + "@bench.test";
            JsonNode session = expect(201, connection.send("POST", BASE + "/auth/signup", null,
                    JSON.writeValueAsString(java.util.Map.of("email", email, "name", "Bench " + prefix + " " + i,
                            "password", "bench-password-" + i))));
            users.add(new User(session.get("user").get("id").asText(), email, session.get("token").asText()));
        }
        return users;
    }

    /** A new appointment's id. */
    String createAppointment(User owner, String title) throws IOException {
        return expect(201, connection.send("POST", BASE + "/appointments", owner.token(), appointmentBody(title)))
                .get("id").asText();
    }

    /** Takes the lease; its fencing token. */
    long acquire(User user, String appointment) throws IOException {
        return expect(200, connection.send("POST", BASE + "/appointments/" + appointment + "/acquire-lock",
                user.token(), "{}")).get("lock").get("fencingToken").asLong();
    }

    static String appointmentBody(String title) {
        return "{\"title\":\"" + title + "\",\"startsAt\":\"2030-01-01T09:00:00Z\",\"endsAt\":\"2030-01-01T10:00:00Z\"}";
    }

    private static JsonNode expect(int status, HttpConnection.Response response) throws IOException {
        if (response.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + response.status() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        connection.close();
    }
}
