package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.UserAccount;

/** A signed-in user and the bearer token that proves it. */
public record Session(String token, UserAccount user) {
}
