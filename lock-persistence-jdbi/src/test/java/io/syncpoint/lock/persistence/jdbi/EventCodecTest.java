package io.syncpoint.lock.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.EditRequest;
import io.syncpoint.lock.core.domain.EditRequestState;
import io.syncpoint.lock.core.domain.FencingToken;
import io.syncpoint.lock.core.domain.LockHolder;
import io.syncpoint.lock.core.event.DomainEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    private static final UUID APPOINTMENT = UUID.randomUUID();
    private static final LockHolder ALICE = new LockHolder(UUID.randomUUID(), "Alice", "alice@example.com", "title");
    private static final LockHolder BOB = new LockHolder(UUID.randomUUID(), "Bob", "bob@example.com", null);
    private static final UUID REQUEST = UUID.randomUUID();
    private static final Instant GRANTED_AT = Instant.parse("2026-03-02T10:00:00.123456Z");
    private static final Instant OFFER_END = GRANTED_AT.plusSeconds(30);
    private static final LockHolder ADMIN = new LockHolder(UUID.randomUUID(), "Ada Admin", "admin@example.com", null);

    @Test
    void everyEventSurvivesTheWireUnchanged() {
        AppointmentLock lock = lockOf(ALICE);
        List<DomainEvent> events = List.of(
                new DomainEvent.LockAcquired(lock),
                new DomainEvent.LockUpdated(lock),
                new DomainEvent.LockReleased(APPOINTMENT, DomainEvent.ReleaseReason.FORCE_RELEASED, ADMIN.userId(), lock),
                new DomainEvent.LockReleased(APPOINTMENT, DomainEvent.ReleaseReason.EXPIRED, null, lock),
                new DomainEvent.AdminTakeover(APPOINTMENT, ADMIN, ALICE, lockOf(ADMIN)),
                new DomainEvent.AppointmentUpdated(APPOINTMENT, 7, ALICE.userId()),
                new DomainEvent.AppointmentDeleted(APPOINTMENT),
                new DomainEvent.CursorMoved(APPOINTMENT, ALICE.userId(), "Alice", "alice@example.com", 0.125, 0.5),
                new DomainEvent.CursorRemoved(APPOINTMENT, ALICE.userId()),
                new DomainEvent.EditRequested(requestOf("May I fix the start time?", EditRequestState.PENDING, null, null), 2),
                new DomainEvent.EditRequestUpdated(requestOf(null, EditRequestState.OFFERED, OFFER_END, null), 1),
                new DomainEvent.EditRequestUpdated(requestOf("\"Quoted\" \\ and ünïcødé", EditRequestState.DECLINED, null,
                        "Almost done, five more minutes"), 0),
                new DomainEvent.EditRequestUpdated(requestOf(null, EditRequestState.GRANTED, null, null), 0),
                new DomainEvent.LockHandedOver(APPOINTMENT, ALICE, BOB, lockOf(BOB), REQUEST, false),
                new DomainEvent.LockHandedOver(APPOINTMENT, ALICE, BOB, lockOf(BOB), REQUEST, true),
                new DomainEvent.LockOffered(APPOINTMENT, REQUEST, BOB.userId(), OFFER_END));

        for (DomainEvent event : events) {
            String payload = EventCodec.encode(event);
            assertThat(EventCodec.decode(payload)).as(payload).isEqualTo(event);
        }
    }

    @Test
    void theLargestPossibleEventFitsInOneNotification() {
        String name = "Ω".repeat(100);
        String email = "a".repeat(64) + "@" + "b".repeat(185) + ".com";
        String position = "𝄞".repeat(LockHolder.MAX_POSITION_LENGTH / 2);
        LockHolder big = new LockHolder(UUID.randomUUID(), name, email, position);

        String payload = EventCodec.encode(new DomainEvent.AdminTakeover(APPOINTMENT, big, big, lockOf(big)));

        assertThat(payload.getBytes(StandardCharsets.UTF_8).length).isLessThan(EventCodec.MAX_PAYLOAD_BYTES);
    }

    @Test
    void theLargestPossibleHandoverAndRequestFitInOneNotification() {
        LockHolder big = largestHolder();
        // A quote is escaped on the wire (two bytes); '€' takes three bytes in UTF-8, the most a character of
        // the Basic Multilingual Plane takes (characters beyond it take four bytes but count as two).
        String message = "\"".repeat(EditRequest.MAX_MESSAGE_LENGTH);
        String wide = "€".repeat(EditRequest.MAX_MESSAGE_LENGTH);

        List<String> payloads = List.of(
                EventCodec.encode(new DomainEvent.LockHandedOver(APPOINTMENT, big, big, lockOf(big), REQUEST, true)),
                EventCodec.encode(new DomainEvent.EditRequested(
                        new EditRequest(REQUEST, APPOINTMENT, big, message, GRANTED_AT, EditRequestState.PENDING,
                                Long.MAX_VALUE, null, GRANTED_AT, null), 20)),
                EventCodec.encode(new DomainEvent.EditRequestUpdated(
                        new EditRequest(REQUEST, APPOINTMENT, big, wide, GRANTED_AT, EditRequestState.DECLINED,
                                Long.MAX_VALUE, null, GRANTED_AT, message), 0)));

        assertThat(payloads).allSatisfy(payload ->
                assertThat(payload.getBytes(StandardCharsets.UTF_8).length).isLessThan(EventCodec.MAX_PAYLOAD_BYTES));
    }

    @Test
    void aLeaseAnnouncedByANodeOfThePreviousReleaseCountsAsActiveSinceItsGrant() {
        AppointmentLock lock = lockOf(ALICE);
        ObjectNode payload = (ObjectNode) readTree(EventCodec.encode(new DomainEvent.LockAcquired(lock)));
        ((ObjectNode) payload.get("lock")).remove("lastActiveAt");

        DomainEvent decoded = EventCodec.decode(payload.toString());

        assertThat(((DomainEvent.LockAcquired) decoded).lock().lastActiveAt()).isEqualTo(lock.createdAt());
    }

    private static JsonNode readTree(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static LockHolder largestHolder() {
        String name = "Ω".repeat(100);
        String email = "a".repeat(64) + "@" + "b".repeat(185) + ".com";
        String position = "€".repeat(LockHolder.MAX_POSITION_LENGTH);
        return new LockHolder(UUID.randomUUID(), name, email, position);
    }

    private static EditRequest requestOf(String message, EditRequestState state, Instant offeredUntil, String reason) {
        return new EditRequest(REQUEST, APPOINTMENT, BOB, message, GRANTED_AT.plusSeconds(5), state, 7, offeredUntil,
                GRANTED_AT.plusSeconds(9), reason);
    }

    private static AppointmentLock lockOf(LockHolder holder) {
        return new AppointmentLock(UUID.randomUUID(), APPOINTMENT, holder, GRANTED_AT, GRANTED_AT.plusSeconds(300), 3,
                new FencingToken(42), 2, GRANTED_AT.plusSeconds(40));
    }
}
