package io.syncpoint.lock.web;

/** Hostile input on the in-memory store. */
class InMemoryHostileInputTest extends HostileInputContract {
    @Override
    protected TestBackend createBackend() {
        return new InMemoryBackend();
    }
}
