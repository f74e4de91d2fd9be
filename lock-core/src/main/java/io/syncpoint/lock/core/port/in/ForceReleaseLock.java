package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.Check;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.domain.Outcome;
import java.util.UUID;

/** An admin ends anyone's lease, with an optional reason. Rejections: forbidden, no_lock, not_found. */
public interface ForceReleaseLock {
    /** The ended lease. */
    Outcome<AppointmentLock> forceRelease(Command command);

    record Command(Actor actor, UUID appointmentId, String reason) {
        public Command {
            Check.present("actor", actor);
            Check.present("appointmentId", appointmentId);
            reason = Check.optionalText("reason", reason, LockHistoryEntry.MAX_REASON_LENGTH);
        }
    }
}
