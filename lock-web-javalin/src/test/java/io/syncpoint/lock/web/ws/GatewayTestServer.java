package io.syncpoint.lock.web.ws;

import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.syncpoint.lock.core.contract.ManualClock;
import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.FairAccessPolicy;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.memory.InMemoryAccessTokens;
import io.syncpoint.lock.core.memory.InMemoryStore;
import io.syncpoint.lock.core.memory.InMemoryUserStore;
import io.syncpoint.lock.core.memory.InProcessEventBus;
import io.syncpoint.lock.core.memory.Pbkdf2PasswordHasher;
import io.syncpoint.lock.core.port.in.CreateAppointment;
import io.syncpoint.lock.core.port.in.GetLockStatus;
import io.syncpoint.lock.core.port.in.Session;
import io.syncpoint.lock.core.port.in.SignIn;
import io.syncpoint.lock.core.port.in.SignUp;
import io.syncpoint.lock.core.port.out.EventSubscriptions;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.service.AccountService;
import io.syncpoint.lock.core.service.AppointmentService;
import io.syncpoint.lock.core.service.EditRequestService;
import io.syncpoint.lock.core.service.LockService;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Javalin server on a random port with only the WebSocket gateway on it, over the core's
 * in-memory services; tests cause events by calling the use cases directly. Time is a manual clock.
 * A test class that keeps one in a {@code @RegisterExtension} field gets a fresh server for each test,
 * stopped after the test and its {@code @AfterEach} methods.
 */
final class GatewayTestServer implements AutoCloseable, AfterEachCallback {
    final ManualClock clock = ManualClock.startingNow();
    final InProcessEventBus bus = new InProcessEventBus();
    final InMemoryStore store = new InMemoryStore(clock, bus);
    final InMemoryAccessTokens tokens = new InMemoryAccessTokens(clock, Duration.ofHours(1));
    final AccountService accounts = new AccountService(new InMemoryUserStore(), new Pbkdf2PasswordHasher(1), tokens,
            IdGenerator.random(), clock);
    final LockService locks = new LockService(store, store, store, LeasePolicy.standard(), FairAccessPolicy.defaults(),
            IdGenerator.random());
    final EditRequestService editRequests = new EditRequestService(store, LeasePolicy.standard(),
            FairAccessPolicy.defaults(), IdGenerator.random());
    final AppointmentService appointments = new AppointmentService(store, store, IdGenerator.random(), clock,
            FairAccessPolicy.defaults());
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** Subscriptions the gateway holds on the bus now. */
    final AtomicInteger subscriptions = new AtomicInteger();
    final WebSocketGateway gateway;
    private final Javalin server;

    GatewayTestServer() {
        this(WebSocketSettings.defaults().withCursorSweepInterval(Duration.ofMillis(20)));
    }

    GatewayTestServer(WebSocketSettings settings) {
        this(settings, UnaryOperator.identity());
    }

    /** @param statusView wraps the lock status use case the gateway reads its snapshots from */
    GatewayTestServer(WebSocketSettings settings, UnaryOperator<GetLockStatus> statusView) {
        EventSubscriptions counted = listener -> {
            EventSubscriptions.Subscription subscription = bus.subscribe(listener);
            subscriptions.incrementAndGet();
            return () -> {
                subscription.close();
                subscriptions.decrementAndGet();
            };
        };
        gateway = new WebSocketGateway(accounts, statusView.apply(locks), counted, bus, meters, clock, settings);
        gateway.start();
        server = Javalin.create(gateway::register).start(0);
    }

    int port() {
        return server.port();
    }

    URI uri(String pathAndQuery) {
        return URI.create("ws://localhost:" + port() + pathAndQuery);
    }

    /** A signed-up user with a valid token. */
    User user(String name) {
        Session session = accounts.signUp(new SignUp.Command(name.toLowerCase() + "@example.com", name, "password123"))
                .orElseThrow();
        return new User(session.user().asActor(), session.token());
    }

    User admin(String name) {
        String email = name.toLowerCase() + "@example.com";
        accounts.ensureAdmin(email, name, "password123").orElseThrow();
        Session session = accounts.signIn(new SignIn.Command(email, "password123"))
                .orElseThrow();
        return new User(session.user().asActor(), session.token());
    }

    Appointment appointment(User owner) {
        Instant start = clock.instant().plus(Duration.ofDays(1));
        return appointments.create(new CreateAppointment.Command(owner.actor(), new AppointmentDetails(
                "Planning", null, start, start.plus(Duration.ofHours(1)), null, List.of(), null)));
    }

    WsTestClient connect(User user) {
        return WsTestClient.connect(uri(WebSocketGateway.PATH + "?token=" + user.token()));
    }

    WsTestClient connectToUpdates(User user, UUID appointmentId) {
        return WsTestClient.connect(uri("/api/v1/appointments/" + appointmentId + "/updates?token=" + user.token()));
    }

    @Override
    public void close() {
        gateway.close();
        server.stop();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    record User(Actor actor, String token) {
        UUID id() {
            return actor.userId();
        }
    }
}
