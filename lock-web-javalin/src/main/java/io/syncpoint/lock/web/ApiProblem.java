package io.syncpoint.lock.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem the API answers with: a status, a machine {@code code}, a sentence for people,
 * extra members and response headers. Handlers throw it; {@link ProblemHandlers} writes it.
 */
public final class ApiProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String title;
    private final transient Map<String, Object> members;
    private final transient Map<String, String> headers;

    public ApiProblem(int status, String code, String title, String detail) {
        this(status, code, title, detail, Map.of(), Map.of());
    }

    public ApiProblem(int status, String code, String title, String detail, Map<String, Object> members,
                      Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.members = new LinkedHashMap<>(members);
        this.headers = Map.copyOf(headers);
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "unauthorized", "Unauthorized", detail, Map.of(),
                Map.of("WWW-Authenticate", "Bearer"));
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(403, "forbidden", "Forbidden", detail);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "not_found", "Not found", detail);
    }

    public static ApiProblem invalid(String field, String reason) {
        return new ApiProblem(400, "validation_failed", "Validation failed", field + ": " + reason,
                JsonViews.object("field", field, "errors", java.util.List.of(JsonViews.object("field", field, "message", reason))),
                Map.of());
    }

    /** The problem for a bare HTTP error status, raised by Javalin or Jetty rather than by a route. */
    public static ApiProblem ofHttpStatus(int status) {
        switch (status) {
            case 400:
                return invalid("request", "is malformed");
            case 404:
                return notFound("No such route.");
            case 405:
                return new ApiProblem(405, "method_not_allowed", "Method not allowed", "This route does not accept that method.");
            case 413:
                return new ApiProblem(413, "payload_too_large", "Payload too large", "The request body is too large.");
            case 414:
                return new ApiProblem(414, "uri_too_long", "URI too long", "The request URI is too long.");
            case 417:
                return new ApiProblem(417, "expectation_failed", "Expectation failed",
                        "Only Expect: 100-continue is supported.");
            case 426:
                return new ApiProblem(426, "upgrade_required", "Upgrade required",
                        "This server speaks HTTP/1.1; HTTP/2 without TLS is not offered.");
            case 431:
                return new ApiProblem(431, "headers_too_large", "Headers too large", "The request headers are too large.");
            case 505:
                return new ApiProblem(505, "http_version_not_supported", "HTTP version not supported",
                        "Use HTTP/1.1 (or HTTP/1.0).");
            default:
                return status >= 500
                        ? new ApiProblem(status, "internal_error", "Internal error", "The server failed to answer this request.")
                        : new ApiProblem(status, "http_" + status, "HTTP " + status, "The request could not be served.");
        }
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, Object> members() {
        return members;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
