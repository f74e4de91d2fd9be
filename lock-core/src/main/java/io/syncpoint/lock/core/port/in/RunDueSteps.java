package io.syncpoint.lock.core.port.in;

/**
 * Takes the timed steps of fair access that have fallen due: idle handoffs, lapsed offers passed on,
 * expiries of leases people wait for. Each step is re-decided inside the appointment's transaction,
 * so however many nodes call this, each step happens once. Servers call it about twice a second.
 */
public interface RunDueSteps {
    /** How many steps this call took. */
    int runDueSteps();
}
