package io.syncpoint.lock.core.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The open edit requests of one appointment, in line (ticket order), and the highest ticket the
 * appointment has handed out so far ({@code lastTicket}, counting closed requests too). Positions
 * are not stored: the head is 1, the next 2, and so on.
 */
public record EditQueue(List<EditRequest> open, long lastTicket) {

    private static final EditQueue EMPTY = new EditQueue(List.of(), 0);

    public EditQueue {
        Check.present("open", open);
        open = open.isEmpty() ? List.of() : inLine(open);
        if (lastTicket < 0) {
            throw new ValidationException("lastTicket", "must not be negative");
        }
        for (EditRequest request : open) {
            if (!request.isOpen()) {
                throw new IllegalArgumentException("edit request " + request.id() + " in the queue is not open");
            }
            if (request.ticket() > lastTicket) {
                throw new IllegalArgumentException("edit request " + request.id() + " has a ticket above the last one");
            }
        }
    }

    public static EditQueue empty() {
        return EMPTY;
    }

    private static List<EditRequest> inLine(List<EditRequest> open) {
        List<EditRequest> inLine = new ArrayList<>(open);
        inLine.sort(Comparator.comparingLong(EditRequest::ticket));
        return List.copyOf(inLine);
    }

    public boolean isEmpty() {
        return open.isEmpty();
    }

    public int size() {
        return open.size();
    }

    /** The ticket the next request gets: after every ticket handed out so far. */
    public long nextTicket() {
        return lastTicket + 1;
    }

    /** 1 for the head of the line; 0 for a request that is not in the queue. */
    public int positionOf(UUID requestId) {
        for (int i = 0; i < open.size(); i++) {
            if (open.get(i).id().equals(requestId)) {
                return i + 1;
            }
        }
        return 0;
    }

    public Optional<EditRequest> head() {
        return open.isEmpty() ? Optional.empty() : Optional.of(open.get(0));
    }

    /** The request holding the reservation, if the lease is offered right now. */
    public Optional<EditRequest> offered() {
        for (EditRequest request : open) {
            if (request.isOffered()) {
                return Optional.of(request);
            }
        }
        return Optional.empty();
    }

    /** The open request of this user: there is at most one. */
    public Optional<EditRequest> of(UUID userId) {
        return open.stream().filter(request -> request.isBy(userId)).findFirst();
    }

    public Optional<EditRequest> find(UUID requestId) {
        return open.stream().filter(request -> request.id().equals(requestId)).findFirst();
    }

    /** The open requests behind {@code requestId}, in line: their positions move up when it leaves. */
    public List<EditRequest> behind(UUID requestId) {
        int position = positionOf(requestId);
        return position == 0 ? List.of() : open.subList(position, open.size());
    }

    /**
     * When the idle holder of {@code lease} hands over to the head of the line on their own: once the
     * head has waited {@code handoff} and the holder has been idle for {@code idle}, whichever is later.
     */
    public Optional<Instant> idleHandoffAt(AppointmentLock lease, FairAccessPolicy policy) {
        return head().filter(head -> !head.isOffered())
                .map(head -> latest(head.createdAt().plus(policy.handoff()), lease.lastActiveAt().plus(policy.idle())));
    }

    /**
     * The next instant a timed step of this appointment falls due, given its live lease ({@code null}
     * when free); empty when nothing is waiting. With a lease: its idle handoff or its expiry, whichever
     * comes first. Without: the standing offer's end, or at once when the head has not been offered yet.
     */
    public Optional<Instant> nextStepAt(AppointmentLock liveLease, FairAccessPolicy policy) {
        if (open.isEmpty()) {
            return Optional.empty();
        }
        Optional<EditRequest> offer = offered();
        if (offer.isPresent()) {
            return Optional.of(offer.get().offeredUntil());
        }
        if (liveLease == null) {
            return Optional.of(open.get(0).updatedAt());
        }
        Instant handoff = idleHandoffAt(liveLease, policy).orElseThrow();
        return Optional.of(handoff.isBefore(liveLease.expiresAt()) ? handoff : liveLease.expiresAt());
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
