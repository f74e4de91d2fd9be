-- Fencing tokens only grow, across all appointments and all nodes.
CREATE SEQUENCE fencing_tokens AS bigint START WITH 1;

-- At most one lease row per appointment; the row lock on the appointment serializes every
-- change, the unique constraint is the backstop.
CREATE TABLE appointment_locks (
    id             uuid PRIMARY KEY,
    appointment_id uuid        NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
    holder_id      uuid        NOT NULL,
    user_info      jsonb       NOT NULL,
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    version        bigint      NOT NULL CHECK (version >= 1),
    fencing_token  bigint      NOT NULL,
    renewals       integer     NOT NULL DEFAULT 0,
    CONSTRAINT appointment_locks_one_per_appointment UNIQUE (appointment_id),
    CHECK (expires_at > created_at)
);

CREATE INDEX appointment_locks_by_expiry ON appointment_locks (expires_at);
