package io.syncpoint.lock.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes JSON bodies and RFC 9457 problems with the API's one object mapper. */
final class Responses {
    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";

    private final ObjectMapper mapper;

    Responses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType(JSON).result(write(body));
    }

    void problem(Context ctx, ApiProblem problem) {
        problem.headers().forEach(ctx::header);
        ctx.status(problem.status()).contentType(PROBLEM_JSON).result(problemBody(problem, ctx.path()));
    }

    byte[] problemBody(ApiProblem problem, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:syncpoint:problem:" + problem.code());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.detail());
        body.put("code", problem.code());
        if (instance != null) {
            body.put("instance", instance);
        }
        body.putAll(problem.members());
        return write(body).getBytes(StandardCharsets.UTF_8);
    }

    static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(PROBLEM_JSON);
    }

    private String write(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response body is not serializable", e);
        }
    }
}
