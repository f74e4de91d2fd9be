package io.syncpoint.lock.bench;

import io.javalin.Javalin;
import java.util.Map;

/**
 * The read path's reference: a bare Javalin server with one route answering a fixed JSON object,
 * and a health route so that it is started and measured like the real server.
 */
public final class BareJavalinServer {
    private static final Map<String, Object> STATUS = Map.of("state", "locked_by_other",
            "serverTime", "2030-01-01T09:00:00Z");

    private BareJavalinServer() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
            config.routes.get("/status", ctx -> ctx.json(STATUS));
        });
        app.start("127.0.0.1", port);
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "shutdown"));
    }
}
