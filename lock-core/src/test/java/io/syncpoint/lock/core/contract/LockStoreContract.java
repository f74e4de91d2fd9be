package io.syncpoint.lock.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.AppointmentStatus;
import io.syncpoint.lock.core.domain.HistoryAction;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.domain.LockState;
import io.syncpoint.lock.core.domain.LockStatistics;
import io.syncpoint.lock.core.domain.Page;
import io.syncpoint.lock.core.domain.PageRequest;
import io.syncpoint.lock.core.domain.Rejection;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.domain.ValidationException;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.core.port.in.AppointmentView;
import io.syncpoint.lock.core.port.in.CleanUpHistory;
import io.syncpoint.lock.core.port.in.CreateAppointment;
import io.syncpoint.lock.core.port.in.DeleteAppointment;
import io.syncpoint.lock.core.port.in.ForceReleaseLock;
import io.syncpoint.lock.core.port.in.GetLockStatus;
import io.syncpoint.lock.core.port.in.ListAppointments;
import io.syncpoint.lock.core.port.in.ReleaseLock;
import io.syncpoint.lock.core.port.in.SignIn;
import io.syncpoint.lock.core.port.in.SignUp;
import io.syncpoint.lock.core.port.in.TakeOverLock;
import io.syncpoint.lock.core.port.in.UpdateAppointment;
import io.syncpoint.lock.core.port.out.EventSubscriptions;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.port.out.LeaseReading;
import io.syncpoint.lock.core.service.AppointmentService;
import io.syncpoint.lock.core.service.LockService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every store adapter must pass. A store's test class extends this and builds a fresh,
 * empty {@link StoreFixture} per test; the core's services run on top of it, so what is proven here
 * is the whole lease behaviour on that store, not just its storage commands.
 */
public abstract class LockStoreContract {
    protected static final Duration TTL = Duration.ofSeconds(300);
    private static final Duration EVENT_WAIT = Duration.ofSeconds(10);

    protected StoreFixture store;
    protected LockService locks;
    protected AppointmentService appointments;
    protected Actor alice;
    protected Actor bob;
    protected Actor admin;
    private BlockingQueue<DomainEvent> events;
    private final List<DomainEvent> seenEvents = new ArrayList<>();
    private EventSubscriptions.Subscription subscription;

    /** A fresh, empty store for one test. */
    protected abstract StoreFixture createFixture();

    @BeforeEach
    void setUpStore() {
        store = createFixture();
        IdGenerator ids = IdGenerator.random();
        locks = new LockService(store.locks(), store.history(), store.appointments(), new LeasePolicy(TTL), ids);
        appointments = new AppointmentService(store.appointments(), store.locks(), ids, Clock.systemUTC());
        alice = registered("alice@example.com", "Alice", Role.USER);
        bob = registered("bob@example.com", "Bob", Role.USER);
        admin = registered("admin@example.com", "Ada Admin", Role.ADMIN);
        events = new LinkedBlockingQueue<>();
        subscription = store.events().subscribe(events::add);
    }

    @AfterEach
    void closeStore() {
        subscription.close();
        store.close();
    }

    protected Actor registered(String email, String name, Role role) {
        UserAccount account = new UserAccount(UUID.randomUUID(), email, name, role, "hash-not-used", Instant.now());
        assertThat(store.users().insertUser(account)).isTrue();
        return account.asActor();
    }

    protected Appointment newAppointment(String title) {
        Instant start = Instant.parse("2026-03-02T10:00:00Z");
        return newAppointment(title, start, start.plus(Duration.ofHours(1)));
    }

    protected Appointment newAppointment(String title, Instant start, Instant end) {
        AppointmentDetails details = new AppointmentDetails(title, "Quarterly review", start, end, "Room 4",
                List.of("alice@example.com", "bob@example.com"), AppointmentStatus.SCHEDULED);
        return appointments.create(new CreateAppointment.Command(alice, details));
    }

    protected AcquireLock.Acquisition acquired(Actor actor, UUID appointmentId) {
        return locks.acquire(AcquireLock.Command.of(actor, appointmentId)).orElseThrow();
    }

    protected Rejection refusalToAcquire(Actor actor, UUID appointmentId, Long expectedVersion) {
        return locks.acquire(new AcquireLock.Command(actor, appointmentId, expectedVersion, null)).rejectionOrThrow();
    }

    protected List<LockHistoryEntry> historyOldestFirst(UUID appointmentId) {
        List<LockHistoryEntry> rows = new ArrayList<>(
                store.history().ofAppointment(appointmentId, PageRequest.first(PageRequest.MAX_LIMIT)).data());
        java.util.Collections.reverse(rows);
        return rows;
    }

