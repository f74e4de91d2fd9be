package io.syncpoint.lock.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppointmentDetailsTest {
    private static final Instant START = Instant.parse("2026-05-04T09:00:00Z");
    private static final Instant END = Instant.parse("2026-05-04T10:00:00Z");

    @Test
    void validDetailsAreNormalized() {
        AppointmentDetails details = new AppointmentDetails("  Review  ", "  ", START, END, null,
                List.of("Bob@Example.com", "bob@example.com", "carol@example.com"), null);

        assertThat(details.title()).isEqualTo("Review");
        assertThat(details.description()).isNull();
        assertThat(details.attendees()).containsExactly("bob@example.com", "carol@example.com");
        assertThat(details.status()).isEqualTo(AppointmentStatus.SCHEDULED);
    }

    @Test
    void anAppointmentMustEndAfterItStarts() {
        assertThatThrownBy(() -> new AppointmentDetails("Review", null, END, START, null, List.of(), null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("endsAt"));
    }

    @Test
    void aBlankTitleIsRefused() {
        assertThatThrownBy(() -> new AppointmentDetails(" ", null, START, END, null, List.of(), null))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("title");
                    assertThat(e.reason()).isEqualTo("must not be blank");
                });
    }

    @Test
    void aBadAttendeeIsNamedByPosition() {
        assertThatThrownBy(() -> new AppointmentDetails("Review", null, START, END, null,
                List.of("ok@example.com", "not an email"), null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("attendees[1]"));
    }

    @Test
    void statusesHaveWireNames() {
        assertThat(AppointmentStatus.fromWireName("status", "cancelled")).isEqualTo(AppointmentStatus.CANCELLED);
        assertThatThrownBy(() -> AppointmentStatus.fromWireName("status", "CANCELLED"))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void anEditBumpsTheVersion() {
        AppointmentDetails details = new AppointmentDetails("Review", null, START, END, null, List.of(), null);
        Appointment created = Appointment.create(java.util.UUID.randomUUID(), details, java.util.UUID.randomUUID(), START);

        Appointment revised = created.revise(details, END);

        assertThat(revised.version()).isEqualTo(2);
        assertThat(revised.updatedAt()).isEqualTo(END);
        assertThat(revised.createdAt()).isEqualTo(START);
    }

    @Test
    void timesAreKeptToTheMicrosecondLikeEveryStore() {
        AppointmentDetails details = new AppointmentDetails("Review", null, START.plusNanos(1_234_567),
                END.plusNanos(999), null, List.of(), null);

        assertThat(details.startsAt()).isEqualTo(START.plusNanos(1_234_000));
        assertThat(details.endsAt()).isEqualTo(END);
    }
}
