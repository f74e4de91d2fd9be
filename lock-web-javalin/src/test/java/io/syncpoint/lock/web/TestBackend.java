package io.syncpoint.lock.web;

import io.syncpoint.lock.core.service.AccountService;
import java.time.Duration;

/** A store and the core services over it, for running the HTTP tests against one kind of store. */
interface TestBackend extends AutoCloseable {
    Duration LEASE_TTL = Duration.ofSeconds(300);

    /** The server's dependencies over this backend's store. */
    WebDependencies dependencies(WebSettings settings);

    AccountService accounts();

    /** Moves time, as the store sees it, past the end of every lease granted so far. */
    void letLeasesExpire();

    /** Makes the store unreachable until {@link #bringStoreBack()}. */
    void takeStoreDown();

    void bringStoreBack();

    @Override
    void close();
}
