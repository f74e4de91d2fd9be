package io.syncpoint.lock.web.ws;

import io.syncpoint.lock.core.event.DomainEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where every viewer's pointer is, per appointment, as this node last heard it, and when each user
 * last got a move through. Cursors are presence only: nothing here is stored.
 */
final class CursorBoard {
    private final Map<UUID, Map<UUID, Placed>> byAppointment = new ConcurrentHashMap<>();
    private final Map<Mover, Instant> lastAccepted = new ConcurrentHashMap<>();

    /** True when {@code userId} may move on {@code appointmentId} now: at most one move per {@code window}. */
    boolean admitMove(UUID userId, UUID appointmentId, Instant now, Duration window) {
        boolean[] admitted = {false};
        lastAccepted.compute(new Mover(userId, appointmentId), (key, last) -> {
            if (last == null || !now.isBefore(last.plus(window))) {
                admitted[0] = true;
                return now;
            }
            return last;
        });
        return admitted[0];
    }

    /**
     * Places the cursor inside the appointment's entry, atomically with the sweep, which drops an
     * appointment's entry once it holds no cursor: a put after fetching the entry could land in one the
     * sweep had just dropped, and the cursor would never be swept.
     */
    void place(DomainEvent.CursorMoved moved, Instant now) {
        byAppointment.compute(moved.appointmentId(), (id, cursors) -> {
            Map<UUID, Placed> placed = cursors == null ? new ConcurrentHashMap<>() : cursors;
            placed.put(moved.userId(), new Placed(moved, now));
            return placed;
        });
    }

    /** Removes the cursor; false when there was none (already swept, or never moved). */
    boolean remove(UUID appointmentId, UUID userId) {
        boolean[] removed = {false};
        byAppointment.computeIfPresent(appointmentId, (id, cursors) -> {
            removed[0] = cursors.remove(userId) != null;
            return cursors.isEmpty() ? null : cursors;
        });
        return removed[0];
    }

    boolean has(UUID appointmentId, UUID userId) {
        Map<UUID, Placed> cursors = byAppointment.get(appointmentId);
        return cursors != null && cursors.containsKey(userId);
    }

    void forget(UUID appointmentId) {
        byAppointment.remove(appointmentId);
        lastAccepted.keySet().removeIf(mover -> mover.appointmentId().equals(appointmentId));
    }

    /** Forgets every cursor: once this node stops hearing of moves and removals, what it last heard goes stale. */
    void clear() {
        byAppointment.clear();
        lastAccepted.clear();
    }

    /** The cursors on {@code appointmentId} except {@code viewerId}'s own. */
    List<DomainEvent.CursorMoved> on(UUID appointmentId, UUID viewerId) {
        Map<UUID, Placed> cursors = byAppointment.get(appointmentId);
        if (cursors == null) {
            return List.of();
        }
        List<DomainEvent.CursorMoved> others = new ArrayList<>();
        cursors.forEach((userId, placed) -> {
            if (!userId.equals(viewerId)) {
                others.add(placed.moved());
            }
        });
        return others;
    }

    /** Removes and returns every cursor that has not moved since {@code cutoff}. */
    List<DomainEvent.CursorRemoved> removeStill(Instant cutoff) {
        List<DomainEvent.CursorRemoved> removed = new ArrayList<>();
        for (UUID appointmentId : byAppointment.keySet()) {
            byAppointment.computeIfPresent(appointmentId, (id, cursors) -> {
                cursors.entrySet().removeIf(entry -> {
                    boolean still = entry.getValue().movedAt().isBefore(cutoff);
                    if (still) {
                        removed.add(new DomainEvent.CursorRemoved(id, entry.getKey()));
                    }
                    return still;
                });
                return cursors.isEmpty() ? null : cursors;
            });
        }
        lastAccepted.values().removeIf(last -> last.isBefore(cutoff));
        return removed;
    }

    private record Placed(DomainEvent.CursorMoved moved, Instant movedAt) {
    }

    private record Mover(UUID userId, UUID appointmentId) {
    }
}