    /** The first event of this type for this appointment announced since the test began, waiting for it if need be. */
    protected <E extends DomainEvent> E awaitEvent(Class<E> type, UUID appointmentId) {
        long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
        try {
            while (true) {
                for (DomainEvent event : seenEvents) {
                    if (type.isInstance(event) && event.appointmentId().equals(appointmentId)) {
                        return type.cast(event);
                    }
                }
                long left = deadline - System.nanoTime();
                DomainEvent next = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
                if (next == null) {
                    throw new AssertionError("no " + type.getSimpleName() + " for " + appointmentId + " within " + EVENT_WAIT);
                }
                seenEvents.add(next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + type.getSimpleName(), e);
        }
    }

    private static AppointmentDetails renamed(Appointment appointment, String title) {
        AppointmentDetails d = appointment.details();
        return new AppointmentDetails(title, d.description(), d.startsAt(), d.endsAt(), d.location(), d.attendees(),
                d.status());
    }

    @Nested
    class Granting {
        @Test
        void aFreeAppointmentIsGrantedAsVersionOneForTheTtl() {
            Appointment meeting = newAppointment("Planning");

            AcquireLock.Acquisition acquisition = acquired(alice, meeting.id());

            AppointmentLock lock = acquisition.lock();
            assertThat(acquisition.renewed()).isFalse();
            assertThat(lock.appointmentId()).isEqualTo(meeting.id());
            assertThat(lock.holder().userId()).isEqualTo(alice.userId());
            assertThat(lock.holder().name()).isEqualTo("Alice");
            assertThat(lock.version()).isEqualTo(1);
            assertThat(Duration.between(lock.createdAt(), lock.expiresAt())).isEqualTo(TTL);
            assertThat(store.locks().findLock(meeting.id())).contains(lock);
            assertThat(awaitEvent(DomainEvent.LockAcquired.class, meeting.id()).lock()).isEqualTo(lock);
        }

        @Test
        void theLockStateDependsOnWhoAsks() {
            Appointment meeting = newAppointment("Planning");
            assertThat(locks.status(alice, meeting.id()).orElseThrow().state()).isEqualTo(LockState.UNLOCKED);

            AppointmentLock lock = acquired(alice, meeting.id()).lock();

            GetLockStatus.LockStatus forAlice = locks.status(alice, meeting.id()).orElseThrow();
            GetLockStatus.LockStatus forBob = locks.status(bob, meeting.id()).orElseThrow();
            assertThat(forAlice.state()).isEqualTo(LockState.LOCKED_BY_USER);
            assertThat(forBob.state()).isEqualTo(LockState.LOCKED_BY_OTHER);
            assertThat(forBob.lock()).contains(lock);
            assertThat(forBob.serverTime()).isBefore(lock.expiresAt());
        }

        @Test
        void aSecondUserIsRefusedWithTheHoldersDetailsWhileTheLeaseIsLive() {
            Appointment meeting = newAppointment("Planning");
            AppointmentLock lock = acquired(alice, meeting.id()).lock();

            Rejection refusal = refusalToAcquire(bob, meeting.id(), null);

            assertThat(refusal).isInstanceOf(Rejection.LockHeld.class);
            Rejection.LockHeld held = (Rejection.LockHeld) refusal;
            assertThat(held.code()).isEqualTo("lock_held");
            assertThat(held.lock()).isEqualTo(lock);
            assertThat(held.retryAfterSeconds()).isBetween(1L, TTL.toSeconds());
            assertThat(store.locks().findLock(meeting.id())).contains(lock);
        }

        @Test
        void anUnknownAppointmentCannotBeLocked() {
            UUID nowhere = UUID.randomUUID();

            assertThat(refusalToAcquire(alice, nowhere, null)).isInstanceOf(Rejection.NotFound.class);
            assertThat(store.locks().findLock(nowhere)).isEmpty();
        }

        @Test
        void eachNewLeaseGetsAGreaterFencingToken() {
            Appointment meeting = newAppointment("Planning");
            AppointmentLock first = acquired(alice, meeting.id()).lock();
            locks.release(ReleaseLock.Command.of(alice, meeting.id())).orElseThrow();

            AppointmentLock second = acquired(bob, meeting.id()).lock();

            assertThat(second.fencingToken().isNewerThan(first.fencingToken())).isTrue();
            assertThat(second.id()).isNotEqualTo(first.id());
            assertThat(second.version()).isEqualTo(1);
        }
    }

    @Nested
    class Renewing {
        @Test
        void theHolderRenewsByAcquiringAgain() {
            Appointment meeting = newAppointment("Planning");
            AppointmentLock lock = acquired(alice, meeting.id()).lock();
            store.advanceClock(Duration.ofSeconds(100));

            AcquireLock.Acquisition renewal = acquired(alice, meeting.id());

            AppointmentLock renewed = renewal.lock();
            assertThat(renewal.renewed()).isTrue();
            assertThat(renewed.id()).isEqualTo(lock.id());
            assertThat(renewed.version()).isEqualTo(2);
            assertThat(renewed.fencingToken()).isEqualTo(lock.fencingToken());
            assertThat(renewed.createdAt()).isEqualTo(lock.createdAt());
            assertThat(Duration.between(lock.expiresAt(), renewed.expiresAt()).toSeconds()).isBetween(100L, 101L);
            assertThat(historyOldestFirst(meeting.id())).extracting(LockHistoryEntry::action)
                    .containsExactly(HistoryAction.ACQUIRED);
            assertThat(awaitEvent(DomainEvent.LockUpdated.class, meeting.id()).lock()).isEqualTo(renewed);
        }

        @Test
        void aRenewalCanMoveTheHoldersPosition() {
            Appointment meeting = newAppointment("Planning");
            acquired(alice, meeting.id());

            AppointmentLock moved = locks.acquire(new AcquireLock.Command(alice, meeting.id(), 1L, "description"))
                    .orElseThrow().lock();

            assertThat(moved.holder().position()).isEqualTo("description");
            assertThat(moved.version()).isEqualTo(2);
            assertThat(store.locks().findLock(meeting.id())).contains(moved);
        }

        @Test
        void aStaleExpectedVersionIsAConflictAndChangesNothing() {
            Appointment meeting = newAppointment("Planning");
            acquired(alice, meeting.id());
            AppointmentLock current = locks.acquire(new AcquireLock.Command(alice, meeting.id(), 1L, null))
                    .orElseThrow().lock();

            Rejection refusal = refusalToAcquire(alice, meeting.id(), 1L);

            assertThat(refusal).isEqualTo(new Rejection.VersionConflict(2, 1));
            assertThat(store.locks().findLock(meeting.id())).contains(current);
            assertThat(locks.release(new ReleaseLock.Command(alice, meeting.id(), 1L)).rejectionOrThrow())
                    .isEqualTo(new Rejection.VersionConflict(2, 1));
        }

        @Test
        void anExpectedVersionWithoutALiveLeaseMeansTheLeaseWasLost() {
            Appointment meeting = newAppointment("Planning");
            acquired(alice, meeting.id());
            store.advanceClock(TTL.plusSeconds(1));

            assertThat(refusalToAcquire(alice, meeting.id(), 1L)).isInstanceOf(Rejection.LockLost.class);
            assertThat(locks.release(new ReleaseLock.Command(alice, meeting.id(), 1L)).rejectionOrThrow())
                    .isInstanceOf(Rejection.LockLost.class);
            assertThat(store.locks().findLock(meeting.id())).isEmpty();
        }

        @Test
        void anExpectedVersionWhileSomeoneElseHoldsTheLeaseMeansTheLeaseWasLost() {
            Appointment meeting = newAppointment("Planning");
            acquired(bob, meeting.id());

            assertThat(refusalToAcquire(alice, meeting.id(), 1L)).isInstanceOf(Rejection.LockLost.class);
        }
    }

    @Nested
    class Releasing {
        @Test
        void theHolderReleasesAndTheHistoryRecordsDurationAndRenewals() {
            Appointment meeting = newAppointment("Planning");
            acquired(alice, meeting.id());
            store.advanceClock(Duration.ofSeconds(30));
            acquired(alice, meeting.id());
            store.advanceClock(Duration.ofSeconds(45));

            AppointmentLock ended = locks.release(new ReleaseLock.Command(alice, meeting.id(), 2L)).orElseThrow();

            assertThat(ended.version()).isEqualTo(2);
            assertThat(store.locks().findLock(meeting.id())).isEmpty();
            List<LockHistoryEntry> rows = historyOldestFirst(meeting.id());
            assertThat(rows).extracting(LockHistoryEntry::action)
                    .containsExactly(HistoryAction.ACQUIRED, HistoryAction.RELEASED);
            LockHistoryEntry release = rows.get(1);
            assertThat(release.durationSeconds()).isBetween(75L, 76L);
            assertThat(release.renewals()).isEqualTo(1);
            assertThat(release.releasedBy()).isEqualTo(alice.userId());
            assertThat(release.lockId()).isEqualTo(ended.id());
            assertThat(release.fencingToken()).isEqualTo(ended.fencingToken());
            DomainEvent.LockReleased event = awaitEvent(DomainEvent.LockReleased.class, meeting.id());
            assertThat(event.reason()).isEqualTo(DomainEvent.ReleaseReason.RELEASED);
            assertThat(event.by()).isEqualTo(alice.userId());
        }

        @Test
        void someoneElsesLeaseCannotBeReleased() {
            Appointment meeting = newAppointment("Planning");
            AppointmentLock lock = acquired(alice, meeting.id()).lock();

            Rejection refusal = locks.release(ReleaseLock.Command.of(bob, meeting.id())).rejectionOrThrow();

            assertThat(refusal).isInstanceOf(Rejection.NotLockOwner.class);
            assertThat(((Rejection.NotLockOwner) refusal).holder().userId()).isEqualTo(alice.userId());
            assertThat(store.locks().findLock(meeting.id())).contains(lock);
        }

        @Test
        void releasingAFreeAppointmentSaysThereIsNoLock() {
            Appointment meeting = newAppointment("Planning");

            assertThat(locks.release(ReleaseLock.Command.of(alice, meeting.id())).rejectionOrThrow())
                    .isInstanceOf(Rejection.NoLock.class);
        }

        @Test
        void afterReleaseAnyoneCanAcquireRightAway() {
            Appointment meeting = newAppointment("Planning");
            acquired(alice, meeting.id());
            locks.release(ReleaseLock.Command.of(alice, meeting.id())).orElseThrow();

            assertThat(acquired(bob, meeting.id()).lock().holder().userId()).isEqualTo(bob.userId());
        }
    }

    @Nested
    class Expiring {
        @Test
        void aLeaseIsLiveUntilJustBeforeItsExpiry() {
            Appointment meeting = newAppointment("Planning");
            acquired(alice, meeting.id());

            // A margin of seconds, not milliseconds: a store on the database's clock sees real time pass too.
            store.advanceClock(TTL.minusSeconds(30));
            assertThat(refusalToAcquire(bob, meeting.id(), null)).isInstanceOf(Rejection.LockHeld.class);

            store.advanceClock(Duration.ofSeconds(30));
            assertThat(acquired(bob, meeting.id()).lock().holder().userId()).isEqualTo(bob.userId());
        }

        @Test
        void anExpiredLeaseIsRecordedWhenTheNextHolderArrives() {
            Appointment meeting = newAppointment("Planning");
            AppointmentLock first = acquired(alice, meeting.id()).lock();
            store.advanceClock(TTL.plusSeconds(10));

            AppointmentLock second = acquired(bob, meeting.id()).lock();

            List<LockHistoryEntry> rows = historyOldestFirst(meeting.id());
            assertThat(rows).extracting(LockHistoryEntry::action)
                    .containsExactly(HistoryAction.ACQUIRED, HistoryAction.EXPIRED, HistoryAction.ACQUIRED);
            LockHistoryEntry expiry = rows.get(1);
            assertThat(expiry.lockId()).isEqualTo(first.id());
            assertThat(expiry.durationSeconds()).isEqualTo(TTL.toSeconds());
            assertThat(expiry.releasedBy()).isNull();
            assertThat(rows.get(2).lockId()).isEqualTo(second.id());
            DomainEvent.LockReleased event = awaitEvent(DomainEvent.LockReleased.class, meeting.id());
            assertThat(event.reason()).isEqualTo(DomainEvent.ReleaseReason.EXPIRED);
            assertThat(event.by()).isNull();
        }

        @Test
        void theStatusOfAnExpiredLeaseIsUnlockedEvenBeforeTheSweep() {
            Appointment meeting = newAppointment("Planning");
            acquired(alice, meeting.id());
            store.advanceClock(TTL.plusSeconds(1));

            GetLockStatus.LockStatus status = locks.status(bob, meeting.id()).orElseThrow();

            assertThat(status.state()).isEqualTo(LockState.UNLOCKED);
            assertThat(status.lock()).isEmpty();
            assertThat(locks.liveLocks(admin).orElseThrow()).isEmpty();
        }

        @Test
        void theSweeperRecordsEachExpiryExactlyOnce() {
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                UUID id = newAppointment("Meeting " + i).id();
                acquired(i == 0 ? alice : bob, id);
                ids.add(id);
            }
            UUID stillLive = newAppointment("Fresh").id();
            store.advanceClock(TTL.plusSeconds(1));
            acquired(alice, stillLive);

            assertThat(locks.sweepExpired()).isEqualTo(3);
            assertThat(locks.sweepExpired()).isZero();

            for (UUID id : ids) {
                assertThat(store.locks().findLock(id)).isEmpty();
                assertThat(historyOldestFirst(id)).extracting(LockHistoryEntry::action)
                        .containsExactly(HistoryAction.ACQUIRED, HistoryAction.EXPIRED);
                assertThat(awaitEvent(DomainEvent.LockReleased.class, id).reason())
                        .isEqualTo(DomainEvent.ReleaseReason.EXPIRED);
            }
            assertThat(store.locks().findLock(stillLive)).isPresent();
        }
    }

