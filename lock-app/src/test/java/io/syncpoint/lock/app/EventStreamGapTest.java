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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * While one node's event listener is cut off from the database, another node changes a lock: the
 * event is lost to the cut-off node, so once its listener is back every subscriber there gets a
 * fresh snapshot showing the current lock.
 */
class EventStreamGapTest {
    private final TestCluster cluster = new TestCluster();
    private final List<WsTestClient> viewers = new ArrayList<>();

    @AfterEach
    void stop() throws SQLException {
        viewers.forEach(WsTestClient::close);
        allowConnections(true);
        cluster.close();
    }

    @Test
    void subscribersOfANodeWhoseEventStreamHadAGapGetTheCurrentLockOnceItIsBack() throws SQLException {
        Application watched = cluster.start(Map.of("LOCK_DEMO_DATA", "true"));
        int watchedListener = eventListenerOf();
        Application other = cluster.start(Map.of());
        ServerClient http = new ServerClient(other.port());
        String alice = http.signIn(DemoData.ALICE_EMAIL, DemoData.ALICE_PASSWORD);
        String admin = http.signIn(TestCluster.ADMIN_EMAIL, TestCluster.ADMIN_PASSWORD);
        String appointment = http.post("/appointments", alice, Map.of("title", "Planning",
                "startsAt", "2030-01-01T09:00:00Z", "endsAt", "2030-01-01T10:00:00Z")).json().get("id").asText();
        WsTestClient viewer = WsTestClient.connect(URI.create("ws://localhost:" + watched.port() + "/api/v1/ws?token="
                + new ServerClient(watched.port()).signIn(DemoData.BOB_EMAIL, DemoData.BOB_PASSWORD)));
        viewers.add(viewer);
        viewer.subscribeAndAwaitSnapshot(UUID.fromString(appointment));
        assertThat(http.post("/appointments/" + appointment + "/acquire-lock", alice, Map.of()).status()).isEqualTo(200);
        viewer.expect("lock-acquired");

        // New connections are refused and only the watched node's listener is ended; the other
        // node keeps its pooled connections and works on.
        allowConnections(false);
        terminate(watchedListener);
        ServerClient.Answer takeover = http.post("/appointments/" + appointment + "/takeover-lock", admin,
                Map.of("reason", "during the gap"));
        assertThat(takeover.status()).as("takeover %s", takeover.json()).isEqualTo(200);
        allowConnections(true);

        JsonNode snapshot = viewer.skipUntil("subscribed", "admin-takeover", "lock-released", "lock-acquired");
        assertThat(snapshot.get("appointmentId").asText()).isEqualTo(appointment);
        assertThat(snapshot.at("/lock/id").asText()).isEqualTo(takeover.json().at("/lock/id").asText());
        assertThat(snapshot.at("/lock/fencingToken").asLong())
                .isEqualTo(takeover.json().at("/lock/fencingToken").asLong());
        assertThat(snapshot.get("cursors").isArray()).isTrue();
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
