package io.syncpoint.lock.app;

import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.memory.HistoryRetention;
import io.syncpoint.lock.web.WebSettings;
import io.syncpoint.lock.web.ws.WebSocketSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's settings, read from environment variables (all optional). Every bad value is a
 * {@link ConfigurationException} naming its variable.
 *
 * @param database      absent: the embedded default, on the in-memory store
 * @param jwtSecret     absent: a random secret for this run (embedded default only)
 * @param demoData      demo accounts and appointments; on by default only in the embedded default
 * @param idle          a holder with no activity for this long is idle and may be handed over from
 * @param handoff       how long a request waits at the head of the queue before an idle holder hands over
 * @param offer         how long a lease that ended stays reserved for the first in line
 * @param idleRelease   how long an editor may stay idle before the page asks "Still editing?"
 * @param memoryHistory how much lock history the in-memory store keeps (unused with a database)
 * @param requestThreads the most threads serving HTTP requests and WebSocket frames at once
 */
public record Configuration(
        int port,
        Optional<Database> database,
        Optional<String> jwtSecret,
        Duration jwtTtl,
        Duration leaseTtl,
        Duration sweepInterval,
        List<String> corsOrigins,
        Optional<Admin> admin,
        boolean demoData,
        long requestsPerMinute,
        long lockAttemptsPerMinute,
        long signInsPerAccountPerMinute,
        long signInsPerAddressPerMinute,
        boolean metricsPublic,
        int webSocketConnectionsPerUser,
        Duration idle,
        Duration handoff,
        Duration offer,
        Duration idleRelease,
        HistoryRetention memoryHistory,
        int requestThreads) {

    public static final int MIN_JWT_SECRET_BYTES = 32;
    private static final Pattern DURATION = Pattern.compile("^(\\d{1,9})\\s*(ms|s|m|h|d)?$");
    /** Fair-access timings are whole seconds from 1 (tests shorten them) to a day. */
    private static final long MAX_FAIR_ACCESS_SECONDS = 86_400;
    private static final Pattern ORIGIN = Pattern.compile("^https?://[A-Za-z0-9.-]+(:\\d{1,5})?$");

    /** Beyond this the write path got no faster on two cores, and before transactions took three round trips, slower. */
    static final int MAX_DEFAULT_POOL_SIZE = 10;

    public record Database(String url, String user, String password, int poolSize) {
        @Override
        public String toString() {
            return "Database[url=" + url + ", user=" + user + ", poolSize=" + poolSize + "]";
        }
    }

    public record Admin(String email, String password) {
        @Override
        public String toString() {
            return "Admin[email=" + email + "]";
        }
    }

    public boolean embedded() {
        return database.isEmpty();
    }

    @Override
    public String toString() {
        return "Configuration[port=" + port + ", database=" + database + ", jwtTtl=" + jwtTtl + ", leaseTtl=" + leaseTtl
                + ", sweepInterval=" + sweepInterval + ", corsOrigins=" + corsOrigins + ", admin=" + admin
                + ", demoData=" + demoData + ", idle=" + idle + ", handoff=" + handoff + ", offer=" + offer
                + ", idleRelease=" + idleRelease + ", memoryHistory=" + memoryHistory + ", requestThreads=" + requestThreads
                + "]";
    }

    public static Configuration fromEnvironment(Map<String, String> env) {
        Reader read = new Reader(env);
        int port = (int) read.number("LOCK_PORT", 8088, 0, 65_535);
        Optional<Database> database = read.text("LOCK_DB_URL").map(url -> {
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new ConfigurationException("LOCK_DB_URL", "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db)");
            }
            String user = read.text("LOCK_DB_USER")
                    .orElseThrow(() -> new ConfigurationException("LOCK_DB_USER", "is required with LOCK_DB_URL"));
            return new Database(url, user, read.text("LOCK_DB_PASSWORD").orElse(""),
                    (int) read.number("LOCK_DB_POOL_SIZE", defaultPoolSize(Runtime.getRuntime().availableProcessors()),
                            1, 200));
        });
        if (database.isEmpty()) {
            for (String variable : List.of("LOCK_DB_USER", "LOCK_DB_PASSWORD", "LOCK_DB_POOL_SIZE")) {
                if (read.text(variable).isPresent()) {
                    throw new ConfigurationException(variable, "is set but LOCK_DB_URL is not");
                }
            }
        }
        Optional<String> secret = read.text("LOCK_JWT_SECRET");
        if (secret.isPresent() && secret.get().getBytes(StandardCharsets.UTF_8).length < MIN_JWT_SECRET_BYTES) {
            throw new ConfigurationException("LOCK_JWT_SECRET", "must have at least " + MIN_JWT_SECRET_BYTES + " characters");
        }
        if (secret.isEmpty() && database.isPresent()) {
            throw new ConfigurationException("LOCK_JWT_SECRET", "is required with LOCK_DB_URL (at least "
                    + MIN_JWT_SECRET_BYTES + " characters, the same on every node)");
        }
        Duration jwtTtl = read.duration("LOCK_JWT_TTL", Duration.ofHours(24), Duration.ofMinutes(1), Duration.ofDays(30));
        Duration leaseTtl = Duration.ofSeconds(read.number("LOCK_TTL_SECONDS", LeasePolicy.DEFAULT_TTL.toSeconds(),
                LeasePolicy.MIN_TTL.toSeconds(), LeasePolicy.MAX_TTL.toSeconds()));
        Duration sweep = Duration.ofSeconds(read.number("LOCK_SWEEP_INTERVAL_SECONDS", 60, 1, 86_400));
        List<String> origins = read.origins("LOCK_CORS_ORIGINS");
        Optional<String> adminEmail = read.text("LOCK_ADMIN_EMAIL");
        Optional<String> adminPassword = read.text("LOCK_ADMIN_PASSWORD");
        if (adminEmail.isPresent() != adminPassword.isPresent()) {
            throw new ConfigurationException(adminEmail.isPresent() ? "LOCK_ADMIN_PASSWORD" : "LOCK_ADMIN_EMAIL",
                    "must be set together with " + (adminEmail.isPresent() ? "LOCK_ADMIN_EMAIL" : "LOCK_ADMIN_PASSWORD"));
        }
        Optional<Admin> admin = adminEmail.map(email -> new Admin(email, adminPassword.get()));
        admin.ifPresent(Configuration::checkAdmin);
        boolean demo = read.flag("LOCK_DEMO_DATA", database.isEmpty());
        long requests = read.number("LOCK_RATE_LIMIT_PER_MINUTE", 1200, 1, 10_000_000);
        long lockAttempts = read.number("LOCK_LOCK_RATE_LIMIT_PER_MINUTE", 120, 1, 10_000_000);
        long signInsPerAccount = read.number("LOCK_SIGNIN_LIMIT_PER_ACCOUNT_PER_MINUTE", 5, 1, 10_000_000);
        long signInsPerAddress = read.number("LOCK_SIGNIN_LIMIT_PER_ADDRESS_PER_MINUTE", 20, 1, 10_000_000);
        boolean metricsPublic = read.flag("LOCK_METRICS_PUBLIC", true);
        int socketsPerUser = (int) read.number("LOCK_WS_MAX_CONNECTIONS_PER_USER",
                WebSocketSettings.DEFAULT_MAX_CONNECTIONS_PER_USER, 1, 10_000);
        Duration idle = read.seconds("LOCK_IDLE_SECONDS", 120, MAX_FAIR_ACCESS_SECONDS);
        Duration handoff = read.seconds("LOCK_HANDOFF_SECONDS", 30, MAX_FAIR_ACCESS_SECONDS);
        Duration offer = read.seconds("LOCK_OFFER_SECONDS", 30, MAX_FAIR_ACCESS_SECONDS);
        Duration idleRelease = read.seconds("LOCK_IDLE_RELEASE_SECONDS", 600, MAX_FAIR_ACCESS_SECONDS);
        HistoryRetention memoryHistory = new HistoryRetention(
                read.duration("LOCK_MEMORY_HISTORY_MAX_AGE", HistoryRetention.DEFAULT.maxAge(), Duration.ofMinutes(1),
                        Duration.ofDays(3650)),
                (int) read.number("LOCK_MEMORY_HISTORY_MAX_ENTRIES", HistoryRetention.DEFAULT.maxEntries(), 1, 10_000_000));
        int requestThreads = (int) read.number("LOCK_HTTP_THREADS",
                WebSettings.defaultRequestThreads(Runtime.getRuntime().availableProcessors()),
                WebSettings.MIN_REQUEST_THREADS, 10_000);
        if (database.isPresent()) {
            for (String variable : List.of("LOCK_MEMORY_HISTORY_MAX_AGE", "LOCK_MEMORY_HISTORY_MAX_ENTRIES")) {
                if (read.text(variable).isPresent()) {
                    throw new ConfigurationException(variable, "applies only to the in-memory store, but LOCK_DB_URL is set");
                }
            }
        }
        return new Configuration(port, database, secret, jwtTtl, leaseTtl, sweep, origins, admin, demo, requests,
                lockAttempts, signInsPerAccount, signInsPerAddress, metricsPublic, socketsPerUser, idle, handoff, offer,
                idleRelease, memoryHistory, requestThreads);
    }

    /**
     * The pool size when {@code LOCK_DB_POOL_SIZE} is unset: four connections per core plus two, at
     * most {@value #MAX_DEFAULT_POOL_SIZE}. A transaction holds its connection while its round trips
     * travel, so a core needs a few to stay busy (on two cores 5 connections were 10-25 % slower than
     * 10); past that they only queue inside PostgreSQL.
     */
    static int defaultPoolSize(int cores) {
        return Math.min(4 * Math.max(1, cores) + 2, MAX_DEFAULT_POOL_SIZE);
    }

    private static void checkAdmin(Admin admin) {
        if (!admin.email().contains("@")) {
            throw new ConfigurationException("LOCK_ADMIN_EMAIL", "must be an email address");
        }
        int length = admin.password().length();
        if (length < 8 || length > 72) {
            throw new ConfigurationException("LOCK_ADMIN_PASSWORD", "must have 8 to 72 characters");
        }
    }

    /** Reads one variable at a time; blank counts as unset. */
    private static final class Reader {
        private final Map<String, String> env;

        Reader(Map<String, String> env) {
            this.env = env;
        }

        Optional<String> text(String name) {
            String value = env.get(name);
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
        }

        long number(String name, long fallback, long min, long max) {
            Optional<String> value = text(name);
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                long number = Long.parseLong(value.get());
                if (number < min || number > max) {
                    throw new ConfigurationException(name, "must be between " + min + " and " + max + ", not " + number);
                }
                return number;
            } catch (NumberFormatException e) {
                throw new ConfigurationException(name, "must be a whole number, not '" + value.get() + "'");
            }
        }

        /** Whole seconds from 1 to {@code max}. */
        Duration seconds(String name, long fallback, long max) {
            return Duration.ofSeconds(number(name, fallback, 1, max));
        }

        /** {@code 24h}, {@code 30m}, {@code 3600s}, {@code 3600} (seconds), {@code 2d}, or ISO-8601 {@code PT24H}. */
        Duration duration(String name, Duration fallback, Duration min, Duration max) {
            Optional<String> value = text(name);
            if (value.isEmpty()) {
                return fallback;
            }
            Duration parsed = parseDuration(name, value.get());
            if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
                throw new ConfigurationException(name, "must be between " + min + " and " + max + ", not " + value.get());
            }
            return parsed;
        }

        private static Duration parseDuration(String name, String value) {
            Matcher matcher = DURATION.matcher(value.toLowerCase(Locale.ROOT));
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                String unit = matcher.group(2) == null ? "s" : matcher.group(2);
                switch (unit) {
                    case "ms":
                        return Duration.ofMillis(amount);
                    case "m":
                        return Duration.ofMinutes(amount);
                    case "h":
                        return Duration.ofHours(amount);
                    case "d":
                        return Duration.ofDays(amount);
                    default:
                        return Duration.ofSeconds(amount);
                }
            }
            try {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (java.time.format.DateTimeParseException e) {
                throw new ConfigurationException(name, "must be a duration such as 24h, 30m or 3600s, not '" + value + "'");
            }
        }

        boolean flag(String name, boolean fallback) {
            Optional<String> value = text(name);
            if (value.isEmpty()) {
                return fallback;
            }
            switch (value.get().toLowerCase(Locale.ROOT)) {
                case "true": case "yes": case "on": case "1":
                    return true;
                case "false": case "no": case "off": case "0":
                    return false;
                default:
                    throw new ConfigurationException(name, "must be true or false, not '" + value.get() + "'");
            }
        }

        List<String> origins(String name) {
            Optional<String> value = text(name);
            if (value.isEmpty()) {
                return List.of();
            }
            List<String> origins = new ArrayList<>();
            for (String part : value.get().split(",")) {
                String origin = part.strip();
                if (origin.isEmpty()) {
                    continue;
                }
                if (!origin.equals("*") && (!ORIGIN.matcher(origin).matches() || URI.create(origin).getHost() == null)) {
                    throw new ConfigurationException(name, "must list origins such as https://app.example.com, not '" + origin + "'");
                }
                origins.add(origin);
            }
            return List.copyOf(origins);
        }
    }
}