    @Nested
    class AdminPowers {
        @Test
        void anAdminForceReleasesWithAReason() {
            Appointment meeting = newAppointment("Planning");
            AppointmentLock lock = acquired(alice, meeting.id()).lock();

            AppointmentLock ended = locks.forceRelease(
                    new ForceReleaseLock.Command(admin, meeting.id(), "Alice is on holiday")).orElseThrow();

            assertThat(ended.id()).isEqualTo(lock.id());
            assertThat(store.locks().findLock(meeting.id())).isEmpty();
            LockHistoryEntry row = historyOldestFirst(meeting.id()).get(1);
            assertThat(row.action()).isEqualTo(HistoryAction.FORCE_RELEASED);
            assertThat(row.userId()).isEqualTo(alice.userId());
            assertThat(row.releasedBy()).isEqualTo(admin.userId());
            assertThat(row.reason()).isEqualTo("Alice is on holiday");
            DomainEvent.LockReleased event = awaitEvent(DomainEvent.LockReleased.class, meeting.id());
            assertThat(event.reason()).isEqualTo(DomainEvent.ReleaseReason.FORCE_RELEASED);
            assertThat(event.by()).isEqualTo(admin.userId());
        }

        @Test
        void usersMayNotForceReleaseOrTakeOver() {
            Appointment meeting = newAppointment("Planning");
            AppointmentLock lock = acquired(alice, meeting.id()).lock();

            assertThat(locks.forceRelease(new ForceReleaseLock.Command(bob, meeting.id(), null)).rejectionOrThrow())
                    .isInstanceOf(Rejection.Forbidden.class);
            assertThat(locks.takeOver(new TakeOverLock.Command(bob, meeting.id(), null)).rejectionOrThrow())
                    .isInstanceOf(Rejection.Forbidden.class);
            assertThat(store.locks().findLock(meeting.id())).contains(lock);
        }

