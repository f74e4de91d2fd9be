package io.syncpoint.lock.core.port.out;

import io.syncpoint.lock.core.event.DomainEvent;
import java.util.function.Consumer;

/** Delivers every announced event, from this node or any other, to local listeners. */
public interface EventSubscriptions {

    /** Listeners must return quickly; a listener that throws does not stop delivery to the others. */
    Subscription subscribe(Consumer<DomainEvent> listener);

    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
