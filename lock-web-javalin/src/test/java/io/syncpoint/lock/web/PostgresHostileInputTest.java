package io.syncpoint.lock.web;

/** Hostile input on the PostgreSQL store. */
class PostgresHostileInputTest extends HostileInputContract {
    @Override
    protected TestBackend createBackend() {
        return new PostgresBackendForTests();
    }
}
