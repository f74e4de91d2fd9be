package io.syncpoint.lock.persistence.jdbi;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * The JDBI entry shared by the adapters: every call translates an unreachable database into
 * {@code StoreUnavailableException}, and time is the database's clock plus the configured offset.
 */
final class Database {
    /** The store's "now" inside SQL; statements using it bind {@code offsetMicros} via {@link #offsetMicros()}. */
    static final String NOW = "(clock_timestamp() + :offsetMicros * interval '1 microsecond')";

    private final Jdbi jdbi;
    private final Supplier<Duration> clockOffset;

    Database(Jdbi jdbi, Supplier<Duration> clockOffset) {
        this.jdbi = jdbi;
        this.clockOffset = clockOffset;
    }

    /** For tests in this package that watch the statements sent. */
    Jdbi jdbi() {
        return jdbi;
    }

    <T> T withHandle(HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.withHandle(work);
        } catch (RuntimeException e) {
            throw Failures.translate(e);
        }
    }

    <T> T inTransaction(HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.inTransaction(work);
        } catch (RuntimeException e) {
            throw Failures.translate(e);
        }
    }

    /**
     * The database's clock, read now (not at transaction start: a transaction that waited for a row
     * lock must see the time after the wait), plus the offset, to the microsecond.
     */
    Instant now(Handle handle) {
        Instant databaseTime = handle.createQuery("SELECT clock_timestamp()")
                .map((rs, ctx) -> rs.getObject(1, OffsetDateTime.class).toInstant())
                .one();
        return onStoreClock(databaseTime);
    }

    /** A reading of the database's clock as the store's time: plus the offset, to the microsecond. */
    Instant onStoreClock(Instant databaseTime) {
        return databaseTime.plus(clockOffset.get()).truncatedTo(ChronoUnit.MICROS);
    }

    /** How far this node's store clock is set from the database's own. */
    Duration clockOffset() {
        return clockOffset.get();
    }

    long offsetMicros() {
        Duration offset = clockOffset.get();
        return offset.getSeconds() * 1_000_000L + offset.getNano() / 1_000;
    }
}
