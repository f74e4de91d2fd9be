package io.syncpoint.lock.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The OpenAPI document names exactly the routes the server registers. */
class OpenApiDocumentTest {
    private static final Set<String> WEBSOCKET_ROUTES = Set.of("GET /api/v1/ws", "GET /api/v1/appointments/{id}/updates");

    @Test
    void documentsEveryHttpRouteAndNoOther() throws Exception {
        WebServer server = new WebServer(new InMemoryBackend().dependencies(WebSettings.defaults(0)));
        Set<String> documented = documentedRoutes(new ObjectMapper().readTree(
                OperationsRoutes.resource(OperationsRoutes.OPENAPI_RESOURCE)));

        Set<String> registered = new TreeSet<>(server.httpRoutes());
        server.webSocketRoutes().forEach(path -> registered.add("GET " + path));
        Set<String> expected = new TreeSet<>(registered);
        expected.addAll(WEBSOCKET_ROUTES);

        assertThat(documented).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(registered).contains("POST /api/v1/appointments/{id}/acquire-lock", "GET /api/v1/health");
    }

    @Test
    void countsWebSocketRoutesRegisteredThroughExtensionsAsRoutes() {
        WebServer server = new WebServer(new InMemoryBackend().dependencies(WebSettings.defaults(0))
                .withExtension(config -> config.routes.ws("/api/v1/ws", ws -> { }))
                .withExtension(config -> config.routes.ws("/api/v1/appointments/{id}/updates", ws -> { })));
        assertThat(server.webSocketRoutes()).containsExactlyInAnyOrder("/api/v1/ws", "/api/v1/appointments/{id}/updates");
    }

    @Test
    void isServedAsJson() {
        WebServer server = new WebServer(new InMemoryBackend().dependencies(WebSettings.defaults(0)));
        ApiClient api = new ApiClient(server.start());
        try {
            ApiClient.Response response = api.get("/api/v1/openapi.json", null);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.contentType()).startsWith("application/json");
            assertThat(response.json().get("openapi").asText()).startsWith("3.");
            assertThat(response.json().get("paths").has("/api/v1/appointments/{id}")).isTrue();
        } finally {
            server.stop();
        }
    }

    @Test
    void theOperationsEndpointsAnswerAtTheRootAsUnderTheApiBase() {
        WebServer server = new WebServer(new InMemoryBackend().dependencies(WebSettings.defaults(0)));
        ApiClient api = new ApiClient(server.start());
        try {
            for (String endpoint : List.of("/health", "/metrics", "/openapi.json")) {
                ApiClient.Response atRoot = api.get(endpoint, null);
                ApiClient.Response underBase = api.get("/api/v1" + endpoint, null);
                assertThat(atRoot.status()).as(endpoint).isEqualTo(200);
                assertThat(atRoot.contentType()).as(endpoint).isEqualTo(underBase.contentType());
            }
            assertThat(api.get("/health", null).json().get("status").asText()).isEqualTo("up");
            assertThat(api.get("/metrics", null).text()).contains("http_server_requests");
            assertThat(api.get("/openapi.json", null).json().get("paths").has("/health")).isTrue();
        } finally {
            server.stop();
        }
    }

    @Test
    void theSchemasOfLocksEditRequestsAndSettingsNameWhatTheServerWrites() throws Exception {
        JsonNode schemas = new ObjectMapper().readTree(OperationsRoutes.resource(OperationsRoutes.OPENAPI_RESOURCE))
                .at("/components/schemas");
        WebServer server = new WebServer(new InMemoryBackend().dependencies(WebSettings.defaults(0)));
        ApiClient api = new ApiClient(server.start());
        try {
            String holder = signUp(api);
            String asker = signUp(api);
            String id = api.post("/api/v1/appointments", holder, Map.of("title", "T", "startsAt", "2030-01-01T09:00:00Z",
                    "endsAt", "2030-01-01T10:00:00Z")).json().get("id").asText();
            JsonNode lock = api.post("/api/v1/appointments/" + id + "/acquire-lock", holder, Map.of("position", "title"))
                    .json().get("lock");
            JsonNode request = api.post("/api/v1/appointments/" + id + "/edit-requests", asker, Map.of("message", "m"))
                    .json().get("request");
            api.delete("/api/v1/appointments/" + id + "/release-lock", holder, null);
            JsonNode offered = api.get("/api/v1/appointments/" + id + "/edit-requests", asker).json().at("/data/0");
            ApiClient.Response reserved = api.post("/api/v1/appointments/" + id + "/acquire-lock", holder, null);
            JsonNode settings = api.get("/api/v1/settings", null).json();

            assertMatchesSchema(lock, schemas.get("Lock"));
            assertMatchesSchema(request, schemas.get("EditRequest"));
            assertMatchesSchema(offered, schemas.get("EditRequest"));
            assertThat(offered.has("offeredUntil")).isTrue();
            assertMatchesSchema(settings, schemas.get("Settings"));
            List<String> codes = new ArrayList<>();
            schemas.at("/Problem/properties/code/enum").forEach(code -> codes.add(code.asText()));
            assertThat(codes).contains("queue_full", "lock_reserved");
            assertThat(reserved.code()).isEqualTo("lock_reserved");
            reserved.json().fieldNames().forEachRemaining(member ->
                    assertThat(schemas.at("/Problem/properties").has(member)).as("Problem member %s", member).isTrue());
        } finally {
            server.stop();
        }
    }

    /** Every member written is a documented property, and every required property is written. */
    private static void assertMatchesSchema(JsonNode value, JsonNode schema) {
        Set<String> written = new TreeSet<>();
        value.fieldNames().forEachRemaining(written::add);
        Set<String> documented = new TreeSet<>();
        schema.get("properties").fieldNames().forEachRemaining(documented::add);
        Set<String> required = new TreeSet<>();
        schema.get("required").forEach(name -> required.add(name.asText()));
        assertThat(documented).as("documented members of %s", value).containsAll(written);
        assertThat(written).as("required members").containsAll(required);
    }

    private static String signUp(ApiClient api) {
        return api.post("/api/v1/auth/signup", null, Map.of("email", "u-" + UUID.randomUUID() + "@example.com",
                "name", "U", "password", "long enough")).json().get("token").asText();
    }

    /** Path items that are a {@code $ref} to another path item (the root aliases) count with its methods. */
    private static Set<String> documentedRoutes(JsonNode document) {
        Set<String> routes = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            JsonNode item = path.getValue();
            if (item.has("$ref")) {
                item = document.at(item.get("$ref").asText().substring(1));
                assertThat(item.isObject()).as("target of %s", path.getKey()).isTrue();
            }
            item.fieldNames().forEachRemaining(method -> routes.add(method.toUpperCase() + " " + path.getKey()));
        }
        return routes;
    }
}
