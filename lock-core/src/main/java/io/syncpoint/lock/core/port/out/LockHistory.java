package io.syncpoint.lock.core.port.out;

import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.domain.LockStatistics;
import io.syncpoint.lock.core.domain.Page;
import io.syncpoint.lock.core.domain.PageRequest;
import java.time.Instant;
import java.util.UUID;

/** Reads of the audit history; rows are written by {@link LockTransaction#appendHistory}. */
public interface LockHistory {

    /** Newest first: rows appended later come first. */
    Page<LockHistoryEntry> ofAppointment(UUID appointmentId, PageRequest page);

    /** Newest first, every row whose lease holder is {@code userId}. */
    Page<LockHistoryEntry> ofUser(UUID userId, PageRequest page);

    /** Computed by the store (aggregates), not by loading every row. */
    LockStatistics statistics(UUID appointmentId);

    /** Deletes rows written before {@code cutoff}; returns how many. */
    long deleteOlderThan(Instant cutoff);
}
