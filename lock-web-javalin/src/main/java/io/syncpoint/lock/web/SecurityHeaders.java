package io.syncpoint.lock.web;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Headers on every response, the UI's and the API's alike: the UI loads its own script, style and
 * sockets only; no page may frame it; browsers take content types as given; no URL leaks as a referrer.
 */
final class SecurityHeaders implements HttpConfiguration.Customizer {
    private static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        responseHeaders.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        responseHeaders.put("X-Content-Type-Options", "nosniff");
        responseHeaders.put("X-Frame-Options", "DENY");
        responseHeaders.put("Referrer-Policy", "no-referrer");
        return request;
    }
}
