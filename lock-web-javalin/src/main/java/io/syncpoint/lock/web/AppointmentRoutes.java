package io.syncpoint.lock.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.AppointmentStatus;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.PageRequest;
import io.syncpoint.lock.core.port.in.AppointmentView;
import io.syncpoint.lock.core.port.in.CreateAppointment;
import io.syncpoint.lock.core.port.in.DeleteAppointment;
import io.syncpoint.lock.core.port.in.ListAppointments;
import io.syncpoint.lock.core.port.in.UpdateAppointment;
import io.syncpoint.lock.core.service.AppointmentService;
import java.util.UUID;

/**
 * Appointments with optimistic concurrency: every answer carries {@code ETag: "<version>"}; a save
 * sends it back in {@code If-Match} together with the lease's fencing token in {@code Lock-Token}.
 * Whether the save is allowed is the core's decision.
 */
final class AppointmentRoutes {
    private final AppointmentService appointments;
    private final Requests requests;
    private final Responses responses;

    AppointmentRoutes(AppointmentService appointments, Requests requests, Responses responses) {
        this.appointments = appointments;
        this.requests = requests;
        this.responses = responses;
    }

    void register(RoutesConfig routes) {
        String base = WebServer.BASE + "/appointments";
        routes.post(base, this::create, Access.USER);
        routes.get(base, this::list, Access.USER);
        routes.get(base + "/{id}", this::get, Access.USER);
        routes.put(base + "/{id}", this::update, Access.USER);
        routes.delete(base + "/{id}", this::delete, Access.USER);
    }

    private void create(Context ctx) {
        AppointmentDetails details = details(requests.body(ctx));
        Appointment created = appointments.create(new CreateAppointment.Command(Authentication.actor(ctx), details));
        ctx.header("Location", WebServer.BASE + "/appointments/" + created.id());
        ctx.header("ETag", JsonViews.etag(created.version()));
        responses.json(ctx, 201, JsonViews.appointment(created, null));
    }

    private void list(Context ctx) {
        PageRequest page = new PageRequest(Requests.queryInt(ctx, "limit", PageRequest.DEFAULT_LIMIT),
                Requests.queryLong(ctx, "offset", 0));
        ListAppointments.Query query = new ListAppointments.Query(Authentication.actor(ctx),
                Requests.queryInstant(ctx, "from"), Requests.queryInstant(ctx, "to"), page);
        responses.json(ctx, 200, JsonViews.page(appointments.list(query), JsonViews::appointment));
    }

    private void get(Context ctx) {
        AppointmentView view = Rejections.valueOf(appointments.get(Authentication.actor(ctx), Requests.pathId(ctx, "id")));
        ctx.header("ETag", JsonViews.etag(view.appointment().version()));
        responses.json(ctx, 200, JsonViews.appointment(view));
    }

    private void update(Context ctx) {
        Actor actor = Authentication.actor(ctx);
        UUID id = Requests.pathId(ctx, "id");
        Long expectedVersion = Requests.ifMatchVersion(ctx);
        if (expectedVersion == null) {
            throw new ApiProblem(428, "precondition_required", "Precondition required",
                    "Send If-Match with the ETag of the version you edited.");
        }
        Long token = Requests.lockToken(ctx);
        AppointmentDetails details = details(requests.body(ctx));
        Appointment saved = Rejections.valueOf(appointments.update(
                new UpdateAppointment.Command(actor, id, expectedVersion, token, details)));
        ctx.header("ETag", JsonViews.etag(saved.version()));
        Outcome<AppointmentView> now = appointments.get(actor, id);
        AppointmentLock lock = now.isOk() ? now.orElseThrow().lock().orElse(null) : null;
        responses.json(ctx, 200, JsonViews.appointment(saved, lock));
    }

    private void delete(Context ctx) {
        DeleteAppointment.Command command = new DeleteAppointment.Command(Authentication.actor(ctx),
                Requests.pathId(ctx, "id"), Requests.ifMatchVersion(ctx), Requests.lockToken(ctx));
        Rejections.valueOf(appointments.delete(command));
        ctx.status(204);
    }

    private static AppointmentDetails details(ObjectNode body) {
        String status = Requests.optionalText(body, "status");
        return new AppointmentDetails(
                Requests.requiredText(body, "title"),
                Requests.optionalText(body, "description"),
                Requests.requiredInstant(body, "startsAt"),
                Requests.requiredInstant(body, "endsAt"),
                Requests.optionalText(body, "location"),
                Requests.optionalTextList(body, "attendees"),
                status == null ? null : AppointmentStatus.fromWireName("status", status));
    }
}
