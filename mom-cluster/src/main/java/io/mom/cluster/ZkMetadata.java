package io.mom.cluster;

import io.mom.core.MomException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Cluster-wide metadata in ZooKeeper under {@code /meta}: destinations and users (opaque bytes
 * chosen by the caller, one znode per key), revoked token ids with their expiry, and the shared JWT
 * signing key. Every node mirrors it in a {@code CuratorCache} and may listen for changes.
 *
 * <p>Values must stay well under ZooKeeper's 1 MB znode limit (records of a few KB are fine). Keys
 * are free-form strings (stored URL-encoded).
 *
 * <p><b>Consistency.</b> Writes go to ZooKeeper synchronously; reads come from the cache, which
 * trails ZooKeeper by milliseconds (a node may not see its own write at once; listeners do).
 *
 * <p><b>Lifecycle and threading.</b> {@link #start()} once (blocks until the cache is loaded),
 * {@link #close()} idempotent. Thread-safe; writes block for one ZooKeeper round trip and throw
 * {@link MomException} ({@code UNAVAILABLE}) when ZooKeeper cannot be reached.
 */
public final class ZkMetadata implements AutoCloseable {
    private final CuratorFramework client;
    private final ClusterSettings settings;
    private final CuratorCache cache;
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();

    public ZkMetadata(CuratorFramework client, ClusterSettings settings) {
        this.client = client;
        this.settings = settings;
        this.cache = CuratorCache.build(client, ClusterPaths.META);
    }

    public void start() {
        for (MetadataKind kind : MetadataKind.values()) {
            CuratorOps.ensurePath(client, kind.path());
        }
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> onChange(after, false))
                .forDeletes(data -> onChange(data, true))
                .build());
        CuratorOps.startAndAwait(cache, settings.connectTimeout());
    }

    /** Creates an entry unless the key exists; returns false (and changes nothing) if it does. */
    public boolean putIfAbsent(MetadataKind kind, String key, byte[] value) {
        try {
            client.create().forPath(kind.path(key), value.clone());
            return true;
        } catch (KeeperException.NodeExistsException e) {
            return false;
        } catch (Exception e) {
            throw CuratorOps.unavailable("cannot create " + kind + " " + key, e);
        }
    }

    /** Creates or replaces an entry. */
    public void put(MetadataKind kind, String key, byte[] value) {
        String path = kind.path(key);
        try {
            try {
                client.setData().forPath(path, value.clone());
            } catch (KeeperException.NoNodeException e) {
                client.create().forPath(path, value.clone());
            }
        } catch (KeeperException.NodeExistsException e) {
            put(kind, key, value);
        } catch (Exception e) {
            throw CuratorOps.unavailable("cannot write " + kind + " " + key, e);
        }
    }

    /** Removes an entry; returns false if there was none. */
    public boolean remove(MetadataKind kind, String key) {
        try {
            client.delete().forPath(kind.path(key));
            return true;
        } catch (KeeperException.NoNodeException e) {
            return false;
        } catch (Exception e) {
            throw CuratorOps.unavailable("cannot remove " + kind + " " + key, e);
        }
    }

    /** The cached value of an entry. */
    public Optional<byte[]> get(MetadataKind kind, String key) {
        return cache.get(kind.path(key)).map(ChildData::getData).map(byte[]::clone);
    }

    /** Every cached entry of one kind, by key. */
    public Map<String, byte[]> entries(MetadataKind kind) {
        Map<String, byte[]> entries = new TreeMap<>();
        cache.stream().forEach(data -> {
            String[] segments = ClusterPaths.below(ClusterPaths.META, data.getPath());
            if (segments.length == 2 && data.getData() != null
                    && MetadataKind.ofSegment(segments[0]).filter(kind::equals).isPresent()) {
                entries.put(ClusterPaths.decodeKey(segments[1]), data.getData().clone());
            }
        });
        return entries;
    }

    /** Revokes a token until it would have expired anyway. */
    public void revokeToken(String tokenId, Instant expiresAt) {
        put(MetadataKind.REVOKED_TOKEN, tokenId,
                Long.toString(expiresAt.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
    }

    /** True when the token was revoked and the revocation has not expired at {@code now}. */
    public boolean isRevoked(String tokenId, Instant now) {
        return get(MetadataKind.REVOKED_TOKEN, tokenId).map(ZkMetadata::expiry).map(now::isBefore).orElse(false);
    }

    /** Revoked token ids with their expiry. */
    public Map<String, Instant> revokedTokens() {
        Map<String, Instant> tokens = new TreeMap<>();
        entries(MetadataKind.REVOKED_TOKEN).forEach((id, value) -> tokens.put(id, expiry(value)));
        return tokens;
    }

    /** Deletes revocations that expired at or before {@code now}; returns how many. Any node may call it. */
    public int purgeExpiredTokens(Instant now) {
        int purged = 0;
        for (Map.Entry<String, Instant> token : revokedTokens().entrySet()) {
            if (!now.isBefore(token.getValue()) && remove(MetadataKind.REVOKED_TOKEN, token.getKey())) {
                purged++;
            }
        }
        return purged;
    }

    /**
     * The cluster's JWT signing key. The first node to ask creates it from {@code generator} with an
     * atomic create; every other node (and every later call) reads that same key, so it is created
     * exactly once however many nodes start at the same time. The generator may be called by a node
     * that then loses the race; its key is discarded.
     */
    public byte[] signingKey(Supplier<byte[]> generator) {
        try {
            try {
                return client.getData().forPath(ClusterPaths.JWT_KEY);
            } catch (KeeperException.NoNodeException e) {
                // Nobody created it yet: try.
            }
            byte[] key = generator.get();
            if (key == null || key.length < 32) {
                throw MomException.invalid("a signing key needs at least 32 bytes");
            }
            try {
                client.create().forPath(ClusterPaths.JWT_KEY, key);
                return key.clone();
            } catch (KeeperException.NodeExistsException e) {
                return client.getData().forPath(ClusterPaths.JWT_KEY);
            }
        } catch (MomException e) {
            throw e;
        } catch (Exception e) {
            throw CuratorOps.unavailable("cannot read or create the signing key", e);
        }
    }

    public void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    public void removeListener(MetadataListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void close() {
        cache.close();
    }

    private void onChange(ChildData data, boolean deleted) {
        String[] segments = ClusterPaths.below(ClusterPaths.META, data.getPath());
        if (segments.length != 2) {
            return;
        }
        MetadataKind.ofSegment(segments[0]).ifPresent(kind -> {
            String key = ClusterPaths.decodeKey(segments[1]);
            Optional<byte[]> value = deleted || data.getData() == null ? Optional.empty()
                    : Optional.of(data.getData().clone());
            listeners.forEach(listener -> listener.changed(kind, key, value));
        });
    }

    private static Instant expiry(byte[] value) {
        return Instant.ofEpochMilli(Long.parseLong(new String(value, StandardCharsets.UTF_8).trim()));
    }
}
