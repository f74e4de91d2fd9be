-- An appointment's lock state (its lease, its edit requests, its due step) gets a number that every lock
-- transaction that writes raises. A node remembers the state it last wrote with its number; the next transaction on
-- that appointment can then decide on what the node remembers and send its writes in one round trip,
-- starting with a check that the number, and so the state, is still the one remembered.
--
-- Numbers start at a new epoch for every appointment row (the high 32 bits), so an appointment deleted
-- and created again under the same id never repeats a number a node may still remember.
CREATE SEQUENCE lock_state_epochs;

ALTER TABLE appointments ADD COLUMN lock_state bigint NOT NULL DEFAULT (nextval('lock_state_epochs') << 32);

-- The check that opens a transaction decided on a remembered state. It takes the appointment's row
-- (raising the number when the transaction writes), and fails with SQLSTATE SP001 before any write
-- when the number moved on or the store's clock (the database's clock plus the offset) is outside
-- [earliest, latest], the window in which the decision made at earliest holds. It answers the store's clock.
CREATE FUNCTION take_remembered_lock_state(appointment uuid, remembered bigint, writes boolean,
                                           offset_micros bigint, earliest timestamptz, latest timestamptz)
    RETURNS timestamptz
    LANGUAGE plpgsql AS $$
DECLARE
    found_state bigint;
    store_now   timestamptz;
BEGIN
    IF writes THEN
        UPDATE appointments SET lock_state = lock_state + 1
         WHERE id = appointment AND lock_state = remembered
        RETURNING lock_state - 1 INTO found_state;
    ELSE
        SELECT lock_state INTO found_state FROM appointments WHERE id = appointment;
    END IF;
    -- Read after the row is taken: a check that waited for another transaction sees the time after it.
    store_now := clock_timestamp() + offset_micros * interval '1 microsecond';
    IF found_state IS DISTINCT FROM remembered OR store_now < earliest OR store_now > latest THEN
        RAISE EXCEPTION USING MESSAGE = 'the remembered lock state of appointment ' || appointment
            || ' is no longer current', ERRCODE = 'SP001';
    END IF;
    RETURN store_now;
END
$$;
