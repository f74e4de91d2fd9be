package io.syncpoint.lock.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncpoint.lock.core.domain.Actor;
import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.core.port.in.ReleaseLock;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.service.LockService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The statements one lock transaction sends: every statement is a round trip to the database while
 * the appointment's row is locked, so the hot paths (acquire, renew, release) are counted here.
 * Fair access reads its queue in the statement that reads the clock and the lease, and an unchanged
 * due step writes nothing.
 */
class LockTransactionRoundTripsTest {
    private static TestDatabase database;
    private static PostgresBackend node;

    private final List<String> statements = Collections.synchronizedList(new ArrayList<>());
    private LockService locks;
    private Actor alice;
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
        locks = new LockService(node.locks(), node.history(), node.appointments(), new LeasePolicy(Duration.ofMinutes(5)),
                IdGenerator.random());
        UserAccount account = new UserAccount(UUID.randomUUID(), "alice@example.com", "Alice", Role.USER, "hash",
                Instant.now());
        node.users().insertUser(account);
        alice = account.asActor();
        meeting = UUID.randomUUID();
        Instant start = Instant.parse("2026-05-04T09:00:00Z");
        node.appointments().insertAppointment(new Appointment(meeting, new AppointmentDetails("Planning", null, start,
                start.plusSeconds(3600), null, List.of(), null), 1, alice.userId(), start, start));
        node.database().jdbi().setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                statements.add(context.getRenderedSql());
            }
        });
    }

    @AfterEach
    void stopCounting() {
        node.database().jdbi().setSqlLogger(SqlLogger.NOP_SQL_LOGGER);
    }

    @Test
    void acquiringAFreeAppointmentTakesSixStatements() {
        List<String> sent = counted(() -> locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow());

        // Row lock; clock, lease, queue and due step; token; lease; history row; events.
        assertThat(sent).as(String.join("\n", sent)).hasSize(6);
    }

    @Test
    void renewingALeaseTakesFourStatements() {
        locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow();

        List<String> sent = counted(() -> locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow());

        // Row lock; clock, lease, queue and due step; lease; events.
        assertThat(sent).as(String.join("\n", sent)).hasSize(4);
    }

    @Test
    void releasingALeaseNobodyWaitsForTakesFiveStatements() {
        locks.acquire(AcquireLock.Command.of(alice, meeting)).orElseThrow();

        List<String> sent = counted(() -> locks.release(new ReleaseLock.Command(alice, meeting, null)).orElseThrow());

        // Row lock; clock, lease, queue and due step; lease; history row; events.
        assertThat(sent).as(String.join("\n", sent)).hasSize(5);
    }

    private List<String> counted(Supplier<?> work) {
        statements.clear();
        work.get();
        return List.copyOf(statements);
    }
}
