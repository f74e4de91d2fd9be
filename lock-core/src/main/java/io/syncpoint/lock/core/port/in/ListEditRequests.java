package io.syncpoint.lock.core.port.in;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.Outcome;
import java.util.List;
import java.util.UUID;

/** The open edit requests of an appointment, in line: the first is position 1. Rejections: not_found. */
public interface ListEditRequests {
    Outcome<List<EditRequest>> openRequests(Actor actor, UUID appointmentId);
}
