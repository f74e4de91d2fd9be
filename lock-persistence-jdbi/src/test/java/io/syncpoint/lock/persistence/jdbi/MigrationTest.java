package io.syncpoint.lock.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.AppointmentDetails;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.FencingToken;
import io.syncpoint.lock.core.domain.LeasePolicy;
import io.syncpoint.lock.core.domain.LockHolder;
import io.syncpoint.lock.core.domain.LockHistoryEntry;
import io.syncpoint.lock.core.domain.PageRequest;
import io.syncpoint.lock.core.domain.Role;
import io.syncpoint.lock.core.domain.UserAccount;
import io.syncpoint.lock.core.port.in.AcquireLock;
import io.syncpoint.lock.core.port.in.ReleaseLock;
import io.syncpoint.lock.core.port.out.IdGenerator;
import io.syncpoint.lock.core.service.LockService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class MigrationTest {

    @Test
    void migrationsBuildTheSchemaInAnEmptyDatabaseAndASecondRunChangesNothing() throws SQLException {
        PostgresSettings settings = TestPostgres.server().newDatabase();
        PGSimpleDataSource dataSource = dataSource(settings);

        assertThat(Migrations.migrate(dataSource)).isEqualTo(10);
        assertThat(Migrations.migrate(dataSource)).isZero();

        assertThat(strings(dataSource, "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = 'public' AND table_name <> 'flyway_schema_history'"))
                .containsExactlyInAnyOrder("users", "appointments", "lock_history",
                        "edit_requests", "appointment_due_steps");
        assertThat(strings(dataSource, "SELECT sequence_name FROM information_schema.sequences"))
                .contains("fencing_tokens", "lock_state_epochs");
        assertThat(strings(dataSource, "SELECT tc.table_name FROM information_schema.table_constraints tc"
                + " WHERE tc.constraint_type = 'FOREIGN KEY'"))
                .as("requests and due steps go with their appointment (its lease is in its row); history outlives it")
                .containsExactlyInAnyOrder("edit_requests", "appointment_due_steps");
        assertThat(strings(dataSource, "SELECT pg_get_indexdef(indexrelid) FROM pg_index"
                + " WHERE indrelid = CAST('appointments' AS regclass)"))
                .as("no index of appointments covers a column a lock operation changes, in its keys or its predicate,"
                        + " so that the operation's UPDATE stays on the row's page and writes no index entry")
                .hasSize(2)
                .noneMatch(definition -> definition.contains("lease_") || definition.contains("lock_state"));
        assertThat(strings(dataSource, "SELECT array_to_string(reloptions, ',') FROM pg_class"
                + " WHERE oid = CAST('appointments' AS regclass)"))
                .as("each page of appointments keeps room for its rows' next versions")
                .containsExactly("fillfactor=70");
        assertThat(strings(dataSource, "SELECT indexname FROM pg_indexes WHERE tablename = 'appointment_due_steps'"))
                .as("due steps are found by their due instant")
                .contains("appointment_due_steps_by_time");
    }

    @Test
    void lockOperationsRewriteTheAppointmentsRowOnItsOwnPageWithoutANewIndexEntry() throws Exception {
        PostgresSettings settings = TestPostgres.server().newDatabase();
        PGSimpleDataSource dataSource = dataSource(settings);
        int cycles = 25;
        try (PostgresBackend backend = PostgresBackend.start(settings)) {
            UserAccount alice = new UserAccount(UUID.randomUUID(), "alice@example.com", "Alice", Role.USER, "hash",
                    Instant.now());
            backend.users().insertUser(alice);
            UUID meeting = UUID.randomUUID();
            Instant start = Instant.parse("2026-05-04T09:00:00Z");
            backend.appointments().insertAppointment(new Appointment(meeting, new AppointmentDetails("Planning", null,
                    start, start.plusSeconds(3600), null, List.of(), null), 1, alice.id(), start, start));
            LockService locks = new LockService(backend.locks(), backend.history(), backend.appointments(),
                    new LeasePolicy(Duration.ofMinutes(5)), IdGenerator.random());
            for (int i = 0; i < cycles; i++) {
                locks.acquire(AcquireLock.Command.of(alice.asActor(), meeting)).orElseThrow();
                locks.release(ReleaseLock.Command.of(alice.asActor(), meeting)).orElseThrow();
            }
        }
        // Closing the node ended its connections, which hands their counts to the statistics; they arrive shortly.
        String counts = "SELECT n_tup_upd || ' ' || n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'appointments'";
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long updates = 0;
        long heapOnly = 0;
        while (updates < 2L * cycles && System.nanoTime() < deadline) {
            Thread.sleep(100);
            String[] read = strings(dataSource, counts).get(0).split(" ");
            updates = Long.parseLong(read[0]);
            heapOnly = Long.parseLong(read[1]);
        }

        assertThat(updates).as("every acquire and release rewrote the appointment's row").isGreaterThanOrEqualTo(2L * cycles);
        assertThat(heapOnly).as("heap-only updates, of " + updates).isGreaterThanOrEqualTo(updates * 9 / 10);
    }

    @Test
    void aStartPassesFlywayByOnlyWhenEveryScriptIsAppliedWithTheChecksumFlywayWrote() throws SQLException {
        PostgresSettings settings = TestPostgres.server().newDatabase();
        PGSimpleDataSource dataSource = dataSource(settings);
        assertThat(Migrations.current(dataSource)).as("an empty database").isFalse();

        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("9").load().migrate();
        assertThat(Migrations.current(dataSource)).as("a database one script behind").isFalse();

        assertThat(Migrations.migrate(dataSource)).isEqualTo(1);
        assertThat(Migrations.current(dataSource)).as("every script applied by Flyway").isTrue();

        TestPostgres.server().execute(settings,
                "UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE script = 'V3__appointment_locks.sql'");
        assertThat(Migrations.current(dataSource)).as("a script changed after it was applied").isFalse();
        assertThatThrownBy(() -> Migrations.migrate(dataSource))
                .as("Flyway, not the shortcut, decides about a changed script")
                .isInstanceOf(FlywayValidateException.class)
                .hasMessageContaining("checksum mismatch");
    }

    @Test
    void theListOfScriptsNamesEveryMigrationTheJarCarries() throws Exception {
        Path folder = Path.of(Migrations.class.getClassLoader().getResource(Migrations.LOCATION).toURI());
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(Migrations.SCRIPTS);
        }
    }

    @Test
    void aLeaseHeldDuringTheUpgradeCountsAsActiveAtTheUpgradeNotIdleSinceItsGrant() throws SQLException {
        PostgresSettings settings = TestPostgres.server().newDatabase();
        PGSimpleDataSource dataSource = dataSource(settings);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("5.1").load().migrate();
        UUID user = UUID.randomUUID();
        UUID appointment = UUID.randomUUID();
        TestPostgres.server().execute(settings, "INSERT INTO users VALUES (?, 'old@example.com', 'Old', 'user', 'hash', now())",
                user);
        TestPostgres.server().execute(settings, "INSERT INTO appointments VALUES (?, 'Planning', null, now(),"
                + " now() + interval '1 hour', null, '[]', 'scheduled', 1, ?, now(), now())", appointment, user);
        TestPostgres.server().execute(settings, "INSERT INTO appointment_locks VALUES (?, ?, ?,"
                + " CAST('{\"name\":\"Old\",\"email\":\"old@example.com\"}' AS jsonb), now() - interval '1 hour',"
                + " now() + interval '4 minutes', 12, 1, 11)", UUID.randomUUID(), appointment, user);

        try (PostgresBackend backend = PostgresBackend.start(settings)) {
            AppointmentLock lease = backend.locks().findLock(appointment).orElseThrow();
            Instant now = backend.locks().now();
            assertThat(lease.lastActiveAt()).isAfter(lease.createdAt().plus(Duration.ofMinutes(50)))
                    .isBeforeOrEqualTo(now);
        }
    }

    @Test
    void leasesHeldWhenTheirTableMovesIntoTheAppointmentsRowsStayAsTheyWere() throws SQLException {
        PostgresSettings settings = TestPostgres.server().newDatabase();
        PGSimpleDataSource dataSource = dataSource(settings);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("8").load().migrate();
        UUID user = UUID.randomUUID();
        UUID held = UUID.randomUUID();
        UUID free = UUID.randomUUID();
        UUID lease = UUID.randomUUID();
        for (UUID appointment : List.of(held, free)) {
            TestPostgres.server().execute(settings, "INSERT INTO appointments VALUES (?, 'Planning', null, now(),"
                    + " now() + interval '1 hour', null, '[]', 'scheduled', 1, ?, now(), now())", appointment, user);
        }
        TestPostgres.server().execute(settings, "INSERT INTO appointment_locks (id, appointment_id, holder_id, user_info,"
                + " created_at, expires_at, version, fencing_token, renewals, last_active_at) VALUES (?, ?, ?,"
                + " CAST('{\"name\":\"Old\",\"email\":\"old@example.com\"}' AS jsonb), '2026-12-07T10:00:00Z',"
                + " '2026-12-07T10:05:00Z', 3, 41, 2, '2026-12-07T10:02:00Z')", lease, held, user);

        try (PostgresBackend backend = PostgresBackend.start(settings)) {
            AppointmentLock read = backend.locks().findLock(held).orElseThrow();
            assertThat(read).isEqualTo(new AppointmentLock(lease, held,
                    new LockHolder(user, "Old", "old@example.com", null), Instant.parse("2026-12-07T10:00:00Z"),
                    Instant.parse("2026-12-07T10:05:00Z"), 3, new FencingToken(41), 2,
                    Instant.parse("2026-12-07T10:02:00Z")));
            assertThat(backend.locks().findLock(free)).isEmpty();
            assertThat(backend.locks().findExpiredLocks(10)).as("expired since 10:05").containsExactly(read);
        }
        assertThat(strings(dataSource, "SELECT to_regclass('appointment_locks')::text"))
                .as("a node of the release before cannot write leases where nobody reads them").containsOnlyNulls();
    }

    @Test
    void theDatabaseRefusesARequestMessageWithControlCharactersAsTheCoreDoes() throws SQLException {
        PostgresSettings settings = TestPostgres.server().newDatabase();
        PGSimpleDataSource dataSource = dataSource(settings);
        Migrations.migrate(dataSource);
        UUID user = UUID.randomUUID();
        UUID appointment = UUID.randomUUID();
        TestPostgres.server().execute(settings, "INSERT INTO appointments VALUES (?, 'Planning', null, now(),"
                + " now() + interval '1 hour', null, '[]', 'scheduled', 1, ?, now(), now())", appointment, user);
        String insert = "INSERT INTO edit_requests (id, appointment_id, requester_id, requester_info, message, created_at,"
                + " state, ticket, updated_at) VALUES (?, ?, ?, CAST('{\"name\":\"Bob\",\"email\":\"bob@example.com\"}'"
                + " AS jsonb), ?, now(), 'pending', ?, now())";

        assertThat(TestPostgres.server().execute(settings, insert, UUID.randomUUID(), appointment, user,
                "May I fix the time? Ünïcødé is fine.", 1L)).isEqualTo(1);
        assertThatThrownBy(() -> TestPostgres.server().execute(settings, insert, UUID.randomUUID(), appointment,
                UUID.randomUUID(), "line one\nline two", 2L))
                .hasStackTraceContaining("edit_requests_message_text");
    }

    @Test
    void textWrittenBeforeControlCharactersWereRefusedIsCleanedSoEveryRowStillReads() throws SQLException {
        PostgresSettings settings = TestPostgres.server().newDatabase();
        PGSimpleDataSource dataSource = dataSource(settings);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("4").load().migrate();
        UUID user = UUID.randomUUID();
        UUID appointment = UUID.randomUUID();
        UUID lock = UUID.randomUUID();
        String holder = "{\"name\":\"Old\",\"email\":\"old@example.com\",\"position\":\"ti\\u0007tle\"}";
        TestPostgres.server().execute(settings, "INSERT INTO users VALUES (?, 'old@example.com', ?, 'user', 'hash', now())",
                user, "Old\u0001Timer");
        TestPostgres.server().execute(settings, "INSERT INTO appointments VALUES (?, ?, ?, now(), now() + interval '1 hour',"
                + " ?, '[]', 'scheduled', 1, ?, now(), now())", appointment, "Line one\nline two", "Agenda:\n\t1.\u001b[0m",
                "\u0002", user);
        TestPostgres.server().execute(settings, "INSERT INTO appointment_locks VALUES (?, ?, ?, CAST(? AS jsonb), now(),"
                + " now() + interval '5 minutes', 1, 1, 0)", lock, appointment, user, holder);
        TestPostgres.server().execute(settings, "INSERT INTO lock_history (id, appointment_id, lock_id, user_id, user_info,"
                + " action, at, fencing_token, duration_seconds, renewals, reason) VALUES (?, ?, ?, ?, CAST(? AS jsonb),"
                + " 'force_released', now(), 1, 60, 0, ?)",
                UUID.randomUUID(), appointment, lock, user, holder, "be\u0007cause");

        try (PostgresBackend backend = PostgresBackend.start(settings)) {
            assertThat(backend.users().findUserById(user).orElseThrow().name()).isEqualTo("Old Timer");
            Appointment read = backend.appointments().findAppointment(appointment).orElseThrow();
            assertThat(read.details().title()).isEqualTo("Line one line two");
            assertThat(read.details().description()).isEqualTo("Agenda:\n\t1. [0m");
            assertThat(read.details().location()).isNull();
            assertThat(backend.locks().findLock(appointment).orElseThrow().holder().position()).isEqualTo("ti tle");
            LockHistoryEntry row = backend.history().ofAppointment(appointment, PageRequest.standard()).data().get(0);
            assertThat(row.reason()).isEqualTo("be cause");
            assertThat(row.holder().position()).isEqualTo("ti tle");
        }
    }

    private static PGSimpleDataSource dataSource(PostgresSettings settings) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(settings.jdbcUrl());
        dataSource.setUser(settings.user());
        dataSource.setPassword(settings.password());
        return dataSource;
    }

    private static List<String> strings(PGSimpleDataSource dataSource, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
