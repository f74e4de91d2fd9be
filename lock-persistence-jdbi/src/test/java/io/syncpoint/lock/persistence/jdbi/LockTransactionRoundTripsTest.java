package io.syncpoint.lock.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.FairAccessPolicy;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.domain.PageRequest;
import io.syncpoint.lock.core.domain.Rejection;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.core.port.in.AnswerEditRequest;
import io.syncpoint.lock.core.port.in.AskToEdit;
import io.syncpoint.lock.core.port.in.ReleaseLock;
import io.syncpoint.lock.core.port.in.UpdateAppointment;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.service.AppointmentService;
import io.syncpoint.lock.core.service.EditRequestService;
import io.syncpoint.lock.core.service.LockService;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The round trips one lock transaction makes, each while the appointment's row is locked, counted
 * on the store's connections: every execute is one round trip (the driver sends a statement string,
 * however many statements it holds, and waits once for all their answers; it sends {@code BEGIN}
 * along with the first), and so is every {@code COMMIT} the driver sends on its own; a {@code COMMIT}
 * sent with the writes travels in their round trip. Each round trip is listed with the statements it
 * carried.
 */
class LockTransactionRoundTripsTest {
    private static final String COMMIT = "COMMIT";

    private static TestDatabase database;
    private static PostgresBackend node;

    private final List<String> roundTrips = Collections.synchronizedList(new ArrayList<>());
    private JdbiLockStore store;
    private LockService locks;
    private EditRequestService editRequests;
    private AppointmentService appointments;
    private Actor alice;
    private Actor bob;
    private UUID meeting;

    @BeforeAll
    static void startNode() {
        database = TestDatabase.create();
        node = database.node();
    }

    @AfterAll
    static void stopNode() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void setUp() {
        database.reset();
        PGSimpleDataSource postgres = new PGSimpleDataSource();
        postgres.setURL(database.settings().jdbcUrl());
        postgres.setUser(database.settings().user());
        postgres.setPassword(database.settings().password());
        Database counted = new Database(watched(DataSource.class, postgres, null), () -> Duration.ZERO);
        store = new JdbiLockStore(counted);
        LeasePolicy leasePolicy = new LeasePolicy(Duration.ofMinutes(5));
        locks = new LockService(store, node.history(), node.appointments(), leasePolicy, IdGenerator.random());
        editRequests = new EditRequestService(store, leasePolicy, FairAccessPolicy.defaults(), IdGenerator.random());
        appointments = new AppointmentService(node.appointments(), store, IdGenerator.random(), Clock.systemUTC());
        alice = user("alice@example.com", "Alice");
        bob = user("bob@example.com", "Bob");
        meeting = UUID.randomUUID();
        Instant start = Instant.parse("2026-05-04T09:00:00Z");
        node.appointments().insertAppointment(new Appointment(meeting, new AppointmentDetails("Planning", null, start,
                start.plusSeconds(3600), null, List.of(), null), 1, alice.userId(), start, start));
    }

    @Test
    void acquiringAFreeAppointmentTakesTwoRoundTrips() {
        List<String> sent = counted(() -> locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow());

        // Row lock + clock, lease, queue, due step and token; lock state number and lease in one UPDATE + history
        // row + events + COMMIT.
        assertThat(statementsPerRoundTrip(sent)).as(described(sent)).containsExactly(2, 4);
        assertThat(sent.get(1)).startsWith("WITH changed AS (UPDATE appointments SET lock_state = lock_state + 1, lease_id = ?");
        assertThat(sent.get(1)).endsWith(COMMIT);
    }

    @Test
    void aLockOperationAsksWhetherTheAppointmentExistsWithoutReadingItsDetails() {
        List<String> sent = counted(() -> locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow());

        assertThat(sent.get(0)).as(described(sent))
                .startsWith("SELECT lock_state FROM appointments WHERE id = ? FOR UPDATE;");
        assertThat(String.join("\n", sent)).as(described(sent)).doesNotContain("title");
    }

    @Test
    void savingAnEditReadsTheAppointmentsDetailsOnceItsRowIsLocked() {
        long token = locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow().lock().fencingToken().value();
        Instant start = Instant.parse("2026-05-04T10:00:00Z");
        AppointmentDetails details = new AppointmentDetails("Planning, moved", null, start, start.plusSeconds(3600),
                null, List.of("bob@example.com"), null);

        List<String> sent = counted(() -> assertThat(appointments.update(
                new UpdateAppointment.Command(alice, meeting, 1, token, details)).orElseThrow().version()).isEqualTo(2));

        // Row lock + state; the details (its version is the save's precondition); number + appointment + events
        // + COMMIT.
        assertThat(statementsPerRoundTrip(sent)).as(described(sent)).containsExactly(2, 1, 4);
        assertThat(sent.get(1)).startsWith("SELECT id, title,");
        assertThat(node.appointments().findAppointment(meeting).orElseThrow().details()).isEqualTo(details);
    }

