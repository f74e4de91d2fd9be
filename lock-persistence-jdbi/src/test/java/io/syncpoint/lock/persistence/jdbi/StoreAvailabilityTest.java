package io.syncpoint.lock.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncpoint.lock.core.contract.Eventually;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.out.EventSubscriptions;
import io.syncpoint.lock.core.port.out.StoreUnavailableException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An unreachable database is reported as unavailable, never leaks pooled connections, and is recovered from. */
class StoreAvailabilityTest {
    private static final Duration RECOVERY_WAIT = Duration.ofSeconds(30);

    private TestDatabase database;

    @BeforeEach
    void createDatabase() {
        database = TestDatabase.create();
    }

    @AfterEach
    void closeDatabase() {
        TestPostgres.server().setConnectionsAllowed(database.settings(), true);
        database.close();
    }

    @Test
    void startingAgainstAServerThatIsNotThereFailsAsUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PostgresSettings nowhere = new PostgresSettings("jdbc:postgresql://127.0.0.1:" + closedPort + "/syncpoint",
                "syncpoint", "secret", 2);

        assertThatThrownBy(() -> PostgresBackend.start(nowhere)).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void whileTheDatabaseRefusesConnectionsCallsFailAsUnavailableAndAllRecoversAfterwards() throws Exception {
        PostgresBackend node = database.node();
        assertThat(node.health().isAvailable()).isTrue();

        TestPostgres.server().setConnectionsAllowed(database.settings(), false);

        assertThat(node.health().isAvailable()).isFalse();
        assertThatThrownBy(() -> node.locks().findLock(UUID.randomUUID())).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> node.locks().inTransaction(UUID.randomUUID(), tx -> tx.appointment()))
                .isInstanceOf(StoreUnavailableException.class);

        TestPostgres.server().setConnectionsAllowed(database.settings(), true);

        assertThat(Eventually.holds(RECOVERY_WAIT, () -> node.health().isAvailable())).as("available again").isTrue();
        assertThat(node.locks().findLock(UUID.randomUUID())).isEmpty();
        BlockingQueue<DomainEvent> received = new LinkedBlockingQueue<>();
        EventSubscriptions.Subscription subscription = node.eventSubscriptions().subscribe(received::add);
        DomainEvent.CursorRemoved probe = new DomainEvent.CursorRemoved(UUID.randomUUID(), UUID.randomUUID());
        // Events sent while the listener is still reconnecting are not seen, so keep sending until one is.
        boolean delivered = Eventually.holds(RECOVERY_WAIT, () -> {
            node.eventPublisher().publish(probe);
            return probe.equals(poll(received));
        });
        subscription.close();
        assertThat(delivered).as("the event listener reconnected").isTrue();
    }

    /**
     * HikariCP pauses longer after each failed connection attempt, up to 5 s; seven seconds of
     * refusals under steady demand would leave the pool waiting about three more seconds after the
     * database is back, unless the attempts themselves wait out the gap.
     */
    @Test
    void afterALongRefusalUnderSteadyDemandThePoolConnectsAgainWithinTwoSecondsOfTheReturn() throws Exception {
        PostgresBackend node = database.node();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            for (int i = 0; i < 4; i++) {
                callers.submit(() -> {
                    while (!stop.get()) {
                        node.health().isAvailable();
                    }
                });
            }
            TestPostgres.server().setConnectionsAllowed(database.settings(), false);
            TimeUnit.SECONDS.sleep(7);
            TestPostgres.server().setConnectionsAllowed(database.settings(), true);
            long back = System.nanoTime();

            assertThat(Eventually.holds(RECOVERY_WAIT, () -> node.health().isAvailable())).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - back)).as("time until the pool served again")
                    .isLessThan(Duration.ofSeconds(2));
        } finally {
            stop.set(true);
            callers.shutdown();
            callers.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void transactionsThatFailGiveTheirConnectionsBack() {
        PostgresBackend node = database.node();
        int attempts = database.settings().poolSize() * 3;

        for (int i = 0; i < attempts; i++) {
            assertThatThrownBy(() -> node.locks().inTransaction(UUID.randomUUID(), tx -> {
                tx.now();
                throw new IllegalStateException("work failed");
            })).isInstanceOf(IllegalStateException.class);
        }

        assertThat(node.activeConnections()).isZero();
        assertThat(node.health().isAvailable()).isTrue();
    }

    private static DomainEvent poll(BlockingQueue<DomainEvent> queue) {
        try {
            return queue.poll(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
