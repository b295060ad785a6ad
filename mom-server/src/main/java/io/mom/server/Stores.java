package io.mom.server;

import io.mom.core.memory.InMemoryMessageStore;
import io.mom.core.memory.InMemoryUserStore;
import io.mom.core.spi.BrokerEvents;
import io.mom.core.spi.MessageStore;
import io.mom.core.spi.UserStore;
import io.mom.server.config.ServerConfig;
import io.mom.store.mongo.MongoMessageStore;
import io.mom.store.mongo.MongoStoreSettings;
import io.mom.store.mongo.MongoUserStore;
import io.mom.store.rocksdb.RocksDbStorage;

import java.nio.file.Path;

/**
 * The one place where the configured store is chosen and opened: RocksDB under
 * {@code <data dir>/rocksdb}, MongoDB in the node's database, or memory.
 */
final class Stores {
    /** Sub-directory of the data dir holding the RocksDB store (the data dir also holds secrets). */
    static final String ROCKSDB_DIR = "rocksdb";

    /**
     * The message log and the user store of one node. The broker closes {@code messages};
     * {@code resources} is closed after the broker.
     */
    record Opened(MessageStore messages, UserStore users, AutoCloseable resources) {
    }

    private Stores() {
    }

    static Opened open(ServerConfig config, BrokerEvents events) {
        ServerConfig.Store store = config.store();
        switch (store.kind()) {
            case ROCKSDB: {
                Path dir = config.node().dataDir().resolve(ROCKSDB_DIR);
                RocksDbStorage storage = RocksDbStorage.open(dir, events);
                return new Opened(storage.messageStore(), storage.userStore(), storage);
            }
            case MONGO: {
                MongoStoreSettings settings = MongoStoreSettings.of(store.mongoUri().orElseThrow(),
                        store.mongoDatabase());
                MongoUserStore users = MongoUserStore.open(settings);
                try {
                    return new Opened(MongoMessageStore.open(settings, events), users, users);
                } catch (RuntimeException e) {
                    users.close();
                    throw e;
                }
            }
            default:
                return new Opened(new InMemoryMessageStore(), new InMemoryUserStore(), () -> { });
        }
    }
}
