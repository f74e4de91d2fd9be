package io.syncpoint.lock.web;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** What the tests' fake HTTP servers need of a request: its request line, with its headers and body read past. */
final class FakeServerRequests {
    private FakeServerRequests() {
    }

    /** The requests that come in on {@code socket}, a char for each byte. */
    static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    /** Reads one request (ISO-8859-1, so a char is a byte) and answers its request line. */
    static String read(BufferedReader in) throws IOException {
        String requestLine = in.readLine();
        long length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        for (long left = length; left > 0; ) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                throw new EOFException("the request ended " + left + " bytes before its body did");
            }
            left -= skipped;
        }
        return requestLine;
    }
}
