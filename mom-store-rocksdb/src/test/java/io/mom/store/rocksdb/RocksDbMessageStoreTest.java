package io.mom.store.rocksdb;

import io.mom.core.spi.MessageStore;
import io.mom.core.testing.MessageStoreContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The message store contract against RocksDB; each reopen is a new storage instance on the same directory. */
class RocksDbMessageStoreTest extends MessageStoreContractTest {
    @TempDir
    Path dir;

    private RocksDbStorage storage;

    @Override
    protected MessageStore open() {
        storage = RocksDbStorage.open(dir.resolve("store"));
        return storage.messageStore();
    }

    @Override
    protected MessageStore reopen() {
        storage.close();
        storage = RocksDbStorage.open(dir.resolve("store"));
        return storage.messageStore();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }
}
