package io.syncpoint.lock.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Many client WebSockets read by one selector thread, with no more work per frame than parsing its
 * header: the fan-out's load generator. A general client (the JDK's {@code java.net.http} WebSocket)
 * spent twice the server's CPU receiving the frames, and on two shared cores that CPU is the server's
 * too. Speaks just what a subscriber needs: the opening handshake, unfragmented or fragmented text
 * frames in, pings answered, a close ends the socket.
 */
final class RawWebSockets implements AutoCloseable {
    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int FIRST_BUFFER = 4096;

    private final InetSocketAddress server;
    private final Consumer<String> onText;
    private final Selector selector;
    private final Queue<Socket> joining = new ConcurrentLinkedQueue<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final Thread reader;
    private final SecureRandom keys = new SecureRandom();
    private volatile boolean running = true;

    /** {@code onText} runs on the reader thread for every complete text message, in arrival order per socket. */
    RawWebSockets(String host, int port, Consumer<String> onText) throws IOException {
        this.server = new InetSocketAddress(host, port);
        this.onText = onText;
        this.selector = Selector.open();
        this.reader = new Thread(this::readUntilClosed, "raw-websockets");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Opens one socket on {@code pathAndQuery} and waits for the server's {@code 101}; frames the server
     * sends from then on go to {@code onText}. Throws when the server refuses the upgrade.
     */
    void open(String pathAndQuery) throws IOException {
        SocketChannel channel = SocketChannel.open(server);
        channel.socket().setTcpNoDelay(true);
        byte[] nonce = new byte[16];
        keys.nextBytes(nonce);
        String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        writeFully(channel, ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        ByteBuffer in = ByteBuffer.allocate(FIRST_BUFFER);
        int headerEnd;
        while ((headerEnd = headerEnd(in)) < 0) {
            if (!in.hasRemaining() || channel.read(in) < 0) {
                channel.close();
                throw new IOException("no handshake answer from " + pathAndQuery);
            }
        }
        String head = new String(in.array(), 0, headerEnd, StandardCharsets.US_ASCII);
        if (!head.startsWith("HTTP/1.1 101")) {
            channel.close();
            throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(head));
        }
        // Frames that came with the handshake's answer stay in the buffer, ahead of what is read later.
        in.flip().position(headerEnd + 4);
        in.compact();
        channel.configureBlocking(false);
        joining.add(new Socket(channel, in));
        selector.wakeup();
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Socket socket : sockets) {
            closeQuietly(socket.channel);
        }
        for (Socket socket : joining) {
            closeQuietly(socket.channel);
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // Nothing is left to release.
        }
    }

    private void readUntilClosed() {
        try {
            while (running) {
                selector.select(100);
                Socket joined;
                while ((joined = joining.poll()) != null) {
                    sockets.add(joined);
                    SelectionKey key = joined.channel.register(selector, SelectionKey.OP_READ, joined);
                    if (!joined.frames()) {
                        key.cancel();
                        closeQuietly(joined.channel);
                    }
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Socket socket = (Socket) key.attachment();
                    if (!key.isValid() || !socket.read()) {
                        key.cancel();
                        closeQuietly(socket.channel);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            if (running) {
                throw new IllegalStateException("the socket reader failed", e);
            }
        }
    }

    /** Where the blank line ending the HTTP head starts, or -1 while it has not arrived. */
    private static int headerEnd(ByteBuffer in) {
        byte[] bytes = in.array();
        for (int i = 0; i + 3 < in.position(); i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static void writeFully(SocketChannel channel, ByteBuffer out) throws IOException {
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Already gone.
        }
    }

    /** One socket: its channel, the bytes read and not yet parsed, and a text message in pieces. */
    private final class Socket {
        private final SocketChannel channel;
        private ByteBuffer in;
        private final StringBuilder message = new StringBuilder();

        Socket(SocketChannel channel, ByteBuffer in) {
            this.channel = channel;
            this.in = in;
        }

        /** Reads what arrived and hands on every complete message; false once the socket is closed. */
        boolean read() throws IOException {
            int read;
            while ((read = channel.read(in)) > 0) {
                if (!frames()) {
                    return false;
                }
            }
            return read == 0;
        }

        /** Parses the complete frames in the buffer; false after a close frame. */
        boolean frames() throws IOException {
            in.flip();
            try {
                while (in.remaining() >= 2) {
                    int start = in.position();
                    int first = in.get() & 0xFF;
                    int second = in.get() & 0x7F;
                    long length = second;
                    if (second == 126) {
                        if (in.remaining() < 2) {
                            in.position(start);
                            break;
                        }
                        length = in.getShort() & 0xFFFF;
                    } else if (second == 127) {
                        if (in.remaining() < 8) {
                            in.position(start);
                            break;
                        }
                        length = in.getLong();
                    }
                    if (in.remaining() < length) {
                        in.position(start);
                        if (length + 14 > in.capacity()) {
                            grow((int) length + 14);
                            return true;
                        }
                        break;
                    }
                    byte[] payload = new byte[(int) length];
                    in.get(payload);
                    if (!frame(first & 0x80, first & 0x0F, payload)) {
                        return false;
                    }
                }
            } finally {
                in.compact();
            }
            return true;
        }

        private boolean frame(int fin, int opcode, byte[] payload) throws IOException {
            if (opcode == OP_TEXT || opcode == OP_CONTINUATION) {
                message.append(new String(payload, StandardCharsets.UTF_8));
                if (fin != 0) {
                    onText.accept(message.toString());
                    message.setLength(0);
                }
            } else if (opcode == OP_PING) {
                writeFully(channel, masked(0x8A, payload));
            } else if (opcode == OP_CLOSE) {
                return false;
            }
            return true;
        }

        /** Keeps the unparsed bytes in a buffer big enough for the frame that did not fit. */
        private void grow(int needed) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, in.capacity() * 2));
            bigger.put(in);
            in = bigger.flip();
        }
    }

    /** A client frame: clients must mask what they send. */
    private static ByteBuffer masked(int firstByte, byte[] payload) {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        ByteBuffer out = ByteBuffer.allocate(2 + 4 + payload.length);
        out.put((byte) firstByte).put((byte) (0x80 | payload.length)).put(mask);
        for (int i = 0; i < payload.length; i++) {
            out.put((byte) (payload[i] ^ mask[i % 4]));
        }
        return out.flip();
    }
}
