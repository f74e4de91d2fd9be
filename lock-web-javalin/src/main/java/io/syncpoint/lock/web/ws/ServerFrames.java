package io.syncpoint.lock.web.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncpoint.lock.core.domain.AppointmentLock;
import io.syncpoint.lock.core.domain.LockHolder;
import io.syncpoint.lock.core.event.DomainEvent;
import io.syncpoint.lock.web.JsonViews;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

/** Writes the server-to-client frames of the WebSocket protocol; field names are the public contract. */
final class ServerFrames {
    private final ObjectMapper json;

    ServerFrames(ObjectMapper json) {
        this.json = json;
    }

    /** The frame announcing {@code event} to the watchers of its appointment. */
    String of(DomainEvent event) {
        ObjectNode frame;
        if (event instanceof DomainEvent.LockAcquired acquired) {
            frame = frame("lock-acquired", event.appointmentId());
            frame.set("lock", lock(acquired.lock()));
        } else if (event instanceof DomainEvent.LockUpdated updated) {
            frame = frame("lock-update", event.appointmentId());
            frame.set("lock", lock(updated.lock()));
        } else if (event instanceof DomainEvent.LockReleased released) {
            frame = frame("lock-released", event.appointmentId());
            frame.put("reason", released.reason().wireName());
            if (released.by() != null) {
                frame.put("by", released.by().toString());
            }
            frame.set("lock", lock(released.lock()));
        } else if (event instanceof DomainEvent.AdminTakeover takeover) {
            frame = frame("admin-takeover", event.appointmentId());
            frame.put("adminId", takeover.adminId().toString());
            frame.set("adminInfo", userInfo(takeover.admin().name(), takeover.admin().email()));
            frame.set("previousHolder", holder(takeover.previousHolder()));
            frame.set("lock", lock(takeover.lock()));
        } else if (event instanceof DomainEvent.EditRequested requested) {
            frame = frame("edit-requested", event.appointmentId());
            frame.set("request", json.valueToTree(JsonViews.editRequest(requested.request(), requested.position())));
        } else if (event instanceof DomainEvent.EditRequestUpdated updated) {
            frame = frame("edit-request-updated", event.appointmentId());
            frame.set("request", json.valueToTree(JsonViews.editRequest(updated.request(), updated.position())));
        } else if (event instanceof DomainEvent.LockHandedOver handedOver) {
            frame = frame("lock-handed-over", event.appointmentId());
            frame.set("from", json.valueToTree(JsonViews.person(handedOver.from())));
            frame.set("to", json.valueToTree(JsonViews.person(handedOver.to())));
            frame.set("lock", lock(handedOver.lock()));
            frame.put("requestId", handedOver.requestId().toString());
            frame.put("auto", handedOver.auto());
        } else if (event instanceof DomainEvent.LockOffered offered) {
            frame = frame("lock-offered", event.appointmentId());
            frame.put("requestId", offered.requestId().toString());
            frame.put("userId", offered.userId().toString());
            frame.put("until", offered.until().toString());
        } else if (event instanceof DomainEvent.AppointmentUpdated updated) {
            frame = frame("appointment-updated", event.appointmentId());
            frame.put("version", updated.version());
            frame.put("updatedBy", updated.updatedBy().toString());
        } else if (event instanceof DomainEvent.AppointmentDeleted) {
            frame = frame("appointment-deleted", event.appointmentId());
        } else if (event instanceof DomainEvent.CursorMoved moved) {
            frame = frame("cursor-update", event.appointmentId());
            frame.setAll(cursor(moved));
        } else if (event instanceof DomainEvent.CursorRemoved removed) {
            frame = frame("cursor-remove", event.appointmentId());
            frame.put("userId", removed.userId().toString());
        } else {
            throw new IllegalArgumentException("no frame for " + event);
        }
        return write(frame);
    }

    String subscribed(UUID appointmentId, Optional<AppointmentLock> liveLock, Collection<DomainEvent.CursorMoved> cursors) {
        ObjectNode frame = frame("subscribed", appointmentId);
        frame.set("lock", liveLock.map(this::lock).orElse(null));
        ArrayNode list = frame.putArray("cursors");
        cursors.forEach(cursor -> list.add(cursor(cursor)));
        return write(frame);
    }

    String pong() {
        ObjectNode frame = json.createObjectNode();
        frame.put("type", "pong");
        return write(frame);
    }

    String error(String code, String message, UUID appointmentId) {
        ObjectNode frame = json.createObjectNode();
        frame.put("type", "error");
        frame.put("code", code);
        frame.put("message", message);
        if (appointmentId != null) {
            frame.put("appointmentId", appointmentId.toString());
        }
        return write(frame);
    }

    /** A lock exactly as the HTTP API writes it. */
    private ObjectNode lock(AppointmentLock lock) {
        return json.valueToTree(JsonViews.lock(lock));
    }

    private ObjectNode cursor(DomainEvent.CursorMoved moved) {
        ObjectNode node = json.createObjectNode();
        node.put("userId", moved.userId().toString());
        node.set("userInfo", userInfo(moved.name(), moved.email()));
        ObjectNode position = node.putObject("position");
        position.put("x", moved.x());
        position.put("y", moved.y());
        node.put("color", CursorColors.of(moved.userId()));
        return node;
    }

    private ObjectNode holder(LockHolder holder) {
        ObjectNode node = userInfo(holder.name(), holder.email());
        node.put("userId", holder.userId().toString());
        return node;
    }

    private ObjectNode userInfo(String name, String email) {
        ObjectNode node = json.createObjectNode();
        node.put("name", name);
        node.put("email", email);
        return node;
    }

    private ObjectNode frame(String type, UUID appointmentId) {
        ObjectNode frame = json.createObjectNode();
        frame.put("type", type);
        frame.put("appointmentId", appointmentId.toString());
        return frame;
    }

    private String write(ObjectNode frame) {
        try {
            return json.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a frame tree always serializes", e);
        }
    }
}
