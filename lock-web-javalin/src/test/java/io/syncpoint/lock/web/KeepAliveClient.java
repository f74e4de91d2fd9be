package io.syncpoint.lock.web;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 keep-alive connection of one well-behaved client, one request at a time, read strictly:
 * every answer is read to the end its framing declares, and a byte the server sends before it is asked
 * fails the request. So what the client sees is exactly what the server sent on that connection.
 *
 * <p>The tests that judge the server under hostile traffic use it for their well-behaved client, and
 * {@link ApiClient} for every other HTTP test. The JDK's client, taking a pooled connection for the next
 * request, now and then fails that request because the answer reached the connection while the client
 * still counted it idle ("Data received while in pool"; on JDK 17 about once in 175,000 requests, with
 * no hostile traffic at all). A test would count that against the server; a raw keep-alive client like
 * this one got 1.5 million answers from the same server, each the right one ({@code docs/reliability.md}).
 */
final class KeepAliveClient implements JsonClient, AutoCloseable {
    private static final int READ_TIMEOUT_MILLIS = 20_000;

    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    KeepAliveClient(int port) {
        this.port = port;
    }

    @Override
    public ApiClient.Response send(String method, String path, String token, Object body, Map<String, String> headers) {
        byte[] content = body == null ? new byte[0]
                : (body instanceof String text ? text : ApiClient.json(body)).getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: localhost:").append(port).append("\r\n")
                .append("Content-Length: ").append(content.length).append("\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Type: application/json\r\n");
        }
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        try {
            connectIfClosed();
            if (in.available() > 0) {
                byte[] unasked = in.readNBytes(in.available());
                throw new IllegalStateException("the server sent " + unasked.length + " bytes before " + method + " "
                        + path + " was asked: " + new String(unasked, StandardCharsets.ISO_8859_1));
            }
            byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            byte[] request = new byte[headBytes.length + content.length];
            System.arraycopy(headBytes, 0, request, 0, headBytes.length);
            System.arraycopy(content, 0, request, headBytes.length, content.length);
            out.write(request);
            out.flush();
            return readAnswer(method);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(method + " " + path, e);
        }
    }

    /**
     * The connection ended before the first byte of an answer: the server closed it, maybe before it read
     * the request.
     */
    static final class ClosedBeforeAnswer extends EOFException {
        ClosedBeforeAnswer(SocketException reset) {
            super("the connection ended before the answer began" + (reset == null ? "" : ": " + reset.getMessage()));
        }
    }

    private ApiClient.Response readAnswer(String method) throws IOException {
        in.mark(1);
        try {
            if (in.read() < 0) {
                throw new ClosedBeforeAnswer(null);
            }
        } catch (SocketException reset) {
            throw new ClosedBeforeAnswer(reset);
        }
        in.reset();
        String statusLine = readLine();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("not a header line: " + line);
            }
            headers.computeIfAbsent(line.substring(0, colon).trim(), name -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        int status = Integer.parseInt(parts[1]);
        byte[] body;
        String length = first(headers, "Content-Length");
        if (method.equals("HEAD") || status == 204 || status == 304) {
            body = new byte[0];
        } else if (length != null) {
            body = readExactly(Integer.parseInt(length.trim()));
        } else if ("chunked".equalsIgnoreCase(first(headers, "Transfer-Encoding"))) {
            body = readChunks();
        } else {
            body = in.readAllBytes();
            close();
        }
        if ("close".equalsIgnoreCase(first(headers, "Connection"))) {
            close();
        }
        return ApiClient.Response.of(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null ? null : values.get(0);
    }

    private byte[] readChunks() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(readExactly(size));
            if (!readLine().isEmpty()) {
                throw new IOException("a chunk did not end with CRLF");
            }
        }
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("the answer ended after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int next = in.read(); next != '\n'; next = in.read()) {
            if (next < 0) {
                throw new EOFException("the connection ended in the middle of an answer, after: " + line);
            }
            if (next != '\r') {
                line.append((char) next);
            }
        }
        return line.toString();
    }

    private void connectIfClosed() throws IOException {
        if (socket == null) {
            socket = new Socket("localhost", port);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}
