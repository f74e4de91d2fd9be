package io.syncpoint.lock.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncpoint.lock.core.contract.ManualClock;
import io.syncpoint.lock.core.domain.Rejection;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.domain.ValidationException;
import io.syncpoint.lock.core.memory.InMemoryAccessTokens;
import io.syncpoint.lock.core.memory.InMemoryUserStore;
import io.syncpoint.lock.core.memory.Pbkdf2PasswordHasher;
import io.syncpoint.lock.core.port.in.ChangeRole;
import io.syncpoint.lock.core.port.in.Session;
import io.syncpoint.lock.core.port.in.SignIn;
import io.syncpoint.lock.core.port.in.SignUp;
import io.syncpoint.lock.core.port.out.IdGenerator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AccountServiceTest {
    private final ManualClock clock = ManualClock.startingNow();
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final InMemoryAccessTokens tokens = new InMemoryAccessTokens(clock, Duration.ofHours(1));
    private final AccountService accounts = new AccountService(users, new Pbkdf2PasswordHasher(1_000), tokens,
            IdGenerator.random(), clock);

    @Test
    void aNewAccountIsAlwaysAPlainUserAndIsSignedIn() {
        Session session = accounts.signUp(new SignUp.Command("Dana@Example.com", "Dana", "correct horse")).orElseThrow();

        assertThat(session.user().role()).isEqualTo(Role.USER);
        assertThat(session.user().email()).isEqualTo("dana@example.com");
        assertThat(session.user().passwordHash()).doesNotContain("correct horse");
        assertThat(tokens.verify(session.token())).map(actor -> actor.userId()).contains(session.user().id());
    }

    @Test
    void anEmailIsTakenOnce() {
        accounts.signUp(new SignUp.Command("dana@example.com", "Dana", "correct horse")).orElseThrow();

        assertThat(accounts.signUp(new SignUp.Command("DANA@example.com", "Dana 2", "another one")).rejectionOrThrow())
                .isInstanceOf(Rejection.EmailTaken.class);
    }

    @Test
    void aShortPasswordIsRefusedBeforeAnythingIsStored() {
        assertThatThrownBy(() -> new SignUp.Command("dana@example.com", "Dana", "short"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("password"));
        assertThat(users.findUserByEmail("dana@example.com")).isEmpty();
    }

    @Test
    void aWrongPasswordAndAnUnknownEmailGetTheSameAnswer() {
        accounts.signUp(new SignUp.Command("dana@example.com", "Dana", "correct horse")).orElseThrow();

        Rejection wrongPassword = accounts.signIn(new SignIn.Command("dana@example.com", "battery staple")).rejectionOrThrow();
        Rejection unknown = accounts.signIn(new SignIn.Command("nobody@example.com", "correct horse")).rejectionOrThrow();

        assertThat(wrongPassword).isEqualTo(new Rejection.InvalidCredentials()).isEqualTo(unknown);
        assertThat(accounts.signIn(new SignIn.Command("DANA@example.com", "correct horse")).isOk()).isTrue();
    }

    @Test
    void tokensStopWorkingWhenTheyExpire() {
        Session session = accounts.signUp(new SignUp.Command("dana@example.com", "Dana", "correct horse")).orElseThrow();

        clock.advance(Duration.ofHours(1));

        assertThat(tokens.verify(session.token())).isEmpty();
    }

    @Test
    void theBootstrapAdminIsCreatedOnceAndAnExistingAccountIsPromotedOnlyWithItsOwnPassword() {
        UserAccount created = accounts.ensureAdmin("root@example.com", "Root", "bootstrap-secret").orElseThrow();
        UserAccount again = accounts.ensureAdmin("root@example.com", "Root", "bootstrap-secret").orElseThrow();
        Session dana = accounts.signUp(new SignUp.Command("dana@example.com", "Dana", "correct horse")).orElseThrow();

        assertThat(accounts.ensureAdmin("dana@example.com", "Dana", "another-password").rejectionOrThrow())
                .isEqualTo(new Rejection.InvalidCredentials());
        assertThat(users.findUserById(dana.user().id()).orElseThrow().role()).isEqualTo(Role.USER);
        UserAccount promoted = accounts.ensureAdmin("dana@example.com", "Dana", "correct horse").orElseThrow();

        assertThat(created.role()).isEqualTo(Role.ADMIN);
        assertThat(again.id()).isEqualTo(created.id());
        assertThat(promoted.id()).isEqualTo(dana.user().id());
        assertThat(promoted.role()).isEqualTo(Role.ADMIN);
        assertThat(accounts.signIn(new SignIn.Command("dana@example.com", "correct horse")).isOk()).isTrue();
    }

    @Test
    void aCallerIsNamedAsTheirAccountIsNowNotAsTheirTokenSays() {
        UserAccount root = accounts.ensureAdmin("root@example.com", "Root", "bootstrap-secret").orElseThrow();
        Session dana = accounts.signUp(new SignUp.Command("dana@example.com", "Dana", "correct horse")).orElseThrow();
        assertThat(accounts.authenticate(dana.token()).orElseThrow().role()).isEqualTo(Role.USER);

        accounts.changeRole(new ChangeRole.Command(root.asActor(), dana.user().id(), Role.ADMIN)).orElseThrow();

        assertThat(accounts.authenticate(dana.token()).orElseThrow().role()).as("at once on the node that changed it")
                .isEqualTo(Role.ADMIN);
        assertThat(accounts.authenticate("not a token")).isEmpty();
    }

    @Test
    void aRoleChangedOnAnotherNodeTakesEffectHereOnceTheRememberedAccountIsStale() {
        AccountService otherNode = new AccountService(users, new Pbkdf2PasswordHasher(1_000), tokens,
                IdGenerator.random(), clock);
        UserAccount root = accounts.ensureAdmin("root@example.com", "Root", "bootstrap-secret").orElseThrow();
        Session dana = accounts.signUp(new SignUp.Command("dana@example.com", "Dana", "correct horse")).orElseThrow();
        accounts.changeRole(new ChangeRole.Command(root.asActor(), dana.user().id(), Role.ADMIN)).orElseThrow();
        assertThat(accounts.authenticate(dana.token()).orElseThrow().isAdmin()).isTrue();

        otherNode.changeRole(new ChangeRole.Command(root.asActor(), dana.user().id(), Role.USER)).orElseThrow();
        clock.advance(AccountService.ACCOUNT_FRESHNESS);

        assertThat(accounts.authenticate(dana.token()).orElseThrow().role()).isEqualTo(Role.USER);
    }

    @Test
    void aTokenOfAnAccountThisStoreDoesNotHoldNamesNobody() {
        AccountService elsewhere = new AccountService(new InMemoryUserStore(), new Pbkdf2PasswordHasher(1_000), tokens,
                IdGenerator.random(), clock);
        Session ghost = elsewhere.signUp(new SignUp.Command("ghost@example.com", "Ghost", "correct horse")).orElseThrow();

        assertThat(tokens.verify(ghost.token())).as("the token itself is valid").isPresent();
        assertThat(accounts.authenticate(ghost.token())).isEmpty();
    }

    @Test
    void aDemotedAdminCannotChangeRolesWithTheActorOfTheirOldToken() {
        UserAccount root = accounts.ensureAdmin("root@example.com", "Root", "bootstrap-secret").orElseThrow();
        UserAccount dana = accounts.ensureAdmin("dana@example.com", "Dana", "correct horse").orElseThrow();
        accounts.changeRole(new ChangeRole.Command(root.asActor(), dana.id(), Role.USER)).orElseThrow();

        assertThat(accounts.changeRole(new ChangeRole.Command(dana.asActor(), dana.id(), Role.ADMIN)).rejectionOrThrow())
                .isInstanceOf(Rejection.Forbidden.class);
        assertThat(users.findUserById(dana.id()).orElseThrow().role()).isEqualTo(Role.USER);
    }

    @Test
    void onlyAdminsChangeRoles() {
        UserAccount root = accounts.ensureAdmin("root@example.com", "Root", "bootstrap-secret").orElseThrow();
        Session dana = accounts.signUp(new SignUp.Command("dana@example.com", "Dana", "correct horse")).orElseThrow();

        assertThat(accounts.changeRole(new ChangeRole.Command(dana.user().asActor(), dana.user().id(), Role.ADMIN))
                .rejectionOrThrow()).isInstanceOf(Rejection.Forbidden.class);
        assertThat(accounts.changeRole(new ChangeRole.Command(root.asActor(), dana.user().id(), Role.ADMIN))
                .orElseThrow().role()).isEqualTo(Role.ADMIN);
        assertThat(accounts.changeRole(new ChangeRole.Command(root.asActor(), java.util.UUID.randomUUID(), Role.ADMIN))
                .rejectionOrThrow()).isInstanceOf(Rejection.NotFound.class);
    }
}
