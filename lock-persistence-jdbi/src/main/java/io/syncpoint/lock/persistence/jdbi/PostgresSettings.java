package io.syncpoint.lock.persistence.jdbi;

/**
 * Where the PostgreSQL store lives and how many pooled connections one node may use.
 * Invalid settings are refused here, at start-up, not at the first query.
 */
public record PostgresSettings(String jdbcUrl, String user, String password, int poolSize) {
    public static final int MAX_POOL_SIZE = 200;

    public PostgresSettings {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must be a jdbc:postgresql: URL, was " + jdbcUrl);
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("user must not be blank");
        }
        password = password == null ? "" : password;
        if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
            throw new IllegalArgumentException("poolSize must be between 1 and " + MAX_POOL_SIZE + ", was " + poolSize);
        }
    }

    @Override
    public String toString() {
        return "PostgresSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", poolSize=" + poolSize + "]";
    }
}
