package io.syncpoint.lock.persistence.jdbi;

import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.FencingToken;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock state each appointment had after this node's last transaction on it, with the state's
 * number ({@code appointments.lock_state}, raised by every lock transaction on every node), so that the
 * next transaction on it can be decided without reading it first. A remembered state is only ever a
 * guess: the transaction decided on it opens with a check that the number is still the remembered one
 * ({@code take_remembered_lock_state}, V8) and is decided again on the locked rows when it is not.
 *
 * <p>A state is offered for deciding on ({@link #decidable}) only when deciding on it cannot differ
 * from deciding on the rows:
 * <ul>
 *   <li>nobody waits in line and no timed step is due, so the only instant the lock rules compare the
 *       clock with is the lease's expiry;</li>
 *   <li>the node's last transaction on the appointment found the number it remembered, so an
 *       appointment other nodes also write is decided on its rows without a failed guess each time;</li>
 *   <li>the lease does not expire within {@link #DECISION_WINDOW} of the time decided at, and the check
 *       refuses a store clock outside that window: the decision holds at whatever time in it the check
 *       runs;</li>
 *   <li>no other transaction on the appointment is under way on this node ({@link #enter}): requests
 *       that arrive together on one appointment would all decide on the same state, and all but the
 *       first would find it moved on, after waiting for the row.</li>
 * </ul>
 *
 * <p>The time decided at is the node's estimate of the store's clock, taken from the last answer that
 * carried the store's clock, never earlier than the remembered state's own time, so that times
 * recorded on one appointment never go backwards.
 */
final class RememberedLockStates {
    /** How far the store's clock may be past the time a decision was made at when its writes arrive. */
    static final Duration DECISION_WINDOW = Duration.ofSeconds(1);

    /** Past this many appointments, the node forgets them all and starts again. */
    static final int CAPACITY = 10_000;

    /**
     * What the node wrote last on one appointment.
     *
     * @param number    the appointment's lock state number after that transaction
     * @param confirmed whether that transaction found the number the node remembered before it
     * @param decidable whether nobody waits in line and no timed step is due
     * @param now       the store's time of that transaction
     * @param nextToken a fencing token taken ahead for the next lease, if any
     */
    record State(long number, boolean confirmed, boolean decidable, Optional<AppointmentLock> lease, long lastTicket,
                 Instant now, Optional<FencingToken> nextToken) {
    }

    private final Map<UUID, State> states = new ConcurrentHashMap<>();
    private final Map<UUID, Integer> underWay = new ConcurrentHashMap<>();
    private volatile long storeClockAheadNanos;

    /**
     * Counts a transaction on the appointment as under way on this node until {@link #leave}; answers
     * whether it is the only one.
     */
    boolean enter(UUID appointmentId) {
        return underWay.merge(appointmentId, 1, Integer::sum) == 1;
    }

    /** The end of a transaction counted by {@link #enter}. */
    void leave(UUID appointmentId) {
        underWay.computeIfPresent(appointmentId, (id, count) -> count == 1 ? null : count - 1);
    }

    /** A remembered state to decide on, and the store's time to decide at. */
    record Guess(State state, Instant at) {
        /** The latest store time the check accepts for a decision made at {@link #at}. */
        Instant latest() {
            return at.plus(DECISION_WINDOW);
        }
    }

    /** The state to decide the appointment's next transaction on; empty where it must be read from the rows. */
    Optional<Guess> guess(UUID appointmentId) {
        State state = states.get(appointmentId);
        if (state == null || !state.confirmed() || !state.decidable()) {
            return Optional.empty();
        }
        Guess guess = new Guess(state, estimatedStoreTime(state.now()));
        boolean expiresWithinWindow = state.lease()
                .map(AppointmentLock::expiresAt)
                .filter(expiry -> expiry.isAfter(guess.at()) && !expiry.isAfter(guess.latest()))
                .isPresent();
        return expiresWithinWindow ? Optional.empty() : Optional.of(guess);
    }

    /**
     * The node's estimate of the store's clock: the local clock plus how far the store's clock was ahead at the
     * last reading, which is never more than it truly was (the reading was taken before the answer
     * arrived). Not earlier than {@code after} plus a microsecond.
     */
    private Instant estimatedStoreTime(Instant after) {
        Instant estimate = Instant.now().plusNanos(storeClockAheadNanos).truncatedTo(ChronoUnit.MICROS);
        Instant earliest = after.plus(1, ChronoUnit.MICROS);
        return estimate.isBefore(earliest) ? earliest : estimate;
    }

    /** A reading of the store's clock that has just arrived. */
    void storeClockRead(Instant storeTime) {
        storeClockAheadNanos = Duration.between(Instant.now(), storeTime).toNanos();
    }

    /** What a committed transaction left; kept unless the node already knows a later state. */
    void remember(UUID appointmentId, State state) {
        if (states.size() >= CAPACITY && !states.containsKey(appointmentId)) {
            states.clear();
        }
        states.merge(appointmentId, state, (known, next) -> next.number() >= known.number() ? next : known);
    }

    /** The number the node remembers for the appointment, or empty. */
    Optional<Long> number(UUID appointmentId) {
        return Optional.ofNullable(states.get(appointmentId)).map(State::number);
    }

    /** Forgets the appointment: it is gone, or another node changed it since. */
    void forget(UUID appointmentId) {
        states.remove(appointmentId);
    }
}
