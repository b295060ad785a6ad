package io.mom.cluster;

import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cluster membership over ZooKeeper: registers this node as the ephemeral znode
 * {@code /nodes/<nodeId>} (addresses and load, see {@link KeyValueCodec}) and mirrors every node's
 * registration in a {@code CuratorCache}.
 *
 * <p><b>Lifecycle.</b> {@link #start()} once, then {@link #close()} (idempotent). {@code start}
 * returns once this node is registered and the cache is loaded. {@code close} removes the
 * registration (a graceful leave: other nodes see it at once) if it still belongs to this node's
 * session.
 *
 * <p><b>Session loss.</b> After a reconnection (Curator {@code RECONNECTED}, including the new
 * session that follows {@code LOST}) or when the registration vanishes while this node runs, it
 * registers again. A registration left over by this same object's expired session is waited out
 * (the server deletes it when it expires that session).
 *
 * <p><b>Duplicates.</b> A registration under the same id from another process is waited out for
 * 1.5 session timeouts (it may be this node's own previous, crashed incarnation); if it is still
 * there, a live node has the id: {@code start} throws {@link MomException} with
 * {@link ErrorCode#CONFLICT}, and a re-registration gives up and tells
 * {@link MembershipListener#registrationConflict}.
 *
 * <p><b>Threading.</b> Thread-safe. ZooKeeper writes run on one named thread
 * ({@code mom-membership-<nodeId>}); listeners run on the cache's thread.
 */
public final class ZkMembership implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZkMembership.class);
    private static final long RETRY_MILLIS = 100;

    private final CuratorFramework client;
    private final ClusterSettings settings;
    private final String path;
    private final String instance = UUID.randomUUID().toString();
    private final CuratorCache cache;
    private final ScheduledExecutorService executor;
    private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
    private final ConnectionStateListener connectionListener = (c, state) -> onConnectionState(state);
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean loadDirty = new AtomicBoolean();
    private volatile boolean closed;
    private volatile boolean registered;
    private volatile double load;
    /** True while a registration attempt chain runs; touched only on the executor thread. */
    private boolean registering;

    /**
     * @param client   a started Curator client whose namespace is {@link ClusterSettings#namespace()}
     * @param settings this node's settings (id and addresses)
     */
    public ZkMembership(CuratorFramework client, ClusterSettings settings) {
        this.client = client;
        this.settings = settings;
        this.path = ClusterPaths.node(settings.nodeId());
        this.cache = CuratorCache.build(client, ClusterPaths.NODES);
        this.executor = CuratorOps.singleThread("mom-membership-" + settings.nodeId());
    }

    /**
     * Loads the cache and registers this node; blocks until registered.
     *
     * @throws MomException {@code CONFLICT} when a live node already uses this id,
     *                      {@code UNAVAILABLE} when ZooKeeper does not answer in time
     */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        CuratorOps.ensurePath(client, ClusterPaths.NODES);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreates(data -> onNode(data, null))
                .forChanges((before, after) -> onNode(after, before))
                .forDeletes(this::onNodeDeleted)
                .build());
        CuratorOps.startAndAwait(cache, settings.connectTimeout());
        client.getConnectionStateListenable().addListener(connectionListener);
        CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() -> beginRegistration(done));
        CuratorOps.await(done, settings.connectTimeout().plus(settings.sessionTimeout().multipliedBy(2)),
                "registration of node " + settings.nodeId());
    }

    public String localNodeId() {
        return settings.nodeId();
    }

    /** True while this node's registration exists under its current session (as far as it knows). */
    public boolean registered() {
        return registered && !closed;
    }

    /** Publishes a new load figure (coalesced: only the latest value is written). */
    public void updateLoad(double newLoad) {
        if (!(newLoad >= 0) || Double.isInfinite(newLoad)) {
            throw MomException.invalid("load must be a finite number >= 0, got " + newLoad);
        }
        load = newLoad;
        if (loadDirty.compareAndSet(false, true) && !closed) {
            executor.execute(this::pushLoad);
        }
    }

    /** The live nodes, sorted by id (a snapshot of the cache). */
    public List<Member> members() {
        return cache.stream().map(this::decode).flatMap(Optional::stream)
                .sorted(Comparator.comparing(Member::nodeId)).toList();
    }

    /** The live nodes by id (a snapshot of the cache). */
    public Map<String, Member> membersById() {
        Map<String, Member> byId = new LinkedHashMap<>();
        members().forEach(member -> byId.put(member.nodeId(), member));
        return byId;
    }

    public Optional<Member> member(String nodeId) {
        return cache.get(ClusterPaths.node(nodeId)).flatMap(this::decode);
    }

    public void addListener(MembershipListener listener) {
        listeners.add(listener);
    }

    public void removeListener(MembershipListener listener) {
        listeners.remove(listener);
    }

    /** Leaves the cluster: removes this node's registration if it is still ours. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.getConnectionStateListenable().removeListener(connectionListener);
        if (started.get()) {
            CompletableFuture<Void> left = CompletableFuture.runAsync(this::deleteIfOurs, executor);
            try {
                left.get(settings.sessionTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.debug("Node {} could not remove its registration; its session end will", settings.nodeId(), e);
            }
        }
        registered = false;
        cache.close();
        executor.shutdownNow();
    }

    private void onConnectionState(ConnectionState state) {
        if (state == ConnectionState.LOST) {
            registered = false;
            log.warn("Node {} lost its ZooKeeper session; it will register again on reconnection",
                    settings.nodeId());
        } else if (state == ConnectionState.RECONNECTED && !closed) {
            executor.execute(() -> beginRegistration(null));
        }
    }

    private void beginRegistration(CompletableFuture<Void> done) {
        if (registering) {
            return;
        }
        registering = true;
        long foreignDeadline = System.nanoTime() + settings.sessionTimeout().multipliedBy(3).dividedBy(2).toNanos();
        attempt(done, foreignDeadline);
    }

    /** One registration attempt; reschedules itself until registered, closed or in conflict. */
    private void attempt(CompletableFuture<Void> done, long foreignDeadline) {
        if (closed) {
            registering = false;
            if (done != null) {
                done.completeExceptionally(new MomException(ErrorCode.UNAVAILABLE, "membership closed"));
            }
            return;
        }
        try {
            long session = CuratorOps.sessionId(client);
            byte[] data = encode();
            try {
                client.create().withMode(CreateMode.EPHEMERAL).forPath(path, data);
                registeredNow(done);
                return;
            } catch (KeeperException.NodeExistsException e) {
                // Inspect the existing registration below.
            }
            Stat stat = new Stat();
            byte[] existing;
            try {
                existing = client.getData().storingStatIn(stat).forPath(path);
            } catch (KeeperException.NoNodeException e) {
                executor.execute(() -> attempt(done, foreignDeadline));
                return;
            }
            if (stat.getEphemeralOwner() == session) {
                client.setData().withVersion(stat.getVersion()).forPath(path, data);
                registeredNow(done);
                return;
            }
            boolean ownStaleSession = instance.equals(KeyValueCodec.decode(existing).get("instance"));
            if (!ownStaleSession && System.nanoTime() - foreignDeadline > 0) {
                conflict(done, stat.getEphemeralOwner());
                return;
            }
        } catch (Exception e) {
            log.debug("Registration attempt of node {} failed; retrying", settings.nodeId(), e);
        }
        executor.schedule(() -> attempt(done, foreignDeadline), RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void registeredNow(CompletableFuture<Void> done) {
        registering = false;
        boolean again = !registered;
        registered = true;
        if (again) {
            log.info("Node {} registered in cluster {}", settings.nodeId(), settings.clusterName());
        }
        if (done != null) {
            done.complete(null);
        }
    }

    private void conflict(CompletableFuture<Void> done, long owner) {
        registering = false;
        registered = false;
        MomException error = new MomException(ErrorCode.CONFLICT, "node id '" + settings.nodeId()
                + "' is already registered in cluster '" + settings.clusterName() + "' by a live node (session 0x"
                + Long.toHexString(owner) + "); give each node a distinct MOM_NODE_ID");
        log.error(error.getMessage());
        if (done != null) {
            done.completeExceptionally(error);
        } else {
            listeners.forEach(listener -> listener.registrationConflict(settings.nodeId()));
        }
    }

    private void pushLoad() {
        loadDirty.set(false);
        if (!registered || closed) {
            return;
        }
        try {
            Stat stat = client.checkExists().forPath(path);
            if (stat != null && stat.getEphemeralOwner() == CuratorOps.sessionId(client)) {
                client.setData().withVersion(stat.getVersion()).forPath(path, encode());
            }
        } catch (Exception e) {
            // The next update, or the next registration, publishes the latest load.
            log.debug("Load update of node {} failed", settings.nodeId(), e);
        }
    }

    private void deleteIfOurs() {
        try {
            Stat stat = client.checkExists().forPath(path);
            if (stat != null && stat.getEphemeralOwner() == CuratorOps.sessionId(client)) {
                client.delete().withVersion(stat.getVersion()).forPath(path);
                log.info("Node {} left cluster {}", settings.nodeId(), settings.clusterName());
            }
        } catch (Exception e) {
            log.debug("Node {} could not remove its registration", settings.nodeId(), e);
        }
    }

    private byte[] encode() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("rest", settings.restAddress());
        fields.put("grpc", settings.grpcAddress());
        fields.put("load", Double.toString(load));
        fields.put("instance", instance);
        return KeyValueCodec.encode(fields);
    }

    private Optional<Member> decode(ChildData data) {
        String[] segments = ClusterPaths.below(ClusterPaths.NODES, data.getPath());
        if (segments.length != 1) {
            return Optional.empty();
        }
        Map<String, String> fields = KeyValueCodec.decode(data.getData());
        try {
            return Optional.of(new Member(segments[0], fields.getOrDefault("rest", ""),
                    fields.getOrDefault("grpc", ""), Double.parseDouble(fields.getOrDefault("load", "0"))));
        } catch (IllegalArgumentException e) {
            log.warn("Ignoring unreadable registration {}", data.getPath());
            return Optional.empty();
        }
    }

    private void onNode(ChildData data, ChildData before) {
        Optional<Member> member = decode(data);
        if (member.isEmpty()) {
            return;
        }
        for (MembershipListener listener : listeners) {
            if (before == null) {
                listener.joined(member.get());
            } else {
                listener.updated(member.get());
            }
        }
    }

    private void onNodeDeleted(ChildData data) {
        String[] segments = ClusterPaths.below(ClusterPaths.NODES, data.getPath());
        if (segments.length != 1) {
            return;
        }
        listeners.forEach(listener -> listener.left(segments[0]));
        if (segments[0].equals(settings.nodeId()) && !closed) {
            registered = false;
            executor.execute(() -> beginRegistration(null));
        }
    }
}
