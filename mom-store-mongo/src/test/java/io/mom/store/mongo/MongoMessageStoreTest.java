package io.mom.store.mongo;

import io.mom.core.spi.MessageStore;
import io.mom.core.testing.MessageStoreContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.concurrent.atomic.AtomicInteger;

/** The store contract, against the real driver and an in-process MongoDB; a fresh database per test. */
class MongoMessageStoreTest extends MessageStoreContractTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedMongo mongo;
    private String database;

    @BeforeAll
    static void startMongo() {
        mongo = new EmbeddedMongo();
    }

    @AfterAll
    static void stopMongo() {
        mongo.close();
    }

    @Override
    protected MessageStore open() {
        database = "contract_" + DATABASES.incrementAndGet();
        return MongoMessageStore.open(mongo.settings(database));
    }

    @Override
    protected MessageStore reopen() {
        return MongoMessageStore.open(mongo.settings(database));
    }
}
