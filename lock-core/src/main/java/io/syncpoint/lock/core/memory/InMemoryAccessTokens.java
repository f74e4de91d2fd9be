package io.syncpoint.lock.core.memory;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.port.out.AccessTokens;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Random opaque tokens remembered in memory until they expire: sessions for a program embedding the core. */
public final class InMemoryAccessTokens implements AccessTokens {
    private final Clock clock;
    private final Duration lifetime;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();

    public InMemoryAccessTokens(Clock clock, Duration lifetime) {
        this.clock = clock;
        this.lifetime = lifetime;
    }

    @Override
    public String issue(UserAccount user) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        grants.values().removeIf(grant -> !grant.expiresAt().isAfter(now));
        grants.put(token, new Grant(user.asActor(), now.plus(lifetime)));
        return token;
    }

    @Override
    public Optional<Actor> verify(String token) {
        Grant grant = token == null ? null : grants.get(token);
        if (grant == null || !grant.expiresAt().isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(grant.actor());
    }

    private record Grant(Actor actor, Instant expiresAt) {
    }
}
