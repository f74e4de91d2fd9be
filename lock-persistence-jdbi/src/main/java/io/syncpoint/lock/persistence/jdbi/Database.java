package io.syncpoint.lock.persistence.jdbi;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * The entry shared by the adapters: JDBI for most statements, plain JDBC on a pooled connection for
 * the hot paths (a lock transaction, lock-status), where opening a JDBI handle cost more than the
 * statement. Every call translates an unreachable database into {@code StoreUnavailableException},
 * and time is the database's clock plus the configured offset.
 */
final class Database {
    /** The store's "now" inside SQL; statements using it bind {@code offsetMicros} via {@link #offsetMicros()}. */
    static final String NOW = "(clock_timestamp() + :offsetMicros * interval '1 microsecond')";

    private final DataSource dataSource;
    private final Jdbi jdbi;
    private final Supplier<Duration> clockOffset;

    Database(DataSource dataSource, Supplier<Duration> clockOffset) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
        this.clockOffset = clockOffset;
    }

    /** Work on one JDBC connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }

    <T> T withHandle(HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.withHandle(work);
        } catch (RuntimeException e) {
            throw Failures.translate(e);
        }
    }

    /** {@code work} on a pooled connection in autocommit mode. */
    <T> T withConnection(SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.apply(connection);
        } catch (SQLException e) {
            throw Failures.translate(new UnableToExecuteStatementException(e.getMessage(), e, null));
        } catch (RuntimeException e) {
            throw Failures.translate(e);
        }
    }

    /**
     * {@code work} in one transaction on a pooled connection: committed when it returns, rolled back
     * when it throws. Work that sent its own {@code COMMIT} along with its last statements leaves
     * nothing to commit, and the driver then sends nothing.
     */
    <T> T inTransaction(SqlWork<T> work) {
        return withConnection(connection -> {
            connection.setAutoCommit(false);
            T result;
            try {
                result = work.apply(connection);
            } catch (SQLException | RuntimeException | Error failure) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailure) {
                    failure.addSuppressed(rollbackFailure);
                }
                throw failure;
            }
            connection.commit();
            return result;
        });
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

    long offsetMicros() {
        Duration offset = clockOffset.get();
        return offset.getSeconds() * 1_000_000L + offset.getNano() / 1_000;
    }
}
