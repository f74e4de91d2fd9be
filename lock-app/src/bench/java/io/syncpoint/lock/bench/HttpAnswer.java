package io.syncpoint.lock.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/1.1 answer read from the bytes received so far: the status, the headers the benchmark needs
 * and the body (by {@code Content-Length} or chunked), and nothing more. {@code close} says the server
 * closes the connection after it; {@code length} is how many of the bytes it took.
 */
record HttpAnswer(HttpConnection.Response response, boolean close, int length) {
    /**
     * The answer at the start of {@code bytes[0, limit)}, or null while some of it has not arrived.
     *
     * @throws IOException where the bytes are not an HTTP answer
     */
    static HttpAnswer parse(byte[] bytes, int limit) throws IOException {
        int headEnd = indexOf(bytes, 0, limit, "\r\n\r\n");
        if (headEnd < 0) {
            return null;
        }
        if (headEnd < 12 || indexOf(bytes, 0, 7, "HTTP/1.") != 0) {
            String first = new String(bytes, 0, Math.min(headEnd, 80), StandardCharsets.ISO_8859_1);
            throw new IOException("not an HTTP answer: " + first);
        }
        int status = (bytes[9] - '0') * 100 + (bytes[10] - '0') * 10 + (bytes[11] - '0');
        int length = 0;
        boolean chunked = false;
        boolean close = false;
        String etag = null;
        // Header lines end with CRLF; the last one ends where the head does.
        for (int line = indexOf(bytes, 0, headEnd + 2, "\r\n") + 2; line < headEnd; ) {
            int end = indexOf(bytes, line, headEnd + 2, "\r\n");
            if (named(bytes, line, end, "content-length:")) {
                length = Integer.parseInt(value(bytes, line + 15, end));
            } else if (named(bytes, line, end, "transfer-encoding:")) {
                chunked = value(bytes, line + 18, end).equalsIgnoreCase("chunked");
            } else if (named(bytes, line, end, "connection:")) {
                close = value(bytes, line + 11, end).equalsIgnoreCase("close");
            } else if (named(bytes, line, end, "etag:")) {
                etag = value(bytes, line + 5, end);
            }
            line = end + 2;
        }
        int bodyStart = headEnd + 4;
        if (!chunked) {
            if (limit - bodyStart < length) {
                return null;
            }
            String body = new String(bytes, bodyStart, length, StandardCharsets.UTF_8);
            return new HttpAnswer(new HttpConnection.Response(status, body, etag), close, bodyStart + length);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(512);
        int at = bodyStart;
        while (true) {
            int sizeEnd = indexOf(bytes, at, limit, "\r\n");
            if (sizeEnd < 0) {
                return null;
            }
            String sizeLine = new String(bytes, at, sizeEnd - at, StandardCharsets.ISO_8859_1);
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            at = sizeEnd + 2;
            if (size == 0) {
                int trailersEnd = at + 2 <= limit && bytes[at] == '\r' && bytes[at + 1] == '\n'
                        ? at + 2 : indexOf(bytes, at, limit, "\r\n\r\n") + 4;
                if (trailersEnd < 4 || trailersEnd > limit) {
                    return null;
                }
                return new HttpAnswer(new HttpConnection.Response(status, body.toString(StandardCharsets.UTF_8), etag), close,
                        trailersEnd);
            }
            if (limit - at < size + 2) {
                return null;
            }
            body.write(bytes, at, size);
            at += size + 2;
        }
    }

    /** Whether the line {@code bytes[from, to)} starts with {@code name} (lower case), in any case. */
    private static boolean named(byte[] bytes, int from, int to, String name) {
        if (to - from < name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.toLowerCase((char) bytes[from + i]) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String value(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1).trim();
    }

    private static int indexOf(byte[] bytes, int from, int limit, String ascii) {
        outer:
        for (int i = from; i <= limit - ascii.length(); i++) {
            for (int j = 0; j < ascii.length(); j++) {
                if (bytes[i + j] != ascii.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
