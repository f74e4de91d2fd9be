package io.syncpoint.lock.core.domain;

import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/** Aggregates over one appointment's history, computed by the store. */
public record LockStatistics(
        UUID appointmentId,
        Map<HistoryAction, Long> totals,
        Double averageDurationSeconds,
        long uniqueUsers,
        boolean currentlyLocked) {

    public LockStatistics {
        Check.present("appointmentId", appointmentId);
        EnumMap<HistoryAction, Long> complete = new EnumMap<>(HistoryAction.class);
        for (HistoryAction action : HistoryAction.values()) {
            complete.put(action, totals == null ? 0L : totals.getOrDefault(action, 0L));
        }
        totals = Map.copyOf(complete);
    }

    public long total(HistoryAction action) {
        return totals.get(action);
    }
}
