package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.Check;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.domain.Outcome;
import java.util.UUID;

/**
 * An admin takes the lease in one transaction: the previous holder's lease is force-released by the
 * admin and a new lease is granted to the admin. On a free appointment this is a plain grant; on the
 * admin's own lease, a renewal. Rejections: forbidden, not_found.
 */
public interface TakeOverLock {
    /** The admin's lease. */
    Outcome<AppointmentLock> takeOver(Command command);

    record Command(Actor actor, UUID appointmentId, String reason) {
        public Command {
            Check.present("actor", actor);
            Check.present("appointmentId", appointmentId);
            reason = Check.optionalText("reason", reason, LockHistoryEntry.MAX_REASON_LENGTH);
        }
    }
}
