package io.syncpoint.lock.web.ws;

import io.micrometer.core.instrument.Counter;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The frames waiting for one client. Offering never blocks: one frame at a time is handed to Jetty's
 * asynchronous send, the next when it completes, and a full queue drops the new frame, so a slow
 * client can never hold up the thread that delivers events to everyone.
 */
final class Outbox {
    private final Session session;
    private final int capacity;
    private final Counter sent;
    private final Counter dropped;
    private final Queue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean();
    private volatile CloseRequest closeRequest;
    private volatile boolean closing;

    Outbox(Session session, int capacity, Counter sent, Counter dropped) {
        this.session = session;
        this.capacity = capacity;
        this.sent = sent;
        this.dropped = dropped;
    }

    /** Queues {@code frame} and starts sending; false (and counted) when the client is too far behind or gone. */
    boolean offer(String frame) {
        boolean accepted = enqueue(frame);
        flush();
        return accepted;
    }

    /**
     * Queues {@code frame} without touching the socket, so it may be called under a lock; {@link #flush}
     * must follow outside it, because a failing send runs the connection's close handlers on the caller's thread.
     */
    boolean enqueue(String frame) {
        if (closing) {
            dropped.increment();
            return false;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            dropped.increment();
            return false;
        }
        queue.add(frame);
        return true;
    }

    /** Hands the next queued frame to the socket unless a send is already under way. */
    void flush() {
        drain();
    }

    /** Closes the connection once the frames already queued (such as the error explaining why) are sent. */
    void closeAfterPending(int code, String reason) {
        closeRequest = new CloseRequest(code, reason);
        closing = true;
        drain();
    }

    private void drain() {
        while (sending.compareAndSet(false, true)) {
            String next = queue.poll();
            if (next != null) {
                queued.decrementAndGet();
                sent.increment();
                session.sendText(next, Callback.from(this::sentOne, failure -> discard()));
                return;
            }
            CloseRequest close = closeRequest;
            if (close != null) {
                session.close(close.code(), close.reason(), Callback.NOOP);
                return;
            }
            sending.set(false);
            if (queue.isEmpty()) {
                return;
            }
        }
    }

    private void sentOne() {
        sending.set(false);
        drain();
    }

    /** The client is gone; what it did not get is dropped and the outbox accepts nothing more. */
    private void discard() {
        closing = true;
        int lost = queued.getAndSet(0);
        queue.clear();
        dropped.increment(lost + 1.0);
    }

    private record CloseRequest(int code, String reason) {
    }
}
