package io.syncpoint.lock.persistence.jdbi;

import io.syncpoint.lock.core.domain.HistoryAction;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.domain.LockStatistics;
import io.syncpoint.lock.core.domain.Page;
import io.syncpoint.lock.core.domain.PageRequest;
import io.syncpoint.lock.core.port.out.LockHistory;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The audit history: pages and aggregates are computed by PostgreSQL, newest first by insertion order. */
final class JdbiLockHistory implements LockHistory {
    private final Database database;

    JdbiLockHistory(Database database) {
        this.database = database;
    }

    @Override
    public Page<LockHistoryEntry> ofAppointment(UUID appointmentId, PageRequest page) {
        return page("appointment_id", appointmentId, page);
    }

    @Override
    public Page<LockHistoryEntry> ofUser(UUID userId, PageRequest page) {
        return page("user_id", userId, page);
    }

    /** {@code keyColumn} is one of two fixed column names, never input. */
    private Page<LockHistoryEntry> page(String keyColumn, UUID key, PageRequest page) {
        return database.withHandle(handle -> {
            long total = handle.createQuery("SELECT count(*) FROM lock_history WHERE " + keyColumn + " = :key")
                    .bind("key", key)
                    .mapTo(Long.class)
                    .one();
            List<LockHistoryEntry> rows = handle.createQuery("SELECT " + Rows.HISTORY_COLUMNS + " FROM lock_history"
                            + " WHERE " + keyColumn + " = :key ORDER BY seq DESC LIMIT :limit OFFSET :offset")
                    .bind("key", key)
                    .bind("limit", page.limit())
                    .bind("offset", page.offset())
                    .map((rs, ctx) -> Rows.historyEntry(rs))
                    .list();
            return Page.of(rows, total, page);
        });
    }

    @Override
    public LockStatistics statistics(UUID appointmentId) {
        return database.withHandle(handle -> handle.createQuery("SELECT"
                        + " count(*) FILTER (WHERE action = 'acquired') AS acquired,"
                        + " count(*) FILTER (WHERE action = 'released') AS released,"
                        + " count(*) FILTER (WHERE action = 'expired') AS expired,"
                        + " count(*) FILTER (WHERE action = 'force_released') AS force_released,"
                        + " avg(duration_seconds)::double precision AS average_duration,"
                        + " count(DISTINCT user_id) AS unique_users,"
                        + " EXISTS (SELECT 1 FROM " + Rows.LEASES + " AS l WHERE appointment_id = :id"
                        + " AND expires_at > " + Database.NOW + ") AS currently_locked"
                        + " FROM lock_history WHERE appointment_id = :id")
                .bind("id", appointmentId)
                .bind("offsetMicros", database.offsetMicros())
                .map((rs, ctx) -> {
                    Map<HistoryAction, Long> totals = new EnumMap<>(HistoryAction.class);
                    for (HistoryAction action : HistoryAction.values()) {
                        totals.put(action, rs.getLong(action.wireName()));
                    }
                    double average = rs.getDouble("average_duration");
                    Double averageDuration = rs.wasNull() ? null : average;
                    return new LockStatistics(appointmentId, totals, averageDuration, rs.getLong("unique_users"),
                            rs.getBoolean("currently_locked"));
                })
                .one());
    }

    @Override
    public long deleteOlderThan(Instant cutoff) {
        return database.withHandle(handle -> handle.createUpdate("DELETE FROM lock_history WHERE at < :cutoff")
                .bind("cutoff", Rows.timestamp(cutoff))
                .execute());
    }
}
