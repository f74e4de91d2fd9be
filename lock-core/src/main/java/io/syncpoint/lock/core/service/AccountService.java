package io.syncpoint.lock.core.service;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.Rejection;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.port.in.Authenticate;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accounts and sessions. Hashing and token formats are ports; the core sees neither library.
 * Callers are named by their account as stored, read again once what this node remembers of it is
 * {@link #ACCOUNT_FRESHNESS} old, so a role change or a removed account takes effect on every node
 * within that time, and at once on the node that changed the role.
 */
public final class AccountService implements SignUp, SignIn, GetSession, ChangeRole, Authenticate {
    public static final Duration ACCOUNT_FRESHNESS = Duration.ofSeconds(2);
    /** Past this many remembered accounts the memory is dropped, so it stays bounded. */
    private static final int MAX_REMEMBERED_ACCOUNTS = 10_000;

    private final UserStore users;
    private final PasswordHasher hasher;
    private final AccessTokens tokens;
    private final IdGenerator ids;
    private final Clock clock;
    /** Compared against when the email is unknown, so both failures cost the same time. */
    private final String decoyHash;
    private final Map<UUID, Reading> recentAccounts = new ConcurrentHashMap<>();

    public AccountService(UserStore users, PasswordHasher hasher, AccessTokens tokens, IdGenerator ids, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.tokens = tokens;
        this.ids = ids;
        this.clock = clock;
        this.decoyHash = hasher.decoyHash();
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
    public Optional<Actor> authenticate(String bearerToken) {
        return tokens.verify(bearerToken)
                .flatMap(claimed -> currentAccount(claimed.userId()))
                .map(UserAccount::asActor);
    }

    /** Only an admin as stored now may change roles: a demoted admin's old token cannot promote anyone back. */
    @Override
    public Outcome<UserAccount> changeRole(ChangeRole.Command command) {
        boolean adminNow = command.actor().isAdmin() && users.findUserById(command.actor().userId())
                .map(account -> account.role() == Role.ADMIN).orElse(false);
        if (!adminNow) {
            return Outcome.rejected(new Rejection.Forbidden("Only admins may change roles."));
        }
        Optional<UserAccount> changed = users.updateRole(command.userId(), command.role());
        recentAccounts.remove(command.userId());
        return changed.<Outcome<UserAccount>>map(Outcome::ok)
                .orElseGet(() -> Outcome.rejected(new Rejection.NotFound("user")));
    }

    /**
     * Makes sure an admin account with this email exists: creates it with this password, or promotes
     * the existing account when this is its password. Used to bootstrap a server. Rejection:
     * invalid_credentials when an account with this email exists with another password, so whoever
     * signed up with the address first does not become admin.
     */
    public Outcome<UserAccount> ensureAdmin(String email, String name, String password) {
        SignUp.Command valid = new SignUp.Command(email, name, password);
        Optional<UserAccount> existing = users.findUserByEmail(valid.email());
        if (existing.isPresent()) {
            UserAccount account = existing.get();
            if (!hasher.matches(valid.password(), account.passwordHash())) {
                return Outcome.rejected(new Rejection.InvalidCredentials());
            }
            recentAccounts.remove(account.id());
            return Outcome.ok(account.role() == Role.ADMIN ? account
                    : users.updateRole(account.id(), Role.ADMIN).orElseThrow());
        }
        UserAccount admin = new UserAccount(ids.newId(), valid.email(), valid.name(), Role.ADMIN,
                hasher.hash(valid.password()), clock.instant());
        if (!users.insertUser(admin)) {
            return ensureAdmin(email, name, password);
        }
        return Outcome.ok(admin);
    }

    private Optional<UserAccount> currentAccount(UUID id) {
        Instant now = clock.instant();
        Reading reading = recentAccounts.get(id);
        if (reading == null || !reading.isFreshAt(now)) {
            if (recentAccounts.size() >= MAX_REMEMBERED_ACCOUNTS) {
                recentAccounts.clear();
            }
            reading = new Reading(users.findUserById(id), now);
            recentAccounts.put(id, reading);
        }
        return reading.account();
    }

    /** An account as read from the store at {@code readAt}; empty when there was none. */
    private record Reading(Optional<UserAccount> account, Instant readAt) {
        boolean isFreshAt(Instant now) {
            return !now.isBefore(readAt) && now.isBefore(readAt.plus(ACCOUNT_FRESHNESS));
        }
    }
}
