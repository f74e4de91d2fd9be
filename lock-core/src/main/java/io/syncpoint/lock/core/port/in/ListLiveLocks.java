package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.Outcome;
import java.util.List;

/** Every live lease, for admins. */
public interface ListLiveLocks {
    Outcome<List<AppointmentLock>> liveLocks(Actor actor);
}
