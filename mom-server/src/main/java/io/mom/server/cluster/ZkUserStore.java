package io.mom.server.cluster;

import io.mom.cluster.MetadataKind;
import io.mom.cluster.ZkMetadata;
import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import io.mom.core.spi.UserRecord;
import io.mom.core.spi.UserStore;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The user store of a cluster node: users and revoked tokens live in ZooKeeper ({@link ZkMetadata}),
 * so a user created, changed or deleted on one node, and a logout on one node, apply on every node.
 * Small settings stay in the node's own store. Until {@link #bind} is called (the node has joined)
 * it holds no users and refuses writes with {@code UNAVAILABLE}. Thread-safe.
 */
final class ZkUserStore implements UserStore {
    private final UserStore local;
    private volatile ZkMetadata metadata;

    ZkUserStore(UserStore local) {
        this.local = Objects.requireNonNull(local, "local");
    }

    void bind(ZkMetadata zk) {
        this.metadata = zk;
    }

    private ZkMetadata zk() {
        ZkMetadata zk = metadata;
        if (zk == null) {
            throw new MomException(ErrorCode.UNAVAILABLE, "the node has not joined its cluster yet");
        }
        return zk;
    }

    @Override
    public List<UserRecord> users() {
        ZkMetadata zk = metadata;
        return zk == null ? List.of()
                : zk.entries(MetadataKind.USER).values().stream().map(MetadataCodec::user).toList();
    }

    @Override
    public void putUser(UserRecord user) {
        zk().put(MetadataKind.USER, user.username(), MetadataCodec.user(user));
    }

    @Override
    public void deleteUser(String username) {
        zk().remove(MetadataKind.USER, username);
    }

    @Override
    public List<RevokedToken> revokedTokens() {
        ZkMetadata zk = metadata;
        if (zk == null) {
            return List.of();
        }
        return zk.revokedTokens().entrySet().stream().map(e -> new RevokedToken(e.getKey(), e.getValue())).toList();
    }

    @Override
    public void revoke(RevokedToken token) {
        zk().revokeToken(token.tokenId(), token.expiresAt());
    }

    @Override
    public void pruneRevoked(Instant now) {
        zk().purgeExpiredTokens(now);
    }

    @Override
    public String setting(String key) {
        return local.setting(key);
    }

    @Override
    public void putSetting(String key, String value) {
        local.putSetting(key, value);
    }

    /** Decoded users, by name (for mirroring at join). */
    Map<String, UserRecord> byName() {
        return users().stream().collect(java.util.stream.Collectors.toMap(UserRecord::username, u -> u));
    }
}
