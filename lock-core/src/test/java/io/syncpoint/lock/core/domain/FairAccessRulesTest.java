package io.syncpoint.lock.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FairAccessRulesTest {
    private static final Instant NOON = Instant.parse("2026-02-02T12:00:00Z");
    private static final FairAccessPolicy POLICY = FairAccessPolicy.defaults();
    private static final UUID APPOINTMENT = UUID.randomUUID();
    private final LockHolder alice = new LockHolder(UUID.randomUUID(), "Alice", "alice@example.com", null);
    private final LockHolder bob = new LockHolder(UUID.randomUUID(), "Bob", "bob@example.com", null);
    private final LockHolder carol = new LockHolder(UUID.randomUUID(), "Carol", "carol@example.com", null);

    private AppointmentLock alicesLease() {
        return AppointmentLock.grant(UUID.randomUUID(), APPOINTMENT, alice, NOON, LeasePolicy.ofSeconds(300),
                new FencingToken(3));
    }

    private static EditRequest pending(LockHolder requester, Instant at, long ticket) {
        return EditRequest.pending(UUID.randomUUID(), APPOINTMENT, requester, null, at, ticket);
    }

    @Test
    void onlyAnActiveRenewalMovesTheLastActivity() {
        AppointmentLock lease = alicesLease();

        AppointmentLock quiet = lease.renew(NOON.plusSeconds(60), LeasePolicy.ofSeconds(300), null, false);
        AppointmentLock busy = quiet.renew(NOON.plusSeconds(90), LeasePolicy.ofSeconds(300), null, true);

        assertThat(lease.lastActiveAt()).isEqualTo(NOON);
        assertThat(quiet.lastActiveAt()).isEqualTo(NOON);
        assertThat(quiet.isIdleAt(NOON.plusSeconds(120), POLICY.idle())).isTrue();
        assertThat(quiet.isIdleAt(NOON.plusSeconds(119), POLICY.idle())).isFalse();
        assertThat(busy.lastActiveAt()).isEqualTo(NOON.plusSeconds(90));
        assertThat(busy.isIdleAt(NOON.plusSeconds(200), POLICY.idle())).isFalse();
    }

    @Test
    void positionsFollowTheTicketsWhateverOrderTheRequestsComeIn() {
        EditRequest first = pending(bob, NOON, 4);
        EditRequest second = pending(carol, NOON.plusSeconds(1), 7);

        EditQueue queue = new EditQueue(List.of(second, first), 9);

        assertThat(queue.open()).containsExactly(first, second);
        assertThat(queue.positionOf(first.id())).isEqualTo(1);
        assertThat(queue.positionOf(second.id())).isEqualTo(2);
        assertThat(queue.positionOf(UUID.randomUUID())).isZero();
        assertThat(queue.head()).contains(first);
        assertThat(queue.of(carol.userId())).contains(second);
        assertThat(queue.behind(first.id())).containsExactly(second);
        assertThat(queue.nextTicket()).isEqualTo(10);
    }

    @Test
    void theIdleHandoffFallsDueWhenTheHeadHasWaitedAndTheHolderIsIdleWhicheverIsLater() {
        AppointmentLock lease = alicesLease();
        EditQueue earlyAsk = new EditQueue(List.of(pending(bob, NOON, 1)), 1);
        EditQueue lateAsk = new EditQueue(List.of(pending(bob, NOON.plusSeconds(200), 1)), 1);

        assertThat(earlyAsk.nextStepAt(lease, POLICY)).contains(NOON.plusSeconds(120));
        assertThat(lateAsk.nextStepAt(lease, POLICY)).contains(NOON.plusSeconds(230));
        assertThat(new EditQueue(List.of(pending(bob, NOON.plusSeconds(290), 1)), 1).nextStepAt(lease, POLICY))
                .as("the expiry comes first").contains(lease.expiresAt());
        assertThat(EditQueue.empty().nextStepAt(lease, POLICY)).isEmpty();
    }

    @Test
    void anOfferStandsUntilItsEndAndIsTheNextStep() {
        EditRequest offered = pending(bob, NOON, 1).offer(NOON.plusSeconds(5), POLICY.offerEndsFrom(NOON.plusSeconds(5)));
        EditQueue queue = new EditQueue(List.of(offered, pending(carol, NOON, 2)), 2);

        assertThat(queue.offered()).contains(offered);
        assertThat(queue.nextStepAt(null, POLICY)).contains(NOON.plusSeconds(35));
        assertThat(offered.hasLapsedAt(NOON.plusSeconds(34))).isFalse();
        assertThat(offered.hasLapsedAt(NOON.plusSeconds(35))).isTrue();
        assertThat(offered.backInLine(NOON.plusSeconds(6)).offeredUntil()).isNull();
    }

    @Test
    void aClosedRequestCannotChangeAgain() {
        EditRequest declined = pending(bob, NOON, 1).decline(NOON.plusSeconds(3), "Almost done");

        assertThat(declined.state()).isEqualTo(EditRequestState.DECLINED);
        assertThat(declined.reason()).isEqualTo("Almost done");
        assertThat(declined.isOpen()).isFalse();
        assertThatThrownBy(() -> declined.grant(NOON.plusSeconds(4))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new EditQueue(List.of(declined), 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMessageIsOneLineOfAtMostFiveHundredCharacters() {
        assertThatThrownBy(() -> EditRequest.pending(UUID.randomUUID(), APPOINTMENT, bob, "x".repeat(501), NOON, 1))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("message"));
        assertThatThrownBy(() -> EditRequest.pending(UUID.randomUUID(), APPOINTMENT, bob, "a\u0000b", NOON, 1))
                .isInstanceOf(ValidationException.class);
        assertThat(EditRequest.pending(UUID.randomUUID(), APPOINTMENT, bob, "  ", NOON, 1).message()).isNull();
    }

    @Test
    void aReservedLeaseTellsHowLongToWait() {
        Rejection.LockReserved reserved = new Rejection.LockReserved(bob, NOON.plusSeconds(30), NOON.plusMillis(500));

        assertThat(reserved.retryAfterSeconds()).isEqualTo(30);
        assertThat(new Rejection.LockReserved(bob, NOON, NOON.plusSeconds(1)).retryAfterSeconds()).isEqualTo(1);
        assertThat(reserved.code()).isEqualTo("lock_reserved");
        assertThat(new Rejection.QueueFull(20).code()).isEqualTo("queue_full");
    }

    @Test
    void theTimingsMustBeSensible() {
        assertThat(POLICY).isEqualTo(new FairAccessPolicy(Duration.ofSeconds(120), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(600), 20));
        assertThatThrownBy(() -> new FairAccessPolicy(Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(600), 20)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.field()).isEqualTo("idle"));
        assertThatThrownBy(() -> new FairAccessPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 0)).isInstanceOf(ValidationException.class);
    }
}
