package io.syncpoint.lock.web;

/** The HTTP contract on the PostgreSQL store. */
class PostgresHttpApiTest extends HttpApiContract {
    @Override
    protected TestBackend createBackend() {
        return new PostgresBackendForTests();
    }
}
