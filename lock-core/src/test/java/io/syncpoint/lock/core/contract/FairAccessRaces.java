package io.syncpoint.lock.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.HistoryAction;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.PageRequest;
import io.syncpoint.lock.core.domain.Rejection;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.core.port.in.AnswerEditRequest;
import io.syncpoint.lock.core.port.in.AskToEdit;
import io.syncpoint.lock.core.port.in.CreateAppointment;
import io.syncpoint.lock.core.port.in.ReleaseLock;
import io.syncpoint.lock.core.service.AppointmentService;
import io.syncpoint.lock.core.service.EditRequestService;
import io.syncpoint.lock.core.service.LockService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Races on fair access: every store runs these, with many threads against one appointment. */
public abstract class FairAccessRaces {
    private static final int ASKERS = 25;
    private static final int ASKING_ROUNDS = 8;
    private static final int HANDOFF_ROUNDS = 30;

    /** What a race runs on: the store and the services over it; {@code holder} creates the appointments. */
    public record Setup(StoreFixture store, LockService locks, EditRequestService requests,
                        AppointmentService appointments, Actor holder) {
    }

    protected abstract Setup setup();

    private static List<Actor> users(Setup setup, String prefix, int count) {
        List<Actor> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UserAccount account = new UserAccount(UUID.randomUUID(), prefix + i + "@example.com", "Asker " + i,
                    Role.USER, "hash-not-used", Instant.now());
            assertThat(setup.store().users().insertUser(account)).isTrue();
            users.add(account.asActor());
        }
        return users;
    }

    private static UUID newAppointment(Setup setup) {
        Instant start = Instant.parse("2026-06-01T08:00:00Z");
        AppointmentDetails details = new AppointmentDetails("Busy", null, start, start.plus(Duration.ofHours(1)),
                null, List.of(), null);
        return setup.appointments().create(new CreateAppointment.Command(setup.holder(), details)).id();
    }

    @Test
    void usersAskingAtOnceGetDistinctGapFreePlacesUpToTheLimit() throws Exception {
        Setup setup = setup();
        int limit = setup.requests().fairAccessPolicy().maxOpenRequests();
        List<Actor> askers = users(setup, "asker", ASKERS);
        ExecutorService pool = Executors.newFixedThreadPool(ASKERS);
        try {
            for (int round = 0; round < ASKING_ROUNDS; round++) {
                UUID appointmentId = newAppointment(setup);
                setup.locks().acquire(AcquireLock.Command.of(setup.holder(), appointmentId)).orElseThrow();

                List<Outcome<AskToEdit.Answer>> outcomes = AllAtOnce.run(pool, askers.stream()
                        .<Callable<Outcome<AskToEdit.Answer>>>map(asker ->
                                () -> setup.requests().ask(new AskToEdit.Command(asker, appointmentId, null)))
                        .toList());

                List<AskToEdit.Answer> answers = outcomes.stream().filter(Outcome::isOk).map(Outcome::orElseThrow).toList();
                assertThat(outcomes).filteredOn(outcome -> !outcome.isOk())
                        .extracting(Outcome::rejectionOrThrow)
                        .containsOnly(new Rejection.QueueFull(limit))
                        .hasSize(ASKERS - limit);
                assertThat(answers).extracting(AskToEdit.Answer::position)
                        .as("places of round %d", round)
                        .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, limit).boxed().toList());
                List<EditRequest> line = setup.requests().openRequests(setup.holder(), appointmentId).orElseThrow();
                assertThat(line).hasSize(limit);
                for (AskToEdit.Answer answer : answers) {
                    assertThat(line.get(answer.position() - 1).id()).isEqualTo(answer.request().id());
                }
                Set<Long> tickets = new HashSet<>();
                line.forEach(request -> tickets.add(request.ticket()));
                assertThat(tickets).hasSize(limit);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The holder accepts, the timed steps run and the holder releases, all at once; in every other
     * round the idle handoff is due as well. Whichever comes first decides; the others find nothing left
     * to do. The requester ends up holding the lease (taking the offer when the release won) and the
     * history has exactly one lease ending and one beginning.
     */
    @Test
    void acceptIdleHandoffAndReleaseRacingLeaveOneNewHolderAndOneHistoryPair() throws Exception {
        Setup setup = setup();
        Actor holder = setup.holder();
        Actor requester = users(setup, "requester", 1).get(0);
        Duration idleAndHandoff = setup.requests().fairAccessPolicy().idle().plusSeconds(5);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        int accepted = 0;
        int released = 0;
        int automatic = 0;
        try {
            for (int round = 0; round < HANDOFF_ROUNDS; round++) {
                UUID appointmentId = newAppointment(setup);
                AppointmentLock first = setup.locks().acquire(AcquireLock.Command.of(holder, appointmentId))
                        .orElseThrow().lock();
                EditRequest request = setup.requests().ask(new AskToEdit.Command(requester, appointmentId, null))
                        .orElseThrow().request();
                if (round % 2 == 0) {
                    setup.store().advanceClock(idleAndHandoff);
                }

                List<Outcome<?>> outcomes = AllAtOnce.run(pool, List.<Callable<Outcome<?>>>of(
                        () -> setup.requests().accept(new AnswerEditRequest.Command(holder, appointmentId, request.id())),
                        () -> {
                            setup.requests().runDueSteps();
                            return Outcome.ok(0);
                        },
                        () -> setup.locks().release(ReleaseLock.Command.of(holder, appointmentId))));
                boolean acceptWon = outcomes.get(0).isOk();
                boolean releaseWon = outcomes.get(2).isOk();
                assertThat(acceptWon && releaseWon).as("accept and release both won in round %d", round).isFalse();
                if (releaseWon) {
                    // The lease was offered to the requester, who takes it.
                    setup.locks().acquire(AcquireLock.Command.of(requester, appointmentId)).orElseThrow();
                }

                AppointmentLock live = setup.locks().status(holder, appointmentId).orElseThrow().lock().orElseThrow();
                assertThat(live.holderId()).isEqualTo(requester.userId());
                assertThat(live.fencingToken().isNewerThan(first.fencingToken())).isTrue();
                assertThat(setup.requests().openRequests(holder, appointmentId).orElseThrow()).isEmpty();
                List<LockHistoryEntry> rows = oldestFirst(setup, appointmentId);
                assertThat(rows).extracting(LockHistoryEntry::action).as("history of round %d", round)
                        .containsExactly(HistoryAction.ACQUIRED, HistoryAction.RELEASED, HistoryAction.ACQUIRED);
                assertThat(rows.get(2).lockId()).isEqualTo(live.id());
                assertThat(rows.get(2).metadata()).containsEntry("requestId", request.id().toString());
                boolean auto = "holder_idle".equals(rows.get(2).metadata().get("auto"));
                assertThat(auto).isEqualTo(!acceptWon && !releaseWon);
                accepted += acceptWon ? 1 : 0;
                released += releaseWon ? 1 : 0;
                automatic += auto ? 1 : 0;
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(accepted + released + automatic).isEqualTo(HANDOFF_ROUNDS);
        assertThat(automatic).as("every round with the handoff due").isGreaterThanOrEqualTo(HANDOFF_ROUNDS / 2);
    }

    private static List<LockHistoryEntry> oldestFirst(Setup setup, UUID appointmentId) {
        List<LockHistoryEntry> rows = new ArrayList<>(setup.store().history()
                .ofAppointment(appointmentId, PageRequest.first(PageRequest.MAX_LIMIT)).data());
        Collections.reverse(rows);
        return rows;
    }
}
