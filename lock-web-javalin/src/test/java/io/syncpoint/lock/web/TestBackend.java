package io.syncpoint.lock.web;

import io.syncpoint.lock.core.port.out.EventPublisher;
import io.syncpoint.lock.core.port.out.EventSubscriptions;
import io.syncpoint.lock.core.service.AccountService;
import java.time.Duration;

/** A store and the core services over it, for running the HTTP tests against one kind of store. */
interface TestBackend extends AutoCloseable {
    Duration LEASE_TTL = Duration.ofSeconds(300);

    /** The server's dependencies over this backend's store. */
    WebDependencies dependencies(WebSettings settings);

    AccountService accounts();

    /** Where the store announces lock and appointment events, for a WebSocket gateway. */
    EventSubscriptions events();

    /** Where cursor moves are published, so that they reach every node. */
    EventPublisher eventPublisher();

    /** Moves time, as the store sees it, past the end of every lease granted so far. */
    void letLeasesExpire();

    /** Makes the store unreachable until {@link #bringStoreBack()}. */
    void takeStoreDown();

    void bringStoreBack();

    @Override
    void close();
}
