package io.syncpoint.lock.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.syncpoint.lock.persistence.jdbi.StoreStatements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL rows' references: a bare Javalin server whose routes each send one round trip of
 * statements through a HikariCP pool, and do nothing else: no account, no token, no rule, no event of
 * their own. It stands beside the server on the same database, with the same JVM settings, to show what
 * this machine leaves for any Java server that sends these statements per request while sharing the
 * cores with the database:
 * <ul>
 *   <li>{@code GET /status/{appointment}}: lock-status's own statement, the row answered as JSON;</li>
 *   <li>{@code POST /lease/{client}/acquire} and {@code /release}: the least an audited, notifying lock
 *   writes, {@link Pgbench#AUDITED_PAIR}'s statements with one event, on the client's own lease row of
 *   {@link Pgbench#leastWorkSetUp}, each committing on its own;</li>
 *   <li>{@code POST /own/{client}/acquire} and {@code /release}: the statements the PostgreSQL store sends
 *   for an acquire and a release decided on a remembered state, as pgbench runs them
 *   ({@link Pgbench#ACQUIRE_ONE_TRIP_STATEMENTS}), in one round trip, on the client's own appointment of
 *   {@link Pgbench#lockOperationSetUp}.</li>
 * </ul>
 * Database and pool come from {@code LOCK_DB_URL}, {@code LOCK_DB_USER}, {@code LOCK_DB_PASSWORD} and
 * {@code LOCK_DB_POOL_SIZE} (default 10, the server's default on two cores or more).
 */
public final class BareJdbcServer {
    private static final String READ = StoreStatements.lockStatus();
    private static final Write ACQUIRE = Write.of(Pgbench.AUDITED_PAIR.split(";\n")[0]);
    private static final Write RELEASE = Write.of(Pgbench.AUDITED_PAIR.split(";\n")[1]);
    private static final Write OWN_ACQUIRE = Write.of(Pgbench.ACQUIRE_ONE_TRIP_STATEMENTS);
    private static final Write OWN_RELEASE = Write.of(Pgbench.RELEASE_ONE_TRIP_STATEMENTS);
    private static final Map<String, Object> WRITTEN = Map.of("written", true);
    private static final Map<String, Object> NOT_WRITTEN = Map.of("written", false);

    private BareJdbcServer() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(System.getenv("LOCK_DB_URL"));
        config.setUsername(System.getenv("LOCK_DB_USER"));
        config.setPassword(System.getenv("LOCK_DB_PASSWORD"));
        config.setMaximumPoolSize(Integer.parseInt(System.getenv().getOrDefault("LOCK_DB_POOL_SIZE", "10")));
        HikariDataSource pool = new HikariDataSource(config);
        Javalin app = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
            javalin.routes.get("/status/{appointment}", ctx -> status(pool, ctx));
            javalin.routes.post("/lease/{client}/acquire", ctx -> write(pool, ACQUIRE, ctx));
            javalin.routes.post("/lease/{client}/release", ctx -> write(pool, RELEASE, ctx));
            javalin.routes.post("/own/{client}/acquire", ctx -> send(pool, OWN_ACQUIRE, ctx));
            javalin.routes.post("/own/{client}/release", ctx -> send(pool, OWN_RELEASE, ctx));
        });
        app.start("127.0.0.1", port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.stop();
            pool.close();
        }, "shutdown"));
    }

    private static void status(HikariDataSource pool, Context ctx) throws SQLException {
        Map<String, String> row = new LinkedHashMap<>();
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(READ)) {
            statement.setObject(1, UUID.fromString(ctx.pathParam("appointment")));
            try (ResultSet result = statement.executeQuery()) {
                ResultSetMetaData columns = result.getMetaData();
                if (result.next()) {
                    for (int i = 1; i <= columns.getColumnCount(); i++) {
                        row.put(columns.getColumnLabel(i), result.getString(i));
                    }
                }
            }
        }
        ctx.json(row);
    }

    private static void write(HikariDataSource pool, Write write, Context ctx) throws SQLException {
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(write.sql())) {
            bind(statement, write, ctx.pathParam("client"));
            // One row per event sent, none where the lease row was not changed: that answer counts as an error.
            try (ResultSet notified = statement.executeQuery()) {
                if (!notified.next()) {
                    ctx.status(409).json(NOT_WRITTEN);
                    return;
                }
            }
        }
        ctx.json(WRITTEN);
    }

    /**
     * Sends a lock operation's statements, {@code BEGIN} to {@code COMMIT}, in one round trip. A statement
     * that fails (a lease that is not there to release) fails the request, which counts as an error.
     */
    private static void send(HikariDataSource pool, Write write, Context ctx) throws SQLException {
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(write.sql())) {
            bind(statement, write, ctx.pathParam("client"));
            statement.execute();
        }
        ctx.json(WRITTEN);
    }

    private static void bind(PreparedStatement statement, Write write, String client) throws SQLException {
        for (int i = 0; i < write.parameters().size(); i++) {
            statement.setString(i + 1, write.parameters().get(i).equals(":events") ? Pgbench.EVENTS : client);
        }
    }

    /** A pgbench statement as JDBC sends it: its variables as placeholders, in their order. */
    private record Write(String sql, List<String> parameters) {
        private static final Pattern VARIABLE = Pattern.compile(":client_id|:events");

        static Write of(String pgbench) {
            List<String> parameters = new ArrayList<>();
            Matcher variable = VARIABLE.matcher(pgbench);
            StringBuilder sql = new StringBuilder();
            while (variable.find()) {
                parameters.add(variable.group());
                variable.appendReplacement(sql, "?");
            }
            variable.appendTail(sql);
            return new Write(sql.toString(), List.copyOf(parameters));
        }
    }
}
