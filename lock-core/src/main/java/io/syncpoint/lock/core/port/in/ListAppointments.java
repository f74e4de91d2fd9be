package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Check;
import io.syncpoint.lock.core.domain.Page;
import io.syncpoint.lock.core.domain.PageRequest;
import io.syncpoint.lock.core.domain.ValidationException;
import java.time.Instant;

/** Appointments by start time, each with its live lease. */
public interface ListAppointments {
    Page<AppointmentView> list(Query query);

    record Query(Actor actor, Instant from, Instant to, PageRequest page) {
        public Query {
            Check.present("actor", actor);
            Check.present("page", page);
            if (from != null) {
                Check.storable("from", from);
            }
            if (to != null) {
                Check.storable("to", to);
            }
            if (from != null && to != null && !to.isAfter(from)) {
                throw new ValidationException("to", "must be after from");
            }
        }
    }
}
