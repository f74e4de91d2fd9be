package io.syncpoint.lock.persistence.jdbi;

import io.syncpoint.lock.core.port.out.StoreUnavailableException;
import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.jdbi.v3.core.ConnectionException;

/** Tells broken infrastructure (database unreachable, pool exhausted) apart from bugs. */
final class Failures {
    private Failures() {
    }

    /** {@code failure} as a {@link StoreUnavailableException} when the database could not be reached; else itself. */
    static RuntimeException translate(RuntimeException failure) {
        if (failure instanceof StoreUnavailableException || !isUnavailable(failure)) {
            return failure;
        }
        return new StoreUnavailableException("PostgreSQL is unavailable: " + rootMessage(failure), failure);
    }

    /** Whether {@code failure} or one of its causes is an {@link SQLException} with {@code sqlState}. */
    static boolean hasSqlState(Throwable failure, String sqlState) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sqlState.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectionException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof ConnectException
                    || t instanceof SocketException) {
                return true;
            }
            if (t instanceof SQLException sql && isConnectionState(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Class 08 is "connection exception"; 57P01-57P03 are server shutdown and "cannot connect now". */
    private static boolean isConnectionState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
