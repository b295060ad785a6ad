package io.mom.store.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import io.mom.core.Role;
import io.mom.core.spi.UserRecord;
import io.mom.core.spi.UserStore;
import org.bson.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A {@link UserStore} in the node's MongoDB database: collections {@code users} (keyed by user name),
 * {@code revoked_tokens} (keyed by token id) and {@code settings} (keyed by setting name).
 *
 * <p>Threading: thread-safe; every method is one synchronous single-document (or single-filter)
 * operation that returns once the write concern of {@link MongoStoreSettings#durability()} is met.
 * Failures are {@link io.mom.core.spi.StoreException}s. Lifecycle: {@link #open} creates its own client
 * without connecting; {@link #close} releases it.
 */
public final class MongoUserStore implements UserStore, AutoCloseable {
    static final String USERS = "users";
    static final String REVOKED = "revoked_tokens";
    static final String SETTINGS = "settings";
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

    private final MongoConnection connection;
    private final MongoCollection<Document> users;
    private final MongoCollection<Document> revoked;
    private final MongoCollection<Document> settings;

    private MongoUserStore(MongoConnection connection) {
        this.connection = connection;
        this.users = connection.collection(USERS);
        this.revoked = connection.collection(REVOKED);
        this.settings = connection.collection(SETTINGS);
    }

    public static MongoUserStore open(MongoStoreSettings settings) {
        return new MongoUserStore(new MongoConnection(settings));
    }

    @Override
    public List<UserRecord> users() {
        return call("read users", () -> {
            List<UserRecord> all = new ArrayList<>();
            for (Document doc : users.find().sort(Sorts.ascending("_id"))) {
                Set<Role> roles = EnumSet.noneOf(Role.class);
                doc.getList("roles", String.class).forEach(r -> roles.add(Role.valueOf(r)));
                all.add(new UserRecord(doc.getString("_id"), doc.getString("passwordHash"), roles,
                        BsonFields.getInstant(doc, "tokensNotBefore")));
            }
            return all;
        });
    }

    @Override
    public void putUser(UserRecord user) {
        List<String> roles = user.roles().stream().map(Role::name).sorted().toList();
        Document doc = new Document("_id", user.username())
                .append("passwordHash", user.passwordHash())
                .append("roles", roles);
        BsonFields.putInstant(doc, "tokensNotBefore", user.tokensNotBefore());
        call("write user", () -> users.replaceOne(Filters.eq("_id", user.username()), doc, UPSERT));
    }

    @Override
    public void deleteUser(String username) {
        call("delete user", () -> users.deleteOne(Filters.eq("_id", username)));
    }

    @Override
    public List<RevokedToken> revokedTokens() {
        return call("read revoked tokens", () -> {
            List<RevokedToken> all = new ArrayList<>();
            for (Document doc : revoked.find().sort(Sorts.ascending("_id"))) {
                all.add(new RevokedToken(doc.getString("_id"), BsonFields.getInstant(doc, "expiresAt")));
            }
            return all;
        });
    }

    @Override
    public void revoke(RevokedToken token) {
        Document doc = new Document("_id", token.tokenId());
        BsonFields.putInstant(doc, "expiresAt", token.expiresAt());
        call("revoke token", () -> revoked.replaceOne(Filters.eq("_id", token.tokenId()), doc, UPSERT));
    }

    /**
     * Forgets revocations of tokens that expired before {@code now}, at millisecond precision: a token
     * expiring within the same millisecond as {@code now} is kept until the next prune.
     */
    @Override
    public void pruneRevoked(Instant now) {
        call("prune revoked tokens",
                () -> revoked.deleteMany(Filters.lt("expiresAt", new Date(now.toEpochMilli()))));
    }

    @Override
    public String setting(String key) {
        return call("read setting", () -> {
            Document doc = settings.find(Filters.eq("_id", key)).first();
            return doc == null ? null : doc.getString("value");
        });
    }

    @Override
    public void putSetting(String key, String value) {
        call("write setting", () -> settings.replaceOne(Filters.eq("_id", key),
                new Document("_id", key).append("value", value), UPSERT));
    }

    private <T> T call(String what, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (RuntimeException e) {
            throw connection.failure(what, e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return "MongoUserStore[" + connection.describe() + "]";
    }
}
