package io.syncpoint.lock.web.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.core.event.DomainEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The board of cursors under a sweep that runs while viewers move. */
class CursorBoardTest {
    private static final Instant NOW = Instant.parse("2026-05-04T09:00:00Z");

    @Test
    void aCursorPlacedWhileTheSweepRunsIsKeptAndSweptOnceStill() throws Exception {
        CursorBoard board = new CursorBoard();
        int movers = 4;
        int movesEach = 20_000;
        AtomicBoolean moving = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(movers + 1);
        List<DomainEvent.CursorMoved> lost = new ArrayList<>();
        try {
            Future<?> sweeping = threads.submit(() -> {
                start.await();
                while (moving.get()) {
                    // Nothing is still yet; the sweep only prunes appointments left without cursors.
                    assertThat(board.removeStill(NOW.minusSeconds(60))).isEmpty();
                }
                return null;
            });
            List<Future<List<DomainEvent.CursorMoved>>> moves = new ArrayList<>();
            for (int m = 0; m < movers; m++) {
                moves.add(threads.submit(() -> {
                    start.await();
                    List<DomainEvent.CursorMoved> missing = new ArrayList<>();
                    for (int i = 0; i < movesEach; i++) {
                        DomainEvent.CursorMoved moved = new DomainEvent.CursorMoved(UUID.randomUUID(),
                                UUID.randomUUID(), "Viewer", "viewer@example.com", i, i);
                        board.place(moved, NOW);
                        if (!board.has(moved.appointmentId(), moved.userId())) {
                            missing.add(moved);
                        }
                    }
                    return missing;
                }));
            }
            start.countDown();
            for (Future<List<DomainEvent.CursorMoved>> mover : moves) {
                lost.addAll(mover.get(60, TimeUnit.SECONDS));
            }
            moving.set(false);
            sweeping.get(60, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }

        assertThat(lost).as("cursors lost to a concurrent sweep").isEmpty();
        assertThat(board.removeStill(NOW.plusSeconds(1))).hasSize(movers * movesEach);
    }
}