        @Test
        void forceReleasingAFreeAppointmentSaysThereIsNoLock() {
            Appointment meeting = newAppointment("Planning");

            assertThat(locks.forceRelease(new ForceReleaseLock.Command(admin, meeting.id(), null)).rejectionOrThrow())
                    .isInstanceOf(Rejection.NoLock.class);
        }

        @Test
        void aTakeoverEndsTheOldLeaseAndGrantsTheAdminANewOneAtomically() {
            Appointment meeting = newAppointment("Planning");
            AppointmentLock previous = acquired(alice, meeting.id()).lock();

            AppointmentLock taken = locks.takeOver(new TakeOverLock.Command(admin, meeting.id(), "urgent fix"))
                    .orElseThrow();

            assertThat(taken.holder().userId()).isEqualTo(admin.userId());
            assertThat(taken.version()).isEqualTo(1);
            assertThat(taken.fencingToken().isNewerThan(previous.fencingToken())).isTrue();
            assertThat(store.locks().findLock(meeting.id())).contains(taken);
            List<LockHistoryEntry> rows = historyOldestFirst(meeting.id());
            assertThat(rows).extracting(LockHistoryEntry::action).containsExactly(
                    HistoryAction.ACQUIRED, HistoryAction.FORCE_RELEASED, HistoryAction.ACQUIRED);
            assertThat(rows.get(1).releasedBy()).isEqualTo(admin.userId());
            assertThat(rows.get(1).reason()).isEqualTo("urgent fix");
            assertThat(rows.get(2).metadata()).containsEntry("takeoverOf", previous.id().toString());
            DomainEvent.AdminTakeover event = awaitEvent(DomainEvent.AdminTakeover.class, meeting.id());
            assertThat(event.adminId()).isEqualTo(admin.userId());
            assertThat(event.previousHolder().userId()).isEqualTo(alice.userId());
            assertThat(event.lock()).isEqualTo(taken);

            assertThat(refusalToAcquire(alice, meeting.id(), previous.version())).isInstanceOf(Rejection.LockLost.class);
            assertThat(refusalToAcquire(alice, meeting.id(), null)).isInstanceOf(Rejection.LockHeld.class);
        }

