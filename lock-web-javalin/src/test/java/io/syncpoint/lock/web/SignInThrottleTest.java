package io.syncpoint.lock.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Password guessing: sign-in attempts are limited per account and per client address, before any password is checked. */
class SignInThrottleTest {
    private static final int PER_ACCOUNT = 3;
    private static final int PER_ADDRESS = 6;

    private InMemoryBackend backend;
    private WebServer server;
    private ApiClient api;

    @BeforeEach
    void start() {
        backend = new InMemoryBackend();
        server = new WebServer(backend.dependencies(WebSettings.defaults(0)
                .withRateLimits(new WebSettings.RateLimits(1_000, 1_000, PER_ACCOUNT, PER_ADDRESS))));
        api = new ApiClient(server.start());
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void guessesBeyondTheAccountsAllowanceGet429WithRetryAfterAndCostNoPasswordCheck() {
        String victim = signUp("correct horse");
        for (int i = 0; i < PER_ACCOUNT; i++) {
            HttpApiContract.assertProblem(signIn(i % 2 == 0 ? victim : victim.toUpperCase(), "guess " + i), 401,
                    "invalid_credentials");
        }
        long checks = backend.passwordChecks();

        ApiClient.Response limited = signIn(victim.toUpperCase(), "guess again");
        HttpApiContract.assertProblem(limited, 429, "rate_limited");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        HttpApiContract.assertProblem(signIn(victim, "correct horse"), 429, "rate_limited");
        assertThat(backend.passwordChecks()).as("no password was checked once throttled").isEqualTo(checks);

        assertThat(signIn(signUp("another one"), "another one").status()).as("other accounts are not held up")
                .isEqualTo(200);
    }

    @Test
    void oneAddressGuessingAcrossManyAccountsIsThrottled() {
        for (int i = 0; i < PER_ADDRESS; i++) {
            HttpApiContract.assertProblem(signIn("nobody-" + UUID.randomUUID() + "@example.com", "guess"), 401,
                    "invalid_credentials");
        }
        long checks = backend.passwordChecks();

        ApiClient.Response limited = signIn("nobody-" + UUID.randomUUID() + "@example.com", "guess");

        HttpApiContract.assertProblem(limited, 429, "rate_limited");
        assertThat(limited.header("Retry-After")).isNotBlank();
        assertThat(backend.passwordChecks()).isEqualTo(checks);
    }

    @Test
    void correctPasswordsDoNotUseUpTheAllowance() {
        String email = signUp("correct horse");
        for (int i = 0; i < PER_ADDRESS * 2; i++) {
            assertThat(signIn(email, "correct horse").status()).isEqualTo(200);
        }
    }

    private String signUp(String password) {
        String email = "u-" + UUID.randomUUID() + "@example.com";
        ApiClient.Response response = api.post("/api/v1/auth/signup", null, Map.of("email", email, "name", "U",
                "password", password));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return email;
    }

    private ApiClient.Response signIn(String email, String password) {
        return api.post("/api/v1/auth/signin", null, Map.of("email", email, "password", password));
    }
}