    @Test
    void renewingALeaseTakesTwoRoundTrips() {
        locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow();

        List<String> sent = counted(() -> locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow());

        // Row lock + state; number and lease + events + COMMIT.
        assertThat(statementsPerRoundTrip(sent)).as(described(sent)).containsExactly(2, 3);
    }

    @Test
    void releasingALeaseNobodyWaitsForTakesTwoRoundTrips() {
        locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow();

        List<String> sent = counted(() -> locks.release(new ReleaseLock.Command(alice, meeting, null)).orElseThrow());

        // Row lock + state; the next lease's token, taken ahead + number and lease + history row + events + COMMIT.
        assertThat(statementsPerRoundTrip(sent)).as(described(sent)).containsExactly(2, 5);
        assertThat(sent.get(1)).startsWith("SELECT nextval('fencing_tokens');");
    }

    @Test
    void theNextOperationOnAnAppointmentThisNodeWroteLastAndNobodyWaitsForTakesOneRoundTrip() {
        long first = locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow().lock().fencingToken().value();
        locks.release(ReleaseLock.Command.of(alice, meeting)).orElseThrow();

        List<String> acquire = counted(() -> assertThat(locks.acquire(AcquireLock.Command.of(bob, meeting))
                .orElseThrow().lock().fencingToken().value()).isGreaterThan(first));
        List<String> renew = counted(() -> locks.acquire(AcquireLock.Command.of(bob, meeting)).orElseThrow());
        List<String> release = counted(() -> locks.release(ReleaseLock.Command.of(bob, meeting)).orElseThrow());

        // The check that the state is the one remembered, writing the lease + history row + events + COMMIT;
        // the token was taken ahead by the release before.
        assertThat(statementsPerRoundTrip(acquire)).as(described(acquire)).containsExactly(4);
        assertThat(acquire.get(0)).startsWith(JdbiLockStore.CHECK_REMEMBERED_WRITING_LEASE + ";");
        // Check with the lease + events + COMMIT.
        assertThat(statementsPerRoundTrip(renew)).as(described(renew)).containsExactly(3);
        // The next token + check with the lease + history row + events + COMMIT.
        assertThat(statementsPerRoundTrip(release)).as(described(release)).containsExactly(5);
        assertThat(store.decidedOnRemembered()).isEqualTo(3);
        assertThat(node.history().ofAppointment(meeting, PageRequest.first(10)).total()).isEqualTo(4);
    }

    @Test
    void aRefusalDecidedOnARememberedStateOnlyChecksThatStateAndWritesNothing() {
        locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow();
        locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow();

        List<String> sent = counted(() -> assertThat(locks.acquire(AcquireLock.Command.of(bob, meeting))
                .rejectionOrThrow()).isInstanceOf(Rejection.LockHeld.class));

        assertThat(statementsPerRoundTrip(sent)).as(described(sent)).containsExactly(2);
        assertThat(sent.get(0)).startsWith(JdbiLockStore.CHECK_REMEMBERED + ";\nCOMMIT");
    }

    @Test
    void aRememberedStateAnotherNodeChangedSinceIsFoundOutBeforeAnyWriteAndDecidedAgainOnTheRows() {
        LockService otherNode = new LockService(node.locks(), node.history(), node.appointments(),
                new LeasePolicy(Duration.ofMinutes(5)), IdGenerator.random());
        locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow();
        locks.release(ReleaseLock.Command.of(alice, meeting)).orElseThrow();
        long others = otherNode.acquire(AcquireLock.Command.of(bob, meeting)).orElseThrow()
                .lock().fencingToken().value();

        List<String> sent = counted(() -> assertThat(locks.acquire(AcquireLock.Command.of(alice, meeting))
                .rejectionOrThrow()).isInstanceOf(Rejection.LockHeld.class));

        // The check fails before the writes it carried (rolled back); the rows then show Bob's lease.
        assertThat(statementsPerRoundTrip(sent)).as(described(sent)).containsExactly(4, 1, 2, 1);
        assertThat(sent.get(1)).isEqualTo("ROLLBACK");
        assertThat(store.decidedAgain()).isEqualTo(1);
        assertThat(node.locks().findLock(meeting).orElseThrow().fencingToken().value()).isEqualTo(others);
        assertThat(node.history().ofAppointment(meeting, PageRequest.first(10)).total()).isEqualTo(3);
    }

