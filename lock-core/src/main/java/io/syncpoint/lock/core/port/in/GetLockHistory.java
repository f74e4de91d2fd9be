package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.Page;
import io.syncpoint.lock.core.domain.PageRequest;
import java.util.UUID;

/** History pages, newest first. A user's own history is visible to them and to admins. */
public interface GetLockHistory {
    Outcome<Page<LockHistoryEntry>> historyOfAppointment(Actor actor, UUID appointmentId, PageRequest page);

    Outcome<Page<LockHistoryEntry>> historyOfUser(Actor actor, UUID userId, PageRequest page);
}
