package io.syncpoint.lock.persistence.jdbi;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where the pool's connections come from. An attempt that fails because the database is away keeps
 * trying for a short while before it gives up: HikariCP pauses after every failed attempt, up to
 * 5 s once a few have failed, so attempts that wait out the gap themselves let the pool connect
 * again within a fraction of a second of the database's return. Bad credentials and a missing
 * database fail at once.
 */
final class ReconnectingDataSource implements DataSource {
    private static final Duration PATIENCE = Duration.ofSeconds(2);
    private static final Duration RETRY_EVERY = Duration.ofMillis(200);

    private final PGSimpleDataSource driver = new PGSimpleDataSource();

    ReconnectingDataSource(PostgresSettings settings) {
        driver.setURL(settings.jdbcUrl());
        driver.setUser(settings.user());
        driver.setPassword(settings.password());
        driver.setConnectTimeout(5);
        driver.setTcpKeepAlive(true);
        driver.setApplicationName("syncpoint");
    }

    @Override
    public Connection getConnection() throws SQLException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                return driver.getConnection();
            } catch (SQLException e) {
                if (!worthRetrying(e) || System.nanoTime() + RETRY_EVERY.toNanos() > deadline) {
                    throw e;
                }
                pause(e);
            }
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return driver.getConnection(username, password);
    }

    /** Class 28 is bad credentials, 3D000 a database that does not exist: waiting changes neither. */
    private static boolean worthRetrying(SQLException e) {
        String state = e.getSQLState();
        return state == null || !(state.startsWith("28") || state.equals("3D000"));
    }

    private static void pause(SQLException failure) throws SQLException {
        try {
            TimeUnit.NANOSECONDS.sleep(RETRY_EVERY.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }

    @Override
    public PrintWriter getLogWriter() {
        return driver.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        driver.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) {
        driver.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
        return driver.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return driver.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        return driver.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || driver.isWrapperFor(type);
    }
}