    /** A refusal on the rows leaves the number as it was: a node that remembers it may still decide on it. */
    @Test
    void aRefusedAcquireWritesNothing() {
        locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow();

        List<String> sent = counted(() -> locks.acquire(AcquireLock.Command.of(bob, meeting)).rejectionOrThrow());
        List<String> renew = counted(() -> locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow());

        assertThat(statementsPerRoundTrip(sent)).as(described(sent)).containsExactly(2, 1);
        // The refusal found the number the node remembered and left it: the renewal is decided on that state.
        assertThat(statementsPerRoundTrip(renew)).as(described(renew)).containsExactly(3);
    }

    @Test
    void readingTheLockStatusTakesOneStatement() {
        locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow();

        List<String> sent = counted(() -> locks.status(bob, meeting).orElseThrow());

        assertThat(statementsPerRoundTrip(sent)).as(described(sent)).containsExactly(1);
    }

    @Test
    void askingToEditAHeldAppointmentTakesTwoRoundTrips() {
        locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow();

        List<String> sent = counted(() -> editRequests.ask(new AskToEdit.Command(bob, meeting, "Room change"))
                .orElseThrow());

        // Row lock + state; number + request + due step + events + COMMIT.
        assertThat(statementsPerRoundTrip(sent)).as(described(sent)).containsExactly(2, 5);
    }

    @Test
    void renewingWithAnUnchangedDueStepWritesNoDueStep() {
        locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow();
        editRequests.ask(new AskToEdit.Command(bob, meeting, null)).orElseThrow();

        // A passive renewal keeps the holder's last activity, so the idle handoff stays where it was.
        List<String> sent = counted(() -> locks.acquire(new AcquireLock.Command(alice, meeting, null, null, false))
                .orElseThrow());

        assertThat(statementsPerRoundTrip(sent)).as(described(sent)).containsExactly(2, 3);
        assertThat(sent.subList(1, sent.size())).noneMatch(sql -> sql.contains("appointment_due_steps"));
    }

    @Test
    void handingOverTakesAThirdRoundTripForTheFencingToken() {
        locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow();
        UUID request = editRequests.ask(new AskToEdit.Command(bob, meeting, null)).orElseThrow().request().id();

        List<String> sent = counted(() -> editRequests.accept(new AnswerEditRequest.Command(alice, meeting, request))
                .orElseThrow());

        // Row lock + state (a live lease: no token taken ahead); the token; the number and the new lease in one
        // UPDATE where the old one is still found, the old lease's history row and the new one's, the request,
        // the due step, the events, COMMIT.
        assertThat(statementsPerRoundTrip(sent)).as(described(sent)).containsExactly(2, 1, 7);
        assertThat(node.locks().findLock(meeting).orElseThrow().holder().userId()).isEqualTo(bob.userId());
    }

    private Actor user(String email, String name) {
        UserAccount account = new UserAccount(UUID.randomUUID(), email, name, Role.USER, "hash", Instant.now());
        node.users().insertUser(account);
        return account.asActor();
    }

    private List<String> counted(Supplier<?> work) {
        roundTrips.clear();
        work.get();
        return List.copyOf(roundTrips);
    }

    private static boolean inTransaction(Object connection) {
        return !(connection instanceof BaseConnection driver) || driver.getTransactionState() != TransactionState.IDLE;
    }

    /** The statements of each round trip: a statement string holds them separated by {@code ;}. */
    private static List<Integer> statementsPerRoundTrip(List<String> sent) {
        return sent.stream().map(sql -> sql.split(";\n").length).toList();
    }

    private static String described(List<String> sent) {
        return String.join("\n---\n", sent);
    }

    /**
     * {@code target} behind a proxy that records every execute (with its SQL) and every commit or
     * rollback, and hands out its connections and statements behind proxies of the same kind.
     */
    private <T> T watched(Class<T> type, T target, String sql) {
        return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.startsWith("execute")) {
                        roundTrips.add(args != null && args.length > 0 && args[0] instanceof String text ? text : sql);
                    } else if ((name.equals("commit") || name.equals("rollback")) && inTransaction(target)) {
                        // The driver sends these only inside a transaction: a COMMIT sent with the writes leaves none.
                        roundTrips.add(name.equals("commit") ? COMMIT : "ROLLBACK");
                    }
                    Object result;
                    try {
                        result = method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    String text = args != null && args.length > 0 && args[0] instanceof String first ? first : null;
                    return switch (name) {
                        case "getConnection" -> result instanceof Connection connection && type == DataSource.class
                                ? watched(Connection.class, connection, null) : result;
                        case "prepareCall" -> watched(CallableStatement.class, (CallableStatement) result, text);
                        case "prepareStatement" -> watched(PreparedStatement.class, (PreparedStatement) result, text);
                        case "createStatement" -> watched(Statement.class, (Statement) result, null);
                        default -> result;
                    };
                }));
    }
}
