package io.syncpoint.lock.persistence.jdbi;

/**
 * The statements the PostgreSQL store sends on its hot paths, as it sends them, for a benchmark that
 * runs them without the store (pgbench) and so measures what the database alone sustains for them.
 */
public final class StoreStatements {
    private StoreStatements() {
    }

    /**
     * A lock transaction's first round trip: the appointment's row locked, then clock, lease, queue, due
     * step and the next fencing token. Seven placeholders: the appointment's id three times, the clock
     * offset in microseconds, the appointment's id three times.
     */
    public static String opening() {
        return LockedAppointment.SQL;
    }

    /**
     * The check that opens a transaction decided on a remembered state, in the round trip of its writes.
     * Six placeholders: the appointment's id, the remembered lock state number, whether the transaction
     * writes, the clock offset in microseconds, the earliest and the latest store time it accepts.
     */
    public static String checkRemembered() {
        return JdbiLockStore.CHECK_REMEMBERED;
    }

    /** lock-status's one statement. One placeholder: the appointment's id. */
    public static String lockStatus() {
        return JdbiLockStore.READ_LEASE;
    }
}
