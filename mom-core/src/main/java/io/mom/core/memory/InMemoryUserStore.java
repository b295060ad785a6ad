package io.mom.core.memory;

import io.mom.core.spi.UserRecord;
import io.mom.core.spi.UserStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link UserStore} in the heap. Thread-safe. */
public final class InMemoryUserStore implements UserStore {
    private final ConcurrentHashMap<String, UserRecord> users = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, RevokedToken> revoked = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> settings = new ConcurrentHashMap<>();

    @Override
    public List<UserRecord> users() {
        List<UserRecord> all = new ArrayList<>(users.values());
        all.sort(Comparator.comparing(UserRecord::username));
        return all;
    }

    @Override
    public void putUser(UserRecord user) {
        users.put(user.username(), user);
    }

    @Override
    public void deleteUser(String username) {
        users.remove(username);
    }

    @Override
    public List<RevokedToken> revokedTokens() {
        return List.copyOf(revoked.values());
    }

    @Override
    public void revoke(RevokedToken token) {
        revoked.put(token.tokenId(), token);
    }

    @Override
    public void pruneRevoked(Instant now) {
        revoked.values().removeIf(t -> t.expiresAt().isBefore(now));
    }

    @Override
    public String setting(String key) {
        return settings.get(key);
    }

    @Override
    public void putSetting(String key, String value) {
        settings.put(key, value);
    }
}
