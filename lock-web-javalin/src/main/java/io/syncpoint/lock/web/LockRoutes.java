package io.syncpoint.lock.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.Page;
import io.syncpoint.lock.core.domain.PageRequest;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.core.port.in.CleanUpHistory;
import io.syncpoint.lock.core.port.in.ForceReleaseLock;
import io.syncpoint.lock.core.port.in.GetLockStatus;
import io.syncpoint.lock.core.port.in.ReleaseLock;
import io.syncpoint.lock.core.port.in.TakeOverLock;
import io.syncpoint.lock.core.service.LockService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Leases: status, acquire or renew, release, the admin's force-release and takeover, history and statistics. */
final class LockRoutes {
    private final LockService locks;
    private final Requests requests;
    private final Responses responses;
    private final RateLimiter rateLimiter;
    private final HttpMetrics metrics;

    LockRoutes(LockService locks, Requests requests, Responses responses, RateLimiter rateLimiter, HttpMetrics metrics) {
        this.locks = locks;
        this.requests = requests;
        this.responses = responses;
        this.rateLimiter = rateLimiter;
        this.metrics = metrics;
    }

    void register(RoutesConfig routes) {
        String appointment = WebServer.BASE + "/appointments/{id}";
        routes.get(appointment + "/lock-status", this::status, Access.USER);
        routes.post(appointment + "/acquire-lock", this::acquire, Access.USER);
        routes.delete(appointment + "/release-lock", this::release, Access.USER);
        routes.delete(appointment + "/force-release-lock", this::forceRelease, Access.ADMIN);
        routes.post(appointment + "/takeover-lock", this::takeOver, Access.ADMIN);
        routes.get(appointment + "/lock-history", this::appointmentHistory, Access.USER);
        routes.get(appointment + "/lock-statistics", this::statistics, Access.USER);
        routes.get(WebServer.BASE + "/users/{id}/lock-history", this::userHistory, Access.USER);
        routes.get(WebServer.BASE + "/locks", this::liveLocks, Access.ADMIN);
        routes.post(WebServer.BASE + "/admin/cleanup-history", this::cleanUpHistory, Access.ADMIN);
    }

    private void status(Context ctx) {
        GetLockStatus.LockStatus status = Rejections.valueOf(
                locks.status(Authentication.actor(ctx), Requests.pathId(ctx, "id")));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("state", status.state().wireName());
        json.put("lock", JsonViews.lock(status.lock().orElse(null)));
        json.put("serverTime", status.serverTime().toString());
        responses.json(ctx, 200, json);
    }

    private void acquire(Context ctx) {
        Actor actor = Authentication.actor(ctx);
        rateLimiter.chargeLockAttempt("user:" + actor.userId());
        ObjectNode body = requests.body(ctx);
        AcquireLock.Command command = new AcquireLock.Command(actor, Requests.pathId(ctx, "id"),
                Requests.optionalLong(body, "expectedVersion"), Requests.optionalText(body, "position"),
                Requests.optionalBoolean(body, "active", true));
        Outcome<AcquireLock.Acquisition> outcome = locks.acquire(command);
        AcquireLock.Acquisition acquisition = counted("acquire", outcome);
        metrics.recordLockOutcome("acquire", acquisition.renewed() ? "renewed" : "ok");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("lock", JsonViews.lock(acquisition.lock()));
        json.put("renewed", acquisition.renewed());
        responses.json(ctx, 200, json);
    }

    private void release(Context ctx) {
        ObjectNode body = requests.body(ctx);
        ReleaseLock.Command command = new ReleaseLock.Command(Authentication.actor(ctx), Requests.pathId(ctx, "id"),
                Requests.optionalLong(body, "expectedVersion"));
        AppointmentLock ended = counted("release", locks.release(command));
        metrics.recordLockOutcome("release", "ok");
        responses.json(ctx, 200, released(ended));
    }

    private void forceRelease(Context ctx) {
        ObjectNode body = requests.body(ctx);
        ForceReleaseLock.Command command = new ForceReleaseLock.Command(Authentication.actor(ctx),
                Requests.pathId(ctx, "id"), Requests.optionalText(body, "reason"));
        AppointmentLock ended = counted("force_release", locks.forceRelease(command));
        metrics.recordLockOutcome("force_release", "ok");
        responses.json(ctx, 200, released(ended));
    }

    private void takeOver(Context ctx) {
        Actor admin = Authentication.actor(ctx);
        rateLimiter.chargeLockAttempt("user:" + admin.userId());
        ObjectNode body = requests.body(ctx);
        TakeOverLock.Command command = new TakeOverLock.Command(admin, Requests.pathId(ctx, "id"),
                Requests.optionalText(body, "reason"));
        AppointmentLock taken = counted("takeover", locks.takeOver(command));
        metrics.recordLockOutcome("takeover", "ok");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("lock", JsonViews.lock(taken));
        responses.json(ctx, 200, json);
    }

    private void appointmentHistory(Context ctx) {
        Page<LockHistoryEntry> page = Rejections.valueOf(locks.historyOfAppointment(Authentication.actor(ctx),
                Requests.pathId(ctx, "id"), pageOf(ctx)));
        responses.json(ctx, 200, JsonViews.page(page, JsonViews::historyEntry));
    }

    private void userHistory(Context ctx) {
        Page<LockHistoryEntry> page = Rejections.valueOf(locks.historyOfUser(Authentication.actor(ctx),
                Requests.pathId(ctx, "id"), pageOf(ctx)));
        responses.json(ctx, 200, JsonViews.page(page, JsonViews::historyEntry));
    }

    private void statistics(Context ctx) {
        responses.json(ctx, 200, JsonViews.statistics(Rejections.valueOf(
                locks.statistics(Authentication.actor(ctx), Requests.pathId(ctx, "id")))));
    }

    private void liveLocks(Context ctx) {
        List<AppointmentLock> live = Rejections.valueOf(locks.liveLocks(Authentication.actor(ctx)));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("data", live.stream().map(JsonViews::lock).toList());
        json.put("total", live.size());
        responses.json(ctx, 200, json);
    }

    private void cleanUpHistory(Context ctx) {
        Long days = Requests.optionalLong(requests.body(ctx), "daysToKeep");
        if (days == null) {
            throw ApiProblem.invalid("daysToKeep", "is required");
        }
        if (days > CleanUpHistory.Command.MAX_DAYS || days < 0) {
            throw ApiProblem.invalid("daysToKeep", "must be between 0 and " + CleanUpHistory.Command.MAX_DAYS);
        }
        long deleted = Rejections.valueOf(locks.cleanUpHistory(
                new CleanUpHistory.Command(Authentication.actor(ctx), days.intValue())));
        responses.json(ctx, 200, JsonViews.object("deletedCount", deleted));
    }

    /** The value, or the rejection as a problem; either way the outcome is counted. */
    private <T> T counted(String operation, Outcome<T> outcome) {
        if (outcome instanceof Outcome.Rejected<T> rejected) {
            metrics.recordLockOutcome(operation, rejected.rejection().code());
        }
        return Rejections.valueOf(outcome);
    }

    private static PageRequest pageOf(Context ctx) {
        return new PageRequest(Requests.queryInt(ctx, "limit", PageRequest.DEFAULT_LIMIT),
                Requests.queryLong(ctx, "offset", 0));
    }

    private static Map<String, Object> released(AppointmentLock ended) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("released", true);
        json.put("lock", JsonViews.lock(ended));
        return json;
    }
}