        @Test
        void aTakeoverOfAFreeAppointmentIsAPlainGrant() {
            Appointment meeting = newAppointment("Planning");

            AppointmentLock taken = locks.takeOver(new TakeOverLock.Command(admin, meeting.id(), null)).orElseThrow();

            assertThat(taken.holder().userId()).isEqualTo(admin.userId());
            assertThat(historyOldestFirst(meeting.id())).extracting(LockHistoryEntry::action)
                    .containsExactly(HistoryAction.ACQUIRED);
        }

        @Test
        void onlyAdminsListAllLiveLocks() {
            UUID first = newAppointment("One").id();
            UUID second = newAppointment("Two").id();
            acquired(alice, first);
            acquired(bob, second);

            assertThat(locks.liveLocks(admin).orElseThrow()).extracting(AppointmentLock::appointmentId)
                    .containsExactlyInAnyOrder(first, second);
            assertThat(locks.liveLocks(alice).rejectionOrThrow()).isInstanceOf(Rejection.Forbidden.class);
        }
    }

    @Nested
    class GuardedEdits {
        @Test
        void theHolderSavesWithTheLiveTokenAndTheCurrentVersion() {
            Appointment meeting = newAppointment("Planning");
            AppointmentLock lock = acquired(alice, meeting.id()).lock();

            Appointment saved = appointments.update(new UpdateAppointment.Command(alice, meeting.id(), 1,
                    lock.fencingToken().value(), renamed(meeting, "Planning, revised"))).orElseThrow();

            assertThat(saved.version()).isEqualTo(2);
            assertThat(saved.details().title()).isEqualTo("Planning, revised");
            assertThat(store.appointments().findAppointment(meeting.id())).contains(saved);
            DomainEvent.AppointmentUpdated event = awaitEvent(DomainEvent.AppointmentUpdated.class, meeting.id());
            assertThat(event.version()).isEqualTo(2);
            assertThat(event.updatedBy()).isEqualTo(alice.userId());
        }

        @Test
        void aSaveWithoutTheLiveLeaseIsRefused() {
            Appointment meeting = newAppointment("Planning");
            AppointmentLock lock = acquired(alice, meeting.id()).lock();

            Rejection refusal = appointments.update(new UpdateAppointment.Command(bob, meeting.id(), 1,
                    lock.fencingToken().value(), renamed(meeting, "Hijacked"))).rejectionOrThrow();

            assertThat(refusal).isInstanceOf(Rejection.LockRequired.class);
            assertThat(store.appointments().findAppointment(meeting.id()).orElseThrow().version()).isEqualTo(1);
        }

        @Test
        void aSaveWithAMissingOrOldTokenIsRefused() {
            Appointment meeting = newAppointment("Planning");
            AppointmentLock old = acquired(alice, meeting.id()).lock();
            locks.release(ReleaseLock.Command.of(alice, meeting.id())).orElseThrow();
            AppointmentLock current = acquired(alice, meeting.id()).lock();

            assertThat(appointments.update(new UpdateAppointment.Command(alice, meeting.id(), 1,
                    old.fencingToken().value(), renamed(meeting, "Stale"))).rejectionOrThrow())
                    .isEqualTo(new Rejection.StaleLockToken(old.fencingToken().value()));
            assertThat(appointments.update(new UpdateAppointment.Command(alice, meeting.id(), 1,
                    null, renamed(meeting, "Stale"))).rejectionOrThrow())
                    .isInstanceOf(Rejection.StaleLockToken.class);
            assertThat(current.fencingToken()).isNotEqualTo(old.fencingToken());
            assertThat(store.appointments().findAppointment(meeting.id()).orElseThrow().details().title())
                    .isEqualTo("Planning");
        }

        @Test
        void aSaveBasedOnAnOldVersionIsRefused() {
            Appointment meeting = newAppointment("Planning");
            long token = acquired(alice, meeting.id()).lock().fencingToken().value();
            appointments.update(new UpdateAppointment.Command(alice, meeting.id(), 1, token,
                    renamed(meeting, "First"))).orElseThrow();

            Rejection refusal = appointments.update(new UpdateAppointment.Command(alice, meeting.id(), 1, token,
                    renamed(meeting, "Second"))).rejectionOrThrow();

            assertThat(refusal).isEqualTo(new Rejection.PreconditionFailed(2, 1));
            assertThat(store.appointments().findAppointment(meeting.id()).orElseThrow().details().title())
                    .isEqualTo("First");
        }

