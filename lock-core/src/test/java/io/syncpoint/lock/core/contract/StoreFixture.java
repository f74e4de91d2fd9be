package io.syncpoint.lock.core.contract;

import io.syncpoint.lock.core.port.out.AppointmentStore;
import io.syncpoint.lock.core.port.out.EventSubscriptions;
import io.syncpoint.lock.core.port.out.LockHistory;
import io.syncpoint.lock.core.port.out.LockStore;
import io.syncpoint.lock.core.port.out.UserStore;
import java.time.Duration;

/**
 * One store adapter under test, empty when created. A store adapter's test class builds these for
 * {@link LockStoreContract}; each test gets a fresh one and closes it.
 */
public interface StoreFixture extends AutoCloseable {
    LockStore locks();

    LockHistory history();

    AppointmentStore appointments();

    UserStore users();

    /** Receives every event the store announces after commit (possibly asynchronously). */
    EventSubscriptions events();

    /** Moves the clock that decides expiry (the store's clock) forward. */
    void advanceClock(Duration duration);

    @Override
    default void close() {
    }
}
