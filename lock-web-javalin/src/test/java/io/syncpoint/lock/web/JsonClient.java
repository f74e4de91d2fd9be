package io.syncpoint.lock.web;

import java.util.Map;

/** What the HTTP tests ask of a client: a request with a bearer token and a JSON body, and its answer. */
interface JsonClient {
    /** {@code body} is sent as JSON, or as is when it is a String; null sends no body. */
    ApiClient.Response send(String method, String path, String token, Object body, Map<String, String> headers);

    default ApiClient.Response get(String path, String token) {
        return send("GET", path, token, null, Map.of());
    }

    default ApiClient.Response post(String path, String token, Object body) {
        return send("POST", path, token, body, Map.of());
    }

    default ApiClient.Response put(String path, String token, Object body, Map<String, String> headers) {
        return send("PUT", path, token, body, headers);
    }

    default ApiClient.Response delete(String path, String token, Object body) {
        return send("DELETE", path, token, body, Map.of());
    }
}