        @Test
        void aSaveAfterTheLeaseExpiredIsRefused() {
            Appointment meeting = newAppointment("Planning");
            long token = acquired(alice, meeting.id()).lock().fencingToken().value();
            store.advanceClock(TTL);

            assertThat(appointments.update(new UpdateAppointment.Command(alice, meeting.id(), 1, token,
                    renamed(meeting, "Too late"))).rejectionOrThrow()).isInstanceOf(Rejection.LockRequired.class);
        }

        @Test
        void theHolderDeletesTheAppointmentAndTheLeaseEnds() {
            Appointment meeting = newAppointment("Planning");
            AppointmentLock lock = acquired(alice, meeting.id()).lock();

            appointments.delete(new DeleteAppointment.Command(alice, meeting.id(), 1L, lock.fencingToken().value()))
                    .orElseThrow();

            assertThat(store.appointments().findAppointment(meeting.id())).isEmpty();
            assertThat(store.locks().findLock(meeting.id())).isEmpty();
            assertThat(appointments.get(alice, meeting.id()).rejectionOrThrow()).isInstanceOf(Rejection.NotFound.class);
            List<LockHistoryEntry> rows = historyOldestFirst(meeting.id());
            assertThat(rows).extracting(LockHistoryEntry::action)
                    .containsExactly(HistoryAction.ACQUIRED, HistoryAction.RELEASED);
            assertThat(rows.get(1).reason()).isEqualTo("appointment deleted");
            awaitEvent(DomainEvent.AppointmentDeleted.class, meeting.id());
        }

        @Test
        void usersNeedTheLeaseToDeleteButAdminsDoNot() {
            Appointment meeting = newAppointment("Planning");
            acquired(alice, meeting.id());

            assertThat(appointments.delete(new DeleteAppointment.Command(bob, meeting.id(), null, null))
                    .rejectionOrThrow()).isInstanceOf(Rejection.LockRequired.class);
            appointments.delete(new DeleteAppointment.Command(admin, meeting.id(), null, null)).orElseThrow();

            assertThat(store.appointments().findAppointment(meeting.id())).isEmpty();
            LockHistoryEntry last = historyOldestFirst(meeting.id()).get(1);
            assertThat(last.action()).isEqualTo(HistoryAction.FORCE_RELEASED);
            assertThat(last.releasedBy()).isEqualTo(admin.userId());
        }
    }

    @Nested
    class Reading {
        @Test
        void aLeaseReadingTellsWhetherTheAppointmentExistsItsLeaseRowAndTheStoresTime() {
            Appointment meeting = newAppointment("Planning");
            UUID nowhere = UUID.randomUUID();

            LeaseReading unknown = store.locks().readLease(nowhere);
            LeaseReading free = store.locks().readLease(meeting.id());
            AppointmentLock lock = acquired(alice, meeting.id()).lock();
            LeaseReading held = store.locks().readLease(meeting.id());
            store.advanceClock(TTL.plusSeconds(1));
            LeaseReading lapsed = store.locks().readLease(meeting.id());

            assertThat(unknown.appointmentExists()).isFalse();
            assertThat(unknown.lease()).isEmpty();
            assertThat(free.appointmentExists()).isTrue();
            assertThat(free.lease()).isEmpty();
            assertThat(held.lease()).contains(lock);
            assertThat(held.now()).isBetween(lock.createdAt(), lock.expiresAt());
            assertThat(lapsed.lease()).contains(lock);
            assertThat(lapsed.now()).isAfter(lock.expiresAt());
        }

        @Test
        void historyComesNewestFirstInPages() {
            Appointment meeting = newAppointment("Planning");
            for (int i = 0; i < 5; i++) {
                acquired(i % 2 == 0 ? alice : bob, meeting.id());
                store.advanceClock(Duration.ofSeconds(10));
                locks.release(ReleaseLock.Command.of(i % 2 == 0 ? alice : bob, meeting.id())).orElseThrow();
            }

            Page<LockHistoryEntry> first = locks.historyOfAppointment(alice, meeting.id(), new PageRequest(3, 0))
                    .orElseThrow();
            Page<LockHistoryEntry> last = locks.historyOfAppointment(alice, meeting.id(), new PageRequest(3, 9))
                    .orElseThrow();

            assertThat(first.total()).isEqualTo(10);
            assertThat(first.data()).extracting(LockHistoryEntry::action)
                    .containsExactly(HistoryAction.RELEASED, HistoryAction.ACQUIRED, HistoryAction.RELEASED);
            assertThat(first.data().get(0).userId()).isEqualTo(alice.userId());
            assertThat(last.data()).hasSize(1);
            assertThat(last.data().get(0).action()).isEqualTo(HistoryAction.ACQUIRED);
            assertThat(last.data().get(0).at()).isBefore(first.data().get(0).at());
            assertThat(last.limit()).isEqualTo(3);
            assertThat(last.offset()).isEqualTo(9);
        }

