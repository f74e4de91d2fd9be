package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.Check;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.domain.Outcome;
import java.util.UUID;

/**
 * The holder answers an open edit request. Accepting hands the lease over atomically: the holder's
 * lease ends ({@code released}) and the requester gets a new one with a new fencing token
 * ({@code acquired}). Declining closes the request; the holder keeps editing. Rejections: not_found
 * (appointment, or no such open request), no_lock, not_lock_owner.
 */
public interface AnswerEditRequest {
    /** The requester's new lease. */
    Outcome<AppointmentLock> accept(Command command);

    /** The declined request. */
    Outcome<EditRequest> decline(DeclineCommand command);

    record Command(Actor actor, UUID appointmentId, UUID requestId) {
        public Command {
            Check.present("actor", actor);
            Check.present("appointmentId", appointmentId);
            Check.present("requestId", requestId);
        }
    }

    record DeclineCommand(Actor actor, UUID appointmentId, UUID requestId, String reason) {
        public DeclineCommand {
            Check.present("actor", actor);
            Check.present("appointmentId", appointmentId);
            Check.present("requestId", requestId);
            reason = Check.optionalText("reason", reason, LockHistoryEntry.MAX_REASON_LENGTH);
        }
    }
}
