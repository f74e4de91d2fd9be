package io.syncpoint.lock.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads path, query, header and body input strictly: anything of the wrong shape is a 400
 * {@code validation_failed} naming the field, before a command is built.
 */
final class Requests {
    private static final Pattern ETAG = Pattern.compile("^(?:W/)?\"(\\d{1,18})\"$");
    private static final Pattern DIGITS = Pattern.compile("^\\d{1,18}$");
    private static final Pattern MALFORMED_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    private final ObjectMapper mapper;
    private final long maxBodyBytes;

    Requests(ObjectMapper mapper, long maxBodyBytes) {
        this.mapper = mapper;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The JSON object in the body; an empty body reads as an empty object. */
    ObjectNode body(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length > maxBodyBytes) {
            throw payloadTooLarge(maxBodyBytes);
        }
        if (bytes.length == 0 || new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode node;
        try {
            node = mapper.readTree(bytes);
        } catch (JsonProcessingException malformed) {
            throw ApiProblem.invalid("body", "is not valid JSON");
        } catch (java.io.IOException unreadable) {
            throw ApiProblem.invalid("body", "could not be read");
        }
        if (node == null || !node.isObject()) {
            throw ApiProblem.invalid("body", "must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /**
     * Reads and drops a refused body of at most {@code upTo} bytes, so that a client still sending it
     * reads the answer instead of a reset connection; a larger one is left unread and the connection closed.
     */
    static void discardBody(Context ctx, long upTo) {
        if (ctx.req().getContentLengthLong() > upTo) {
            ctx.header("Connection", "close");
            return;
        }
        try (InputStream body = ctx.req().getInputStream()) {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException clientHungUp) {
            // Nothing to answer to then.
        }
    }

    static ApiProblem payloadTooLarge(long limit) {
        return new ApiProblem(413, "payload_too_large", "Payload too large",
                "The request body exceeds " + limit + " bytes.");
    }

    /**
     * A {@code %} must start a two-digit hex escape; Jetty lets other forms through, and decoding them
     * while matching path parameters would otherwise fail as if it were the server's fault.
     */
    static void requireWellFormedPath(Context ctx) {
        String path = ctx.req().getRequestURI();
        // Most paths have no escape at all; only those that do are searched (every request passes here).
        if (path.indexOf('%') >= 0 && MALFORMED_ESCAPE.matcher(path).find()) {
            throw ApiProblem.invalid("path", "has a malformed percent-escape");
        }
    }

    static UUID pathId(Context ctx, String name) {
        return uuid(name, ctx.pathParam(name));
    }

    static UUID uuid(String field, String value) {
        if (value == null || value.length() != 36) {
            throw ApiProblem.invalid(field, "must be a UUID");
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid(field, "must be a UUID");
        }
    }

    static String optionalText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiProblem.invalid(field, "must be a string");
        }
        return value.textValue();
    }

    static String requiredText(JsonNode body, String field) {
        String value = optionalText(body, field);
        if (value == null) {
            throw ApiProblem.invalid(field, "is required");
        }
        return value;
    }

    static boolean optionalBoolean(JsonNode body, String field, boolean fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw ApiProblem.invalid(field, "must be true or false");
        }
        return value.booleanValue();
    }

    static Long optionalLong(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw ApiProblem.invalid(field, "must be an integer");
        }
        return value.longValue();
    }

    static Instant requiredInstant(JsonNode body, String field) {
        String value = optionalText(body, field);
        if (value == null) {
            throw ApiProblem.invalid(field, "is required");
        }
        return instant(field, value);
    }

    static List<String> optionalTextList(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw ApiProblem.invalid(field, "must be an array of strings");
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw ApiProblem.invalid(field + "[" + i + "]", "must be a string");
            }
            items.add(value.get(i).textValue());
        }
        return items;
    }

    /** An ISO-8601 instant with an offset, such as {@code 2026-03-01T09:00:00Z}. */
    static Instant instant(String field, String value) {
        OffsetDateTime parsed;
        try {
            parsed = OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid(field, "must be an ISO-8601 date-time with offset, such as 2026-03-01T09:00:00Z");
        }
        // The year range is the core's rule, checked on the instant in UTC.
        return parsed.toInstant();
    }

    static Instant queryInstant(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null || value.isEmpty() ? null : instant(name, value);
    }

    static long queryLong(Context ctx, String name, long fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        if (!DIGITS.matcher(value).matches()) {
            throw ApiProblem.invalid(name, "must be a non-negative integer");
        }
        return Long.parseLong(value);
    }

    static int queryInt(Context ctx, String name, int fallback) {
        long value = queryLong(ctx, name, fallback);
        if (value > Integer.MAX_VALUE) {
            throw ApiProblem.invalid(name, "is too large");
        }
        return (int) value;
    }

    /** The version in {@code If-Match: "<version>"}; null when the header is absent. */
    static Long ifMatchVersion(Context ctx) {
        String value = ctx.header("If-Match");
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        var quoted = ETAG.matcher(trimmed);
        if (quoted.matches()) {
            return Long.parseLong(quoted.group(1));
        }
        if (DIGITS.matcher(trimmed).matches()) {
            return Long.parseLong(trimmed);
        }
        throw ApiProblem.invalid("If-Match", "must be the appointment's ETag, such as \"3\"");
    }

    /** The fencing token in {@code Lock-Token: <token>}; null when the header is absent. */
    static Long lockToken(Context ctx) {
        String value = ctx.header("Lock-Token");
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        if (!DIGITS.matcher(trimmed).matches()) {
            throw ApiProblem.invalid("Lock-Token", "must be the lease's fencing token, a positive integer");
        }
        return Long.parseLong(trimmed);
    }
}
