package io.syncpoint.lock.persistence.jdbi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Statements sent to PostgreSQL in one round trip. The driver sends the statements of one
 * multi-statement string together and reads all their answers at once; the server still runs
 * them one after the other, each with a snapshot of its own, and stops at the first error.
 * A lock transaction queues its writes here and sends them once, at its end, so the lease, its
 * history row, its edit requests, its due step and its NOTIFY cost one round trip together instead
 * of one each.
 */
final class StatementBatch {
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> parameters = new ArrayList<>();
    private final List<String> oneRowOrFailure = new ArrayList<>();

    /** Queues one statement; {@code ?} placeholders take {@code values} in order. */
    StatementBatch add(String statement, Object... values) {
        return queue(statement, null, values);
    }

    /** Queues one statement that must change exactly one row; the batch fails with {@code failure} otherwise. */
    StatementBatch addChangingOneRow(String statement, String failure, Object... values) {
        return queue(statement, failure, values);
    }

    boolean isEmpty() {
        return oneRowOrFailure.isEmpty();
    }

    /** Sends every queued statement in one round trip and empties the batch. */
    void send(Connection connection) {
        if (isEmpty()) {
            return;
        }
        String text = sql.toString();
        try (PreparedStatement statement = connection.prepareStatement(text)) {
            bind(statement, parameters);
            boolean isResultSet = statement.execute();
            for (String failure : oneRowOrFailure) {
                int changed = isResultSet ? -1 : statement.getUpdateCount();
                if (failure != null && changed != 1) {
                    throw new IllegalStateException(failure);
                }
                isResultSet = statement.getMoreResults();
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("batch failed: " + text, e, null);
        } finally {
            sql.setLength(0);
            parameters.clear();
            oneRowOrFailure.clear();
        }
    }

    /**
     * Binds in order: instants as {@code timestamptz}, string arrays as {@code text[]}, nulls untyped so
     * the server infers the column's type.
     */
    static void bind(PreparedStatement statement, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            if (value == null) {
                statement.setNull(i + 1, Types.OTHER);
            } else if (value instanceof Instant instant) {
                statement.setObject(i + 1, instant.atOffset(ZoneOffset.UTC));
            } else if (value instanceof String[] texts) {
                statement.setArray(i + 1, statement.getConnection().createArrayOf("text", texts));
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }

    private StatementBatch queue(String statement, String failure, Object... values) {
        if (!isEmpty()) {
            sql.append(";\n");
        }
        sql.append(statement);
        parameters.addAll(Arrays.asList(values));
        oneRowOrFailure.add(failure);
        return this;
    }
}
