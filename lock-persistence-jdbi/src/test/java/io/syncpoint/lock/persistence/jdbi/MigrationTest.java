package io.syncpoint.lock.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class MigrationTest {

    @Test
    void migrationsBuildTheSchemaInAnEmptyDatabaseAndASecondRunChangesNothing() throws SQLException {
        PostgresSettings settings = TestPostgres.server().newDatabase();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(settings.jdbcUrl());
        dataSource.setUser(settings.user());
        dataSource.setPassword(settings.password());

        assertThat(PostgresBackend.migrate(dataSource)).isEqualTo(4);
        assertThat(PostgresBackend.migrate(dataSource)).isZero();

        assertThat(strings(dataSource, "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = 'public' AND table_name <> 'flyway_schema_history'"))
                .containsExactlyInAnyOrder("users", "appointments", "appointment_locks", "lock_history");
        assertThat(strings(dataSource, "SELECT sequence_name FROM information_schema.sequences"))
                .contains("fencing_tokens");
        assertThat(strings(dataSource, "SELECT tc.table_name FROM information_schema.table_constraints tc"
                + " WHERE tc.constraint_type = 'FOREIGN KEY'"))
                .as("only leases refer to appointments; history outlives them")
                .containsExactly("appointment_locks");
    }

    private static List<String> strings(PGSimpleDataSource dataSource, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
