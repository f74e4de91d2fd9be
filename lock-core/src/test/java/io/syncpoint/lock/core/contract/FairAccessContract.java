package io.syncpoint.lock.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.EditRequestState;
import io.syncpoint.lock.core.domain.FairAccessPolicy;
import io.syncpoint.lock.core.domain.HistoryAction;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.domain.PageRequest;
import io.syncpoint.lock.core.domain.Rejection;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.core.port.in.AnswerEditRequest;
import io.syncpoint.lock.core.port.in.AskToEdit;
import io.syncpoint.lock.core.port.in.CreateAppointment;
import io.syncpoint.lock.core.port.in.DeleteAppointment;
import io.syncpoint.lock.core.port.in.ForceReleaseLock;
import io.syncpoint.lock.core.port.in.ReleaseLock;
import io.syncpoint.lock.core.port.in.TakeOverLock;
import io.syncpoint.lock.core.port.in.WithdrawEditRequest;
import io.syncpoint.lock.core.port.out.EventSubscriptions;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.service.AppointmentService;
import io.syncpoint.lock.core.service.EditRequestService;
import io.syncpoint.lock.core.service.LockService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Fair access, part of the store contract: asking to edit, the queue, the holder's answers, idle
 * handoffs, offers and reservations, run by every store on a fresh, empty fixture. Timed steps are
 * driven by moving the store's clock and calling {@code runDueSteps}, with margins of seconds so a
 * store on the database's clock, where real time passes too, decides the same.
 */
public abstract class FairAccessContract {
    protected static final Duration TTL = Duration.ofSeconds(300);
    protected static final FairAccessPolicy POLICY = FairAccessPolicy.defaults();
    private static final Duration EVENT_WAIT = Duration.ofSeconds(10);

    protected LockService locks;
    protected EditRequestService requests;
    protected AppointmentService appointments;
    protected Actor alice;
    protected Actor bob;
    protected Actor carol;
    protected Actor dave;
    protected Actor admin;
    private BlockingQueue<DomainEvent> arriving;
    private final List<DomainEvent> seen = new ArrayList<>();
    private EventSubscriptions.Subscription subscription;

    /** The fresh, empty store of the current test. */
    protected abstract StoreFixture store();

    @BeforeEach
    void setUpServices() {
        IdGenerator ids = IdGenerator.random();
        LeasePolicy lease = new LeasePolicy(TTL);
        locks = new LockService(store().locks(), store().history(), store().appointments(), lease, POLICY, ids);
        requests = new EditRequestService(store().locks(), lease, POLICY, ids);
        appointments = new AppointmentService(store().appointments(), store().locks(), ids, Clock.systemUTC(), POLICY);
        alice = user("fair-alice@example.com", "Alice", Role.USER);
        bob = user("fair-bob@example.com", "Bob", Role.USER);
        carol = user("fair-carol@example.com", "Carol", Role.USER);
        dave = user("fair-dave@example.com", "Dave", Role.USER);
        admin = user("fair-admin@example.com", "Ada Admin", Role.ADMIN);
        arriving = new LinkedBlockingQueue<>();
        subscription = store().events().subscribe(arriving::add);
    }

    @AfterEach
    void unsubscribe() {
        subscription.close();
    }

    protected Actor user(String email, String name, Role role) {
        UserAccount account = new UserAccount(UUID.randomUUID(), email, name, role, "hash-not-used", Instant.now());
        assertThat(store().users().insertUser(account)).isTrue();
        return account.asActor();
    }

    protected UUID newAppointment() {
        Instant start = Instant.parse("2026-05-04T09:00:00Z");
        AppointmentDetails details = new AppointmentDetails("Roadmap", null, start, start.plus(Duration.ofHours(1)),
                null, List.of(), null);
        return appointments.create(new CreateAppointment.Command(alice, details)).id();
    }

    protected AppointmentLock holds(Actor actor, UUID appointmentId) {
        return locks.acquire(AcquireLock.Command.of(actor, appointmentId)).orElseThrow().lock();
    }

    protected AskToEdit.Answer asks(Actor actor, UUID appointmentId) {
        return requests.ask(new AskToEdit.Command(actor, appointmentId, null)).orElseThrow();
    }

