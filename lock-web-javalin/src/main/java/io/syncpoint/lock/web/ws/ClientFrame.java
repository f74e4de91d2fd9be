package io.syncpoint.lock.web.ws;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.UUID;

/** A frame a client may send, valid by construction: {@link #parse} refuses everything else. */
sealed interface ClientFrame {

    record Subscribe(UUID appointmentId) implements ClientFrame {
    }

    record Unsubscribe(UUID appointmentId) implements ClientFrame {
    }

    record CursorPosition(UUID appointmentId, double x, double y) implements ClientFrame {
    }

    record Ping() implements ClientFrame {
    }

    /** Why a frame was refused, with the {@code error} frame's code. */
    final class Refused extends Exception {
        private final String code;

        Refused(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        String code() {
            return code;
        }
    }

    static ClientFrame parse(ObjectMapper json, String text) throws Refused {
        JsonNode frame;
        try {
            frame = json.readTree(text);
        } catch (JacksonException e) {
            throw invalid("frame is not valid JSON");
        }
        if (frame == null || !frame.isObject()) {
            throw invalid("frame must be a JSON object");
        }
        JsonNode type = frame.get("type");
        if (type == null || !type.isTextual()) {
            throw invalid("type: must be a string");
        }
        switch (type.textValue()) {
            case "subscribe":
                return new Subscribe(appointmentId(frame));
            case "unsubscribe":
                return new Unsubscribe(appointmentId(frame));
            case "cursor-position":
                UUID appointmentId = appointmentId(frame);
                JsonNode position = frame.get("position");
                if (position == null || !position.isObject()) {
                    throw invalid("position: must be an object {x, y}");
                }
                return new CursorPosition(appointmentId, coordinate(position, "x"), coordinate(position, "y"));
            case "ping":
                return new Ping();
            default:
                throw invalid("type: unknown frame type '" + abbreviated(type.textValue()) + "'");
        }
    }

    private static UUID appointmentId(JsonNode frame) throws Refused {
        JsonNode id = frame.get("appointmentId");
        if (id == null || !id.isTextual()) {
            throw invalid("appointmentId: must be a string");
        }
        try {
            return UUID.fromString(id.textValue());
        } catch (IllegalArgumentException e) {
            throw invalid("appointmentId: must be a UUID");
        }
    }

    private static double coordinate(JsonNode position, String axis) throws Refused {
        JsonNode value = position.get(axis);
        if (value == null || !value.isNumber() || !Double.isFinite(value.doubleValue())) {
            throw invalid("position." + axis + ": must be a finite number");
        }
        return value.doubleValue();
    }

    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    private static Refused invalid(String message) {
        return new Refused("validation_failed", message);
    }
}
