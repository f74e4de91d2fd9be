package io.syncpoint.lock.bench;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One keep-alive HTTP/1.1 connection over a plain, blocking socket, for the benchmark's set-up calls
 * and its WebSocket rows: it writes a request and reads the answer ({@link HttpAnswer}).
 */
final class HttpConnection implements Closeable {
    record Response(int status, String body, String etag) {
    }

    private final String host;
    private final int port;
    private byte[] buffer = new byte[16 * 1024];
    private int limit;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    HttpConnection(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        open();
    }

    private void open() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
        limit = 0;
    }

    /** Closes and opens the socket again, after an error left the connection in an unknown state. */
    void reconnect() throws IOException {
        close();
        open();
    }

    Response send(String method, String path, String token, String jsonBody, String... headers) throws IOException {
        out.write(request(method, path, token, jsonBody, headers));
        out.flush();
        return read();
    }

    /** A request's bytes: {@code headers} are name, value, name, value…; a JSON body gets its type and length. */
    static byte[] request(String method, String path, String token, String jsonBody, String... headers) {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path)
                .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
        if (jsonBody != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        byte[] start = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] whole = Arrays.copyOf(start, start.length + body.length);
        System.arraycopy(body, 0, whole, start.length, body.length);
        return whole;
    }

    private Response read() throws IOException {
        while (true) {
            HttpAnswer answer = HttpAnswer.parse(buffer, limit);
            if (answer != null) {
                System.arraycopy(buffer, answer.length(), buffer, 0, limit - answer.length());
                limit -= answer.length();
                if (answer.close()) {
                    reconnect();
                }
                return answer.response();
            }
            if (limit == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            int read = in.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                throw new EOFException("connection closed");
            }
            limit += read;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do with a socket that does not close
        }
    }
}
