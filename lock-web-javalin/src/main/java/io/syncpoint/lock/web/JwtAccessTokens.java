package io.syncpoint.lock.web;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.port.out.AccessTokens;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens as HS256 JWTs with claims {@code sub}, {@code email}, {@code name}, {@code role},
 * {@code iat} and {@code exp}. The verifier accepts HS256 only, so unsigned ({@code alg: none}) or
 * re-signed tokens are refused; any change to a claim breaks the signature. Nodes' clocks may differ:
 * {@code iat} and {@code nbf} may lie up to {@link #CLOCK_SKEW_LEEWAY} in this node's future; expiry
 * gets no leeway.
 *
 * <p>Verified tokens are remembered until their expiry, so a client's every request costs a map
 * look-up instead of decoding, a signature check and the claim checks. Only a token that passed
 * every check is remembered, and a remembered token is still refused from its expiry on: the
 * checks other than expiry cannot turn false as time goes on.
 */
public final class JwtAccessTokens implements AccessTokens {
    public static final int MIN_SECRET_LENGTH = 32;
    public static final Duration CLOCK_SKEW_LEEWAY = Duration.ofSeconds(60);
    private static final String ISSUER = "syncpoint";
    /** Tokens remembered at most; when full, the memory starts over (a token is then verified once more). */
    static final int MAX_REMEMBERED = 10_000;

    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final Duration lifetime;
    private final Clock clock;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(Actor actor, Instant expiresAt) {
    }

    public JwtAccessTokens(String secret, Duration lifetime, Clock clock) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("the JWT secret must have at least " + MIN_SECRET_LENGTH + " bytes");
        }
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("the token lifetime must be positive");
        }
        this.algorithm = Algorithm.HMAC256(secret);
        this.verifier = ((JWTVerifier.BaseVerification) JWT.require(algorithm)
                .withIssuer(ISSUER)
                .withClaimPresence("sub")
                .withClaimPresence("email")
                .withClaimPresence("name")
                .withClaimPresence("role")
                .withClaimPresence("exp")
                .acceptLeeway(0)
                .acceptIssuedAt(CLOCK_SKEW_LEEWAY.toSeconds())
                .acceptNotBefore(CLOCK_SKEW_LEEWAY.toSeconds()))
                .build(clock);
        this.lifetime = lifetime;
        this.clock = clock;
    }

    @Override
    public String issue(UserAccount user) {
        Instant now = clock.instant();
        return JWT.create()
                .withIssuer(ISSUER)
                .withSubject(user.id().toString())
                .withClaim("email", user.email())
                .withClaim("name", user.name())
                .withClaim("role", user.role().wireName())
                .withIssuedAt(now)
                .withExpiresAt(now.plus(lifetime))
                .sign(algorithm);
    }

    @Override
    public Optional<Actor> verify(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        Verified known = verified.get(token);
        if (known != null) {
            if (clock.instant().isBefore(known.expiresAt())) {
                return Optional.of(known.actor());
            }
            verified.remove(token);
            return Optional.empty();
        }
        try {
            DecodedJWT jwt = verifier.verify(token);
            Actor actor = new Actor(UUID.fromString(jwt.getSubject()), jwt.getClaim("email").asString(),
                    jwt.getClaim("name").asString(), Role.fromWireName("role", jwt.getClaim("role").asString()));
            remember(token, new Verified(actor, jwt.getExpiresAtAsInstant()));
            return Optional.of(actor);
        } catch (JWTVerificationException | IllegalArgumentException refused) {
            return Optional.empty();
        }
    }

    private void remember(String token, Verified verification) {
        if (verified.size() >= MAX_REMEMBERED) {
            verified.clear();
        }
        verified.put(token, verification);
    }
}
