-- A lock transaction sends its writes and its COMMIT in one round trip, so the database itself checks
-- that a write meant for one row changed exactly one: a failed check fails the transaction before the
-- COMMIT that follows it in the same round trip.
CREATE FUNCTION expect_one_row(changed bigint, failure text) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    IF changed <> 1 THEN
        RAISE EXCEPTION USING MESSAGE = failure, ERRCODE = 'P0002';
    END IF;
END
$$;
