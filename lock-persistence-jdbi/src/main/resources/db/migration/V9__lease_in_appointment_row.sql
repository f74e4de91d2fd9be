-- An appointment's lease lives in the appointment's own row. Every lock transaction already takes that row
-- (and a writing one raises its lock state number there), so a lease granted, renewed or ended is now the
-- same one UPDATE that raises the number, where it was a row inserted into, updated in or deleted from a
-- table of its own, with three indexes and a foreign key to check. Nodes of a release before this one write
-- that table, which is gone: stop them before a node of this release migrates the database.
ALTER TABLE appointments
    ADD COLUMN lease_id             uuid,
    ADD COLUMN lease_holder_id      uuid,
    ADD COLUMN lease_user_info      jsonb,
    ADD COLUMN lease_created_at     timestamptz,
    ADD COLUMN lease_expires_at     timestamptz,
    ADD COLUMN lease_version        bigint CHECK (lease_version >= 1),
    ADD COLUMN lease_fencing_token  bigint,
    ADD COLUMN lease_renewals       integer,
    ADD COLUMN lease_last_active_at timestamptz,
    -- A lease is all of its columns or none of them (a lease granted before V6 may lack its last activity).
    ADD CONSTRAINT appointments_lease_whole CHECK (num_nulls(lease_id, lease_holder_id, lease_user_info, lease_created_at,
        lease_expires_at, lease_version, lease_fencing_token, lease_renewals) IN (0, 8)
        AND (lease_id IS NOT NULL OR lease_last_active_at IS NULL)),
    ADD CONSTRAINT appointments_lease_times CHECK (lease_expires_at > lease_created_at
        AND lease_last_active_at >= lease_created_at);

UPDATE appointments a
   SET lease_id = l.id, lease_holder_id = l.holder_id, lease_user_info = l.user_info, lease_created_at = l.created_at,
       lease_expires_at = l.expires_at, lease_version = l.version, lease_fencing_token = l.fencing_token,
       lease_renewals = l.renewals, lease_last_active_at = l.last_active_at
  FROM appointment_locks l
 WHERE l.appointment_id = a.id;

DROP TABLE appointment_locks;

-- The sweep finds expired leases by their expiry.
CREATE INDEX appointments_by_lease_expiry ON appointments (lease_expires_at) WHERE lease_id IS NOT NULL;

-- The check of V8 for a transaction that changes the lease: one UPDATE raises the number and writes the lease
-- (the new lease's columns; all null to end it), where the lease is still the one the transaction found
-- (expected_lease; null for none). Fails with SP001, as the check does, and answers the store's clock.
CREATE FUNCTION take_remembered_lock_state_writing_lease(appointment uuid, remembered bigint, offset_micros bigint,
                                                         earliest timestamptz, latest timestamptz, expected_lease uuid,
                                                         new_id uuid, new_holder_id uuid, new_user_info jsonb,
                                                         new_created_at timestamptz, new_expires_at timestamptz,
                                                         new_version bigint, new_fencing_token bigint,
                                                         new_renewals integer, new_last_active_at timestamptz)
    RETURNS timestamptz
    LANGUAGE plpgsql AS $$
DECLARE
    found_state bigint;
    store_now   timestamptz;
BEGIN
    UPDATE appointments
       SET lock_state = lock_state + 1, lease_id = new_id, lease_holder_id = new_holder_id,
           lease_user_info = new_user_info, lease_created_at = new_created_at, lease_expires_at = new_expires_at,
           lease_version = new_version, lease_fencing_token = new_fencing_token, lease_renewals = new_renewals,
           lease_last_active_at = new_last_active_at
     WHERE id = appointment AND lock_state = remembered AND lease_id IS NOT DISTINCT FROM expected_lease
    RETURNING lock_state - 1 INTO found_state;
    -- Read after the row is taken: a check that waited for another transaction sees the time after it.
    store_now := clock_timestamp() + offset_micros * interval '1 microsecond';
    IF found_state IS DISTINCT FROM remembered OR store_now < earliest OR store_now > latest THEN
        RAISE EXCEPTION USING MESSAGE = 'the remembered lock state of appointment ' || appointment
            || ' is no longer current', ERRCODE = 'SP001';
    END IF;
    RETURN store_now;
END
$$;
