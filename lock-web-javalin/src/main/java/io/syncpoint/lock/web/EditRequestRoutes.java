package io.syncpoint.lock.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.port.in.AnswerEditRequest;
import io.syncpoint.lock.core.port.in.AskToEdit;
import io.syncpoint.lock.core.port.in.WithdrawEditRequest;
import io.syncpoint.lock.core.service.EditRequestService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fair access: asking to edit, the line of open requests, withdrawing, and the holder's answer. */
final class EditRequestRoutes {
    private final EditRequestService editRequests;
    private final Requests requests;
    private final Responses responses;
    private final RateLimiter rateLimiter;

    EditRequestRoutes(EditRequestService editRequests, Requests requests, Responses responses, RateLimiter rateLimiter) {
        this.editRequests = editRequests;
        this.requests = requests;
        this.responses = responses;
        this.rateLimiter = rateLimiter;
    }

    void register(RoutesConfig routes) {
        String line = WebServer.BASE + "/appointments/{id}/edit-requests";
        routes.post(line, this::ask, Access.USER);
        routes.get(line, this::openRequests, Access.USER);
        routes.delete(line + "/{rid}", this::withdraw, Access.USER);
        routes.post(line + "/{rid}/accept", this::accept, Access.USER);
        routes.post(line + "/{rid}/decline", this::decline, Access.USER);
    }

    /** 201 for a new request (or one granted at once, with its lock), 200 for the caller's open request again. */
    private void ask(Context ctx) {
        Actor actor = Authentication.actor(ctx);
        // Asking may grant a lease, so it draws from the lock-attempt allowance like acquiring does.
        rateLimiter.chargeLockAttempt("user:" + actor.userId());
        ObjectNode body = requests.body(ctx);
        AskToEdit.Answer answer = Rejections.valueOf(editRequests.ask(new AskToEdit.Command(actor,
                Requests.pathId(ctx, "id"), Requests.optionalText(body, "message"))));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("request", JsonViews.editRequest(answer.request(), answer.position()));
        answer.lock().ifPresent(lock -> json.put("lock", JsonViews.lock(lock)));
        responses.json(ctx, answer.created() ? 201 : 200, json);
    }

    private void openRequests(Context ctx) {
        List<EditRequest> line = Rejections.valueOf(editRequests.openRequests(Authentication.actor(ctx),
                Requests.pathId(ctx, "id")));
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < line.size(); i++) {
            data.add(JsonViews.editRequest(line.get(i), i + 1));
        }
        responses.json(ctx, 200, JsonViews.object("data", data));
    }

    private void withdraw(Context ctx) {
        EditRequest withdrawn = Rejections.valueOf(editRequests.withdraw(new WithdrawEditRequest.Command(
                Authentication.actor(ctx), Requests.pathId(ctx, "id"), Requests.pathId(ctx, "rid"))));
        responses.json(ctx, 200, closed(withdrawn));
    }

    private void accept(Context ctx) {
        AppointmentLock handedOver = Rejections.valueOf(editRequests.accept(new AnswerEditRequest.Command(
                Authentication.actor(ctx), Requests.pathId(ctx, "id"), Requests.pathId(ctx, "rid"))));
        responses.json(ctx, 200, JsonViews.object("lock", JsonViews.lock(handedOver)));
    }

    private void decline(Context ctx) {
        ObjectNode body = requests.body(ctx);
        EditRequest declined = Rejections.valueOf(editRequests.decline(new AnswerEditRequest.DeclineCommand(
                Authentication.actor(ctx), Requests.pathId(ctx, "id"), Requests.pathId(ctx, "rid"),
                Requests.optionalText(body, "reason"))));
        responses.json(ctx, 200, closed(declined));
    }

    /** A request that left the line has no position. */
    private static Map<String, Object> closed(EditRequest request) {
        return JsonViews.object("request", JsonViews.editRequest(request, 0));
    }
}
