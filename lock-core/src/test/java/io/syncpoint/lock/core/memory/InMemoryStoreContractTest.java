package io.syncpoint.lock.core.memory;

import io.syncpoint.lock.core.contract.LockStoreContract;
import io.syncpoint.lock.core.contract.ManualClock;
import io.syncpoint.lock.core.contract.StoreFixture;
import io.syncpoint.lock.core.port.out.AppointmentStore;
import io.syncpoint.lock.core.port.out.EventSubscriptions;
import io.syncpoint.lock.core.port.out.LockHistory;
import io.syncpoint.lock.core.port.out.LockStore;
import io.syncpoint.lock.core.port.out.UserStore;
import java.time.Duration;

class InMemoryStoreContractTest extends LockStoreContract {

    @Override
    protected StoreFixture createFixture() {
        ManualClock clock = ManualClock.startingNow();
        InProcessEventBus bus = new InProcessEventBus();
        // The contract moves its clock by days and expects every row until an admin cleans up.
        InMemoryStore memory = new InMemoryStore(clock, bus, new HistoryRetention(Duration.ofDays(3650), 1_000_000));
        InMemoryUserStore users = new InMemoryUserStore();
        return new StoreFixture() {
            public LockStore locks() {
                return memory;
            }

            public LockHistory history() {
                return memory;
            }

            public AppointmentStore appointments() {
                return memory;
            }

            public UserStore users() {
                return users;
            }

            public EventSubscriptions events() {
                return bus;
            }

            public void advanceClock(Duration duration) {
                clock.advance(duration);
            }
        };
    }
}
