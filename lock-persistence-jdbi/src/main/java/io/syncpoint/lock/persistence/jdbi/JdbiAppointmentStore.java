package io.syncpoint.lock.persistence.jdbi;

import io.syncpoint.lock.core.domain.Appointment;
import io.syncpoint.lock.core.domain.Page;
import io.syncpoint.lock.core.domain.PageRequest;
import io.syncpoint.lock.core.port.out.AppointmentStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.statement.SqlStatement;

final class JdbiAppointmentStore implements AppointmentStore {
    private final Database database;

    JdbiAppointmentStore(Database database) {
        this.database = database;
    }

    @Override
    public void insertAppointment(Appointment appointment) {
        database.withHandle(handle -> handle.createUpdate("INSERT INTO appointments (" + Rows.APPOINTMENT_COLUMNS
                        + ") VALUES (:id, :title, :description, :startsAt, :endsAt, :location, CAST(:attendees AS jsonb),"
                        + " :status, :version, :createdBy, :createdAt, :updatedAt)")
                .bind("id", appointment.id())
                .bind("title", appointment.details().title())
                .bind("description", appointment.details().description())
                .bind("startsAt", Rows.timestamp(appointment.details().startsAt()))
                .bind("endsAt", Rows.timestamp(appointment.details().endsAt()))
                .bind("location", appointment.details().location())
                .bind("attendees", Rows.toJson(appointment.details().attendees()))
                .bind("status", appointment.details().status().wireName())
                .bind("version", appointment.version())
                .bind("createdBy", appointment.createdBy())
                .bind("createdAt", Rows.timestamp(appointment.createdAt()))
                .bind("updatedAt", Rows.timestamp(appointment.updatedAt()))
                .execute());
    }

    @Override
    public Optional<Appointment> findAppointment(UUID id) {
        return database.withHandle(handle -> handle.createQuery(
                        "SELECT " + Rows.APPOINTMENT_COLUMNS + " FROM appointments WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> Rows.appointment(rs))
                .findOne());
    }

    @Override
    public Page<Appointment> listAppointments(Instant from, Instant to, PageRequest page) {
        StringBuilder where = new StringBuilder(" WHERE true");
        if (from != null) {
            where.append(" AND ends_at > :from");
        }
        if (to != null) {
            where.append(" AND starts_at < :to");
        }
        return database.withHandle(handle -> {
            long total = bindWindow(handle.createQuery("SELECT count(*) FROM appointments" + where), from, to)
                    .mapTo(Long.class)
                    .one();
            List<Appointment> rows = bindWindow(handle.createQuery("SELECT " + Rows.APPOINTMENT_COLUMNS
                            + " FROM appointments" + where + " ORDER BY starts_at, id LIMIT :limit OFFSET :offset"), from, to)
                    .bind("limit", page.limit())
                    .bind("offset", page.offset())
                    .map((rs, ctx) -> Rows.appointment(rs))
                    .list();
            return Page.of(rows, total, page);
        });
    }

    private static <S extends SqlStatement<S>> S bindWindow(S statement, Instant from, Instant to) {
        if (from != null) {
            statement.bind("from", Rows.timestamp(from));
        }
        if (to != null) {
            statement.bind("to", Rows.timestamp(to));
        }
        return statement;
    }
}
