package io.syncpoint.lock.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a URI it cannot decode, one too long, headers too large, an unknown
 * {@code Expect}, an HTTP version it does not speak) as problem+json instead of an HTML page or an
 * empty body, whatever the method, so that every error of the server has the same shape. Each says
 * {@code Connection: close}: Jetty closes a connection after a request it could not parse, and a
 * keep-alive client that is not told would send its next request into the closing connection.
 */
final class ProblemErrorHandler extends ErrorHandler {
    private final Responses responses;

    ProblemErrorHandler(Responses responses) {
        this.responses = responses;
        setShowStacks(false);
    }

    /** Jetty writes error bodies for GET, POST and HEAD only; every method of this API gets its problem. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        byte[] body = responses.problemBody(ApiProblem.ofHttpStatus(code), request.getHttpURI().getPath());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Responses.PROBLEM_JSON);
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Responses.PROBLEM_JSON);
        fields.put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        return ByteBuffer.wrap(responses.problemBody(ApiProblem.ofHttpStatus(status), null));
    }
}
