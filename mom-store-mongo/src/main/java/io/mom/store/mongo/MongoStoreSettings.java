package io.mom.store.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.WriteConcern;
import io.mom.core.MomException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the MongoDB stores keep their data. Immutable; validated on construction (a bad value
 * is {@link io.mom.core.ErrorCode#INVALID_REQUEST} naming the setting).
 *
 * <p>The connection string may carry credentials: {@link #toString()} shows only the hosts.
 *
 * @param connectionString       a {@code mongodb://} or {@code mongodb+srv://} connection string
 * @param database               the database of this node (the server chooses {@code mom_<nodeId>} by
 *                               default, see {@link #databaseForNode(String)}); two nodes sharing one
 *                               deployment must use different databases
 * @param durability             when a write counts as done: sets {@code w} and {@code j}, overriding
 *                               those of the connection string (whose {@code wtimeoutMS} and
 *                               {@code timeoutMS} still apply: set one of them to bound how long a write
 *                               waits for an unavailable majority)
 * @param serverSelectionTimeout how long an operation waits for a reachable server before failing
 */
public record MongoStoreSettings(String connectionString, String database, Durability durability,
                                 Duration serverSelectionTimeout) {

    /** Default {@link #serverSelectionTimeout}. */
    public static final Duration DEFAULT_SERVER_SELECTION_TIMEOUT = Duration.ofSeconds(5);

    private static final String FORBIDDEN_DATABASE_CHARS = "/\\. \"$*<>:|?\0";
    private static final int MAX_DATABASE_BYTES = 63;

    /** When MongoDB acknowledges a write; maps onto a write concern. */
    public enum Durability {
        /** Written to the journal of a majority of the replica set (the default). */
        MAJORITY_JOURNALED(WriteConcern.MAJORITY.withJournal(true)),
        /** Applied by a majority of the replica set, journal not awaited. */
        MAJORITY(WriteConcern.MAJORITY),
        /** Written to the journal of the primary. */
        JOURNALED(WriteConcern.JOURNALED),
        /** Applied in memory by the primary: fast, but a crash of the primary can lose acknowledged writes. */
        ACKNOWLEDGED(WriteConcern.W1);

        private final WriteConcern writeConcern;

        Durability(WriteConcern writeConcern) {
            this.writeConcern = writeConcern;
        }

        WriteConcern writeConcern() {
            return writeConcern;
        }
    }

    public MongoStoreSettings {
        Objects.requireNonNull(connectionString, "connectionString");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(serverSelectionTimeout, "serverSelectionTimeout");
        try {
            new ConnectionString(connectionString);
        } catch (IllegalArgumentException e) {
            // The driver's message may quote the string (and its password): say only what is wrong.
            throw MomException.invalid("mongo connection string is not a valid mongodb:// URI");
        }
        checkDatabase(database);
        if (serverSelectionTimeout.isNegative() || serverSelectionTimeout.isZero()) {
            throw MomException.invalid("mongo serverSelectionTimeout must be positive");
        }
    }

    private static void checkDatabase(String database) {
        if (database.isEmpty() || database.getBytes(StandardCharsets.UTF_8).length > MAX_DATABASE_BYTES) {
            throw MomException.invalid("mongo database name must have 1 to " + MAX_DATABASE_BYTES + " bytes");
        }
        for (int i = 0; i < database.length(); i++) {
            if (FORBIDDEN_DATABASE_CHARS.indexOf(database.charAt(i)) >= 0) {
                throw MomException.invalid("mongo database name must not contain any of / \\ . \" $ * < > : | ? or space");
            }
        }
    }

    /** Settings with the default durability and timeout. */
    public static MongoStoreSettings of(String connectionString, String database) {
        return builder(connectionString, database).build();
    }

    public static Builder builder(String connectionString, String database) {
        return new Builder(connectionString, database);
    }

    /**
     * The default database of a node, {@code mom_<nodeId>}, with every character MongoDB does not allow
     * in a database name replaced by {@code _} and cut to the longest name MongoDB accepts.
     */
    public static String databaseForNode(String nodeId) {
        StringBuilder name = new StringBuilder("mom_");
        nodeId.codePoints().forEach(c -> name.append(c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_')
                ? (char) c : '_'));
        return name.length() > MAX_DATABASE_BYTES ? name.substring(0, MAX_DATABASE_BYTES) : name.toString();
    }

    /** The hosts of the connection string, safe to log (no credentials). */
    public String hosts() {
        return String.join(",", new ConnectionString(connectionString).getHosts());
    }

    @Override
    public String toString() {
        return "MongoStoreSettings[hosts=" + hosts() + ", database=" + database + ", durability=" + durability
                + ", serverSelectionTimeout=" + serverSelectionTimeout + "]";
    }

    /** Builder with the defaults: {@link Durability#MAJORITY_JOURNALED}, 5 s server selection timeout. */
    public static final class Builder {
        private final String connectionString;
        private final String database;
        private Durability durability = Durability.MAJORITY_JOURNALED;
        private Duration serverSelectionTimeout = DEFAULT_SERVER_SELECTION_TIMEOUT;

        private Builder(String connectionString, String database) {
            this.connectionString = connectionString;
            this.database = database;
        }

        public Builder durability(Durability durability) {
            this.durability = durability;
            return this;
        }

        public Builder serverSelectionTimeout(Duration serverSelectionTimeout) {
            this.serverSelectionTimeout = serverSelectionTimeout;
            return this;
        }

        public MongoStoreSettings build() {
            return new MongoStoreSettings(connectionString, database, durability, serverSelectionTimeout);
        }
    }
}
