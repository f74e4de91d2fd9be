package io.syncpoint.lock.web.ws;

import io.github.bucket4j.Bucket;
import io.javalin.websocket.WsContext;
import io.syncpoint.lock.core.domain.Actor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** One open socket: who it belongs to, what it watches, what it may still send, and its outbox. */
final class Connection {
    private final WsContext context;
    private final Actor actor;
    private final Outbox outbox;
    private final Bucket frames;
    private final Bucket violations;
    private final Map<UUID, Subscription> subscriptions = new ConcurrentHashMap<>();

    Connection(WsContext context, Actor actor, Outbox outbox, Bucket frames, Bucket violations) {
        this.context = context;
        this.actor = actor;
        this.outbox = outbox;
        this.frames = frames;
        this.violations = violations;
    }

    WsContext context() {
        return context;
    }

    Actor actor() {
        return actor;
    }

    UUID userId() {
        return actor.userId();
    }

    Outbox outbox() {
        return outbox;
    }

    /** Takes one frame from the rate limit; false when the client sends faster than allowed. */
    boolean admitFrame() {
        return frames.tryConsume(1);
    }

    /** Records one refused frame; false once the client has used up its tolerance. */
    boolean tolerateViolation() {
        return violations.tryConsume(1);
    }

    boolean isSubscribed(UUID appointmentId) {
        return subscriptions.containsKey(appointmentId);
    }

    int subscriptionCount() {
        return subscriptions.size();
    }

    Set<UUID> subscribedAppointments() {
        return Set.copyOf(subscriptions.keySet());
    }

    /**
     * Starts (or restarts) watching {@code appointmentId}: events from now on are held back until
     * {@link Subscription#open} sends the snapshot ahead of them.
     */
    Subscription watch(UUID appointmentId) {
        Subscription subscription = subscriptions.computeIfAbsent(appointmentId, id -> new Subscription());
        subscription.hold();
        return subscription;
    }

    boolean unwatch(UUID appointmentId) {
        return subscriptions.remove(appointmentId) != null;
    }

    void deliver(UUID appointmentId, String frame) {
        Subscription subscription = subscriptions.get(appointmentId);
        if (subscription != null) {
            subscription.deliver(frame, outbox);
        }
    }

    void send(String frame) {
        outbox.offer(frame);
    }

    /** One watched appointment of this connection. */
    static final class Subscription {
        private List<String> held;

        private synchronized void hold() {
            if (held == null) {
                held = new ArrayList<>();
            }
        }

        private void deliver(String frame, Outbox outbox) {
            synchronized (this) {
                if (held != null) {
                    held.add(frame);
                    return;
                }
                outbox.enqueue(frame);
            }
            outbox.flush();
        }

        /** Sends the snapshot, then whatever arrived while it was being read, in order. */
        void open(String snapshot, Outbox outbox) {
            synchronized (this) {
                outbox.enqueue(snapshot);
                if (held != null) {
                    held.forEach(outbox::enqueue);
                    held = null;
                }
            }
            outbox.flush();
        }
    }
}
