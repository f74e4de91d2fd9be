package io.syncpoint.lock.core.service;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.Rejection;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.port.in.ChangeRole;
import io.syncpoint.lock.core.port.in.GetSession;
import io.syncpoint.lock.core.port.in.Session;
import io.syncpoint.lock.core.port.in.SignIn;
import io.syncpoint.lock.core.port.in.SignUp;
import io.syncpoint.lock.core.port.out.AccessTokens;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.port.out.PasswordHasher;
import io.syncpoint.lock.core.port.out.UserStore;
import java.time.Clock;
import java.util.Optional;

/** Accounts and sessions. Hashing and token formats are ports; the core sees neither library. */
public final class AccountService implements SignUp, SignIn, GetSession, ChangeRole {

    private final UserStore users;
    private final PasswordHasher hasher;
    private final AccessTokens tokens;
    private final IdGenerator ids;
    private final Clock clock;
    /** Compared against when the email is unknown, so both failures cost the same time. */
    private final String decoyHash;

    public AccountService(UserStore users, PasswordHasher hasher, AccessTokens tokens, IdGenerator ids, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.tokens = tokens;
        this.ids = ids;
        this.clock = clock;
        this.decoyHash = hasher.hash("decoy password never used");
    }

    @Override
    public Outcome<Session> signUp(SignUp.Command command) {
        UserAccount account = new UserAccount(ids.newId(), command.email(), command.name(), Role.USER,
                hasher.hash(command.password()), clock.instant());
        if (!users.insertUser(account)) {
            return Outcome.rejected(new Rejection.EmailTaken());
        }
        return Outcome.ok(new Session(tokens.issue(account), account));
    }

    @Override
    public Outcome<Session> signIn(SignIn.Command command) {
        Optional<UserAccount> account = users.findUserByEmail(command.email());
        boolean matches = hasher.matches(command.password(), account.map(UserAccount::passwordHash).orElse(decoyHash));
        if (account.isEmpty() || !matches) {
            return Outcome.rejected(new Rejection.InvalidCredentials());
        }
        return Outcome.ok(new Session(tokens.issue(account.get()), account.get()));
    }

    @Override
    public Outcome<UserAccount> session(Actor actor) {
        return users.findUserById(actor.userId())
                .<Outcome<UserAccount>>map(Outcome::ok)
                .orElseGet(() -> Outcome.rejected(new Rejection.NotFound("user")));
    }

    @Override
    public Outcome<UserAccount> changeRole(ChangeRole.Command command) {
        if (!command.actor().isAdmin()) {
            return Outcome.rejected(new Rejection.Forbidden("Only admins may change roles."));
        }
        return users.updateRole(command.userId(), command.role())
                .<Outcome<UserAccount>>map(Outcome::ok)
                .orElseGet(() -> Outcome.rejected(new Rejection.NotFound("user")));
    }

    /**
     * Makes sure an admin account with this email exists: creates it with this password, or promotes
     * the existing account (its password is kept). Used to bootstrap a server.
     */
    public UserAccount ensureAdmin(String email, String name, String password) {
        SignUp.Command valid = new SignUp.Command(email, name, password);
        Optional<UserAccount> existing = users.findUserByEmail(valid.email());
        if (existing.isPresent()) {
            UserAccount account = existing.get();
            return account.role() == Role.ADMIN ? account : users.updateRole(account.id(), Role.ADMIN).orElseThrow();
        }
        UserAccount admin = new UserAccount(ids.newId(), valid.email(), valid.name(), Role.ADMIN,
                hasher.hash(valid.password()), clock.instant());
        if (!users.insertUser(admin)) {
            return ensureAdmin(email, name, password);
        }
        return admin;
    }
}
