package io.syncpoint.lock.core.port.out;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.UserAccount;
import java.util.Optional;

/** Issues and checks the bearer tokens that carry identity (a JWT in the server). */
public interface AccessTokens {
    String issue(UserAccount user);

    /** The actor a valid, unexpired token names; empty for anything else. */
    Optional<Actor> verify(String token);
}
