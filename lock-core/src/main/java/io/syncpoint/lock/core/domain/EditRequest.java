package io.syncpoint.lock.core.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A locked-out user's request to edit an appointment. Open requests form the appointment's queue,
 * ordered by {@code ticket} (1 + the highest ticket the appointment has handed out). A request is
 * changed only by its behaviour methods, each of which refuses to touch a request that is no longer
 * open. {@code offeredUntil} is set exactly while the request is offered; {@code reason} is the
 * holder's answer when declined.
 */
public record EditRequest(
        UUID id,
        UUID appointmentId,
        LockHolder requester,
        String message,
        Instant createdAt,
        EditRequestState state,
        long ticket,
        Instant offeredUntil,
        Instant updatedAt,
        String reason) {

    public static final int MAX_MESSAGE_LENGTH = 500;

    public EditRequest {
        Check.present("id", id);
        Check.present("appointmentId", appointmentId);
        Check.present("requester", requester);
        message = Check.optionalText("message", message, MAX_MESSAGE_LENGTH);
        Check.present("createdAt", createdAt);
        Check.present("state", state);
        Check.positive("ticket", ticket);
        Check.present("updatedAt", updatedAt);
        reason = Check.optionalText("reason", reason, LockHistoryEntry.MAX_REASON_LENGTH);
        if ((state == EditRequestState.OFFERED) != (offeredUntil != null)) {
            throw new ValidationException("offeredUntil", "is given exactly while the request is offered");
        }
        if (updatedAt.isBefore(createdAt)) {
            throw new ValidationException("updatedAt", "must not be before createdAt");
        }
    }

    /** A new request waiting in line. */
    public static EditRequest pending(UUID id, UUID appointmentId, LockHolder requester, String message,
                                      Instant now, long ticket) {
        return new EditRequest(id, appointmentId, requester, message, now, EditRequestState.PENDING, ticket, null,
                now, null);
    }

    /** A request granted the moment it was made: the appointment was free and reserved for nobody. */
    public static EditRequest grantedAtOnce(UUID id, UUID appointmentId, LockHolder requester, String message,
                                            Instant now, long ticket) {
        return new EditRequest(id, appointmentId, requester, message, now, EditRequestState.GRANTED, ticket, null,
                now, null);
    }

    public UUID requesterId() {
        return requester.userId();
    }

    public boolean isOpen() {
        return state.isOpen();
    }

    public boolean isOffered() {
        return state == EditRequestState.OFFERED;
    }

    public boolean isBy(UUID userId) {
        return requester.userId().equals(userId);
    }

    /** An offer lapses at its {@code offeredUntil} instant. */
    public boolean hasLapsedAt(Instant now) {
        return isOffered() && !now.isBefore(offeredUntil);
    }

    public EditRequest offer(Instant now, Instant until) {
        requireState(EditRequestState.PENDING);
        if (!until.isAfter(now)) {
            throw new ValidationException("offeredUntil", "must be after the offer is made");
        }
        return moved(EditRequestState.OFFERED, until, now, null);
    }

    /** An offer withdrawn by an admin takeover: the request waits at its place in line again. */
    public EditRequest backInLine(Instant now) {
        requireState(EditRequestState.OFFERED);
        return moved(EditRequestState.PENDING, null, now, null);
    }

    public EditRequest grant(Instant now) {
        requireOpen();
        return moved(EditRequestState.GRANTED, null, now, null);
    }

    public EditRequest decline(Instant now, String declineReason) {
        requireOpen();
        return moved(EditRequestState.DECLINED, null, now, declineReason);
    }

    public EditRequest withdraw(Instant now) {
        requireOpen();
        return moved(EditRequestState.WITHDRAWN, null, now, null);
    }

    public EditRequest expire(Instant now) {
        requireOpen();
        return moved(EditRequestState.EXPIRED, null, now, null);
    }

    private EditRequest moved(EditRequestState next, Instant until, Instant now, String newReason) {
        Instant changedAt = now.isBefore(createdAt) ? createdAt : now;
        return new EditRequest(id, appointmentId, requester, message, createdAt, next, ticket, until, changedAt,
                newReason);
    }

    private void requireOpen() {
        if (!isOpen()) {
            throw new IllegalStateException("edit request " + id + " is " + state.wireName() + ", no longer open");
        }
    }

    private void requireState(EditRequestState expected) {
        if (state != expected) {
            throw new IllegalStateException("edit request " + id + " is " + state.wireName() + ", not "
                    + expected.wireName());
        }
    }
}
