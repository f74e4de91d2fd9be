package io.syncpoint.lock.core.service;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.FairAccessPolicy;
import io.syncpoint.lock.core.domain.HistoryAction;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.domain.LockState;
import io.syncpoint.lock.core.domain.LockStatistics;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.Page;
import io.syncpoint.lock.core.domain.PageRequest;
import io.syncpoint.lock.core.domain.Rejection;
import io.syncpoint.lock.core.domain.VersionPolicy;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.core.port.in.CleanUpHistory;
import io.syncpoint.lock.core.port.in.ForceReleaseLock;
import io.syncpoint.lock.core.port.in.GetLockHistory;
import io.syncpoint.lock.core.port.in.GetLockStatistics;
import io.syncpoint.lock.core.port.in.GetLockStatus;
import io.syncpoint.lock.core.port.in.ListLiveLocks;
import io.syncpoint.lock.core.port.in.ReleaseLock;
import io.syncpoint.lock.core.port.in.SweepExpiredLeases;
import io.syncpoint.lock.core.port.in.TakeOverLock;
import io.syncpoint.lock.core.port.out.AppointmentStore;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.port.out.LeaseReading;
import io.syncpoint.lock.core.port.out.LockHistory;
import io.syncpoint.lock.core.port.out.LockStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The lease rules, written once for every store; a lease that ends is offered to the head of the line. */
public final class LockService implements AcquireLock, ReleaseLock, ForceReleaseLock, TakeOverLock, GetLockStatus,
        GetLockHistory, GetLockStatistics, ListLiveLocks, SweepExpiredLeases, CleanUpHistory {

    private static final int SWEEP_BATCH = 500;

    private final LockStore locks;
    private final LockHistory history;
    private final AppointmentStore appointments;
    private final Leases leases;
    private final IdGenerator ids;

    /** With the default timings of fair access. */
    public LockService(LockStore locks, LockHistory history, AppointmentStore appointments,
                       LeasePolicy leasePolicy, IdGenerator ids) {
        this(locks, history, appointments, leasePolicy, FairAccessPolicy.defaults(), ids);
    }

    public LockService(LockStore locks, LockHistory history, AppointmentStore appointments,
                       LeasePolicy leasePolicy, FairAccessPolicy fairAccess, IdGenerator ids) {
        this.locks = locks;
        this.history = history;
        this.appointments = appointments;
        this.leases = new Leases(leasePolicy, fairAccess, ids);
        this.ids = ids;
    }

    public LeasePolicy leasePolicy() {
        return leases.leasePolicy();
    }

    @Override
    public Outcome<Acquisition> acquire(AcquireLock.Command command) {
        Actor actor = command.actor();
        return leases.inAppointment(locks, command.appointmentId(), (tx, now, settled) -> {
            AppointmentLock live = settled.liveOrNull();
            Optional<Rejection> versionProblem = VersionPolicy.check(live, actor.userId(), command.expectedVersion());
            if (versionProblem.isPresent()) {
                return Outcome.rejected(versionProblem.get());
            }
            if (live == null) {
                Optional<EditRequest> offer = settled.queue().offered();
                if (offer.isPresent() && !offer.get().isBy(actor.userId())) {
                    return Outcome.rejected(new Rejection.LockReserved(offer.get().requester(),
                            offer.get().offeredUntil(), now));
                }
                return Outcome.ok(new Acquisition(
                        leases.grantOutOfLine(tx, actor.asHolder(command.position()), now, Map.of()), false));
            }
            if (!live.isHeldBy(actor.userId())) {
                return Outcome.rejected(new Rejection.LockHeld(live, now));
            }
            return Outcome.ok(new Acquisition(
                    leases.renew(tx, live, now, command.position(), command.active()), true));
        });
    }

    @Override
    public Outcome<AppointmentLock> release(ReleaseLock.Command command) {
        Actor actor = command.actor();
        return leases.inAppointment(locks, command.appointmentId(), (tx, now, settled) -> {
            AppointmentLock live = settled.liveOrNull();
            Optional<Rejection> versionProblem = VersionPolicy.check(live, actor.userId(), command.expectedVersion());
            if (versionProblem.isPresent()) {
                return Outcome.rejected(versionProblem.get());
            }
            if (live == null) {
                return Outcome.rejected(new Rejection.NoLock());
            }
            if (!live.isHeldBy(actor.userId())) {
                return Outcome.rejected(new Rejection.NotLockOwner(live.holder()));
            }
            leases.liveLease().end(tx, live, HistoryAction.RELEASED, now, actor.userId(), null);
            return Outcome.ok(live);
        });
    }

    @Override
    public Outcome<AppointmentLock> forceRelease(ForceReleaseLock.Command command) {
        Actor admin = command.actor();
        if (!admin.isAdmin()) {
            return Outcome.rejected(new Rejection.Forbidden("Only admins may force-release a lock."));
        }
        return leases.inAppointment(locks, command.appointmentId(), (tx, now, settled) -> {
            AppointmentLock live = settled.liveOrNull();
            if (live == null) {
                return Outcome.rejected(new Rejection.NoLock());
            }
            leases.liveLease().end(tx, live, HistoryAction.FORCE_RELEASED, now, admin.userId(), command.reason());
            return Outcome.ok(live);
        });
    }

    /** Ignores a standing offer: the offered request waits at the head of the line again. */
    @Override
    public Outcome<AppointmentLock> takeOver(TakeOverLock.Command command) {
        Actor admin = command.actor();
        if (!admin.isAdmin()) {
            return Outcome.rejected(new Rejection.Forbidden("Only admins may take over a lock."));
        }
        return leases.inAppointment(locks, command.appointmentId(), (tx, now, settled) -> {
            AppointmentLock previous = settled.liveOrNull();
            if (previous == null) {
                return Outcome.ok(leases.grantOutOfLine(tx, admin.asHolder(null), now, Map.of()));
            }
            if (previous.isHeldBy(admin.userId())) {
                return Outcome.ok(leases.renew(tx, previous, now, null, true));
            }
            tx.deleteLock(previous);
            tx.appendHistory(LockHistoryEntry.ended(ids.newId(), previous, HistoryAction.FORCE_RELEASED, now,
                    admin.userId(), command.reason()));
            AppointmentLock taken = leases.grantOutOfLine(tx, admin.asHolder(null), now,
                    Map.of("takeoverOf", previous.id().toString()));
            tx.publish(new DomainEvent.AdminTakeover(previous.appointmentId(), taken.holder(), previous.holder(), taken));
            return Outcome.ok(taken);
        });
    }

    @Override
    public Outcome<LockStatus> status(Actor actor, UUID appointmentId) {
        LeaseReading reading = locks.readLease(appointmentId);
        if (!reading.appointmentExists()) {
            return Outcome.rejected(new Rejection.NotFound("appointment"));
        }
        Instant now = reading.now();
        Optional<AppointmentLock> live = reading.lease().filter(lock -> lock.isLiveAt(now));
        return Outcome.ok(new LockStatus(LockState.of(live.orElse(null), actor.userId()), live, now));
    }

    @Override
    public Outcome<Page<LockHistoryEntry>> historyOfAppointment(Actor actor, UUID appointmentId, PageRequest page) {
        return Outcome.ok(history.ofAppointment(appointmentId, page));
    }

    @Override
    public Outcome<Page<LockHistoryEntry>> historyOfUser(Actor actor, UUID userId, PageRequest page) {
        if (!actor.isAdmin() && !actor.userId().equals(userId)) {
            return Outcome.rejected(new Rejection.Forbidden("Only admins may read another user's lock history."));
        }
        return Outcome.ok(history.ofUser(userId, page));
    }

    @Override
    public Outcome<LockStatistics> statistics(Actor actor, UUID appointmentId) {
        return Outcome.ok(history.statistics(appointmentId));
    }

    @Override
    public Outcome<List<AppointmentLock>> liveLocks(Actor actor) {
        if (!actor.isAdmin()) {
            return Outcome.rejected(new Rejection.Forbidden("Only admins may list all locks."));
        }
        return Outcome.ok(liveLeases());
    }

    /** How many leases are live right now, for monitoring. */
    public long liveLeaseCount() {
        return liveLeases().size();
    }

    private List<AppointmentLock> liveLeases() {
        Instant now = locks.now();
        return locks.findAllLocks().stream().filter(lock -> lock.isLiveAt(now)).toList();
    }

    @Override
    public int sweepExpired() {
        int recorded = 0;
        List<AppointmentLock> candidates;
        do {
            candidates = locks.findExpiredLocks(SWEEP_BATCH);
            for (AppointmentLock candidate : candidates) {
                // Another node, or an acquire, may have ended or replaced the lease since the read.
                boolean expiredHere = locks.inTransaction(candidate.appointmentId(), tx -> {
                    Optional<AppointmentLock> row = tx.lock();
                    return row.isPresent() && row.get().id().equals(candidate.id())
                            && leases.settle(tx, tx.now()).live().isEmpty();
                });
                if (expiredHere) {
                    recorded++;
                }
            }
        } while (candidates.size() == SWEEP_BATCH);
        return recorded;
    }

    @Override
    public Outcome<Long> cleanUpHistory(CleanUpHistory.Command command) {
        if (!command.actor().isAdmin()) {
            return Outcome.rejected(new Rejection.Forbidden("Only admins may clean up the lock history."));
        }
        Instant cutoff = locks.now().minus(Duration.ofDays(command.daysToKeep()));
        return Outcome.ok(history.deleteOlderThan(cutoff));
    }
}
