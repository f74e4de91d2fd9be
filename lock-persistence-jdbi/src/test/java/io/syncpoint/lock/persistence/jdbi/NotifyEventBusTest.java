package io.syncpoint.lock.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.core.contract.Eventually;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.out.EventSubscriptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node LISTENs only while someone on it subscribes, and a subscribe returns only once the node
 * LISTENs: an event published right after it arrives, without retries, however subscriptions come and go.
 */
class NotifyEventBusTest {
    private static final long WAIT_SECONDS = 10;
    private static final Duration WAIT = Duration.ofSeconds(WAIT_SECONDS);

    private TestDatabase database;
    private NotifyEventBus bus;

    @BeforeEach
    void start() {
        database = TestDatabase.create();
        bus = (NotifyEventBus) database.node().eventSubscriptions();
    }

    @AfterEach
    void stop() {
        TestPostgres.server().setConnectionsAllowed(database.settings(), true);
        database.close();
    }

    @Test
    void aNodeNobodySubscribesToDoesNotListen() {
        assertThat(bus.listens()).isFalse();
        EventSubscriptions.Subscription gaps = bus.onGap(() -> { });
        assertThat(bus.listens()).as("a gap listener alone receives no events").isFalse();
        gaps.close();
    }

    @Test
    void anEventPublishedRightAfterSubscribingArrives() throws Exception {
        BlockingQueue<DomainEvent> received = new LinkedBlockingQueue<>();
        EventSubscriptions.Subscription subscription = bus.subscribe(received::add);
        assertThat(bus.listens()).isTrue();

        DomainEvent probe = probe();
        bus.publish(probe);

        assertThat(received.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(probe);
        subscription.close();
    }

    @Test
    void theLastSubscriptionsCloseEndsTheListenAndANewSubscriptionStartsItAgain() throws Exception {
        BlockingQueue<DomainEvent> first = new LinkedBlockingQueue<>();
        BlockingQueue<DomainEvent> second = new LinkedBlockingQueue<>();
        EventSubscriptions.Subscription one = bus.subscribe(first::add);
        EventSubscriptions.Subscription two = bus.subscribe(second::add);
        one.close();
        DomainEvent whileOneIsLeft = probe();
        bus.publish(whileOneIsLeft);
        assertThat(second.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(whileOneIsLeft);
        assertThat(bus.listens()).isTrue();

        two.close();
        assertThat(Eventually.holds(WAIT, () -> !bus.listens())).as("no LISTEN once nobody subscribes").isTrue();

        BlockingQueue<DomainEvent> again = new LinkedBlockingQueue<>();
        EventSubscriptions.Subscription three = bus.subscribe(again::add);
        DomainEvent afterwards = probe();
        bus.publish(afterwards);
        assertThat(again.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(afterwards);
        assertThat(first).as("a closed subscription hears nothing more").isEmpty();
        three.close();
    }

    /**
     * The database ends the listener's connection and refuses new ones: a subscriber waits a few seconds
     * for the LISTEN, not for ever, and once the node LISTENs again it is told that it may have missed events.
     */
    @Test
    void aSubscriberThatGaveUpWaitingWhileTheDatabaseWasAwayIsToldOfTheGapOnceTheNodeListens() throws Exception {
        AtomicInteger gaps = new AtomicInteger();
        EventSubscriptions.Subscription gapListener = bus.onGap(gaps::incrementAndGet);
        TestPostgres.server().setConnectionsAllowed(database.settings(), false);

        BlockingQueue<DomainEvent> received = new LinkedBlockingQueue<>();
        long start = System.nanoTime();
        EventSubscriptions.Subscription subscription = bus.subscribe(received::add);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time subscribe waited")
                .isLessThan(Duration.ofSeconds(WAIT_SECONDS));
        assertThat(bus.listens()).isFalse();
        assertThat(gaps).hasValue(0);

        TestPostgres.server().setConnectionsAllowed(database.settings(), true);
        assertThat(Eventually.holds(WAIT, () -> gaps.get() == 1 && bus.listens())).as("told of the gap once listening").isTrue();
        DomainEvent probe = probe();
        bus.publish(probe);
        assertThat(received.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(probe);
        subscription.close();
        gapListener.close();
    }

    /**
     * Threads subscribe, publish an event of their own, wait for it and close, over and over, so that
     * subscribes race the listener thread's LISTEN and UNLISTEN: every event must arrive.
     */
    @Test
    void subscriptionsComingAndGoingAtOnceEachReceiveTheirEvent() throws Exception {
        int threads = 8;
        int rounds = 40;
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        try {
            List<CompletableFuture<Integer>> missed = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                missed.add(CompletableFuture.supplyAsync(() -> {
                    int lost = 0;
                    for (int round = 0; round < rounds; round++) {
                        BlockingQueue<DomainEvent> received = new LinkedBlockingQueue<>();
                        DomainEvent mine = probe();
                        EventSubscriptions.Subscription subscription =
                                bus.subscribe(event -> {
                                    if (event.equals(mine)) {
                                        received.add(event);
                                    }
                                });
                        try {
                            bus.publish(mine);
                            if (received.poll(WAIT_SECONDS, TimeUnit.SECONDS) == null) {
                                lost++;
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return -1;
                        } finally {
                            subscription.close();
                        }
                    }
                    return lost;
                }, workers));
            }
            for (CompletableFuture<Integer> thread : missed) {
                assertThat(thread.get(2, TimeUnit.MINUTES)).as("events lost by one thread").isZero();
            }
        } finally {
            workers.shutdownNow();
        }
        assertThat(Eventually.holds(WAIT, () -> !bus.listens())).as("no LISTEN once every subscription is closed").isTrue();
    }

    private static DomainEvent probe() {
        return new DomainEvent.CursorRemoved(UUID.randomUUID(), UUID.randomUUID());
    }

}
