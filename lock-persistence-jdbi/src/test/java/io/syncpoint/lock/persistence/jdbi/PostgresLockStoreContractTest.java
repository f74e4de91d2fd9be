package io.syncpoint.lock.persistence.jdbi;

import io.syncpoint.lock.core.contract.LockStoreContract;
import io.syncpoint.lock.core.contract.StoreFixture;
import org.junit.jupiter.api.AfterAll;

/** The whole store contract, on PostgreSQL: one database for the class, emptied before every test. */
class PostgresLockStoreContractTest extends LockStoreContract {
    private static TestDatabase database;

    @Override
    protected StoreFixture createFixture() {
        synchronized (PostgresLockStoreContractTest.class) {
            if (database == null) {
                database = TestDatabase.create();
            }
        }
        database.reset();
        return database.fixture(database.node());
    }

    @AfterAll
    static void closeDatabase() {
        if (database != null) {
            database.close();
            database = null;
        }
    }
}
