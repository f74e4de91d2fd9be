package io.syncpoint.lock.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncpoint.lock.persistence.jdbi.TestPostgres;
import io.syncpoint.lock.web.ws.WsTestClient;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * While one node's event listener is cut off from the database, another node changes a lock: the
 * event is lost to the cut-off node, so once its listener is back every subscriber there gets a
 * fresh snapshot showing the current lock.
 */
class EventStreamGapTest {
    private static final int VIEWERS = 4;
    private static final int ROOMS = 3;

    private final TestCluster cluster = new TestCluster();
    private final List<WsTestClient> viewers = new ArrayList<>();

    @AfterEach
    void stop() throws SQLException {
        viewers.forEach(WsTestClient::close);
        allowConnections(true);
        cluster.close();
    }

    @Test
    void subscribersOfANodeWhoseEventStreamHadAGapGetTheCurrentLockOnceItIsBack() throws Exception {
        Application watched = cluster.start(Map.of());
        int watchedListener = eventListenerOf();
        ServerClient http = new ServerClient(cluster.start(Map.of()).port());
        List<LockWorkload.Member> members = LockWorkload.members(http, VIEWERS, TestCluster.ADMIN_EMAIL,
                TestCluster.ADMIN_PASSWORD);
        LockWorkload.Member holder = members.get(0);
        LockWorkload.Member admin = members.get(VIEWERS);
        List<String> appointments = LockWorkload.hotAppointments(http, holder, ROOMS);
        ServerClient onWatched = new ServerClient(watched.port());
        for (int i = 0; i < VIEWERS; i++) {
            WsTestClient viewer = WsTestClient.connect(URI.create(onWatched.webSocketUrl() + "?token="
                    + members.get(i).token()));
            viewers.add(viewer);
            appointments.forEach(id -> viewer.subscribeAndAwaitSnapshot(UUID.fromString(id)));
        }
        parallel(appointments, id -> assertThat(http.post("/appointments/" + id + "/acquire-lock", holder.token(),
                Map.of()).status()).isEqualTo(200));
        viewers.forEach(viewer -> appointments.forEach(id -> viewer.expect("lock-acquired")));

        // New connections are refused and only the watched node's listener is ended; the other
        // node keeps its pooled connections and works on.
        allowConnections(false);
        terminate(watchedListener);
        Map<String, String> adminLease = new ConcurrentHashMap<>();
        parallel(appointments, id -> {
            ServerClient.Answer takeover = http.post("/appointments/" + id + "/takeover-lock", admin.token(),
                    Map.of("reason", "during the gap"));
            assertThat(takeover.status()).as("takeover %s", takeover.json()).isEqualTo(200);
            adminLease.put(id, takeover.json().at("/lock/id").asText());
        });
        allowConnections(true);

        for (WsTestClient viewer : viewers) {
            Map<String, String> snapshots = new HashMap<>();
            while (snapshots.size() < ROOMS) {
                JsonNode snapshot = viewer.skipUntil("subscribed", "admin-takeover", "lock-released", "lock-acquired");
                assertThat(snapshot.get("cursors").isArray()).isTrue();
                snapshots.put(snapshot.get("appointmentId").asText(), snapshot.at("/lock/id").asText());
            }
            assertThat(snapshots).as("a fresh snapshot of every room, showing the admin's lease").isEqualTo(adminLease);
        }
    }

    private static void parallel(List<String> appointments, Consumer<String> work) {
        CompletableFuture.allOf(appointments.stream().map(id -> CompletableFuture.runAsync(() -> work.accept(id)))
                .toArray(CompletableFuture[]::new)).join();
    }

    /** The process id of the only event listener on the cluster's database so far. */
    private int eventListenerOf() throws SQLException {
        try (Connection admin = TestPostgres.server().adminConnection(); Statement statement = admin.createStatement();
             ResultSet rows = statement.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = '"
                     + databaseName() + "' AND application_name = 'syncpoint-events'")) {
            assertThat(rows.next()).as("an event listener").isTrue();
            int pid = rows.getInt(1);
            assertThat(rows.next()).as("only one event listener").isFalse();
            return pid;
        }
    }

    private void terminate(int pid) throws SQLException {
        try (Connection admin = TestPostgres.server().adminConnection(); Statement statement = admin.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(" + pid + ")");
        }
    }

    private void allowConnections(boolean allowed) throws SQLException {
        try (Connection admin = TestPostgres.server().adminConnection(); Statement statement = admin.createStatement()) {
            statement.execute("ALTER DATABASE " + databaseName() + " ALLOW_CONNECTIONS " + allowed);
        }
    }

    private String databaseName() {
        String url = cluster.database().jdbcUrl();
        return url.substring(url.lastIndexOf('/') + 1).replaceFirst("\\?.*$", "");
    }
}
