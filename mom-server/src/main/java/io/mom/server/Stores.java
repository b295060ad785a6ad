package io.mom.server;

import io.mom.core.memory.InMemoryMessageStore;
import io.mom.core.memory.InMemoryUserStore;
import io.mom.core.spi.MessageStore;
import io.mom.core.spi.UserStore;
import io.mom.server.config.ConfigException;
import io.mom.server.config.ServerConfig;
import io.mom.server.config.Setting;

/**
 * The one place where the configured store is chosen and opened. Only the in-memory store is wired in
 * this build; the RocksDB and MongoDB adapters plug in here when they are ready.
 */
final class Stores {

    /** The message log and the user store of one node. */
    record Opened(MessageStore messages, UserStore users) {
    }

    private Stores() {
    }

    static Opened open(ServerConfig config) {
        ServerConfig.Store store = config.store();
        switch (store.kind()) {
            case MEMORY:
                return new Opened(new InMemoryMessageStore(), new InMemoryUserStore());
            case ROCKSDB:
            case MONGO:
            default:
                throw new ConfigException(Setting.STORE.env() + "=" + store.kind().name().toLowerCase()
                        + " is not available in this build yet; use " + Setting.STORE.env() + "=memory");
        }
    }
}
