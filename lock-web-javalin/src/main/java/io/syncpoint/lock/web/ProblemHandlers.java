package io.syncpoint.lock.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpResponseException;
import io.syncpoint.lock.core.domain.ValidationException;
import io.syncpoint.lock.core.port.out.StoreUnavailableException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into a problem+json answer: the API's own problems, invalid commands (400),
 * an unreachable store (503), Javalin's own HTTP errors (404, 405, 413), and, for bugs, a 500 that
 * shows no stack trace.
 */
final class ProblemHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandlers.class);

    private final Responses responses;
    private final long maxBodyBytes;

    ProblemHandlers(Responses responses, long maxBodyBytes) {
        this.responses = responses;
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(RoutesConfig routes) {
        routes.exception(ApiProblem.class, (problem, ctx) -> responses.problem(ctx, problem));
        routes.exception(ValidationException.class, (invalid, ctx) ->
                responses.problem(ctx, ApiProblem.invalid(invalid.field(), invalid.reason())));
        routes.exception(StoreUnavailableException.class, (down, ctx) -> {
            LOG.warn("store unavailable on {} {}: {}", ctx.method(), ctx.path(), down.getMessage());
            responses.problem(ctx, new ApiProblem(503, "unavailable", "Service unavailable",
                    "The database cannot be reached; nothing was changed. Try again shortly.",
                    Map.of(), Map.of("Retry-After", "5")));
        });
        routes.exception(HttpResponseException.class, (error, ctx) -> responses.problem(ctx, fromHttpStatus(error.getStatus())));
        routes.exception(Exception.class, (bug, ctx) -> {
            LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), bug);
            responses.problem(ctx, new ApiProblem(500, "internal_error", "Internal error",
                    "The server failed to answer this request."));
        });
        for (int status : List.of(404, 405, 413)) {
            routes.error(status, ctx -> {
                if (!Responses.isProblem(ctx)) {
                    responses.problem(ctx, fromHttpStatus(status));
                }
            });
        }
    }

    /** Javalin may stop a request before any route runs; it still gets a problem. */
    private ApiProblem fromHttpStatus(int status) {
        return status == 413 ? Requests.payloadTooLarge(maxBodyBytes) : ApiProblem.ofHttpStatus(status);
    }
}