        @Test
        void aUsersHistoryIsVisibleToThemAndToAdminsOnly() {
            UUID one = newAppointment("One").id();
            UUID two = newAppointment("Two").id();
            acquired(alice, one);
            acquired(alice, two);
            acquired(bob, newAppointment("Three").id());

            Page<LockHistoryEntry> own = locks.historyOfUser(alice, alice.userId(), PageRequest.standard()).orElseThrow();

            assertThat(own.total()).isEqualTo(2);
            assertThat(own.data()).extracting(LockHistoryEntry::appointmentId).containsExactly(two, one);
            assertThat(locks.historyOfUser(admin, alice.userId(), PageRequest.standard()).orElseThrow().total())
                    .isEqualTo(2);
            assertThat(locks.historyOfUser(bob, alice.userId(), PageRequest.standard()).rejectionOrThrow())
                    .isInstanceOf(Rejection.Forbidden.class);
        }

        @Test
        void statisticsAggregateTheHistory() {
            Appointment meeting = newAppointment("Planning");
            acquired(alice, meeting.id());
            store.advanceClock(Duration.ofSeconds(60));
            locks.release(ReleaseLock.Command.of(alice, meeting.id())).orElseThrow();
            acquired(alice, meeting.id());
            store.advanceClock(Duration.ofSeconds(120));
            locks.release(ReleaseLock.Command.of(alice, meeting.id())).orElseThrow();
            acquired(bob, meeting.id());
            store.advanceClock(TTL.plusSeconds(5));
            locks.sweepExpired();

            LockStatistics stats = locks.statistics(alice, meeting.id()).orElseThrow();

            assertThat(stats.total(HistoryAction.ACQUIRED)).isEqualTo(3);
            assertThat(stats.total(HistoryAction.RELEASED)).isEqualTo(2);
            assertThat(stats.total(HistoryAction.EXPIRED)).isEqualTo(1);
            assertThat(stats.total(HistoryAction.FORCE_RELEASED)).isZero();
            assertThat(stats.averageDurationSeconds()).isCloseTo((60 + 120 + 300) / 3.0,
                    org.assertj.core.data.Offset.offset(1.0));
            assertThat(stats.uniqueUsers()).isEqualTo(2);
            assertThat(stats.currentlyLocked()).isFalse();

            acquired(bob, meeting.id());
            assertThat(locks.statistics(alice, meeting.id()).orElseThrow().currentlyLocked()).isTrue();
        }

        @Test
        void statisticsOfAnAppointmentWithoutHistoryAreZero() {
            LockStatistics stats = locks.statistics(alice, newAppointment("Quiet").id()).orElseThrow();

            assertThat(stats.totals().values()).containsOnly(0L);
            assertThat(stats.averageDurationSeconds()).isNull();
            assertThat(stats.uniqueUsers()).isZero();
            assertThat(stats.currentlyLocked()).isFalse();
        }

        @Test
        void appointmentsAreListedByStartWithTheirLiveLease() {
            Instant monday = Instant.parse("2026-03-02T09:00:00Z");
            Appointment late = newAppointment("Late", monday.plus(Duration.ofHours(8)), monday.plus(Duration.ofHours(9)));
            Appointment early = newAppointment("Early", monday, monday.plus(Duration.ofHours(1)));
            Appointment nextWeek = newAppointment("Next week", monday.plus(7, ChronoUnit.DAYS),
                    monday.plus(7, ChronoUnit.DAYS).plus(Duration.ofHours(1)));
            AppointmentLock lock = acquired(bob, late.id()).lock();

            Page<AppointmentView> page = appointments.list(new ListAppointments.Query(alice, monday,
                    monday.plus(Duration.ofDays(1)), PageRequest.standard()));

            assertThat(page.total()).isEqualTo(2);
            assertThat(page.data()).extracting(view -> view.appointment().id()).containsExactly(early.id(), late.id());
            assertThat(page.data().get(0).lock()).isEmpty();
            assertThat(page.data().get(1).lock()).contains(lock);
            assertThat(appointments.list(new ListAppointments.Query(alice, null, null, new PageRequest(1, 2)))
                    .data()).extracting(view -> view.appointment().id()).containsExactly(nextWeek.id());
        }

        @Test
        void oldHistoryIsCleanedUpByAdmins() {
            Appointment meeting = newAppointment("Planning");
            acquired(alice, meeting.id());
            locks.release(ReleaseLock.Command.of(alice, meeting.id())).orElseThrow();
            store.advanceClock(Duration.ofDays(10));
            acquired(bob, meeting.id());

            assertThat(locks.cleanUpHistory(new CleanUpHistory.Command(alice, 5)).rejectionOrThrow())
                    .isInstanceOf(Rejection.Forbidden.class);
            assertThat(locks.cleanUpHistory(new CleanUpHistory.Command(admin, 5)).orElseThrow()).isEqualTo(2);

            assertThat(historyOldestFirst(meeting.id())).extracting(LockHistoryEntry::userId)
                    .containsExactly(bob.userId());
        }
    }

    @Nested
    class Accounts {
        @Test
        void anEmailCanBeRegisteredOnlyOnce() {
            UserAccount twin = new UserAccount(UUID.randomUUID(), "ALICE@example.com", "Other Alice", Role.USER,
                    "hash", Instant.now());

            assertThat(store.users().insertUser(twin)).isFalse();
            assertThat(store.users().findUserByEmail("Alice@Example.com").orElseThrow().id())
                    .isEqualTo(alice.userId());
        }

        @Test
        void aRoleChangeIsStored() {
            UserAccount promoted = store.users().updateRole(bob.userId(), Role.ADMIN).orElseThrow();

            assertThat(promoted.role()).isEqualTo(Role.ADMIN);
            assertThat(store.users().findUserById(bob.userId()).orElseThrow().role()).isEqualTo(Role.ADMIN);
            assertThat(store.users().updateRole(UUID.randomUUID(), Role.ADMIN)).isEmpty();
        }
    }

