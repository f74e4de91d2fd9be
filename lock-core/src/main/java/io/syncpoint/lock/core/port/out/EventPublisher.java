package io.syncpoint.lock.core.port.out;

import io.syncpoint.lock.core.event.DomainEvent;

/**
 * Announces events that are not part of a stored change (cursor presence) to every node.
 * Events of stored changes go through {@link LockTransaction#publish} instead.
 */
public interface EventPublisher {
    void publish(DomainEvent event);
}
