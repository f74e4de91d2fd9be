package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Check;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import java.util.UUID;

/** An admin promotes or demotes a user. Rejections: forbidden, not_found. */
public interface ChangeRole {
    Outcome<UserAccount> changeRole(Command command);

    record Command(Actor actor, UUID userId, Role role) {
        public Command {
            Check.present("actor", actor);
            Check.present("userId", userId);
            Check.present("role", role);
        }
    }
}
