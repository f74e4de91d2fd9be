package io.syncpoint.lock.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LeaseRulesTest {
    private static final Instant NOON = Instant.parse("2026-02-02T12:00:00Z");
    private static final LeasePolicy FIVE_MINUTES = LeasePolicy.ofSeconds(300);
    private final LockHolder alice = new LockHolder(UUID.randomUUID(), "Alice", "alice@example.com", null);

    private AppointmentLock lease() {
        return AppointmentLock.grant(UUID.randomUUID(), UUID.randomUUID(), alice, NOON, FIVE_MINUTES, new FencingToken(7));
    }

    @Test
    void aNewLeaseIsVersionOneAndRunsForTheTtl() {
        AppointmentLock lock = lease();

        assertThat(lock.version()).isEqualTo(1);
        assertThat(lock.expiresAt()).isEqualTo(NOON.plusSeconds(300));
        assertThat(lock.renewals()).isZero();
    }

    @Test
    void aLeaseIsLiveStrictlyBeforeItsExpiry() {
        AppointmentLock lock = lease();

        assertThat(lock.isLiveAt(NOON.plusSeconds(299))).isTrue();
        assertThat(lock.isLiveAt(NOON.plusSeconds(300))).isFalse();
    }

    @Test
    void aRenewalKeepsTheTokenAndMovesExpiryAndVersion() {
        AppointmentLock renewed = lease().renew(NOON.plusSeconds(60), FIVE_MINUTES, "title", true);

        assertThat(renewed.version()).isEqualTo(2);
        assertThat(renewed.renewals()).isEqualTo(1);
        assertThat(renewed.fencingToken()).isEqualTo(new FencingToken(7));
        assertThat(renewed.expiresAt()).isEqualTo(NOON.plusSeconds(360));
        assertThat(renewed.createdAt()).isEqualTo(NOON);
        assertThat(renewed.holder().position()).isEqualTo("title");
    }

    @Test
    void aRefusedCallerWaitsAtLeastOneWholeSecond() {
        AppointmentLock lock = lease();

        assertThat(lock.secondsLeftAt(NOON.plusMillis(299_001))).isEqualTo(1);
        assertThat(lock.secondsLeftAt(NOON.plusMillis(100_500))).isEqualTo(200);
    }

    @Test
    void aLeaseCannotEndBeforeItBegins() {
        assertThatThrownBy(() -> new AppointmentLock(UUID.randomUUID(), UUID.randomUUID(), alice, NOON, NOON, 1,
                new FencingToken(1), 0, NOON)).isInstanceOf(ValidationException.class).hasMessageContaining("expiresAt");
    }

    @Test
    void fencingTokensArePositiveAndOrdered() {
        assertThat(new FencingToken(8).isNewerThan(new FencingToken(7))).isTrue();
        assertThatThrownBy(() -> new FencingToken(0)).isInstanceOf(ValidationException.class);
    }

    @Test
    void theTtlMustBeSensible() {
        assertThatThrownBy(() -> new LeasePolicy(Duration.ZERO)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> new LeasePolicy(Duration.ofDays(2))).isInstanceOf(ValidationException.class);
    }

    @Test
    void aLeaseShorterThanFiveSecondsIsRefusedBecauseNoClientCouldKeepIt() {
        assertThatThrownBy(() -> LeasePolicy.ofSeconds(4)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("at least 5 seconds");
        assertThat(LeasePolicy.ofSeconds(5).ttl()).isEqualTo(LeasePolicy.MIN_TTL);
    }

    @Test
    void noExpectedVersionMeansNoClaim() {
        assertThat(VersionPolicy.check(null, alice.userId(), null)).isEmpty();
    }

    @Test
    void anExpectedVersionIsCheckedAgainstTheCallersLiveLease() {
        AppointmentLock lock = lease();

        assertThat(VersionPolicy.check(lock, alice.userId(), 1L)).isEmpty();
        assertThat(VersionPolicy.check(lock, alice.userId(), 3L)).contains(new Rejection.VersionConflict(1, 3));
        assertThat(VersionPolicy.check(lock, UUID.randomUUID(), 1L)).contains(new Rejection.LockLost());
        assertThat(VersionPolicy.check(null, alice.userId(), 1L)).contains(new Rejection.LockLost());
    }
}
