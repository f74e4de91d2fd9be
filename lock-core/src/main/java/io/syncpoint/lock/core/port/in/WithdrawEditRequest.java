package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Check;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.Outcome;
import java.util.UUID;

/**
 * The requester gives up their open request; those behind move up. Withdrawing an offered request
 * passes the offer on. Rejections: not_found (appointment, or no such open request), forbidden
 * (someone else's request).
 */
public interface WithdrawEditRequest {
    /** The withdrawn request. */
    Outcome<EditRequest> withdraw(Command command);

    record Command(Actor actor, UUID appointmentId, UUID requestId) {
        public Command {
            Check.present("actor", actor);
            Check.present("appointmentId", appointmentId);
            Check.present("requestId", requestId);
        }
    }
}
