package io.syncpoint.lock.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.core.memory.InMemoryAccessTokens;
import io.syncpoint.lock.core.memory.InMemoryUserStore;
import io.syncpoint.lock.core.port.in.SignIn;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.port.out.PasswordHasher;
import io.syncpoint.lock.core.service.AccountService;
import io.syncpoint.lock.web.BcryptPasswordHasher;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoDataTest {
    private static final List<String> DEMO_PASSWORDS =
            List.of(DemoData.ADMIN_PASSWORD, DemoData.ALICE_PASSWORD, DemoData.BOB_PASSWORD);

    private final PasswordHasher server = new BcryptPasswordHasher();

    @Test
    void theDemoPasswordsHashesMadeBeforehandAreWhatTheServersBcryptAccepts() {
        PasswordHasher demo = DemoData.hasher();
        for (String password : DEMO_PASSWORDS) {
            String hash = demo.hash(password);
            assertThat(hash).as(password).startsWith("$2a$10$");
            assertThat(server.matches(password, hash)).as(password).isTrue();
            assertThat(server.matches(password + "x", hash)).as(password + "x").isFalse();
        }
    }

    @Test
    void anyOtherPasswordGetsAFreshSaltAndOnlyTheRightPasswordMatchesAKnownHash() {
        PasswordHasher demo = DemoData.hasher();
        String first = demo.hash("a password of someone's own");
        String second = demo.hash("a password of someone's own");
        assertThat(first).isNotEqualTo(second);
        assertThat(server.matches("a password of someone's own", first)).isTrue();
        assertThat(demo.matches(DemoData.BOB_PASSWORD, demo.hash(DemoData.ALICE_PASSWORD))).isFalse();
        assertThat(demo.matches(DemoData.ALICE_PASSWORD, server.hash(DemoData.ALICE_PASSWORD))).isTrue();
    }

    @Test
    void demoAccountsLoadedWithTheKnownHashesSignInThroughTheServersHasherAndLoadingAgainKeepsThem() {
        Clock clock = Clock.systemUTC();
        InMemoryUserStore users = new InMemoryUserStore();
        InMemoryAccessTokens tokens = new InMemoryAccessTokens(clock, Duration.ofMinutes(5));
        AccountService loading = new AccountService(users, DemoData.hasher(), tokens, IdGenerator.timeOrdered(), clock);
        assertThat(loading.ensureAdmin(DemoData.ADMIN_EMAIL, "Ada Admin", DemoData.ADMIN_PASSWORD).isOk()).isTrue();
        assertThat(loading.ensureAdmin(DemoData.ADMIN_EMAIL, "Ada Admin", DemoData.ADMIN_PASSWORD).isOk())
                .as("a restart on a kept store").isTrue();
        assertThat(loading.ensureAdmin(DemoData.ADMIN_EMAIL, "Ada Admin", DemoData.BOB_PASSWORD).isOk())
                .as("another demo password").isFalse();

        AccountService serving = new AccountService(users, server, tokens, IdGenerator.timeOrdered(), clock);
        assertThat(serving.signIn(new SignIn.Command(DemoData.ADMIN_EMAIL, DemoData.ADMIN_PASSWORD)).isOk()).isTrue();
        assertThat(serving.signIn(new SignIn.Command(DemoData.ADMIN_EMAIL, DemoData.ALICE_PASSWORD)).isOk()).isFalse();
    }
}
