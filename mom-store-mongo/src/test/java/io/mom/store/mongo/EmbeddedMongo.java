package io.mom.store.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.net.InetSocketAddress;
import java.time.Duration;

/** An in-process MongoDB (mongo-java-server, memory backend) on a free port, for tests and benchmarks. */
final class EmbeddedMongo implements AutoCloseable {
    private final MongoServer server;
    private final String uri;

    EmbeddedMongo() {
        server = new MongoServer(new MemoryBackend());
        InetSocketAddress address = server.bind();
        uri = "mongodb://" + address.getHostString() + ":" + address.getPort();
    }

    String uri() {
        return uri;
    }

    /** Settings for a database of this server, with the default durability. */
    MongoStoreSettings settings(String database) {
        return MongoStoreSettings.builder(uri, database).serverSelectionTimeout(Duration.ofSeconds(5)).build();
    }

    /** A raw client, to look at what the stores wrote. */
    MongoClient client() {
        return MongoClients.create(uri);
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
