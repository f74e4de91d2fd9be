package io.syncpoint.lock.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.syncpoint.lock.core.domain.ValidationException;
import io.syncpoint.lock.core.port.out.StoreUnavailableException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into a problem+json answer: the API's own problems, invalid commands (400),
 * bodies the client broke (400, logged at debug only), an unreachable store (503), Javalin's own
 * HTTP errors (404, 405, 413), and, for bugs, a 500 that shows no stack trace.
 */
final class ProblemHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandlers.class);

    private final Responses responses;
    private final long maxBodyBytes;
    private final Consumer<Context> unmatchedRequests;

    /** @param unmatchedRequests runs for requests no route matched; may refuse them with a problem */
    ProblemHandlers(Responses responses, long maxBodyBytes, Consumer<Context> unmatchedRequests) {
        this.responses = responses;
        this.maxBodyBytes = maxBodyBytes;
        this.unmatchedRequests = unmatchedRequests;
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
            Optional<ApiProblem> clientFault = clientFault(bug);
            if (clientFault.isPresent()) {
                LOG.debug("unreadable request {} {}: {}", ctx.method(), ctx.path(), bug.toString());
                responses.problem(ctx, clientFault.get());
                return;
            }
            LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), bug);
            responses.problem(ctx, new ApiProblem(500, "internal_error", "Internal error",
                    "The server failed to answer this request."));
        });
        for (int status : List.of(404, 405, 413)) {
            routes.error(status, ctx -> {
                if (ctx.endpoints().lastHttpEndpoint() == null) {
                    try {
                        unmatchedRequests.accept(ctx);
                    } catch (ApiProblem refused) {
                        responses.problem(ctx, refused);
                        return;
                    }
                }
                if (!Responses.isProblem(ctx)) {
                    responses.problem(ctx, fromHttpStatus(status));
                }
            });
        }
    }

    /**
     * A body the client broke (a bad chunk size, a connection closed mid-body) surfaces as Jetty's
     * exception while a route reads it: the client's fault, not the server's.
     */
    private Optional<ApiProblem> clientFault(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                return Optional.of(http.getCode() == 400 ? unreadableBody() : fromHttpStatus(http.getCode()));
            }
            if (cause instanceof EofException) {
                return Optional.of(unreadableBody());
            }
        }
        return Optional.empty();
    }

    private static ApiProblem unreadableBody() {
        return ApiProblem.invalid("body", "could not be read: it is malformed or was cut short");
    }

    /** Javalin may stop a request before any route runs; it still gets a problem. */
    private ApiProblem fromHttpStatus(int status) {
        return status == 413 ? Requests.payloadTooLarge(maxBodyBytes) : ApiProblem.ofHttpStatus(status);
    }
}
