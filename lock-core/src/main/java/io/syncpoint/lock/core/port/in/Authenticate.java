package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import java.util.Optional;

/**
 * Names the caller behind a bearer token as their account is now: the token proves who signed in,
 * the stored account says what they are (role, name, email). A token of an account that no longer
 * exists names nobody. A change made on any node shows within a few seconds.
 */
public interface Authenticate {
    Optional<Actor> authenticate(String bearerToken);
}
