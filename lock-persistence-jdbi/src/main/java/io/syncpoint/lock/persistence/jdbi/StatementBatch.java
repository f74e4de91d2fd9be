package io.syncpoint.lock.persistence.jdbi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * A lock transaction queues its writes here and sends them once, at its end, with its
 * {@code COMMIT}, so the lease, its history row, its edit requests, its due step, its NOTIFY and the
 * commit cost one round trip together instead of one each. Because the commit travels with the
 * writes, every check on them is made by the database, before the commit runs.
 */
final class StatementBatch {
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> parameters = new ArrayList<>();
    private int statements;

    /** Queues one statement; {@code ?} placeholders take {@code values} in order. */
    StatementBatch add(String statement, Object... values) {
        return queue(statement, values);
    }

    /**
     * Queues an {@code UPDATE} or {@code DELETE} that must change exactly one row; the database fails
     * the batch, and so the transaction, with {@code failure} otherwise ({@code expect_one_row}, V7).
     */
    StatementBatch addChangingOneRow(String statement, String failure, Object... values) {
        Object[] withFailure = Arrays.copyOf(values, values.length + 1);
        withFailure[values.length] = failure;
        return queue("WITH changed AS (" + statement + " RETURNING 1)"
                + " SELECT expect_one_row(count(*), CAST(? AS text)) FROM changed", withFailure);
    }

    /** Queues every statement of {@code other}, after those queued here; {@code other} stays as it is. */
    StatementBatch addAll(StatementBatch other) {
        if (!other.isEmpty()) {
            if (!isEmpty()) {
                sql.append(";\n");
            }
            sql.append(other.sql);
            parameters.addAll(other.parameters);
            statements += other.statements;
        }
        return this;
    }

    /** The queued statements' text, as {@link #sendAndCommit} sends it before its {@code COMMIT}. */
    String text() {
        return sql.toString();
    }

    boolean isEmpty() {
        return statements == 0;
    }

    /**
     * Sends every queued statement and then {@code COMMIT}, in one round trip, and empties the batch.
     * When a statement fails, the server runs neither the rest nor the commit, and this throws; the
     * caller rolls back. With nothing queued it sends nothing: the caller commits as usual.
     */
    void sendAndCommit(Connection connection) {
        sendAndCommit(connection, 0, (index, row) -> { });
    }

    /** The first row of a statement's answer, read where a batch's first statements answer rows. */
    @FunctionalInterface
    interface FirstRows {
        void read(int statement, ResultSet row) throws SQLException;
    }

    /**
     * As {@link #sendAndCommit(Connection)}, and hands the first row of each of the first {@code answering}
     * statements' answers to {@code firstRows}, once every statement has run and the commit with them.
     */
    void sendAndCommit(Connection connection, int answering, FirstRows firstRows) {
        if (isEmpty()) {
            return;
        }
        queue("COMMIT");
        String text = sql.toString();
        try (PreparedStatement statement = connection.prepareStatement(text)) {
            bind(statement, parameters);
            statement.execute();
            for (int i = 0; i < answering; i++) {
                try (ResultSet row = statement.getResultSet()) {
                    row.next();
                    firstRows.read(i, row);
                }
                statement.getMoreResults();
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("batch failed: " + text, e, null);
        } finally {
            sql.setLength(0);
            parameters.clear();
            statements = 0;
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

    private StatementBatch queue(String statement, Object... values) {
        if (!isEmpty()) {
            sql.append(";\n");
        }
        sql.append(statement);
        parameters.addAll(Arrays.asList(values));
        statements++;
        return this;
    }
}
