package io.syncpoint.lock.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.port.in.ChangeRole;
import io.syncpoint.lock.core.port.in.Session;
import io.syncpoint.lock.core.port.in.SignIn;
import io.syncpoint.lock.core.port.in.SignUp;
import io.syncpoint.lock.core.service.AccountService;
import java.util.Map;

/** Sign-up, sign-in, the caller's session and role changes. */
final class AccountRoutes {
    private final AccountService accounts;
    private final Requests requests;
    private final Responses responses;
    private final RateLimiter rateLimiter;

    AccountRoutes(AccountService accounts, Requests requests, Responses responses, RateLimiter rateLimiter) {
        this.accounts = accounts;
        this.requests = requests;
        this.responses = responses;
        this.rateLimiter = rateLimiter;
    }

    void register(RoutesConfig routes) {
        routes.post(WebServer.BASE + "/auth/signup", this::signUp, Access.ANYONE);
        routes.post(WebServer.BASE + "/auth/signin", this::signIn, Access.ANYONE);
        routes.get(WebServer.BASE + "/auth/session", this::session, Access.USER);
        routes.put(WebServer.BASE + "/users/{id}/role", this::changeRole, Access.ADMIN);
    }

    private void signUp(Context ctx) {
        ObjectNode body = requests.body(ctx);
        SignUp.Command command = new SignUp.Command(Requests.requiredText(body, "email"),
                Requests.requiredText(body, "name"), Requests.requiredText(body, "password"));
        responses.json(ctx, 201, session(Rejections.valueOf(accounts.signUp(command))));
    }

    private void signIn(Context ctx) {
        ObjectNode body = requests.body(ctx);
        SignIn.Command command = new SignIn.Command(Requests.requiredText(body, "email"),
                Requests.requiredText(body, "password"));
        rateLimiter.chargeSignIn(ctx.ip(), command.email());
        Outcome<Session> signedIn = accounts.signIn(command);
        if (signedIn.isOk()) {
            rateLimiter.refundSignIn(ctx.ip(), command.email());
        }
        responses.json(ctx, 200, session(Rejections.valueOf(signedIn)));
    }

    private void session(Context ctx) {
        UserAccount user = Rejections.valueOf(accounts.session(Authentication.actor(ctx)));
        responses.json(ctx, 200, JsonViews.object("user", JsonViews.user(user)));
    }

    private void changeRole(Context ctx) {
        ObjectNode body = requests.body(ctx);
        ChangeRole.Command command = new ChangeRole.Command(Authentication.actor(ctx), Requests.pathId(ctx, "id"),
                Role.fromWireName("role", Requests.requiredText(body, "role")));
        UserAccount user = Rejections.valueOf(accounts.changeRole(command));
        responses.json(ctx, 200, JsonViews.object("user", JsonViews.user(user)));
    }

    private static Map<String, Object> session(Session session) {
        return JsonViews.object("token", session.token(), "user", JsonViews.user(session.user()));
    }
}
