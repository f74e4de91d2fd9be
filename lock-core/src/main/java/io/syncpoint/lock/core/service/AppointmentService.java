package io.syncpoint.lock.core.service;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.FairAccessPolicy;
import io.syncpoint.lock.core.domain.HistoryAction;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.Page;
import io.syncpoint.lock.core.domain.Rejection;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.core.port.in.AppointmentView;
import io.syncpoint.lock.core.port.in.CreateAppointment;
import io.syncpoint.lock.core.port.in.DeleteAppointment;
import io.syncpoint.lock.core.port.in.GetAppointment;
import io.syncpoint.lock.core.port.in.ListAppointments;
import io.syncpoint.lock.core.port.in.UpdateAppointment;
import io.syncpoint.lock.core.port.out.AppointmentStore;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.port.out.LockStore;
import io.syncpoint.lock.core.port.out.LockTransaction;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Appointments, whose changes are guarded by the lease: holder, fencing token, then version.
 * Deleting an appointment expires its edit requests.
 */
public final class AppointmentService
        implements CreateAppointment, GetAppointment, ListAppointments, UpdateAppointment, DeleteAppointment {

    private final AppointmentStore appointments;
    private final LockStore locks;
    private final IdGenerator ids;
    private final Clock clock;
    private final QueueKeeper queue;
    private final LiveLease liveLease;

    /** With the default timings of fair access. */
    public AppointmentService(AppointmentStore appointments, LockStore locks, IdGenerator ids, Clock clock) {
        this(appointments, locks, ids, clock, FairAccessPolicy.defaults());
    }

    public AppointmentService(AppointmentStore appointments, LockStore locks, IdGenerator ids, Clock clock,
                              FairAccessPolicy fairAccess) {
        this.appointments = appointments;
        this.locks = locks;
        this.ids = ids;
        this.clock = clock;
        this.queue = new QueueKeeper(fairAccess);
        this.liveLease = new LiveLease(ids, queue);
    }

    @Override
    public Appointment create(CreateAppointment.Command command) {
        // Microseconds: the finest time every store keeps (PostgreSQL's timestamptz), so a stored appointment reads back equal.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Appointment appointment = Appointment.create(ids.newId(), command.details(), command.actor().userId(), now);
        appointments.insertAppointment(appointment);
        return appointment;
    }

    @Override
    public Outcome<AppointmentView> get(Actor actor, UUID appointmentId) {
        Optional<Appointment> appointment = appointments.findAppointment(appointmentId);
        if (appointment.isEmpty()) {
            return Outcome.rejected(new Rejection.NotFound("appointment"));
        }
        Instant now = locks.now();
        Optional<AppointmentLock> live = locks.findLock(appointmentId).filter(lock -> lock.isLiveAt(now));
        return Outcome.ok(new AppointmentView(appointment.get(), live));
    }

    @Override
    public Page<AppointmentView> list(ListAppointments.Query query) {
        Page<Appointment> page = appointments.listAppointments(query.from(), query.to(), query.page());
        Map<UUID, AppointmentLock> rows = locks.findLocks(page.data().stream().map(Appointment::id).toList());
        Instant now = locks.now();
        return page.map(appointment -> new AppointmentView(appointment,
                Optional.ofNullable(rows.get(appointment.id())).filter(lock -> lock.isLiveAt(now))));
    }

    @Override
    public Outcome<Appointment> update(UpdateAppointment.Command command) {
        Actor actor = command.actor();
        return locks.inTransaction(command.appointmentId(), tx -> {
            Optional<Rejection> refusal = guardWrite(tx, actor, command.fencingToken(), command.expectedVersion(), false);
            if (refusal.isPresent()) {
                return Outcome.rejected(refusal.get());
            }
            Appointment revised = tx.appointment().orElseThrow().revise(command.details(), tx.now());
            tx.updateAppointment(revised);
            tx.publish(new DomainEvent.AppointmentUpdated(revised.id(), revised.version(), actor.userId()));
            return Outcome.ok(revised);
        });
    }

    @Override
    public Outcome<Appointment> delete(DeleteAppointment.Command command) {
        Actor actor = command.actor();
        return locks.inTransaction(command.appointmentId(), tx -> {
            Optional<Rejection> refusal = guardWrite(tx, actor, command.fencingToken(), command.expectedVersion(),
                    actor.isAdmin());
            if (refusal.isPresent()) {
                return Outcome.rejected(refusal.get());
            }
            Instant now = tx.now();
            // The requests expire first, so the ending lease is offered to nobody.
            queue.expireAll(tx, now);
            liveLease.in(tx, now).ifPresent(lease -> liveLease.end(tx, lease,
                    lease.isHeldBy(actor.userId()) ? HistoryAction.RELEASED : HistoryAction.FORCE_RELEASED,
                    now, actor.userId(), "appointment deleted"));
            Appointment deleted = tx.appointment().orElseThrow();
            tx.deleteAppointment();
            tx.publish(new DomainEvent.AppointmentDeleted(deleted.id()));
            return Outcome.ok(deleted);
        });
    }

    /**
     * The write guard: the appointment exists; the caller holds the live lease (unless exempt); a
     * presented token is the lease's (a holder must present one); a given version is current.
     */
    private Optional<Rejection> guardWrite(LockTransaction tx, Actor actor, Long token, Long expectedVersion,
                                           boolean leaseExempt) {
        Optional<Appointment> appointment = tx.appointment();
        if (appointment.isEmpty()) {
            return Optional.of(new Rejection.NotFound("appointment"));
        }
        Optional<AppointmentLock> live = liveLease.in(tx, tx.now());
        boolean holdsLease = live.isPresent() && live.get().isHeldBy(actor.userId());
        if (!holdsLease && !leaseExempt) {
            return Optional.of(new Rejection.LockRequired());
        }
        if (holdsLease || token != null) {
            if (token == null || live.isEmpty() || live.get().fencingToken().value() != token) {
                return Optional.of(new Rejection.StaleLockToken(token));
            }
        }
        long current = appointment.get().version();
        if (expectedVersion != null && current != expectedVersion) {
            return Optional.of(new Rejection.PreconditionFailed(current, expectedVersion));
        }
        return Optional.empty();
    }
}
