package io.syncpoint.lock.core.port.in;

/** Removes leases whose expiry has passed and records each expiry once, however many nodes sweep. */
public interface SweepExpiredLeases {
    /** How many expiries this call recorded. */
    int sweepExpired();
}
