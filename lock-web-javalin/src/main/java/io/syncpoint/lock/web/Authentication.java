package io.syncpoint.lock.web;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.port.in.Authenticate;
import java.util.Set;

/**
 * Runs before every matched route: checks the bearer token and the route's {@link Access}, and
 * charges the caller's rate limit. The caller is the account the token names, as stored now (its
 * current role, name and email), never anything the request says.
 */
final class Authentication {
    private static final String ACTOR = "syncpoint.actor";
    private static final String BEARER = "Bearer ";

    private final Authenticate callers;
    private final RateLimiter rateLimiter;

    Authentication(Authenticate callers, RateLimiter rateLimiter) {
        this.callers = callers;
        this.rateLimiter = rateLimiter;
    }

    void check(Context ctx) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.isEmpty() || roles.contains(Access.ANYONE)) {
            rateLimiter.chargeRequest("address:" + ctx.ip());
            return;
        }
        Actor actor = callers.authenticate(bearerToken(ctx))
                .orElseThrow(() -> ApiProblem.unauthorized("The bearer token is invalid or has expired."));
        rateLimiter.chargeRequest("user:" + actor.userId());
        if (roles.contains(Access.ADMIN) && !actor.isAdmin()) {
            throw ApiProblem.forbidden("This route is for admins only.");
        }
        ctx.attribute(ACTOR, actor);
    }

    /** The caller of a route that requires a token; set by {@link #check}. */
    static Actor actor(Context ctx) {
        Actor actor = ctx.attribute(ACTOR);
        if (actor == null) {
            throw new IllegalStateException("route " + ctx.path() + " reads the actor but is not protected");
        }
        return actor;
    }

    private static String bearerToken(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null) {
            throw ApiProblem.unauthorized("This route needs an Authorization: Bearer <token> header.");
        }
        if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ApiProblem.unauthorized("The Authorization header must be Bearer <token>.");
        }
        return header.substring(BEARER.length()).strip();
    }
}
