package io.syncpoint.lock.core.port.out;

import io.syncpoint.lock.core.event.DomainEvent;
import java.util.function.Consumer;

/** Delivers every announced event, from this node or any other, to local listeners. */
public interface EventSubscriptions {

    /** Listeners must return quickly; a listener that throws does not stop delivery to the others. */
    Subscription subscribe(Consumer<DomainEvent> listener);

    /**
     * Runs {@code listener} each time the stream is whole again after an interruption: events
     * announced meanwhile may never have been delivered, so whoever mirrors state must read it
     * afresh. A stream that cannot have gaps (the in-process one) never runs it.
     */
    default Subscription onGap(Runnable listener) {
        return () -> { };
    }

    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
