package io.syncpoint.lock.core.memory;

import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.out.EventPublisher;
import io.syncpoint.lock.core.port.out.EventSubscriptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Delivers events to listeners in this JVM, synchronously, in publication order: the single-node event bus. */
public final class InProcessEventBus implements EventPublisher, EventSubscriptions {
    private static final Logger LOG = Logger.getLogger(InProcessEventBus.class.getName());

    private final List<Consumer<DomainEvent>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void publish(DomainEvent event) {
        for (Consumer<DomainEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event listener failed on " + event.getClass().getSimpleName(), e);
            }
        }
    }

    @Override
    public Subscription subscribe(Consumer<DomainEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
