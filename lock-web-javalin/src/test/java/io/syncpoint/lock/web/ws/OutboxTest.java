package io.syncpoint.lock.web.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.junit.jupiter.api.Test;

class OutboxTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Counter sent = meters.counter("sent");
    private final Counter dropped = meters.counter("dropped");
    private final StalledSession socket = new StalledSession();

    @Test
    void aClientThatReadsNothingHasItsNewFramesDroppedInsteadOfBlockingTheSender() {
        Outbox outbox = new Outbox(socket.session(), 4, sent, dropped);

        List<Boolean> accepted = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            accepted.add(outbox.offer("frame " + i));
        }

        assertThat(accepted).containsExactly(true, true, true, true, true, false, false, false, false, false);
        assertThat(socket.written).containsExactly("frame 0");
        assertThat(dropped.count()).isEqualTo(5);
    }

    @Test
    void framesGoOutOneAtATimeInOrder() {
        Outbox outbox = new Outbox(socket.session(), 4, sent, dropped);
        outbox.offer("a");
        outbox.offer("b");
        outbox.offer("c");

        socket.completeWrite();
        socket.completeWrite();

        assertThat(socket.written).containsExactly("a", "b", "c");
        assertThat(sent.count()).isEqualTo(3);
    }

    @Test
    void aCloseWaitsForTheFramesAlreadyQueued() {
        Outbox outbox = new Outbox(socket.session(), 4, sent, dropped);
        outbox.offer("error");
        outbox.closeAfterPending(1008, "policy");

        assertThat(socket.closedWith).isNull();
        assertThat(outbox.offer("late")).isFalse();
        socket.completeWrite();

        assertThat(socket.written).containsExactly("error");
        assertThat(socket.closedWith).isEqualTo(1008);
    }

    @Test
    void aFailedWriteDropsWhatIsLeftAndAcceptsNothingMore() {
        Outbox outbox = new Outbox(socket.session(), 4, sent, dropped);
        outbox.offer("a");
        outbox.offer("b");

        socket.failWrite();

        assertThat(outbox.offer("c")).isFalse();
        assertThat(dropped.count()).isEqualTo(3);
    }

    /** A socket whose writes complete only when the test says so. */
    private static final class StalledSession {
        final List<String> written = new ArrayList<>();
        final List<Callback> pending = new ArrayList<>();
        Integer closedWith;

        Session session() {
            return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                    (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "sendText" -> {
                                written.add((String) args[0]);
                                pending.add((Callback) args[1]);
                            }
                            case "close" -> closedWith = (Integer) args[0];
                            default -> throw new UnsupportedOperationException(method.getName());
                        }
                        return null;
                    });
        }

        void completeWrite() {
            pending.remove(0).succeed();
        }

        void failWrite() {
            pending.remove(0).fail(new java.io.IOException("connection reset"));
        }
    }
}
