CREATE TABLE appointments (
    id          uuid PRIMARY KEY,
    title       text        NOT NULL,
    description text,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    location    text,
    attendees   jsonb       NOT NULL DEFAULT '[]',
    status      text        NOT NULL CHECK (status IN ('scheduled', 'completed', 'cancelled')),
    version     bigint      NOT NULL CHECK (version >= 1),
    created_by  uuid        NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    CHECK (ends_at > starts_at)
);

CREATE INDEX appointments_by_start ON appointments (starts_at, id);
