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
import io.syncpoint.lock.core.service.AccountService;
import io.syncpoint.lock.core.service.AppointmentService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
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
