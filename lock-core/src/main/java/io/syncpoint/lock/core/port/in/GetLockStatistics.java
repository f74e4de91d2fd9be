package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.LockStatistics;
import io.syncpoint.lock.core.domain.Outcome;
import java.util.UUID;

public interface GetLockStatistics {
    Outcome<LockStatistics> statistics(Actor actor, UUID appointmentId);
}
