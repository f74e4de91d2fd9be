package io.syncpoint.lock.web;

import io.syncpoint.lock.core.port.out.EventPublisher;
import io.syncpoint.lock.core.port.out.EventSubscriptions;
import io.syncpoint.lock.core.service.AccountService;
import java.time.Duration;
import java.util.UUID;

/** A store and the core services over it, for running the HTTP tests against one kind of store. */
interface TestBackend extends AutoCloseable {
    Duration LEASE_TTL = Duration.ofSeconds(300);

    /** The server's dependencies over this backend's store. */
    WebDependencies dependencies(WebSettings settings);

    AccountService accounts();

    /** Where the store announces its events, for a WebSocket gateway over this backend. */
    EventSubscriptions events();

    EventPublisher eventPublisher();

    /** Takes the fair-access steps that are due now, as the server's scheduled poll does. */
    int runDueSteps();

    /** Moves time forward, as the store, the tokens and the accounts see it. */
    void advanceClock(Duration duration);

    /** Moves time, as the store sees it, past the end of every lease granted so far. */
    default void letLeasesExpire() {
        advanceClock(LEASE_TTL.plusSeconds(1));
    }

    /** Removes an account from the store behind the application's back, as an operator would. */
    void deleteAccount(UUID userId);

    /** Makes the store unreachable until {@link #bringStoreBack()}. */
    void takeStoreDown();

    void bringStoreBack();

    @Override
    void close();
}
