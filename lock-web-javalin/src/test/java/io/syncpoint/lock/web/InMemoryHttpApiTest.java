package io.syncpoint.lock.web;

/** The HTTP contract on the in-memory store. */
class InMemoryHttpApiTest extends HttpApiContract {
    @Override
    protected TestBackend createBackend() {
        return new InMemoryBackend();
    }
}
