package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.UserAccount;

/** The caller's account as stored now. Rejection: not_found when it was deleted. */
public interface GetSession {
    Outcome<UserAccount> session(Actor actor);
}
