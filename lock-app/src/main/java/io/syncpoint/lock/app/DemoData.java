package io.syncpoint.lock.app;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.Outcome;
import io.syncpoint.lock.core.domain.PageRequest;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.port.in.CreateAppointment;
import io.syncpoint.lock.core.port.in.Session;
import io.syncpoint.lock.core.port.in.SignIn;
import io.syncpoint.lock.core.port.in.SignUp;
import io.syncpoint.lock.core.port.out.AppointmentStore;
import io.syncpoint.lock.core.port.out.PasswordHasher;
import io.syncpoint.lock.core.service.AccountService;
import io.syncpoint.lock.core.service.AppointmentService;
import io.syncpoint.lock.web.BcryptPasswordHasher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Demo accounts (an admin and two users) and a few appointments, so that a fresh server can be
 * tried at once. Loading again is harmless: existing accounts are kept, and appointments are only
 * added to an empty store.
 */
final class DemoData {
    private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);

    static final String ADMIN_EMAIL = "admin@syncpoint.test";
    static final String ADMIN_PASSWORD = "admin-demo-pass";
    static final String ALICE_EMAIL = "alice@syncpoint.test";
    static final String ALICE_PASSWORD = "alice-demo-pass";
    static final String BOB_EMAIL = "bob@syncpoint.test";
    static final String BOB_PASSWORD = "bob-demo-pass";
    /**
     * The demo passwords' bcrypt hashes as the server makes them (version 2a, default cost), made once,
     * so a fresh embedded server does not spend three bcrypt rounds (a quarter of a second of its start
     * on two cores) on accounts whose passwords it prints anyway.
     */
    private static final Map<String, String> PASSWORD_HASHES = Map.of(
            ADMIN_PASSWORD, "$2a$10$BpZjzG4VLSJvSCgp65ely.nKfctIrgfDcmQs/2IK/8QoHXWxYH3/W",
            ALICE_PASSWORD, "$2a$10$aiMtO7tGkq44TIO9YYygjOXX/nwSk5marFExD8vvjuiXe8ZntmlkK",
            BOB_PASSWORD, "$2a$10$UdyHJGiHHUgzPaZTqvYR9eZsbdptZZKd2k2cY7t0NJ4TxrVQTdT4G");

    private DemoData() {
    }

    static void load(AccountService accounts, AppointmentService appointments, AppointmentStore store, Clock clock) {
        if (!accounts.ensureAdmin(ADMIN_EMAIL, "Ada Admin", ADMIN_PASSWORD).isOk()) {
            throw new IllegalStateException("demo account " + ADMIN_EMAIL + " exists with another password");
        }
        UserAccount alice = user(accounts, ALICE_EMAIL, "Alice Example", ALICE_PASSWORD);
        user(accounts, BOB_EMAIL, "Bob Example", BOB_PASSWORD);
        if (store.listAppointments(null, null, PageRequest.first(1)).total() == 0) {
            Actor owner = alice.asActor();
            Instant tomorrow = clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)).plus(Duration.ofHours(9));
            create(appointments, owner, "Design review", "Walk through the new booking flow.", tomorrow,
                    Duration.ofHours(1), "Room 4", List.of(ALICE_EMAIL, BOB_EMAIL));
            create(appointments, owner, "Quarterly planning", "Goals and staffing for next quarter.",
                    tomorrow.plus(Duration.ofDays(1)), Duration.ofHours(2), "Main hall", List.of(ALICE_EMAIL));
            create(appointments, owner, "Customer call", null, tomorrow.plus(Duration.ofDays(2)).plus(Duration.ofHours(5)),
                    Duration.ofMinutes(30), "Phone", List.of(BOB_EMAIL));
        }
        LOG.info("Demo accounts (email / password):");
        LOG.info("  admin  {} / {}", ADMIN_EMAIL, ADMIN_PASSWORD);
        LOG.info("  user   {} / {}", ALICE_EMAIL, ALICE_PASSWORD);
        LOG.info("  user   {} / {}", BOB_EMAIL, BOB_PASSWORD);
    }

    /**
     * The hasher to load the demo data with: the server's bcrypt, except that a demo password gets its
     * hash made beforehand and is recognised by it. Only for loading: every account made later gets a
     * salt of its own, even if it picks a demo password.
     */
    static PasswordHasher hasher() {
        return new KnownHashes(new BcryptPasswordHasher());
    }

    private record KnownHashes(PasswordHasher hasher) implements PasswordHasher {
        @Override
        public String hash(String password) {
            String known = PASSWORD_HASHES.get(password);
            return known != null ? known : hasher.hash(password);
        }

        @Override
        public boolean matches(String password, String hash) {
            return hash.equals(PASSWORD_HASHES.get(password)) || hasher.matches(password, hash);
        }

        @Override
        public String decoyHash() {
            return hasher.decoyHash();
        }
    }

    private static UserAccount user(AccountService accounts, String email, String name, String password) {
        Outcome<Session> created = accounts.signUp(new SignUp.Command(email, name, password));
        if (created.isOk()) {
            return created.orElseThrow().user();
        }
        Outcome<Session> existing = accounts.signIn(new SignIn.Command(email, password));
        if (!existing.isOk()) {
            throw new IllegalStateException("demo account " + email + " exists with another password");
        }
        return existing.orElseThrow().user();
    }

    private static void create(AppointmentService appointments, Actor owner, String title, String description,
                               Instant start, Duration length, String location, List<String> attendees) {
        appointments.create(new CreateAppointment.Command(owner, new AppointmentDetails(title, description, start,
                start.plus(length), location, attendees, null)));
    }
}
