package io.syncpoint.lock.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reads that share statements: every read gets its own key's answer from a statement sent after it
 * arrived, never more statements are under way than the limit, and a failed statement fails only the
 * reads it carried.
 */
class CoalescedReadsTest {
    private static final long WAIT_SECONDS = 30;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void withoutLoadEveryReadSendsItsOwnStatementForItsKeyAlone() {
        List<Set<String>> statements = new ArrayList<>();
        CoalescedReads<String, String> reads = new CoalescedReads<>(1, keys -> {
            statements.add(Set.copyOf(keys));
            return answers(keys, key -> key.toUpperCase());
        });

        assertThat(reads.read("a")).isEqualTo("A");
        assertThat(reads.read("b")).isEqualTo("B");
        assertThat(reads.read("a")).isEqualTo("A");

        assertThat(statements).containsExactly(Set.of("a"), Set.of("b"), Set.of("a"));
    }

    @Test
    void readsArrivingWhileAStatementIsUnderWayShareTheNextOneAndNeverTheOneUnderWay() throws Exception {
        CountDownLatch firstSent = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<Set<String>> statements = new ArrayList<>();
        CoalescedReads<String, String> reads = new CoalescedReads<>(1, keys -> {
            int number;
            synchronized (statements) {
                statements.add(Set.copyOf(keys));
                number = statements.size();
            }
            if (number == 1) {
                firstSent.countDown();
                await(releaseFirst);
            }
            return answers(keys, key -> key + "@" + number);
        });
        Future<String> first = threads.submit(() -> reads.read("a"));
        assertThat(firstSent.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        List<String> keys = List.of("a", "b", "a", "c", "b", "a");
        List<Future<String>> later = new ArrayList<>();
        for (String key : keys) {
            later.add(threads.submit(() -> reads.read(key)));
        }
        awaitWaiting(keys.size());
        releaseFirst.countDown();

        assertThat(first.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("a@1");
        for (int i = 0; i < keys.size(); i++) {
            assertThat(later.get(i).get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(keys.get(i) + "@2");
        }
        assertThat(statements).containsExactly(Set.of("a"), Set.of("a", "b", "c"));
    }

    @Test
    void aFailedStatementFailsTheReadsItCarriedAndTheNextReadsSucceed() throws Exception {
        CountDownLatch firstSent = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicInteger statements = new AtomicInteger();
        IllegalStateException outage = new IllegalStateException("database gone");
        CoalescedReads<String, String> reads = new CoalescedReads<>(1, keys -> {
            int number = statements.incrementAndGet();
            if (number == 1) {
                firstSent.countDown();
                await(releaseFirst);
            }
            if (number == 2) {
                throw outage;
            }
            return answers(keys, key -> key + "@" + number);
        });
        Future<String> first = threads.submit(() -> reads.read("a"));
        assertThat(firstSent.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        Future<String> failing = threads.submit(() -> reads.read("b"));
        Future<String> failingToo = threads.submit(() -> reads.read("c"));
        awaitWaiting(2);
        releaseFirst.countDown();

        assertThat(first.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("a@1");
        for (Future<String> read : List.of(failing, failingToo)) {
            assertThatThrownBy(() -> read.get(WAIT_SECONDS, TimeUnit.SECONDS)).hasCause(outage);
        }
        assertThat(reads.read("b")).isEqualTo("b@3");
    }

    @Test
    void manyThreadsGetTheirOwnKeysFromStatementsSentAfterTheyAskedWithinTheLimit() throws Exception {
        int limit = 2;
        int threadCount = 32;
        int readsEach = 300;
        AtomicLong clock = new AtomicLong();
        AtomicInteger underWay = new AtomicInteger();
        AtomicInteger mostUnderWay = new AtomicInteger();
        AtomicInteger statements = new AtomicInteger();
        CoalescedReads<Integer, long[]> reads = new CoalescedReads<>(limit, keys -> {
            mostUnderWay.accumulateAndGet(underWay.incrementAndGet(), Math::max);
            statements.incrementAndGet();
            try {
                long sentAt = clock.incrementAndGet();
                pause();
                return answers(keys, key -> new long[] {key, sentAt});
            } finally {
                underWay.decrementAndGet();
            }
        });
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> readers = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            readers.add(threads.submit(() -> {
                await(start);
                for (int i = 0; i < readsEach; i++) {
                    int key = ThreadLocalRandom.current().nextInt(8);
                    long askedAt = clock.incrementAndGet();
                    long[] answer = reads.read(key);
                    if (answer[0] != key || answer[1] <= askedAt) {
                        wrong.add("asked " + key + " at " + askedAt + ", answered " + answer[0] + " sent at " + answer[1]);
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> reader : readers) {
            reader.get(WAIT_SECONDS * 2, TimeUnit.SECONDS);
        }

        assertThat(wrong).isEmpty();
        assertThat(mostUnderWay.get()).isBetween(1, limit);
        assertThat(statements.get()).isLessThan(threadCount * readsEach / 4);
    }

    @Test
    void aKeyTheStatementLeftUnansweredFailsItsReadInsteadOfAnsweringNull() {
        CoalescedReads<String, String> reads = new CoalescedReads<>(1, keys -> Map.of());

        assertThatThrownBy(() -> reads.read("a")).isInstanceOf(IllegalStateException.class).hasMessageContaining("a");
    }

    @Test
    void theLimitIsAtLeastOne() {
        assertThatThrownBy(() -> new CoalescedReads<String, String>(0, keys -> Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Waits until {@code count} reader threads are parked, waiting for their turn or their answer. */
    private void awaitWaiting(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (waitingReaders() < count) {
            assertThat(System.nanoTime()).as("%d readers waiting", count).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static long waitingReaders() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> thread.getKey().getState() == Thread.State.WAITING)
                .filter(thread -> List.of(thread.getValue()).stream()
                        .anyMatch(frame -> frame.getClassName().equals(CompletableFuture.class.getName())
                                && frame.getMethodName().equals("join")))
                .count();
    }

    private static <K, V> Map<K, V> answers(Set<K> keys, java.util.function.Function<K, V> answer) {
        Map<K, V> answers = new HashMap<>();
        keys.forEach(key -> answers.put(key, answer.apply(key)));
        return answers;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(0, 200_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
