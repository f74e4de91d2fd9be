package io.syncpoint.lock.persistence.jdbi;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Reads by key that share statements under load. At most {@code limit} statements are on their way
 * to the database at once; a read that arrives while they are waits, together with every other read
 * that arrives meanwhile, and the next statement answers all of them (one row per distinct key).
 * Without load a read sends its own statement at once, as before.
 *
 * <p>A read is only ever answered by a statement sent after it arrived, never by one already under
 * way, so it sees every change committed before it was asked: exactly what a statement of its own
 * would have seen. The thread that sent a statement hands the reads that gathered meanwhile to one of
 * their own threads, which sends the next; no thread ever waits for a statement it does not need.
 *
 * @param <K> the key read
 * @param <V> what one key reads
 */
final class CoalescedReads<K, V> {
    private final int limit;
    private final Function<Set<K>, Map<K, V>> read;
    private final Object monitor = new Object();
    private List<Read<K, V>> gathering = new ArrayList<>();
    private int sending;

    /**
     * @param limit how many statements may be under way at once, at least 1
     * @param read  one statement reading every key given; the answer holds each of them
     */
    CoalescedReads(int limit, Function<Set<K>, Map<K, V>> read) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        this.limit = limit;
        this.read = Objects.requireNonNull(read, "read");
    }

    /** What {@code key} reads now; throws what the statement threw. */
    V read(K key) {
        Read<K, V> own = new Read<>(key);
        boolean first;
        synchronized (monitor) {
            first = sending < limit;
            if (first) {
                sending++;
            } else {
                gathering.add(own);
            }
        }
        List<Read<K, V>> batch = first ? List.of(own) : own.awaitTurn();
        if (!batch.isEmpty()) {
            try {
                send(batch, own);
            } finally {
                handOver();
            }
        }
        return own.answer();
    }

    private void send(List<Read<K, V>> batch, Read<K, V> own) {
        Set<K> keys = new LinkedHashSet<>();
        batch.forEach(waiting -> keys.add(waiting.key));
        Map<K, V> answers = null;
        Throwable failure = null;
        try {
            answers = read.apply(keys);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Read<K, V> waiting : batch) {
            V answer = answers == null ? null : answers.get(waiting.key);
            waiting.settle(answer, answer == null && failure == null
                    ? new IllegalStateException("the statement gave no answer for " + waiting.key) : failure);
            if (waiting != own) {
                waiting.turn.complete(List.of());
            }
        }
    }

    /** Gives the reads gathered while this thread sent to one of theirs, or frees the slot. */
    private void handOver() {
        List<Read<K, V>> next;
        synchronized (monitor) {
            if (gathering.isEmpty()) {
                sending--;
                return;
            }
            next = gathering;
            gathering = new ArrayList<>();
        }
        next.get(0).turn.complete(next);
    }

    private static final class Read<K, V> {
        private final K key;
        /** Completed with the batch this read's thread is to send, or empty once the read is answered. */
        private final CompletableFuture<List<Read<K, V>>> turn = new CompletableFuture<>();
        private V answer;
        private Throwable failure;

        Read(K key) {
            this.key = key;
        }

        /** Written before {@link #turn} completes, or by the read's own thread. */
        void settle(V answer, Throwable failure) {
            this.answer = answer;
            this.failure = failure;
        }

        List<Read<K, V>> awaitTurn() {
            return turn.join();
        }

        V answer() {
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            return answer;
        }
    }
}