    protected List<EditRequest> line(UUID appointmentId) {
        return requests.openRequests(alice, appointmentId).orElseThrow();
    }

    protected AppointmentLock liveLock(UUID appointmentId) {
        return locks.status(alice, appointmentId).orElseThrow().lock().orElseThrow();
    }

    protected List<LockHistoryEntry> historyOldestFirst(UUID appointmentId) {
        List<LockHistoryEntry> rows = new ArrayList<>(
                store().history().ofAppointment(appointmentId, PageRequest.first(PageRequest.MAX_LIMIT)).data());
        Collections.reverse(rows);
        return rows;
    }

    /** The first event of this type announced since the test began that matches, waiting for it if need be. */
    protected <E extends DomainEvent> E awaitEvent(Class<E> type, Predicate<E> matching) {
        long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
        int checked = 0;
        try {
            while (true) {
                for (; checked < seen.size(); checked++) {
                    DomainEvent event = seen.get(checked);
                    if (type.isInstance(event) && matching.test(type.cast(event))) {
                        return type.cast(event);
                    }
                }
                long left = deadline - System.nanoTime();
                DomainEvent next = left > 0 ? arriving.poll(left, TimeUnit.NANOSECONDS) : null;
                if (next == null) {
                    throw new AssertionError("no matching " + type.getSimpleName() + " within " + EVENT_WAIT);
                }
                seen.add(next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + type.getSimpleName(), e);
        }
    }

    /** The events announced so far, in order (after waiting for a later one, everything before it is here). */
    protected List<DomainEvent> eventsSoFar(UUID appointmentId) {
        arriving.drainTo(seen);
        return seen.stream().filter(event -> event.appointmentId().equals(appointmentId)).toList();
    }

    @Nested
    class TheQueue {
        @Test
        void requestsLineUpInTheOrderTheyWereMadeWithPositionsFromOne() {
            UUID meeting = newAppointment();
            holds(alice, meeting);

            AskToEdit.Answer first = requests.ask(new AskToEdit.Command(bob, meeting, "Need to fix the room")).orElseThrow();
            AskToEdit.Answer second = asks(carol, meeting);
            AskToEdit.Answer third = asks(dave, meeting);

            assertThat(List.of(first, second, third)).allSatisfy(answer -> {
                assertThat(answer.created()).isTrue();
                assertThat(answer.lock()).isEmpty();
                assertThat(answer.request().state()).isEqualTo(EditRequestState.PENDING);
                assertThat(answer.request().appointmentId()).isEqualTo(meeting);
            });
            assertThat(List.of(first.position(), second.position(), third.position())).containsExactly(1, 2, 3);
            assertThat(first.request().message()).isEqualTo("Need to fix the room");
            assertThat(first.request().requester().name()).isEqualTo("Bob");
            assertThat(line(meeting)).extracting(EditRequest::id)
                    .containsExactly(first.request().id(), second.request().id(), third.request().id());
            assertThat(line(meeting)).extracting(EditRequest::ticket).isSorted();
            DomainEvent.EditRequested announced = awaitEvent(DomainEvent.EditRequested.class,
                    event -> event.request().id().equals(second.request().id()));
            assertThat(announced.position()).isEqualTo(2);
            assertThat(announced.appointmentId()).isEqualTo(meeting);
        }

        @Test
        void aUserHasOneOpenRequestAndAskingAgainReturnsIt() {
            UUID meeting = newAppointment();
            holds(alice, meeting);
            asks(carol, meeting);
            AskToEdit.Answer first = asks(bob, meeting);

            AskToEdit.Answer again = requests.ask(new AskToEdit.Command(bob, meeting, "still waiting")).orElseThrow();

            assertThat(again.created()).isFalse();
            assertThat(again.request()).isEqualTo(first.request());
            assertThat(again.position()).isEqualTo(2);
            assertThat(line(meeting)).extracting(EditRequest::requesterId).containsExactly(carol.userId(), bob.userId());
        }

        @Test
        void theQueueHoldsAtMostTheLimitOfOpenRequests() {
            UUID meeting = newAppointment();
            holds(alice, meeting);
            for (int i = 0; i < POLICY.maxOpenRequests(); i++) {
                asks(user("waiting" + i + "@example.com", "Waiting " + i, Role.USER), meeting);
            }

            Rejection refusal = requests.ask(new AskToEdit.Command(bob, meeting, null)).rejectionOrThrow();

            assertThat(refusal).isEqualTo(new Rejection.QueueFull(POLICY.maxOpenRequests()));
            assertThat(refusal.code()).isEqualTo("queue_full");
            assertThat(line(meeting)).hasSize(POLICY.maxOpenRequests()).noneMatch(request -> request.isBy(bob.userId()));
        }

        @Test
        void theHolderCannotAskAndAnUnknownAppointmentIsNotFound() {
            UUID meeting = newAppointment();
            holds(alice, meeting);

            assertThat(requests.ask(new AskToEdit.Command(alice, meeting, null)).rejectionOrThrow())
                    .isInstanceOf(Rejection.Forbidden.class);
            assertThat(requests.ask(new AskToEdit.Command(bob, UUID.randomUUID(), null)).rejectionOrThrow())
                    .isEqualTo(new Rejection.NotFound("appointment"));
            assertThat(requests.openRequests(bob, UUID.randomUUID()).rejectionOrThrow())
                    .isEqualTo(new Rejection.NotFound("appointment"));
            assertThat(line(meeting)).isEmpty();
        }

        @Test
        void askingForAFreeAppointmentReservedForNobodyGrantsItAtOnce() {
            UUID meeting = newAppointment();

            AskToEdit.Answer answer = asks(bob, meeting);

            assertThat(answer.created()).isTrue();
            assertThat(answer.request().state()).isEqualTo(EditRequestState.GRANTED);
            assertThat(answer.position()).isZero();
            AppointmentLock lease = answer.lock().orElseThrow();
            assertThat(lease.holderId()).isEqualTo(bob.userId());
            assertThat(liveLock(meeting)).isEqualTo(lease);
            assertThat(line(meeting)).isEmpty();
            LockHistoryEntry acquired = historyOldestFirst(meeting).get(0);
            assertThat(acquired.action()).isEqualTo(HistoryAction.ACQUIRED);
            assertThat(acquired.metadata()).containsEntry("requestId", answer.request().id().toString());
            assertThat(awaitEvent(DomainEvent.LockAcquired.class, event -> event.appointmentId().equals(meeting)).lock())
                    .isEqualTo(lease);
        }

        @Test
        void theRequesterWithdrawsAndThoseBehindMoveUp() {
            UUID meeting = newAppointment();
            holds(alice, meeting);
            EditRequest bobs = asks(bob, meeting).request();
            EditRequest carols = asks(carol, meeting).request();

            assertThat(requests.withdraw(new WithdrawEditRequest.Command(carol, meeting, bobs.id())).rejectionOrThrow())
                    .isInstanceOf(Rejection.Forbidden.class);
            assertThat(requests.withdraw(new WithdrawEditRequest.Command(bob, meeting, UUID.randomUUID()))
                    .rejectionOrThrow()).isEqualTo(new Rejection.NotFound("edit request"));
            EditRequest withdrawn = requests.withdraw(new WithdrawEditRequest.Command(bob, meeting, bobs.id()))
                    .orElseThrow();

            assertThat(withdrawn.state()).isEqualTo(EditRequestState.WITHDRAWN);
            assertThat(line(meeting)).extracting(EditRequest::id).containsExactly(carols.id());
            assertThat(requests.withdraw(new WithdrawEditRequest.Command(bob, meeting, bobs.id())).rejectionOrThrow())
                    .isEqualTo(new Rejection.NotFound("edit request"));
            assertThat(awaitEvent(DomainEvent.EditRequestUpdated.class,
                    event -> event.request().id().equals(bobs.id())).position()).isZero();
            DomainEvent.EditRequestUpdated moved = awaitEvent(DomainEvent.EditRequestUpdated.class,
                    event -> event.request().id().equals(carols.id()));
            assertThat(moved.position()).isEqualTo(1);
            assertThat(moved.request().state()).isEqualTo(EditRequestState.PENDING);
        }
    }

    @Nested
    class TheHolderAnswers {
        @Test
        void acceptingHandsTheLeaseOverWithOneReleasedAndOneAcquiredRow() {
            UUID meeting = newAppointment();
            AppointmentLock alices = holds(alice, meeting);
            EditRequest bobs = asks(bob, meeting).request();
            EditRequest carols = asks(carol, meeting).request();

            AppointmentLock lease = requests.accept(new AnswerEditRequest.Command(alice, meeting, bobs.id())).orElseThrow();

            assertThat(lease.holderId()).isEqualTo(bob.userId());
            assertThat(lease.version()).isEqualTo(1);
            assertThat(lease.fencingToken().isNewerThan(alices.fencingToken())).isTrue();
            assertThat(liveLock(meeting)).isEqualTo(lease);
            assertThat(line(meeting)).extracting(EditRequest::id).containsExactly(carols.id());
            List<LockHistoryEntry> rows = historyOldestFirst(meeting);
            assertThat(rows).extracting(LockHistoryEntry::action)
                    .containsExactly(HistoryAction.ACQUIRED, HistoryAction.RELEASED, HistoryAction.ACQUIRED);
            LockHistoryEntry released = rows.get(1);
            assertThat(released.lockId()).isEqualTo(alices.id());
            assertThat(released.releasedBy()).isEqualTo(alice.userId());
            assertThat(released.metadata()).isEqualTo(Map.of("handedOverTo", bob.userId().toString(),
                    "requestId", bobs.id().toString()));
            LockHistoryEntry acquired = rows.get(2);
            assertThat(acquired.lockId()).isEqualTo(lease.id());
            assertThat(acquired.fencingToken()).isEqualTo(lease.fencingToken());
            assertThat(acquired.metadata()).isEqualTo(Map.of("handedOverFrom", alice.userId().toString(),
                    "requestId", bobs.id().toString()));

            DomainEvent.LockHandedOver handedOver = awaitEvent(DomainEvent.LockHandedOver.class,
                    event -> event.appointmentId().equals(meeting));
            assertThat(handedOver.from().userId()).isEqualTo(alice.userId());
            assertThat(handedOver.to().userId()).isEqualTo(bob.userId());
            assertThat(handedOver.lock()).isEqualTo(lease);
            assertThat(handedOver.requestId()).isEqualTo(bobs.id());
            assertThat(handedOver.auto()).isFalse();
            DomainEvent.EditRequestUpdated granted = awaitEvent(DomainEvent.EditRequestUpdated.class,
                    event -> event.request().id().equals(bobs.id()));
            assertThat(granted.request().state()).isEqualTo(EditRequestState.GRANTED);
            assertThat(awaitEvent(DomainEvent.EditRequestUpdated.class,
                    event -> event.request().id().equals(carols.id())).position()).isEqualTo(1);
            assertThat(eventsSoFar(meeting)).noneMatch(event -> event instanceof DomainEvent.LockReleased);
            assertThat(eventsSoFar(meeting)).filteredOn(event -> event instanceof DomainEvent.LockAcquired).hasSize(1);
        }

        @Test
        void decliningClosesTheRequestAndTheHolderKeepsEditing() {
            UUID meeting = newAppointment();
            AppointmentLock alices = holds(alice, meeting);
            EditRequest bobs = asks(bob, meeting).request();

            EditRequest declined = requests.decline(new AnswerEditRequest.DeclineCommand(alice, meeting, bobs.id(),
                    "Finishing the agenda")).orElseThrow();

            assertThat(declined.state()).isEqualTo(EditRequestState.DECLINED);
            assertThat(declined.reason()).isEqualTo("Finishing the agenda");
            assertThat(liveLock(meeting)).isEqualTo(alices);
            assertThat(line(meeting)).isEmpty();
            assertThat(historyOldestFirst(meeting)).extracting(LockHistoryEntry::action)
                    .containsExactly(HistoryAction.ACQUIRED);
            DomainEvent.EditRequestUpdated updated = awaitEvent(DomainEvent.EditRequestUpdated.class,
                    event -> event.request().id().equals(bobs.id()));
            assertThat(updated.request().state()).isEqualTo(EditRequestState.DECLINED);
            assertThat(updated.position()).isZero();
        }

        @Test
        void onlyTheHolderAnswersAndOnlyOpenRequests() {
            UUID meeting = newAppointment();
            holds(alice, meeting);
            EditRequest bobs = asks(bob, meeting).request();

            Rejection byCarol = requests.accept(new AnswerEditRequest.Command(carol, meeting, bobs.id())).rejectionOrThrow();
            Rejection byBob = requests.decline(new AnswerEditRequest.DeclineCommand(bob, meeting, bobs.id(), null))
                    .rejectionOrThrow();
            Rejection unknown = requests.accept(new AnswerEditRequest.Command(alice, meeting, UUID.randomUUID()))
                    .rejectionOrThrow();

            assertThat(byCarol).isInstanceOf(Rejection.NotLockOwner.class);
            assertThat(((Rejection.NotLockOwner) byCarol).holder().userId()).isEqualTo(alice.userId());
            assertThat(byBob).isInstanceOf(Rejection.NotLockOwner.class);
            assertThat(unknown).isEqualTo(new Rejection.NotFound("edit request"));
            assertThat(line(meeting)).extracting(EditRequest::id).containsExactly(bobs.id());
            requests.decline(new AnswerEditRequest.DeclineCommand(alice, meeting, bobs.id(), null)).orElseThrow();
            assertThat(requests.accept(new AnswerEditRequest.Command(alice, meeting, bobs.id())).rejectionOrThrow())
                    .isEqualTo(new Rejection.NotFound("edit request"));
        }

        @Test
        void fencingTokensKeepRisingThroughHandoffs() {
            UUID meeting = newAppointment();
            List<AppointmentLock> leases = new ArrayList<>();
            leases.add(holds(alice, meeting));
            EditRequest bobs = asks(bob, meeting).request();
            leases.add(requests.accept(new AnswerEditRequest.Command(alice, meeting, bobs.id())).orElseThrow());
            EditRequest carols = asks(carol, meeting).request();
            leases.add(requests.accept(new AnswerEditRequest.Command(bob, meeting, carols.id())).orElseThrow());
            EditRequest alices = asks(alice, meeting).request();
            leases.add(requests.accept(new AnswerEditRequest.Command(carol, meeting, alices.id())).orElseThrow());

            assertThat(leases).extracting(AppointmentLock::holderId)
                    .containsExactly(alice.userId(), bob.userId(), carol.userId(), alice.userId());
            for (int i = 1; i < leases.size(); i++) {
                assertThat(leases.get(i).fencingToken().isNewerThan(leases.get(i - 1).fencingToken())).isTrue();
            }
            assertThat(historyOldestFirst(meeting)).filteredOn(row -> row.action() == HistoryAction.ACQUIRED)
                    .extracting(LockHistoryEntry::fencingToken)
                    .containsExactlyElementsOf(leases.stream().map(AppointmentLock::fencingToken).toList());
        }
    }

    @Nested
    class IdleHolders {
        @Test
        void anActiveHolderIsNeverDisplacedByARequest() {
            UUID meeting = newAppointment();
            holds(alice, meeting);
            EditRequest bobs = asks(bob, meeting).request();

            for (int round = 0; round < 4; round++) {
                store().advanceClock(Duration.ofSeconds(90));
                locks.acquire(new AcquireLock.Command(alice, meeting, null, null, true)).orElseThrow();
                requests.runDueSteps();
            }

            assertThat(liveLock(meeting).holderId()).isEqualTo(alice.userId());
            assertThat(line(meeting)).extracting(EditRequest::id).containsExactly(bobs.id());
            assertThat(historyOldestFirst(meeting)).extracting(LockHistoryEntry::action)
                    .containsExactly(HistoryAction.ACQUIRED);
        }

        @Test
        void anIdleHolderHandsOverToTheHeadOfTheLineOnceTheWaitIsOver() {
            UUID meeting = newAppointment();
            AppointmentLock alices = holds(alice, meeting);
            EditRequest bobs = asks(bob, meeting).request();
            asks(carol, meeting);
            store().advanceClock(Duration.ofSeconds(60));
            // Renewals without activity keep the lease but not the holder's claim to it.
            locks.acquire(new AcquireLock.Command(alice, meeting, null, null, false)).orElseThrow();
            store().advanceClock(Duration.ofSeconds(50));

            requests.runDueSteps();
            assertThat(liveLock(meeting).holderId()).as("before the idle time is over").isEqualTo(alice.userId());

            store().advanceClock(Duration.ofSeconds(15));
            assertThat(requests.runDueSteps()).isPositive();

            AppointmentLock lease = liveLock(meeting);
            assertThat(lease.holderId()).isEqualTo(bob.userId());
            assertThat(lease.fencingToken().isNewerThan(alices.fencingToken())).isTrue();
            assertThat(line(meeting)).extracting(EditRequest::requesterId).containsExactly(carol.userId());
            List<LockHistoryEntry> rows = historyOldestFirst(meeting);
            assertThat(rows).extracting(LockHistoryEntry::action)
                    .containsExactly(HistoryAction.ACQUIRED, HistoryAction.RELEASED, HistoryAction.ACQUIRED);
            assertThat(rows.get(1).metadata()).isEqualTo(Map.of("handedOverTo", bob.userId().toString(),
                    "requestId", bobs.id().toString()));
            assertThat(rows.get(2).metadata()).isEqualTo(Map.of("handedOverFrom", alice.userId().toString(),
                    "requestId", bobs.id().toString(), "auto", "holder_idle"));
            DomainEvent.LockHandedOver handedOver = awaitEvent(DomainEvent.LockHandedOver.class,
                    event -> event.appointmentId().equals(meeting));
            assertThat(handedOver.auto()).isTrue();
            assertThat(handedOver.to().userId()).isEqualTo(bob.userId());
            assertThat(requests.runDueSteps()).as("the step is taken once").isZero();
        }

        @Test
        void aRequestWaitsItsTurnEvenWhenTheHolderIsLongIdle() {
            UUID meeting = newAppointment();
            holds(alice, meeting);
            store().advanceClock(Duration.ofSeconds(200));
            asks(bob, meeting);
            store().advanceClock(Duration.ofSeconds(20));

            requests.runDueSteps();
            assertThat(liveLock(meeting).holderId()).isEqualTo(alice.userId());

            store().advanceClock(Duration.ofSeconds(15));
            requests.runDueSteps();
            assertThat(liveLock(meeting).holderId()).isEqualTo(bob.userId());
        }
    }

    @Nested
    class Offers {
        @Test
        void aReleasedLeaseIsOfferedToTheHeadOfTheLineAndRefusedToEveryoneElse() {
            UUID meeting = newAppointment();
            holds(alice, meeting);
            EditRequest bobs = asks(bob, meeting).request();
            EditRequest carols = asks(carol, meeting).request();

            locks.release(ReleaseLock.Command.of(alice, meeting)).orElseThrow();

            EditRequest offered = line(meeting).get(0);
            assertThat(offered.id()).isEqualTo(bobs.id());
            assertThat(offered.state()).isEqualTo(EditRequestState.OFFERED);
            DomainEvent.LockOffered offer = awaitEvent(DomainEvent.LockOffered.class,
                    event -> event.appointmentId().equals(meeting));
            assertThat(offer.requestId()).isEqualTo(bobs.id());
            assertThat(offer.userId()).isEqualTo(bob.userId());
            assertThat(offer.until()).isEqualTo(offered.offeredUntil());
            for (Actor other : List.of(carol, dave, alice)) {
                Rejection refusal = locks.acquire(AcquireLock.Command.of(other, meeting)).rejectionOrThrow();
                assertThat(refusal).isInstanceOf(Rejection.LockReserved.class);
                Rejection.LockReserved reserved = (Rejection.LockReserved) refusal;
                assertThat(reserved.code()).isEqualTo("lock_reserved");
                assertThat(reserved.reservedFor().userId()).isEqualTo(bob.userId());
                assertThat(reserved.until()).isEqualTo(offered.offeredUntil());
                assertThat(reserved.retryAfterSeconds()).isBetween(1L, POLICY.offer().toSeconds());
            }
            AskToEdit.Answer davesAsk = asks(dave, meeting);
            assertThat(davesAsk.lock()).isEmpty();
            assertThat(davesAsk.position()).isEqualTo(3);

            AcquireLock.Acquisition taken = locks.acquire(AcquireLock.Command.of(bob, meeting)).orElseThrow();

            assertThat(taken.lock().holderId()).isEqualTo(bob.userId());
            assertThat(taken.renewed()).isFalse();
            assertThat(line(meeting)).extracting(EditRequest::id).containsExactly(carols.id(), davesAsk.request().id());
            assertThat(historyOldestFirst(meeting).get(2).metadata()).containsEntry("requestId", bobs.id().toString());
            assertThat(awaitEvent(DomainEvent.EditRequestUpdated.class, event -> event.request().id().equals(bobs.id())
                    && event.request().state() == EditRequestState.GRANTED).position()).isZero();
        }

        @Test
        void theOfferedUserTakesTheLeaseByAskingToo() {
            UUID meeting = newAppointment();
            holds(alice, meeting);
            EditRequest bobs = asks(bob, meeting).request();
            locks.release(ReleaseLock.Command.of(alice, meeting)).orElseThrow();

            AskToEdit.Answer answer = asks(bob, meeting);

            assertThat(answer.created()).isFalse();
            assertThat(answer.request().id()).isEqualTo(bobs.id());
            assertThat(answer.request().state()).isEqualTo(EditRequestState.GRANTED);
            assertThat(answer.lock().orElseThrow().holderId()).isEqualTo(bob.userId());
            assertThat(line(meeting)).isEmpty();
        }

        @Test
        void aLapsedOfferExpiresAndPassesToTheNextInLine() {
            UUID meeting = newAppointment();
            holds(alice, meeting);
            EditRequest bobs = asks(bob, meeting).request();
            EditRequest carols = asks(carol, meeting).request();
            locks.release(ReleaseLock.Command.of(alice, meeting)).orElseThrow();
            store().advanceClock(POLICY.offer().minusSeconds(10));
            requests.runDueSteps();
            assertThat(line(meeting).get(0).state()).as("before the offer lapses").isEqualTo(EditRequestState.OFFERED);

            store().advanceClock(Duration.ofSeconds(11));
            assertThat(requests.runDueSteps()).isPositive();

            assertThat(line(meeting)).extracting(EditRequest::id, EditRequest::state)
                    .containsExactly(tuple(carols.id(), EditRequestState.OFFERED));
            assertThat(awaitEvent(DomainEvent.EditRequestUpdated.class, event -> event.request().id().equals(bobs.id())
                    && !event.request().isOpen()).request().state()).isEqualTo(EditRequestState.EXPIRED);
            assertThat(awaitEvent(DomainEvent.LockOffered.class, event -> event.requestId().equals(carols.id())).userId())
                    .isEqualTo(carol.userId());
            Rejection refusal = locks.acquire(AcquireLock.Command.of(bob, meeting)).rejectionOrThrow();
            assertThat(((Rejection.LockReserved) refusal).reservedFor().userId()).isEqualTo(carol.userId());
        }

        @Test
        void theLastLapsedOfferLeavesTheAppointmentFreeForAnyone() {
            UUID meeting = newAppointment();
            holds(alice, meeting);
            asks(bob, meeting);
            locks.release(ReleaseLock.Command.of(alice, meeting)).orElseThrow();
            store().advanceClock(POLICY.offer().plusSeconds(1));

            assertThat(holds(dave, meeting).holderId()).isEqualTo(dave.userId());
            assertThat(line(meeting)).isEmpty();
        }

        @Test
        void withdrawingTheOfferedRequestPassesTheOfferOn() {
            UUID meeting = newAppointment();
            holds(alice, meeting);
            EditRequest bobs = asks(bob, meeting).request();
            EditRequest carols = asks(carol, meeting).request();
            locks.release(ReleaseLock.Command.of(alice, meeting)).orElseThrow();

            requests.withdraw(new WithdrawEditRequest.Command(bob, meeting, bobs.id())).orElseThrow();

            assertThat(line(meeting)).extracting(EditRequest::id, EditRequest::state)
                    .containsExactly(tuple(carols.id(), EditRequestState.OFFERED));
        }

        @Test
        void aLeaseThatExpiresWhilePeopleWaitIsRecordedAndOfferedByTheTimedSteps() {
            UUID meeting = newAppointment();
            holds(alice, meeting);
            EditRequest bobs = asks(bob, meeting).request();
            store().advanceClock(Duration.ofSeconds(100));
            locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow();
            store().advanceClock(TTL.plusSeconds(1));

            assertThat(requests.runDueSteps()).isPositive();

            assertThat(historyOldestFirst(meeting)).extracting(LockHistoryEntry::action)
                    .containsExactly(HistoryAction.ACQUIRED, HistoryAction.EXPIRED);
            assertThat(line(meeting)).extracting(EditRequest::id, EditRequest::state)
                    .containsExactly(tuple(bobs.id(), EditRequestState.OFFERED));
            assertThat(locks.sweepExpired()).as("recorded once").isZero();
        }

        @Test
        void theSweeperOffersAnExpiredLeaseItRecords() {
            UUID meeting = newAppointment();
            holds(alice, meeting);
            asks(bob, meeting);
            store().advanceClock(Duration.ofSeconds(100));
            locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow();
            store().advanceClock(TTL.plusSeconds(1));

            assertThat(locks.sweepExpired()).isEqualTo(1);

            assertThat(line(meeting).get(0).state()).isEqualTo(EditRequestState.OFFERED);
            assertThat(awaitEvent(DomainEvent.LockOffered.class, event -> event.appointmentId().equals(meeting)).userId())
                    .isEqualTo(bob.userId());
        }

        @Test
        void aForceReleasedLeaseIsOfferedToTheHeadOfTheLine() {
            UUID meeting = newAppointment();
            holds(alice, meeting);
            asks(bob, meeting);

            locks.forceRelease(new ForceReleaseLock.Command(admin, meeting, "stuck")).orElseThrow();

            assertThat(line(meeting).get(0).state()).isEqualTo(EditRequestState.OFFERED);
        }

        @Test
        void anAdminTakeoverIgnoresTheReservationAndTheOfferWaitsAtTheHeadAgain() {
            UUID meeting = newAppointment();
            holds(alice, meeting);
            EditRequest bobs = asks(bob, meeting).request();
            locks.release(ReleaseLock.Command.of(alice, meeting)).orElseThrow();

            AppointmentLock admins = locks.takeOver(new TakeOverLock.Command(admin, meeting, "urgent fix")).orElseThrow();

            assertThat(admins.holderId()).isEqualTo(admin.userId());
            EditRequest waiting = line(meeting).get(0);
            assertThat(waiting.id()).isEqualTo(bobs.id());
            assertThat(waiting.state()).isEqualTo(EditRequestState.PENDING);
            assertThat(waiting.offeredUntil()).isNull();
            assertThat(awaitEvent(DomainEvent.EditRequestUpdated.class, event -> event.request().id().equals(bobs.id())
                    && event.request().state() == EditRequestState.PENDING).position()).isEqualTo(1);

            locks.release(ReleaseLock.Command.of(admin, meeting)).orElseThrow();
            assertThat(line(meeting).get(0).state()).isEqualTo(EditRequestState.OFFERED);
        }
    }

    @Nested
    class Deletion {
        @Test
        void deletingTheAppointmentExpiresItsRequests() {
            UUID meeting = newAppointment();
            AppointmentLock alices = holds(alice, meeting);
            EditRequest bobs = asks(bob, meeting).request();
            EditRequest carols = asks(carol, meeting).request();

            appointments.delete(new DeleteAppointment.Command(alice, meeting, null, alices.fencingToken().value()))
                    .orElseThrow();
            awaitEvent(DomainEvent.AppointmentDeleted.class, event -> event.appointmentId().equals(meeting));

            for (EditRequest request : List.of(bobs, carols)) {
                DomainEvent.EditRequestUpdated expired = awaitEvent(DomainEvent.EditRequestUpdated.class,
                        event -> event.request().id().equals(request.id()));
                assertThat(expired.request().state()).isEqualTo(EditRequestState.EXPIRED);
                assertThat(expired.position()).isZero();
            }
            assertThat(requests.openRequests(bob, meeting).rejectionOrThrow()).isEqualTo(new Rejection.NotFound("appointment"));
            assertThat(eventsSoFar(meeting)).noneMatch(event -> event instanceof DomainEvent.LockOffered);
            store().advanceClock(Duration.ofMinutes(10));
            assertThat(requests.runDueSteps()).isZero();
        }
    }

    @Nested
    class Races extends FairAccessRaces {
        @Override
        protected Setup setup() {
            return new Setup(store(), locks, requests, appointments, alice);
        }
    }
}
