package io.mom.server;

import io.mom.core.memory.InMemoryMessageStore;
import io.mom.core.memory.InMemoryUserStore;
import io.mom.core.spi.BrokerEvents;
import io.mom.core.spi.MessageStore;
import io.mom.core.spi.UserStore;
import io.mom.server.config.ServerConfig;
import io.mom.server.config.Setting;
import io.mom.store.mongo.MongoMessageStore;
import io.mom.store.mongo.MongoStoreSettings;
import io.mom.store.mongo.MongoUserStore;
import io.mom.store.rocksdb.RocksDbStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The one place where the configured store is chosen and opened: RocksDB under {@code <data dir>/store} (the
 * default), MongoDB (one database per node), or memory (nothing survives a restart, said with a WARN at start-up).
 * Messages, destinations and subscriptions go to the broker's {@link MessageStore}; users, revoked tokens and
 * small settings to the {@link UserStore} of the same store.
 *
 * <p>Opening fails with a {@link io.mom.core.spi.StoreException} naming the directory (or the MongoDB hosts) when
 * the store cannot be used; a corrupt or foreign directory is refused, never wiped or repaired. Stateless.
 */
final class Stores {
    private static final Logger log = LoggerFactory.getLogger(Stores.class);
    /** The RocksDB directory inside the data directory, which also holds the generated secrets. */
    static final String STORE_DIRECTORY = "store";

    /**
     * The stores of one node. The broker closes {@code messages} (flushing accepted writes); {@link #close()}
     * releases the rest and must come after the broker's close.
     *
     * @param memoryBudget payload bytes the broker keeps in memory ({@link Long#MAX_VALUE} for the memory store)
     */
    record Opened(MessageStore messages, UserStore users, long memoryBudget, AutoCloseable resources) {

        /** Releases what the broker does not own; idempotent. */
        void close() {
            try {
                resources.close();
            } catch (Exception e) {
                log.warn("event=store_close_failed detail={}", e.toString());
            }
        }
    }

    private Stores() {
    }

    /** Opens the configured store; {@code events} hears of each group commit where the store reports them. */
    static Opened open(ServerConfig config, BrokerEvents events) {
        ServerConfig.Store store = config.store();
        switch (store.kind()) {
            case ROCKSDB:
                return openRocksDb(config.node().dataDir().resolve(STORE_DIRECTORY), store.memoryBudget(), events);
            case MONGO:
                return openMongo(store.mongoSettings(), store.memoryBudget(), events);
            case MEMORY:
            default:
                log.warn("event=store_not_durable store=memory detail=\"nothing survives a restart: messages, "
                        + "destinations, subscriptions, users and revoked tokens are lost when the process stops; "
                        + "set {}=rocksdb or mongo to keep them\"", Setting.STORE.env());
                return new Opened(new InMemoryMessageStore(), new InMemoryUserStore(), Long.MAX_VALUE, () -> {
                });
        }
    }

    private static Opened openRocksDb(Path directory, long memoryBudget, BrokerEvents events) {
        RocksDbStorage storage = RocksDbStorage.open(directory, events);
        log.info("event=store_opened store=rocksdb directory={} memoryBudget={}", storage.directory(), memoryBudget);
        return new Opened(storage.messageStore(), storage.userStore(), memoryBudget, storage);
    }

    private static Opened openMongo(MongoStoreSettings settings, long memoryBudget, BrokerEvents events) {
        MongoUserStore users = MongoUserStore.open(settings);
        MongoMessageStore messages;
        try {
            messages = MongoMessageStore.open(settings, events);
        } catch (RuntimeException e) {
            users.close();
            throw e;
        }
        log.info("event=store_opened store=mongo hosts={} database={} writeConcern={} memoryBudget={}",
                settings.hosts(), settings.database(), settings.durability().name().toLowerCase(Locale.ROOT),
                memoryBudget);
        return new Opened(messages, users, memoryBudget, users);
    }
}
