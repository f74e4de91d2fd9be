package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.Check;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.Outcome;
import java.util.Optional;
import java.util.UUID;

/**
 * A user who does not hold the lease asks to edit. They join the line (one open request per user:
 * asking again returns it); on a free appointment reserved for nobody, or reserved for them, the lease
 * is theirs at once. Rejections: not_found, forbidden (the caller holds the lease), queue_full.
 */
public interface AskToEdit {
    Outcome<Answer> ask(Command command);

    record Command(Actor actor, UUID appointmentId, String message) {
        public Command {
            Check.present("actor", actor);
            Check.present("appointmentId", appointmentId);
            message = Check.optionalText("message", message, EditRequest.MAX_MESSAGE_LENGTH);
        }
    }

    /**
     * The caller's request; {@code lock} is their new lease when it was granted at once; {@code created}
     * is false when their open request is returned again. {@code position} is its place in line, 0 when
     * it is no longer open.
     */
    record Answer(EditRequest request, Optional<AppointmentLock> lock, boolean created, int position) {
        public Answer {
            Check.present("request", request);
            Check.present("lock", lock);
        }
    }
}
