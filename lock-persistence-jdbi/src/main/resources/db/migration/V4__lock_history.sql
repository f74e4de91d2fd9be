-- The audit history outlives deleted appointments: no foreign key to appointments.
-- seq orders rows by insertion, so "newest first" is "seq descending".
CREATE TABLE lock_history (
    seq              bigserial PRIMARY KEY,
    id               uuid        NOT NULL UNIQUE,
    appointment_id   uuid        NOT NULL,
    lock_id          uuid        NOT NULL,
    user_id          uuid        NOT NULL,
    user_info        jsonb       NOT NULL,
    action           text        NOT NULL CHECK (action IN ('acquired', 'released', 'expired', 'force_released')),
    at               timestamptz NOT NULL,
    fencing_token    bigint      NOT NULL,
    duration_seconds bigint,
    renewals         integer,
    released_by      uuid,
    reason           text,
    metadata         jsonb       NOT NULL DEFAULT '{}'
);

CREATE INDEX lock_history_by_appointment ON lock_history (appointment_id, seq);
CREATE INDEX lock_history_by_user ON lock_history (user_id, seq);
CREATE INDEX lock_history_by_time ON lock_history (at);
