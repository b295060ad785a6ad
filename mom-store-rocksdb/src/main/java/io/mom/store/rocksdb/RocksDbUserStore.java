package io.mom.store.rocksdb;

import io.mom.core.spi.UserRecord;
import io.mom.core.spi.UserStore;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Users, revoked tokens and settings in their own column families of a {@link RocksDbStorage}, obtained from
 * {@link RocksDbStorage#userStore()}. Every change is written synchronously (synced) on the caller's thread; these
 * calls are rare and do not go through the message store's group commit.
 *
 * <p>Threading: thread-safe. Failures (and any use after the storage is closed) throw
 * {@link io.mom.core.spi.StoreException}.
 */
public final class RocksDbUserStore implements UserStore {
    private final RocksDbStorage storage;

    RocksDbUserStore(RocksDbStorage storage) {
        this.storage = storage;
    }

    @Override
    public List<UserRecord> users() {
        return list("list users", storage.columns().users(), RecordCodec::user);
    }

    @Override
    public void putUser(UserRecord user) {
        put("store a user", storage.columns().users(), Keys.utf8(user.username()), RecordCodec.user(user));
    }

    @Override
    public void deleteUser(String username) {
        Objects.requireNonNull(username, "username");
        storage.call("delete a user", () -> {
            storage.columns().db().delete(storage.columns().users(), storage.syncWrites(), Keys.utf8(username));
            return null;
        });
    }

    @Override
    public List<RevokedToken> revokedTokens() {
        return list("list revoked tokens", storage.columns().revoked(), RecordCodec::revoked);
    }

    @Override
    public void revoke(RevokedToken token) {
        put("revoke a token", storage.columns().revoked(), Keys.utf8(token.tokenId()), RecordCodec.revoked(token));
    }

    @Override
    public void pruneRevoked(Instant now) {
        Objects.requireNonNull(now, "now");
        storage.call("prune revoked tokens", () -> {
            Columns c = storage.columns();
            try (WriteBatch batch = new WriteBatch(); RocksIterator it = c.db().newIterator(c.revoked())) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    RevokedToken token = RecordCodec.revoked(new String(it.key(), StandardCharsets.UTF_8), it.value());
                    if (token.expiresAt().isBefore(now)) {
                        batch.delete(c.revoked(), it.key());
                    }
                }
                it.status();
                if (batch.count() > 0) {
                    c.db().write(storage.syncWrites(), batch);
                }
            }
            return null;
        });
    }

    @Override
    public String setting(String key) {
        Objects.requireNonNull(key, "key");
        byte[] value = storage.call("read a setting", () -> storage.columns().db().get(storage.columns().settings(),
                Keys.setting(key)));
        return value == null ? null : RecordCodec.setting(key, value);
    }

    @Override
    public void putSetting(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        put("store a setting", storage.columns().settings(), Keys.setting(key), RecordCodec.setting(value));
    }

    private void put(String what, ColumnFamilyHandle family, byte[] key, byte[] value) {
        storage.call(what, () -> {
            storage.columns().db().put(family, storage.syncWrites(), key, value);
            return null;
        });
    }

    private <T> List<T> list(String what, ColumnFamilyHandle family, BiFunction<String, byte[], T> decode) {
        return storage.call(what, () -> {
            List<T> all = new ArrayList<>();
            try (RocksIterator it = storage.columns().db().newIterator(family)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    all.add(decode.apply(new String(it.key(), StandardCharsets.UTF_8), it.value()));
                }
                it.status();
            }
            return all;
        });
    }

    @Override
    public String toString() {
        return "RocksDbUserStore[" + storage.directory() + "]";
    }
}
