package io.syncpoint.lock.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncpoint.lock.core.memory.HistoryRetention;
import io.syncpoint.lock.web.WebSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigurationTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void withNothingSetItIsTheEmbeddedDefault() {
        Configuration config = Configuration.fromEnvironment(Map.of());
        assertThat(config.port()).isEqualTo(8088);
        assertThat(config.embedded()).isTrue();
        assertThat(config.jwtSecret()).isEmpty();
        assertThat(config.jwtTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(config.leaseTtl()).isEqualTo(Duration.ofSeconds(300));
        assertThat(config.sweepInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.corsOrigins()).isEmpty();
        assertThat(config.admin()).isEmpty();
        assertThat(config.demoData()).isTrue();
        assertThat(config.metricsPublic()).isTrue();
        assertThat(config.signInsPerAccountPerMinute()).isEqualTo(5);
        assertThat(config.signInsPerAddressPerMinute()).isEqualTo(20);
        assertThat(config.webSocketConnectionsPerUser()).isEqualTo(20);
        assertThat(config.idle()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.handoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.offer()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.idleRelease()).isEqualTo(Duration.ofSeconds(600));
        assertThat(config.memoryHistory()).isEqualTo(new HistoryRetention(Duration.ofDays(7), 50_000));
        assertThat(config.requestThreads())
                .isEqualTo(WebSettings.defaultRequestThreads(Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void readsEveryVariable() {
        Configuration config = Configuration.fromEnvironment(Map.ofEntries(
                Map.entry("LOCK_PORT", "9000"),
                Map.entry("LOCK_DB_URL", "jdbc:postgresql://db:5432/locks"),
                Map.entry("LOCK_DB_USER", "app"),
                Map.entry("LOCK_DB_PASSWORD", "secret"),
                Map.entry("LOCK_DB_POOL_SIZE", "20"),
                Map.entry("LOCK_JWT_SECRET", SECRET),
                Map.entry("LOCK_JWT_TTL", "30m"),
                Map.entry("LOCK_TTL_SECONDS", "120"),
                Map.entry("LOCK_SWEEP_INTERVAL_SECONDS", "15"),
                Map.entry("LOCK_CORS_ORIGINS", "https://app.example.com, http://localhost:5173"),
                Map.entry("LOCK_ADMIN_EMAIL", "root@example.com"),
                Map.entry("LOCK_ADMIN_PASSWORD", "root-password"),
                Map.entry("LOCK_DEMO_DATA", "true"),
                Map.entry("LOCK_RATE_LIMIT_PER_MINUTE", "100"),
                Map.entry("LOCK_LOCK_RATE_LIMIT_PER_MINUTE", "10"),
                Map.entry("LOCK_SIGNIN_LIMIT_PER_ACCOUNT_PER_MINUTE", "3"),
                Map.entry("LOCK_SIGNIN_LIMIT_PER_ADDRESS_PER_MINUTE", "12"),
                Map.entry("LOCK_METRICS_PUBLIC", "false"),
                Map.entry("LOCK_WS_MAX_CONNECTIONS_PER_USER", "5"),
                Map.entry("LOCK_IDLE_SECONDS", "90"),
                Map.entry("LOCK_HANDOFF_SECONDS", "15"),
                Map.entry("LOCK_OFFER_SECONDS", "45"),
                Map.entry("LOCK_IDLE_RELEASE_SECONDS", "900"),
                Map.entry("LOCK_HTTP_THREADS", "40")));
        assertThat(config.port()).isEqualTo(9000);
        assertThat(config.database()).contains(new Configuration.Database("jdbc:postgresql://db:5432/locks", "app", "secret", 20));
        assertThat(config.jwtSecret()).contains(SECRET);
        assertThat(config.jwtTtl()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.leaseTtl()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.sweepInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.corsOrigins()).containsExactly("https://app.example.com", "http://localhost:5173");
        assertThat(config.admin()).contains(new Configuration.Admin("root@example.com", "root-password"));
        assertThat(config.demoData()).isTrue();
        assertThat(config.requestsPerMinute()).isEqualTo(100);
        assertThat(config.lockAttemptsPerMinute()).isEqualTo(10);
        assertThat(config.signInsPerAccountPerMinute()).isEqualTo(3);
        assertThat(config.signInsPerAddressPerMinute()).isEqualTo(12);
        assertThat(config.metricsPublic()).isFalse();
        assertThat(config.webSocketConnectionsPerUser()).isEqualTo(5);
        assertThat(config.idle()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.handoff()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.offer()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.idleRelease()).isEqualTo(Duration.ofSeconds(900));
        assertThat(config.requestThreads()).isEqualTo(40);
        assertThat(config.toString()).doesNotContain("secret", "root-password", SECRET);
    }

    @Test
    void demoDataIsOffByDefaultWithADatabase() {
        Configuration config = Configuration.fromEnvironment(Map.of("LOCK_DB_URL", "jdbc:postgresql://db/locks",
                "LOCK_DB_USER", "app", "LOCK_JWT_SECRET", SECRET));
        assertThat(config.demoData()).isFalse();
        assertThat(config.database()).contains(new Configuration.Database("jdbc:postgresql://db/locks", "app", "",
                Configuration.defaultPoolSize(Runtime.getRuntime().availableProcessors())));
    }

    @Test
    void theDefaultPoolHasFourConnectionsPerCorePlusTwoAndAtMostTen() {
        assertThat(Configuration.defaultPoolSize(1)).isEqualTo(6);
        assertThat(Configuration.defaultPoolSize(2)).isEqualTo(10);
        assertThat(Configuration.defaultPoolSize(8)).isEqualTo(10);
        assertThat(Configuration.defaultPoolSize(64)).isEqualTo(10);
    }

    @Test
    void theDefaultRequestThreadsAreFourPerCoreAndAtLeastEight() {
        assertThat(WebSettings.defaultRequestThreads(1)).isEqualTo(8);
        assertThat(WebSettings.defaultRequestThreads(2)).isEqualTo(8);
        assertThat(WebSettings.defaultRequestThreads(4)).isEqualTo(16);
        assertThat(WebSettings.defaultRequestThreads(16)).isEqualTo(64);
    }

    @Test
    void theInMemoryHistoryRetentionIsReadByAgeAndCount() {
        Configuration config = Configuration.fromEnvironment(Map.of("LOCK_MEMORY_HISTORY_MAX_AGE", "36h",
                "LOCK_MEMORY_HISTORY_MAX_ENTRIES", "1000"));
        assertThat(config.memoryHistory()).isEqualTo(new HistoryRetention(Duration.ofHours(36), 1000));
    }

    @Test
    void tokenLifetimesAcceptTheUsualForms() {
        assertThat(ttl("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(ttl("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(ttl("3600s")).isEqualTo(Duration.ofHours(1));
        assertThat(ttl("3600")).isEqualTo(Duration.ofHours(1));
        assertThat(ttl("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(ttl("PT12H")).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void aBadValueNamesItsVariable() {
        assertRefused(Map.of("LOCK_PORT", "http"), "LOCK_PORT");
        assertRefused(Map.of("LOCK_PORT", "70000"), "LOCK_PORT");
        assertRefused(Map.of("LOCK_DB_URL", "mysql://db"), "LOCK_DB_URL");
        assertRefused(Map.of("LOCK_DB_URL", "jdbc:postgresql://db/locks"), "LOCK_DB_USER");
        assertRefused(Map.of("LOCK_DB_URL", "jdbc:postgresql://db/locks", "LOCK_DB_USER", "app"), "LOCK_JWT_SECRET");
        assertRefused(Map.of("LOCK_JWT_SECRET", "short"), "LOCK_JWT_SECRET");
        assertRefused(Map.of("LOCK_DB_URL", "jdbc:postgresql://db/locks", "LOCK_DB_USER", "app",
                "LOCK_JWT_SECRET", SECRET, "LOCK_DB_POOL_SIZE", "0"), "LOCK_DB_POOL_SIZE");
        assertRefused(Map.of("LOCK_DB_USER", "app"), "LOCK_DB_USER");
        assertRefused(Map.of("LOCK_HTTP_THREADS", "5"), "LOCK_HTTP_THREADS");
        assertRefused(Map.of("LOCK_JWT_TTL", "forever"), "LOCK_JWT_TTL");
        assertRefused(Map.of("LOCK_JWT_TTL", "0s"), "LOCK_JWT_TTL");
        assertRefused(Map.of("LOCK_TTL_SECONDS", "0"), "LOCK_TTL_SECONDS");
        assertRefused(Map.of("LOCK_TTL_SECONDS", "4"), "LOCK_TTL_SECONDS");
        assertRefused(Map.of("LOCK_TTL_SECONDS", "5m"), "LOCK_TTL_SECONDS");
        assertRefused(Map.of("LOCK_SWEEP_INTERVAL_SECONDS", "-1"), "LOCK_SWEEP_INTERVAL_SECONDS");
        assertRefused(Map.of("LOCK_CORS_ORIGINS", "app.example.com"), "LOCK_CORS_ORIGINS");
        assertRefused(Map.of("LOCK_ADMIN_EMAIL", "root@example.com"), "LOCK_ADMIN_PASSWORD");
        assertRefused(Map.of("LOCK_ADMIN_PASSWORD", "root-password"), "LOCK_ADMIN_EMAIL");
        assertRefused(Map.of("LOCK_ADMIN_EMAIL", "root@example.com", "LOCK_ADMIN_PASSWORD", "short"), "LOCK_ADMIN_PASSWORD");
        assertRefused(Map.of("LOCK_DEMO_DATA", "maybe"), "LOCK_DEMO_DATA");
        assertRefused(Map.of("LOCK_RATE_LIMIT_PER_MINUTE", "0"), "LOCK_RATE_LIMIT_PER_MINUTE");
        assertRefused(Map.of("LOCK_SIGNIN_LIMIT_PER_ACCOUNT_PER_MINUTE", "0"), "LOCK_SIGNIN_LIMIT_PER_ACCOUNT_PER_MINUTE");
        assertRefused(Map.of("LOCK_SIGNIN_LIMIT_PER_ADDRESS_PER_MINUTE", "x"), "LOCK_SIGNIN_LIMIT_PER_ADDRESS_PER_MINUTE");
        assertRefused(Map.of("LOCK_WS_MAX_CONNECTIONS_PER_USER", "0"), "LOCK_WS_MAX_CONNECTIONS_PER_USER");
        assertRefused(Map.of("LOCK_MEMORY_HISTORY_MAX_AGE", "30s"), "LOCK_MEMORY_HISTORY_MAX_AGE");
        assertRefused(Map.of("LOCK_MEMORY_HISTORY_MAX_AGE", "a week"), "LOCK_MEMORY_HISTORY_MAX_AGE");
        assertRefused(Map.of("LOCK_MEMORY_HISTORY_MAX_ENTRIES", "0"), "LOCK_MEMORY_HISTORY_MAX_ENTRIES");
        assertRefused(Map.of("LOCK_MEMORY_HISTORY_MAX_ENTRIES", "20000000"), "LOCK_MEMORY_HISTORY_MAX_ENTRIES");
        assertRefused(Map.of("LOCK_DB_URL", "jdbc:postgresql://db/locks", "LOCK_DB_USER", "app",
                "LOCK_JWT_SECRET", SECRET, "LOCK_MEMORY_HISTORY_MAX_ENTRIES", "1000"), "LOCK_MEMORY_HISTORY_MAX_ENTRIES");
    }

    @Test
    void fairAccessTimingsGoDownToOneSecondForTests() {
        Configuration config = Configuration.fromEnvironment(Map.of("LOCK_IDLE_SECONDS", "1", "LOCK_HANDOFF_SECONDS", "1",
                "LOCK_OFFER_SECONDS", "1", "LOCK_IDLE_RELEASE_SECONDS", "1"));
        assertThat(List.of(config.idle(), config.handoff(), config.offer(), config.idleRelease()))
                .containsOnly(Duration.ofSeconds(1));
    }

    @Test
    void aBadFairAccessTimingNamesItsVariable() {
        for (String variable : List.of("LOCK_IDLE_SECONDS", "LOCK_HANDOFF_SECONDS", "LOCK_OFFER_SECONDS",
                "LOCK_IDLE_RELEASE_SECONDS")) {
            assertRefused(Map.of(variable, "0"), variable);
            assertRefused(Map.of(variable, "-5"), variable);
            assertRefused(Map.of(variable, "2m"), variable);
            assertRefused(Map.of(variable, "86401"), variable);
            assertRefused(Map.of(variable, "soon"), variable);
        }
    }

    @Test
    void blankValuesCountAsUnset() {
        Configuration config = Configuration.fromEnvironment(Map.of("LOCK_PORT", " ", "LOCK_CORS_ORIGINS", ""));
        assertThat(config.port()).isEqualTo(8088);
        assertThat(config.corsOrigins()).isEqualTo(List.of());
    }

    private static Duration ttl(String value) {
        return Configuration.fromEnvironment(Map.of("LOCK_JWT_TTL", value)).jwtTtl();
    }

    private static void assertRefused(Map<String, String> env, String variable) {
        assertThatThrownBy(() -> Configuration.fromEnvironment(env))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.variable()).isEqualTo(variable);
                    assertThat(e.getMessage()).startsWith(variable + " ").doesNotContain("\n");
                });
    }
}
