-- Every lock operation that changes a lease rewrites the appointment's row (V9). PostgreSQL keeps such an UPDATE
-- on the row's own page, with no new entry in any index of the table (a heap-only tuple), only when no index
-- covers a column it changes and the page has room for the new version. The index V9 gave the lease's expiry
-- covers two such columns (the expiry, and the lease's id in its predicate): every acquire, renewal and release
-- added an entry to each of the table's three indexes, and left three dead ones for vacuum. The sweep, which runs
-- once a minute by default, now reads the table instead; expiries that people wait for are found through
-- appointment_due_steps, as before.
DROP INDEX appointments_by_lease_expiry;

-- Room on each page for its rows' next versions. Pages written before keep their packing until rows move.
ALTER TABLE appointments SET (fillfactor = 70);
