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
     * step and the next fencing token. Six placeholders: the appointment's id twice, the clock offset in
     * microseconds, the appointment's id three times.
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

    /**
     * The same check for a transaction that changes the lease: it writes the lease in its UPDATE. Fifteen
     * placeholders: the appointment's id, the remembered number, the clock offset, the earliest and the
     * latest store time, the id of the lease the transaction found (null for none), then the lease's nine
     * columns (id, holder, holder's JSON, created, expires, version, fencing token, renewals, last active;
     * all null to end it).
     */
    public static String checkRememberedWritingLease() {
        return JdbiLockStore.CHECK_REMEMBERED_WRITING_LEASE;
    }

    /**
     * What a transaction decided on the rows that changes the lease sends first: the number raised and the
     * lease written in one statement, which fails unless it changed one row. Twelve placeholders: the lease's
     * nine columns as above, the appointment's id, the id of the lease the transaction found, the failure's text.
     */
    public static String raiseNumberWritingLease() {
        return new StatementBatch().addChangingOneRow(JdbiLockStore.RAISE_NUMBER_WRITING_LEASE, "").text();
    }

    /** lock-status's one statement. One placeholder: the appointment's id. */
    public static String lockStatus() {
        return JdbiLockStore.READ_LEASE;
    }
}
