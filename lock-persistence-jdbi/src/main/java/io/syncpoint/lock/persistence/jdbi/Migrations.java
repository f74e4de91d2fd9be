package io.syncpoint.lock.persistence.jdbi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The schema's migrations, and the start's cheap way past them. Almost every start finds the schema
 * already current; one query of Flyway's own history proves that (every script applied, in order,
 * successfully, with the checksum Flyway computes) and saves loading and running Flyway, a quarter of
 * the main thread's start. Anything else, an empty database, a missing script, a changed one, goes to
 * Flyway, which migrates or refuses as it always does.
 */
final class Migrations {
    static final String LOCATION = "db/migration";

    /** Every script under {@link #LOCATION}, in the order Flyway applies them; a test keeps it complete. */
    static final List<String> SCRIPTS = List.of(
            "V1__users.sql",
            "V2__appointments.sql",
            "V3__appointment_locks.sql",
            "V4__lock_history.sql",
            "V5_1__text_without_control_characters.sql",
            "V6__fair_access.sql",
            "V7__expect_one_row.sql",
            "V8__lock_state.sql",
            "V9__lease_in_appointment_row.sql",
            "V10__lease_updates_stay_on_their_page.sql");

    private static final String HISTORY_EXISTS = "SELECT to_regclass('flyway_schema_history') IS NOT NULL";
    private static final String HISTORY = "SELECT script, checksum, success FROM flyway_schema_history"
            + " ORDER BY installed_rank";

    private Migrations() {
    }

    /** Brings the schema to the current version; returns how many migrations ran (none when it was current). */
    static int migrate(DataSource dataSource) {
        if (current(dataSource)) {
            return 0;
        }
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:" + LOCATION)
                .load()
                .migrate()
                .migrationsExecuted;
    }

    /** True when Flyway's history lists exactly {@link #SCRIPTS}, each applied with its current checksum. */
    static boolean current(DataSource dataSource) {
        List<Applied> applied = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery(HISTORY_EXISTS)) {
                if (!exists.next() || !exists.getBoolean(1)) {
                    return false;
                }
            }
            try (ResultSet rows = statement.executeQuery(HISTORY)) {
                while (rows.next()) {
                    applied.add(new Applied(rows.getString("script"), rows.getObject("checksum", Integer.class),
                            rows.getBoolean("success")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the schema's migration history", e);
        }
        if (applied.size() != SCRIPTS.size()) {
            return false;
        }
        for (int i = 0; i < SCRIPTS.size(); i++) {
            Applied row = applied.get(i);
            String script = SCRIPTS.get(i);
            if (!row.success() || !script.equals(row.script()) || row.checksum() == null
                    || row.checksum() != checksum(script)) {
                return false;
            }
        }
        return true;
    }

    /** Flyway's checksum of a script: CRC-32 over its lines' UTF-8 bytes, without line ends or a byte-order mark. */
    static int checksum(String script) {
        String resource = LOCATION + "/" + script;
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing migration " + resource);
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            CRC32 crc = new CRC32();
            boolean first = true;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (first && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                first = false;
                crc.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return (int) crc.getValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Applied(String script, Integer checksum, boolean success) {
    }
}
