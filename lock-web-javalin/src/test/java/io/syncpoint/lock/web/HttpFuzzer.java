package io.syncpoint.lock.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Generates hostile requests for every operation of the OpenAPI document: values of the wrong type,
 * on and past every boundary, with control characters, invalid UTF-8, huge and deeply nested JSON,
 * truncated bodies, invented methods and broken headers. One seeded {@link Random} drives it all,
 * so a seed reproduces a run's requests.
 */
final class HttpFuzzer {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TEXT_SAMPLES = {"", " ", "a", "Planning", "x\u0000y", "tab\there", "line\nbreak",
        "bell\u0007", "esc\u001b[31m", "del\u007f", "é€😀", "\u202eevil", "<script>alert(1)</script>", "'; DROP TABLE users;--",
        "../../etc/passwd", "%00", "null", "true", "0", "-1", "1e309", "\ud800", "\uffff", "a@b.c", "not-an-email"};
    private static final String[] INVENTED_METHODS = {"BREW", "PROPFIND", "M", "GETT", "TRACE", "CONNECT", "QUERY",
        "LOCK", "PURGE", "XYZ" + "A".repeat(300)};

    /** One documented operation: its method, path template, parameters and body schema. */
    record Operation(String method, String path, List<JsonNode> parameters, JsonNode bodySchema) {
    }

    /** A request to send, made from {@code operation}; {@code raw} requests go over a plain socket, byte for byte. */
    record FuzzRequest(Operation operation, String method, String target, Map<String, String> headers, byte[] body,
                       boolean raw, boolean hangUp, String label) {
    }

    /** What the fuzzer may put where a token or an id goes: the valid ones it knows and anything else. */
    interface Pools {
        String userToken();

        String adminToken();

        UUID knownAppointmentId();

        UUID knownUserId();
    }

    private final JsonNode document;
    private final List<Operation> operations = new ArrayList<>();
    private final Random random;
    private final Pools pools;

    HttpFuzzer(String openApi, long seed, Pools pools) {
        try {
            this.document = JSON.readTree(openApi);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.random = new Random(seed);
        this.pools = pools;
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            JsonNode item = resolve(path.getValue());
            for (Iterator<Map.Entry<String, JsonNode>> methods = item.fields(); methods.hasNext(); ) {
                Map.Entry<String, JsonNode> method = methods.next();
                JsonNode operation = method.getValue();
                List<JsonNode> parameters = new ArrayList<>();
                operation.path("parameters").forEach(parameter -> parameters.add(resolve(parameter)));
                JsonNode body = operation.path("requestBody").path("content").path("application/json").path("schema");
                operations.add(new Operation(method.getKey().toUpperCase(), path.getKey(), parameters,
                        body.isMissingNode() ? null : resolve(body)));
            }
        }
    }

    List<Operation> operations() {
        return operations;
    }

    /** The next request: a documented operation, mutated. */
    synchronized FuzzRequest next() {
        Operation operation = operations.get(random.nextInt(operations.size()));
        String method = random.nextInt(20) == 0 ? pick(INVENTED_METHODS) : operation.method();
        StringBuilder target = new StringBuilder();
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> query = new ArrayList<>();
        String path = operation.path();
        for (JsonNode parameter : operation.parameters()) {
            String name = parameter.path("name").asText();
            String in = parameter.path("in").asText();
            if (in.equals("path")) {
                path = path.replace("{" + name + "}", pathValue(name));
            } else if (in.equals("query") && random.nextBoolean()) {
                query.add(name + "=" + percentEncode(scalar(parameter.path("schema"))));
            } else if (in.equals("header") && random.nextInt(3) > 0) {
                headers.put(name, headerValue(name));
            }
        }
        target.append(mutatePath(path));
        if (!query.isEmpty()) {
            target.append('?').append(String.join("&", query));
        }
        authorize(headers);
        byte[] body = body(operation);
        if (body != null && random.nextInt(10) > 0) {
            headers.put("Content-Type", random.nextInt(10) == 0 ? pick(new String[] {"text/plain", "application/xml",
                "application/json; charset=latin1", "multipart/form-data; boundary=x", "\u00ff/\u00ff"})
                    : "application/json");
        }
        int transport = random.nextInt(100);
        if (transport < 4) {
            return rawWithBrokenHeader(operation, method, target.toString(), headers, body);
        }
        if (transport < 8 && body != null && body.length > 2) {
            return new FuzzRequest(operation, method, target.toString(), headers, body, true, true, "truncated body");
        }
        if (transport < 10) {
            return new FuzzRequest(operation, method, target.toString(), headers, body == null ? new byte[] {'{'} : body,
                    true, false, "bad chunking");
        }
        boolean rawNeeded = !isToken(method) || !headers.values().stream().allMatch(HttpFuzzer::isSafeHeaderValue);
        return new FuzzRequest(operation, method, target.toString(), headers, body, rawNeeded, false, "generated");
    }

