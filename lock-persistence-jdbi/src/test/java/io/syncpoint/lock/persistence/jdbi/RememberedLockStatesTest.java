package io.syncpoint.lock.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.FencingToken;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.domain.LockHolder;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which remembered states a node decides on, without a database. */
class RememberedLockStatesTest {
    private final RememberedLockStates states = new RememberedLockStates();
    private final UUID meeting = UUID.randomUUID();

    @Test
    void aStateIsDecidedOnOnlyOnceConfirmedWithNobodyInLine() {
        Instant now = Instant.now();
        states.storeClockRead(now);

        states.remember(meeting, state(1, false, true, Optional.empty(), now));
        assertThat(states.guess(meeting)).as("not yet confirmed").isEmpty();

        states.remember(meeting, state(2, true, false, Optional.empty(), now));
        assertThat(states.guess(meeting)).as("people wait in line").isEmpty();

        states.remember(meeting, state(3, true, true, Optional.empty(), now));
        assertThat(states.guess(meeting)).map(guess -> guess.state().number()).contains(3L);
    }

    @Test
    void anOlderStateArrivingLateDoesNotReplaceANewerOne() {
        Instant now = Instant.now();
        states.remember(meeting, state(5, true, true, Optional.empty(), now));
        states.remember(meeting, state(4, true, true, Optional.empty(), now));

        assertThat(states.number(meeting)).contains(5L);
    }

    @Test
    void aLeaseExpiringWithinTheDecisionWindowIsDecidedOnTheRows() {
        Instant now = Instant.now();
        states.storeClockRead(now);
        AppointmentLock expiringSoon = lease(now.minus(LeasePolicy.MIN_TTL).plusMillis(500));
        AppointmentLock live = lease(now);

        states.remember(meeting, state(1, true, true, Optional.of(expiringSoon), now));
        assertThat(states.guess(meeting)).isEmpty();

        states.remember(meeting, state(2, true, true, Optional.of(live), now));
        assertThat(states.guess(meeting)).isPresent();
    }

    @Test
    void theTimeDecidedAtNeverPrecedesTheLastTimeRecordedForTheAppointment() {
        Instant ahead = Instant.now().plus(Duration.ofMinutes(10));
        states.storeClockRead(Instant.now());
        states.remember(meeting, state(1, true, true, Optional.empty(), ahead));

        assertThat(states.guess(meeting).orElseThrow().at()).isAfter(ahead);
    }

    @Test
    void onlyTheFirstOfTransactionsUnderWayTogetherOnOneAppointmentMayDecideOnARememberedState() {
        assertThat(states.enter(meeting)).isTrue();
        assertThat(states.enter(meeting)).isFalse();
        states.leave(meeting);
        assertThat(states.enter(meeting)).as("one is still under way").isFalse();
        states.leave(meeting);
        states.leave(meeting);

        assertThat(states.enter(meeting)).as("none under way").isTrue();
        assertThat(states.enter(UUID.randomUUID())).as("another appointment").isTrue();
    }

    private static RememberedLockStates.State state(long number, boolean confirmed, boolean decidable,
                                                    Optional<AppointmentLock> lease, Instant now) {
        return new RememberedLockStates.State(number, confirmed, decidable, lease, 0, now,
                Optional.of(new FencingToken(7)));
    }

    private AppointmentLock lease(Instant grantedAt) {
        return AppointmentLock.grant(UUID.randomUUID(), meeting, new LockHolder(UUID.randomUUID(), "Alice",
                "alice@example.com", null), grantedAt, new LeasePolicy(LeasePolicy.MIN_TTL), new FencingToken(6));
    }
}
