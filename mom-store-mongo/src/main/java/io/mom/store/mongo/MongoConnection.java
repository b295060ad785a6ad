package io.mom.store.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.mom.core.spi.StoreException;
import org.bson.Document;

import java.util.concurrent.TimeUnit;

/**
 * One client and the node's database, with the configured write concern. Thread-safe (the driver's
 * client is); owns the client and closes it.
 */
final class MongoConnection implements AutoCloseable {
    private final MongoStoreSettings settings;
    private final MongoClient client;
    private final MongoDatabase database;

    MongoConnection(MongoStoreSettings settings) {
        this.settings = settings;
        ConnectionString uri = new ConnectionString(settings.connectionString());
        MongoClientSettings clientSettings = MongoClientSettings.builder()
                .applyConnectionString(uri)
                .applyToClusterSettings(b -> b.serverSelectionTimeout(
                        settings.serverSelectionTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .writeConcern(writeConcern(settings.durability(), uri))
                .build();
        try {
            this.client = MongoClients.create(clientSettings);
        } catch (MongoException | IllegalArgumentException e) {
            throw new StoreException("cannot create a MongoDB client for " + describe(), e);
        }
        this.database = client.getDatabase(settings.database());
    }

    /** The durability's {@code w} and {@code j}, keeping a {@code wtimeoutMS} given in the connection string. */
    static WriteConcern writeConcern(MongoStoreSettings.Durability durability, ConnectionString uri) {
        WriteConcern concern = durability.writeConcern();
        WriteConcern given = uri.getWriteConcern();
        Integer wtimeout = given == null ? null : given.getWTimeout(TimeUnit.MILLISECONDS);
        return wtimeout == null ? concern : concern.withWTimeout(wtimeout, TimeUnit.MILLISECONDS);
    }

    MongoCollection<Document> collection(String name) {
        return database.getCollection(name);
    }

    /** Checks that the server answers; throws {@link StoreException} naming the hosts when it does not. */
    void ping() {
        try {
            database.runCommand(new Document("ping", 1));
        } catch (MongoTimeoutException e) {
            throw new StoreException("MongoDB unreachable at " + describe() + " within "
                    + settings.serverSelectionTimeout().toMillis() + " ms", e);
        } catch (MongoException e) {
            throw failure("ping", e);
        }
    }

    /** A store exception for a failed operation; the message names the hosts, never credentials. */
    StoreException failure(String what, RuntimeException cause) {
        if (cause instanceof StoreException s) {
            return s;
        }
        String kind = cause instanceof MongoTimeoutException ? "MongoDB unreachable" : "MongoDB " + what + " failed";
        return new StoreException(kind + " at " + describe() + " (" + cause.getClass().getSimpleName() + ")", cause);
    }

    String database() {
        return settings.database();
    }

    String describe() {
        return settings.hosts() + "/" + settings.database();
    }

    @Override
    public void close() {
        client.close();
    }
}