    private void authorize(Map<String, String> headers) {
        int choice = random.nextInt(10);
        if (choice < 5) {
            headers.put("Authorization", "Bearer " + pools.userToken());
        } else if (choice < 7) {
            headers.put("Authorization", "Bearer " + pools.adminToken());
        } else if (choice < 9) {
            headers.put("Authorization", pick(new String[] {"Bearer", "Bearer ", "Basic YTpi", "Bearer x.y.z",
                "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "bearer " + pools.userToken() + "x", "Bearer " + "A".repeat(5000)}));
        }
    }

    private String pathValue(String name) {
        int choice = random.nextInt(10);
        if (choice < 5) {
            return (name.equals("id") && random.nextInt(4) == 0 ? pools.knownUserId() : pools.knownAppointmentId()).toString();
        }
        if (choice < 7) {
            return UUID.randomUUID().toString();
        }
        return pick(new String[] {"", "%ff", "%00", "not-a-uuid", "..%2F..", "00000000-0000-0000-0000-000000000000",
            UUID.randomUUID().toString().toUpperCase(), UUID.randomUUID() + "x", "1", "-1", "%E2%80%AE", "a".repeat(3000),
            "%C0%AF", "%uD800"});
    }

    private String mutatePath(String path) {
        switch (random.nextInt(30)) {
            case 0:
                return path + "/";
            case 1:
                return path + "/" + UUID.randomUUID();
            case 2:
                return path.toUpperCase();
            case 3:
                return "//" + path;
            case 4:
                return path.replace("/api/v1", "/api/v2");
            default:
                return path;
        }
    }

    private String headerValue(String name) {
        if (name.equals("If-Match")) {
            return pick(new String[] {"\"1\"", "\"2\"", "W/\"1\"", "1", "*", "\"\"", "\"-1\"", "\"99999999999999999999\"",
                "\"1\", \"2\"", "\"1\u0000\"", "é"});
        }
        return pick(new String[] {"1", "0", "-1", "99999999999999999999", "abc", "", " 1 ", "1.5", "0x10", "1\u0001"});
    }

    /** A body built from the schema, then perhaps broken: wrong JSON, invalid UTF-8, cut short, huge or deep. */
    private byte[] body(Operation operation) {
        int choice = random.nextInt(100);
        if (choice < 5) {
            return null;
        }
        if (choice < 10) {
            return deepJson(random.nextBoolean() ? 2_000 : 200_000);
        }
        if (choice < 13) {
            return ("{\"title\":\"" + "x".repeat(70_000 + random.nextInt(10_000)) + "\"}").getBytes(StandardCharsets.UTF_8);
        }
        if (choice < 18) {
            return invalidUtf8();
        }
        if (choice < 23) {
            return pick(new String[] {"", "null", "[]", "42", "\"text\"", "{", "}", "{\"a\":}", "{\"a\" 1}", "{}{}",
                "{\"title\":\"a\",\"title\":\"b\"}", "{'single':'quotes'}", "{\"a\":NaN}", "{\"a\":1e99999}",
                "\u0000", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\u0000\"}", "{/*c*/}"}).getBytes(StandardCharsets.UTF_8);
        }
        JsonNode generated = operation.bodySchema() == null ? object(null) : value(operation.bodySchema(), 0);
        byte[] bytes = generated.toString().getBytes(StandardCharsets.UTF_8);
        if (choice < 30 && bytes.length > 1) {
            return java.util.Arrays.copyOf(bytes, 1 + random.nextInt(bytes.length - 1));
        }
        return bytes;
    }

    private JsonNode value(JsonNode schema, int depth) {
        if (random.nextInt(12) == 0 || depth > 3) {
            return wrongType();
        }
        String type = schema.path("type").asText("object");
        switch (type) {
            case "object":
                return object(schema);
            case "array":
                ArrayNode array = NODES.arrayNode();
                int max = schema.path("maxItems").asInt(5);
                int size = random.nextInt(6) == 0 ? max + 1 : random.nextInt(Math.min(max, 5) + 1);
                for (int i = 0; i < size; i++) {
                    array.add(value(schema.path("items"), depth + 1));
                }
                return array;
            case "integer":
                return NODES.numberNode(integer(schema));
            case "boolean":
                return NODES.booleanNode(random.nextBoolean());
            default:
                return NODES.textNode(text(schema));
        }
    }

    private ObjectNode object(JsonNode schema) {
        ObjectNode object = NODES.objectNode();
        if (schema != null) {
            for (Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields(); properties.hasNext(); ) {
                Map.Entry<String, JsonNode> property = properties.next();
                if (random.nextInt(6) > 0) {
                    object.set(property.getKey(), value(property.getValue(), 1));
                }
            }
        }
        if (random.nextInt(8) == 0) {
            object.put(pick(TEXT_SAMPLES), pick(TEXT_SAMPLES));
        }
        return object;
    }

    private String scalar(JsonNode schema) {
        String type = schema.path("type").asText("string");
        if (type.equals("integer") && random.nextInt(4) > 0) {
            return Long.toString(integer(schema));
        }
        return random.nextInt(4) == 0 ? pick(TEXT_SAMPLES) : text(schema);
    }

    private long integer(JsonNode schema) {
        long min = schema.path("minimum").asLong(0);
        long max = schema.path("maximum").asLong(1_000);
        return pick(new Long[] {min, min - 1, max, max + 1, 0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE,
            min + random.nextInt((int) Math.min(1_000, max - min + 1))});
    }

    private String text(JsonNode schema) {
        if (schema.has("enum") && random.nextInt(3) > 0) {
            JsonNode values = schema.get("enum");
            return values.get(random.nextInt(values.size())).asText();
        }
        String format = schema.path("format").asText("");
        int choice = random.nextInt(10);
        if (choice < 4) {
            switch (format) {
                case "date-time":
                    return pick(new String[] {"2030-01-01T09:00:00Z", "2030-01-01T10:00:00+02:00", "1899-12-31T23:59:59Z",
                        "9999-12-31T23:00:00-18:00", "2030-02-30T00:00:00Z", "2030-01-01", "now", "2030-01-01T09:00:00",
                        "+10000-01-01T00:00:00Z", "2030-01-01T09:00:00.123456789Z"});
                case "email":
                    return pick(new String[] {"user-" + random.nextInt(1_000) + "@example.com", "a@b", "@", "a@",
                        "x\u0000@e.com", "a".repeat(300) + "@example.com", "ADMIN@EXAMPLE.COM"});
                case "uuid":
                    return pools.knownAppointmentId().toString();
                default:
                    break;
            }
        }
        int maxLength = schema.path("maxLength").asInt(100);
        int minLength = schema.path("minLength").asInt(0);
        if (choice < 6) {
            int length = pick(new Integer[] {Math.max(0, minLength - 1), minLength, maxLength, maxLength + 1});
            return "t".repeat(length);
        }
        return pick(TEXT_SAMPLES) + (random.nextBoolean() ? "" : pick(TEXT_SAMPLES));
    }

    private JsonNode wrongType() {
        Supplier<JsonNode>[] choices = new Supplier[] {
            NODES::nullNode, () -> NODES.numberNode(random.nextLong()), () -> NODES.numberNode(1.5),
            () -> NODES.booleanNode(true), NODES::arrayNode, NODES::objectNode, () -> NODES.textNode(pick(TEXT_SAMPLES)),
            () -> NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890"))};
        return choices[random.nextInt(choices.length)].get();
    }

    private byte[] deepJson(int depth) {
        StringBuilder json = new StringBuilder(depth * 2 + 20);
        json.append("{\"title\":");
        json.append("[".repeat(depth)).append("1").append("]".repeat(random.nextBoolean() ? depth : depth / 2));
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] invalidUtf8() {
        byte[] prefix = "{\"title\":\"".getBytes(StandardCharsets.UTF_8);
        byte[][] broken = {{(byte) 0xff}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xe2, (byte) 0x82}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}};
        byte[] middle = broken[random.nextInt(broken.length)];
        byte[] suffix = "\",\"startsAt\":\"2030-01-01T09:00:00Z\",\"endsAt\":\"2030-01-01T10:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + middle.length + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(middle, 0, body, prefix.length, middle.length);
        System.arraycopy(suffix, 0, body, prefix.length + middle.length, suffix.length);
        return body;
    }

    private FuzzRequest rawWithBrokenHeader(Operation operation, String method, String target, Map<String, String> headers,
                                            byte[] body) {
        Map<String, String> broken = new LinkedHashMap<>(headers);
        switch (random.nextInt(6)) {
            case 0:
                broken.put("X-Note", "a\u0000b");
                break;
            case 1:
                broken.put("Expect", pick(new String[] {"200-ok", "100-continue", "", "\u0001"}));
                break;
            case 2:
                broken.put("Content-Length", pick(new String[] {"-1", "abc", "99999999999999999999", "1, 2"}));
                break;
            case 3:
                broken.put("X-Big", "v".repeat(20_000));
                break;
            case 4:
                broken.put("Bad Name", "x");
                break;
            default:
                broken.put("Transfer-Encoding", pick(new String[] {"gzip", "chunked, chunked", "identity", "xchunked"}));
                break;
        }
        return new FuzzRequest(operation, method, target, broken, body, true, false, "broken header");
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        while (current.has("$ref")) {
            current = document.at(current.get("$ref").asText().substring(1));
        }
        return current;
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private static boolean isToken(String method) {
        return method.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0);
    }

    private static boolean isSafeHeaderValue(String value) {
        return value.chars().allMatch(c -> c == '\t' || (c >= 32 && c < 127));
    }

    private static String percentEncode(String value) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (Character.isLetterOrDigit(c) && c < 128 || "-._~:".indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(String.format("%02X", c));
            }
        }
        return encoded.toString();
    }
}