    /** Text and instants the core accepts are exactly those every store can keep. */
    @Nested
    class StorableInput {
        private static final String NUL = "\u0000";

        @Test
        void controlCharactersInFreeTextAreRefusedNamingTheFieldAndNothingIsStored() {
            Appointment meeting = newAppointment("Planning");
            Instant start = meeting.details().startsAt();
            Instant end = meeting.details().endsAt();

            assertRefused("email", () -> new SignIn.Command("x" + NUL + "@example.com", "password"));
            assertRefused("email", () -> new SignUp.Command("x" + NUL + "@example.com", "Xavier", "long enough"));
            assertRefused("name", () -> new SignUp.Command("x@example.com", "Xa" + NUL + "vier", "long enough"));
            assertRefused("title", () -> new AppointmentDetails("Plan" + NUL, null, start, end, null, null, null));
            assertRefused("title", () -> new AppointmentDetails("Plan\nning", null, start, end, null, null, null));
            assertRefused("description", () -> new AppointmentDetails("Plan", "a" + NUL + "b", start, end, null, null, null));
            assertRefused("description", () -> new AppointmentDetails("Plan", "a\u001bb", start, end, null, null, null));
            assertRefused("location", () -> new AppointmentDetails("Plan", null, start, end, "Room" + NUL, null, null));
            assertRefused("attendees[1]", () -> new AppointmentDetails("Plan", null, start, end, null,
                    List.of("bob@example.com", "x" + NUL + "@example.com"), null));
            assertRefused("position", () -> new AcquireLock.Command(alice, meeting.id(), null, "ti" + NUL + "tle"));
            assertRefused("reason", () -> new ForceReleaseLock.Command(admin, meeting.id(), "be" + NUL + "cause"));
            assertRefused("reason", () -> new TakeOverLock.Command(admin, meeting.id(), "urgent\u0007"));
            assertRefused("title", () -> new AppointmentDetails("half \ud83d pair", null, start, end, null, null, null));

            assertThat(store.appointments().listAppointments(null, null, PageRequest.standard()).total()).isEqualTo(1);
            assertThat(store.appointments().findAppointment(meeting.id()).orElseThrow()).isEqualTo(meeting);
            assertThat(historyOldestFirst(meeting.id())).isEmpty();
        }

        @Test
        void tabsLineBreaksAndAnyLanguageInADescriptionAreKeptExactly() {
            String description = "Agenda:\n\t1. Budget \u20ac\r\n\t2. Staffing \ud83d\udcc5 \u65e5\u672c";
            Instant start = Instant.parse("2026-03-02T10:00:00Z");
            Appointment created = appointments.create(new CreateAppointment.Command(alice, new AppointmentDetails(
                    "Caf\u00e9 \ud83d\udcc5", description, start, start.plus(Duration.ofHours(1)), "Z\u00fcrich", null, null)));

            Appointment stored = store.appointments().findAppointment(created.id()).orElseThrow();
            assertThat(stored.details().description()).isEqualTo(description);
            assertThat(stored.details().title()).isEqualTo("Caf\u00e9 \ud83d\udcc5");
            assertThat(stored.details().location()).isEqualTo("Z\u00fcrich");
        }

        @Test
        void theYearRangeIsCheckedInUtcSoEveryStoredInstantPrintsAsRfc3339() {
            Instant lastHourWest = OffsetDateTime.parse("9999-12-31T23:00:00-18:00").toInstant();
            Instant firstHourEast = OffsetDateTime.parse("1900-01-01T01:00:00+18:00").toInstant();
            Instant latest = OffsetDateTime.parse("9999-12-31T23:00:00+18:00").toInstant();
            Instant earliest = Instant.parse("1900-01-01T00:00:00Z");

            assertRefused("startsAt", () -> new AppointmentDetails("Late", null, lastHourWest,
                    lastHourWest.plusSeconds(60), null, null, null));
            assertRefused("endsAt", () -> new AppointmentDetails("Late", null, latest, lastHourWest, null, null, null));
            assertRefused("startsAt", () -> new AppointmentDetails("Early", null, firstHourEast,
                    earliest.plusSeconds(3600), null, null, null));
            assertRefused("to", () -> new ListAppointments.Query(alice, null, lastHourWest, PageRequest.standard()));

            Appointment edge = newAppointment("Edges", earliest, latest);
            Appointment stored = store.appointments().findAppointment(edge.id()).orElseThrow();
            assertThat(stored.details().startsAt()).isEqualTo(earliest);
            assertThat(stored.details().endsAt()).isEqualTo(latest);
            assertThat(stored.details().endsAt().toString()).isEqualTo("9999-12-31T05:00:00Z");
        }

        private void assertRefused(String field, org.assertj.core.api.ThrowableAssert.ThrowingCallable build) {
            assertThatThrownBy(build).as(field).isInstanceOfSatisfying(ValidationException.class,
                    refused -> assertThat(refused.field()).isEqualTo(field));
        }
    }

    @Nested
    class Races extends LockRaces {
        @Override
        protected LockRaces.Setup setup() {
            return new LockRaces.Setup(store, locks, appointments, alice);
        }
    }

    @Nested
    class FairAccess extends FairAccessContract {
        @Override
        protected StoreFixture store() {
            return store;
        }
    }
}
