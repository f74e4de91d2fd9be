package io.syncpoint.lock.persistence.jdbi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.FencingToken;
import io.syncpoint.lock.core.domain.LockHolder;
import io.syncpoint.lock.core.event.DomainEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Domain events as compact JSON for NOTIFY payloads. The mapping is explicit, keyed by a
 * {@code type} field, so renaming a Java member never changes what other nodes read.
 */
final class EventCodec {
    /** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
    static final int MAX_PAYLOAD_BYTES = 7999;

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventCodec() {
    }

    static String encode(DomainEvent event) {
        ObjectNode node = JSON.createObjectNode();
        if (event instanceof DomainEvent.LockAcquired e) {
            node.put("type", "lock_acquired").set("lock", lock(e.lock()));
        } else if (event instanceof DomainEvent.LockUpdated e) {
            node.put("type", "lock_updated").set("lock", lock(e.lock()));
        } else if (event instanceof DomainEvent.LockReleased e) {
            node.put("type", "lock_released")
                    .put("appointmentId", e.appointmentId().toString())
                    .put("reason", e.reason().wireName())
                    .put("by", e.by() == null ? null : e.by().toString())
                    .set("lock", lock(e.lock()));
        } else if (event instanceof DomainEvent.AdminTakeover e) {
            node.put("type", "admin_takeover")
                    .put("appointmentId", e.appointmentId().toString());
            node.set("admin", holder(e.admin()));
            node.set("previousHolder", holder(e.previousHolder()));
            node.set("lock", lock(e.lock()));
        } else if (event instanceof DomainEvent.AppointmentUpdated e) {
            node.put("type", "appointment_updated")
                    .put("appointmentId", e.appointmentId().toString())
                    .put("version", e.version())
                    .put("updatedBy", e.updatedBy() == null ? null : e.updatedBy().toString());
        } else if (event instanceof DomainEvent.AppointmentDeleted e) {
            node.put("type", "appointment_deleted")
                    .put("appointmentId", e.appointmentId().toString());
        } else if (event instanceof DomainEvent.CursorMoved e) {
            node.put("type", "cursor_moved")
                    .put("appointmentId", e.appointmentId().toString())
                    .put("userId", e.userId().toString())
                    .put("name", e.name())
                    .put("email", e.email())
                    .put("x", e.x())
                    .put("y", e.y());
        } else if (event instanceof DomainEvent.CursorRemoved e) {
            node.put("type", "cursor_removed")
                    .put("appointmentId", e.appointmentId().toString())
                    .put("userId", e.userId().toString());
        } else {
            throw new IllegalArgumentException("no wire form for " + event.getClass().getName());
        }
        String payload = node.toString();
        if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("event too large for NOTIFY: " + event.getClass().getSimpleName());
        }
        return payload;
    }

    static DomainEvent decode(String payload) {
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable event payload", e);
        }
        String type = node.path("type").asText();
        switch (type) {
            case "lock_acquired":
                return new DomainEvent.LockAcquired(lock(node.get("lock")));
            case "lock_updated":
                return new DomainEvent.LockUpdated(lock(node.get("lock")));
            case "lock_released":
                return new DomainEvent.LockReleased(uuid(node, "appointmentId"),
                        DomainEvent.ReleaseReason.fromWireName(node.path("reason").asText()),
                        uuid(node, "by"), lock(node.get("lock")));
            case "admin_takeover":
                return new DomainEvent.AdminTakeover(uuid(node, "appointmentId"), holder(node.get("admin")),
                        holder(node.get("previousHolder")), lock(node.get("lock")));
            case "appointment_updated":
                return new DomainEvent.AppointmentUpdated(uuid(node, "appointmentId"), node.path("version").asLong(),
                        uuid(node, "updatedBy"));
            case "appointment_deleted":
                return new DomainEvent.AppointmentDeleted(uuid(node, "appointmentId"));
            case "cursor_moved":
                return new DomainEvent.CursorMoved(uuid(node, "appointmentId"), uuid(node, "userId"),
                        text(node, "name"), text(node, "email"), node.path("x").asDouble(), node.path("y").asDouble());
            case "cursor_removed":
                return new DomainEvent.CursorRemoved(uuid(node, "appointmentId"), uuid(node, "userId"));
            default:
                throw new IllegalArgumentException("unknown event type: " + type);
        }
    }

    private static ObjectNode lock(AppointmentLock lock) {
        ObjectNode node = JSON.createObjectNode()
                .put("id", lock.id().toString())
                .put("appointmentId", lock.appointmentId().toString())
                .put("createdAt", lock.createdAt().toString())
                .put("expiresAt", lock.expiresAt().toString())
                .put("version", lock.version())
                .put("fencingToken", lock.fencingToken().value())
                .put("renewals", lock.renewals())
                .put("lastActiveAt", lock.lastActiveAt().toString());
        node.set("holder", holder(lock.holder()));
        return node;
    }

    private static AppointmentLock lock(JsonNode node) {
        Instant createdAt = Instant.parse(node.path("createdAt").asText());
        // Nodes of the previous release send no lastActiveAt: the grant is the last activity they know.
        Instant lastActiveAt = node.hasNonNull("lastActiveAt") ? Instant.parse(node.get("lastActiveAt").asText()) : createdAt;
        return new AppointmentLock(uuid(node, "id"), uuid(node, "appointmentId"), holder(node.get("holder")),
                createdAt, Instant.parse(node.path("expiresAt").asText()),
                node.path("version").asLong(), new FencingToken(node.path("fencingToken").asLong()),
                node.path("renewals").asInt(), lastActiveAt);
    }

    private static ObjectNode holder(LockHolder holder) {
        return JSON.createObjectNode()
                .put("userId", holder.userId().toString())
                .put("name", holder.name())
                .put("email", holder.email())
                .put("position", holder.position());
    }

    private static LockHolder holder(JsonNode node) {
        return new LockHolder(uuid(node, "userId"), text(node, "name"), text(node, "email"), text(node, "position"));
    }

    private static UUID uuid(JsonNode node, String field) {
        String value = text(node, field);
        return value == null ? null : UUID.fromString(value);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
