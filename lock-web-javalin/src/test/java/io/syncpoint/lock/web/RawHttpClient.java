package io.syncpoint.lock.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends bytes no well-behaved HTTP client would send (invented methods, broken chunking, bodies cut
 * short, NUL bytes in headers) over a plain socket and reads the server's answer as it comes.
 */
final class RawHttpClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int READ_TIMEOUT_MILLIS = 15_000;

    private final int port;

    RawHttpClient(int port) {
        this.port = port;
    }

    /** Sends {@code request} as is, then reads until the server closes the connection or its answer is complete. */
    Response exchange(String request) {
        return exchange(request.getBytes(StandardCharsets.ISO_8859_1), false);
    }

    /**
     * Sends the bytes; with {@code hangUp} the client then closes its sending side, as a client that
     * gives up mid-body does, and the server must still answer what it read.
     */
    Response exchange(byte[] request, boolean hangUp) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 5_000);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                if (hangUp) {
                    socket.shutdownOutput();
                }
            } catch (IOException answeredEarly) {
                // The server may answer and close before reading all of a request it has already refused.
            }
            return Response.parse(readAnswer(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one response: up to the end of its declared body, or to the end of the stream. */
    static byte[] readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (true) {
            int read;
            try {
                read = in.read(buffer);
            } catch (SocketTimeoutException | SocketException stopped) {
                break;
            }
            if (read < 0) {
                break;
            }
            bytes.write(buffer, 0, read);
            if (Response.isComplete(bytes.toByteArray())) {
                break;
            }
        }
        return bytes.toByteArray();
    }

    record Response(int status, Map<String, String> headers, String body, String raw) {
        /** An empty answer (the server closed without a word) has status 0. */
        static Response parse(byte[] bytes) {
            String raw = withoutInterimResponses(new String(bytes, StandardCharsets.ISO_8859_1));
            int end = raw.indexOf("\r\n\r\n");
            if (!raw.startsWith("HTTP/") || end < 0) {
                return new Response(0, Map.of(), "", raw);
            }
            String[] lines = raw.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
            String body = raw.substring(end + 4);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = unchunk(body);
            }
            body = new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, body, raw);
        }

        /** Drops {@code 100 Continue} heads: the final answer follows them. */
        private static String withoutInterimResponses(String raw) {
            String rest = raw;
            while (rest.startsWith("HTTP/1.1 100 ") && rest.contains("\r\n\r\n")) {
                rest = rest.substring(rest.indexOf("\r\n\r\n") + 4);
            }
            return rest;
        }

        static boolean isComplete(byte[] bytes) {
            String raw = withoutInterimResponses(new String(bytes, StandardCharsets.ISO_8859_1));
            int end = raw.indexOf("\r\n\r\n");
            if (end < 0) {
                return false;
            }
            String head = raw.substring(0, end).toLowerCase(Locale.ROOT);
            if (head.startsWith("http/1.1 1")) {
                return true;
            }
            int length = head.indexOf("\r\ncontent-length:");
            if (length >= 0) {
                int lineEnd = head.indexOf("\r\n", length + 2);
                String value = head.substring(length + "\r\ncontent-length:".length(), lineEnd < 0 ? head.length() : lineEnd);
                return bytes.length >= end + 4 + Integer.parseInt(value.trim());
            }
            if (head.contains("\r\ntransfer-encoding: chunked")) {
                return raw.endsWith("\r\n0\r\n\r\n");
            }
            return false;
        }

        private static String unchunk(String body) {
            StringBuilder out = new StringBuilder();
            int at = 0;
            while (at < body.length()) {
                int lineEnd = body.indexOf("\r\n", at);
                if (lineEnd < 0) {
                    break;
                }
                int size = Integer.parseInt(body.substring(at, lineEnd).split(";")[0].trim(), 16);
                if (size == 0) {
                    break;
                }
                out.append(body, lineEnd + 2, Math.min(body.length(), lineEnd + 2 + size));
                at = lineEnd + 2 + size + 2;
            }
            return out.toString();
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonNode json() {
            try {
                return body.isBlank() ? MissingNode.getInstance() : JSON.readTree(body);
            } catch (IOException notJson) {
                return MissingNode.getInstance();
            }
        }

        @Override
        public String toString() {
            return raw.length() > 2000 ? raw.substring(0, 2000) + "…" : raw;
        }
    }
}
