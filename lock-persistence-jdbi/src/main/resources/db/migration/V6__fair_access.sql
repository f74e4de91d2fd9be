-- Fair access: lease activity, edit requests and the instant each appointment's next timed step falls due.

-- When the holder last typed or clicked. Leases granted before this column existed count as active
-- now (never before their grant, never after their expiry): no holder is idle merely because of the upgrade.
-- The column stays nullable so that nodes of the previous release, still running during a rolling upgrade,
-- can go on writing leases; such a lease reads as active since its grant.
ALTER TABLE appointment_locks ADD COLUMN last_active_at timestamptz CHECK (last_active_at >= created_at);
UPDATE appointment_locks SET last_active_at = greatest(created_at, least(now(), expires_at));

-- Requests to edit, keyed by appointment like every lock table. ticket orders an appointment's queue;
-- a position is never stored (it follows from the open requests in ticket order). Closed requests
-- (granted, declined, withdrawn, expired) stay until their appointment is deleted; reason is the holder's
-- answer to a declined one.
CREATE TABLE edit_requests (
    id              uuid        PRIMARY KEY,
    appointment_id  uuid        NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
    requester_id    uuid        NOT NULL,
    requester_info  jsonb       NOT NULL,
    message         text,
    created_at      timestamptz NOT NULL,
    state           text        NOT NULL
        CHECK (state IN ('pending', 'offered', 'granted', 'declined', 'withdrawn', 'expired')),
    ticket          bigint      NOT NULL CHECK (ticket >= 1),
    offered_until   timestamptz,
    updated_at      timestamptz NOT NULL CHECK (updated_at >= created_at),
    reason          text,
    -- Tickets count on across closed requests, so a ticket is never handed out twice.
    CONSTRAINT edit_requests_ticket_unique UNIQUE (appointment_id, ticket),
    CONSTRAINT edit_requests_offer_has_an_end CHECK ((state = 'offered') = (offered_until IS NOT NULL)),
    -- One line of text each, as the core accepts it: no control characters, at most 500 characters.
    CONSTRAINT edit_requests_message_text CHECK (message IS NULL
        OR (char_length(message) BETWEEN 1 AND 500 AND message !~ '[\u0001-\u001f\u007f-\u009f]')),
    CONSTRAINT edit_requests_reason_text CHECK (reason IS NULL
        OR (char_length(reason) BETWEEN 1 AND 500 AND reason !~ '[\u0001-\u001f\u007f-\u009f]'))
);

-- One open request per user and appointment; the index also serves "the open requests of an appointment".
CREATE UNIQUE INDEX edit_requests_one_open_per_requester ON edit_requests (appointment_id, requester_id)
    WHERE state IN ('pending', 'offered');
-- At most one standing offer per appointment.
CREATE UNIQUE INDEX edit_requests_one_offer ON edit_requests (appointment_id) WHERE state = 'offered';

-- The instant the next timed step of an appointment falls due (idle handoff, lapsed offer, lease
-- expiry with people waiting); no row when none is. Every node polls the index for due rows and acts
-- on each in the appointment's transaction, which decides again from the rows whether a step is due.
CREATE TABLE appointment_due_steps (
    appointment_id uuid        PRIMARY KEY REFERENCES appointments (id) ON DELETE CASCADE,
    due_at         timestamptz NOT NULL
);

CREATE INDEX appointment_due_steps_by_time ON appointment_due_steps (due_at);
