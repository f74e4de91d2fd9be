package io.syncpoint.lock.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.syncpoint.lock.core.contract.ManualClock;
import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JwtAccessTokensTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private final ManualClock clock = ManualClock.startingNow();
    private final JwtAccessTokens tokens = new JwtAccessTokens(SECRET, Duration.ofMinutes(30), clock);
    private final UserAccount alice = new UserAccount(UUID.randomUUID(), "alice@example.com", "Alice", Role.ADMIN,
            "hash", clock.instant());

    @Test
    void aTokenNamesItsUserWithTheSpecClaims() {
        String token = tokens.issue(alice);
        DecodedJWT jwt = JWT.decode(token);
        assertThat(jwt.getAlgorithm()).isEqualTo("HS256");
        assertThat(jwt.getSubject()).isEqualTo(alice.id().toString());
        assertThat(jwt.getClaim("email").asString()).isEqualTo("alice@example.com");
        assertThat(jwt.getClaim("name").asString()).isEqualTo("Alice");
        assertThat(jwt.getClaim("role").asString()).isEqualTo("admin");
        assertThat(jwt.getIssuedAtAsInstant()).isEqualTo(clock.instant());
        assertThat(jwt.getExpiresAtAsInstant()).isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
        assertThat(tokens.verify(token)).contains(new Actor(alice.id(), "alice@example.com", "Alice", Role.ADMIN));
    }

    @Test
    void aTokenIsRefusedOnceItsLifetimeHasPassed() {
        String token = tokens.issue(alice);
        clock.advance(Duration.ofMinutes(29));
        assertThat(tokens.verify(token)).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(tokens.verify(token)).isEmpty();
    }

    @Test
    void tokensOfAnotherSecretOrWithoutSignatureAreRefused() {
        String foreign = new JwtAccessTokens("another secret of at least 32 bytes", Duration.ofMinutes(30), clock).issue(alice);
        assertThat(tokens.verify(foreign)).isEmpty();
        String[] parts = tokens.issue(alice).split("\\.");
        String unsigned = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes()) + "." + parts[1] + ".";
        assertThat(tokens.verify(unsigned)).isEmpty();
        assertThat(tokens.verify(parts[0] + "." + parts[1] + ".")).isEmpty();
        assertThat(tokens.verify("")).isEmpty();
        assertThat(tokens.verify(null)).isEmpty();
    }

    @Test
    void aFreshTokenIsAcceptedByANodeWhoseClockIsUpToTheLeewayBehind() {
        Instant now = Instant.parse("2026-11-28T12:00:00Z");
        String fresh = new JwtAccessTokens(SECRET, Duration.ofMinutes(30), new ManualClock(now)).issue(alice);
        Duration leeway = JwtAccessTokens.CLOCK_SKEW_LEEWAY;

        assertThat(nodeWithClockAt(now.minusSeconds(5)).verify(fresh)).as("5 s behind").isPresent();
        assertThat(nodeWithClockAt(now.minus(leeway).plusSeconds(1)).verify(fresh)).as("just within the leeway").isPresent();
        assertThat(nodeWithClockAt(now.minus(leeway).minusSeconds(1)).verify(fresh)).as("beyond the leeway").isEmpty();
    }

    @Test
    void aTokenNotValidBeforeALaterTimeIsRefusedUntilWithinTheLeeway() {
        String notYet = JWT.create().withIssuer("syncpoint").withSubject(alice.id().toString())
                .withClaim("email", alice.email()).withClaim("name", alice.name()).withClaim("role", "admin")
                .withIssuedAt(clock.instant()).withNotBefore(clock.instant().plus(Duration.ofMinutes(10)))
                .withExpiresAt(clock.instant().plus(Duration.ofMinutes(30)))
                .sign(com.auth0.jwt.algorithms.Algorithm.HMAC256(SECRET));

        assertThat(tokens.verify(notYet)).isEmpty();
        clock.advance(Duration.ofMinutes(10).minus(JwtAccessTokens.CLOCK_SKEW_LEEWAY));
        assertThat(tokens.verify(notYet)).isPresent();
    }

    @Test
    void aTokenAcceptedBeforeIsStillRefusedFromItsExpiryOn() {
        String token = tokens.issue(alice);
        assertThat(tokens.verify(token)).isPresent();
        assertThat(tokens.verify(token)).isPresent();

        clock.advance(Duration.ofMinutes(31));

        assertThat(tokens.verify(token)).isEmpty();
        assertThat(tokens.verify(token)).isEmpty();
    }

    @Test
    void aTamperedCopyOfAnAcceptedTokenIsRefused() {
        String token = tokens.issue(alice);
        assertThat(tokens.verify(token)).isPresent();
        String[] parts = token.split("\\.");
        String otherSignature = parts[2].charAt(0) == 'A' ? "B" + parts[2].substring(1) : "A" + parts[2].substring(1);

        assertThat(tokens.verify(parts[0] + "." + parts[1] + "." + otherSignature)).isEmpty();
        assertThat(tokens.verify(token + " ")).isEmpty();
    }

    @Test
    void expiryGetsNoLeeway() {
        String token = tokens.issue(alice);
        clock.advance(Duration.ofMinutes(30));
        assertThat(tokens.verify(token)).isEmpty();
    }

    private static JwtAccessTokens nodeWithClockAt(Instant now) {
        return new JwtAccessTokens(SECRET, Duration.ofMinutes(30), new ManualClock(now));
    }

    @Test
    void shortSecretsAreRejected() {
        assertThatThrownBy(() -> new JwtAccessTokens("too short", Duration.ofHours(1), clock))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
