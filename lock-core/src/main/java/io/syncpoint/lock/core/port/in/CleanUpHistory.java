package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Check;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.ValidationException;

/** An admin deletes history rows older than {@code daysToKeep} days. */
public interface CleanUpHistory {
    /** How many rows were deleted. */
    Outcome<Long> cleanUpHistory(Command command);

    record Command(Actor actor, int daysToKeep) {
        public static final int MAX_DAYS = 36_500;

        public Command {
            Check.present("actor", actor);
            if (daysToKeep < 0 || daysToKeep > MAX_DAYS) {
                throw new ValidationException("daysToKeep", "must be between 0 and " + MAX_DAYS);
            }
        }
    }
}
