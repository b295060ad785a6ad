package io.mom.server.cluster;

import io.mom.cluster.ClusterSettings;
import io.mom.cluster.MetadataKind;
import io.mom.cluster.Placement;
import io.mom.cluster.ZkCluster;
import io.mom.core.DestinationInfo;
import io.mom.core.DestinationRef;
import io.mom.core.Names;
import io.mom.core.DestinationType;
import io.mom.core.Page;
import io.mom.core.auth.Users;
import io.mom.core.internal.CoreBroker;
import io.mom.core.spi.MessageStore;
import io.mom.core.spi.ClusterView;
import io.mom.core.spi.UserStore;
import io.mom.server.config.ServerConfig;
import io.mom.server.logging.ClusterEventLog;
import io.mom.transport.grpc.GrpcServer;
import io.mom.transport.grpc.GrpcServerBuilder;
import io.mom.transport.rest.ClusterStatus;
import io.mom.transport.rest.auth.JwtAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * One server's part in a cluster: everything {@code MomServer} wires differently when
 * {@code MOM_ZK_CONNECT} is set. Lifecycle, driven by the server in this order:
 * <ol>
 *   <li>construction: the wrappers the broker and the REST listener are built with
 *       ({@link #store()}, {@link #userStore()}, {@link #authenticator()}, {@link #broker}, {@link #status()});
 *       until the node joins, they answer {@code UNAVAILABLE} and {@code /healthz} says 503;</li>
 *   <li>{@link #join}: starts the gRPC listener (client API, forwarded calls and the replication
 *       service), joins ZooKeeper with the listeners' advertised addresses, takes the JWT key and the
 *       cluster secret, mirrors users;</li>
 *   <li>{@link #serve()}, after the core broker has recovered its store: keeps only the destinations
 *       this node leads and follows placement changes (takes destinations over when promoted, releases
 *       them when it loses them);</li>
 *   <li>{@link #close()}: leaves the cluster gracefully and stops the gRPC listener.</li>
 * </ol>
 * Thread-safe; placement changes are handled on one thread ({@code mom-takeover}).
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
    /** How often the load is measured and, when it changed, written to ZooKeeper. */
    static final Duration LOAD_PERIOD = Duration.ofSeconds(1);

    private final ServerConfig config;
    private final Clock clock;
    private final ReplicatingStore store;
    private final ZkUserStore users;
    private final ClusterAuthenticator authenticator;
    private final ReplicaEndpoint replica;
    private final PeerTls peerTls;
    private final ExecutorService takeover = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mom-takeover");
        t.setDaemon(true);
        return t;
    });
    private final List<io.grpc.ServerInterceptor> grpcInterceptors = new ArrayList<>();
    private final List<io.grpc.ServerTransportFilter> grpcFilters = new ArrayList<>();
    private final ClusterEventLog events;
    private io.mom.core.spi.BrokerEvents replicationEvents = io.mom.core.spi.BrokerEvents.NONE;
    private final ScheduledExecutorService loadReporter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mom-load-report");
        t.setDaemon(true);
        return t;
    });
    private double reportedLoad;
    private ClusteredBroker broker;
    private volatile ZkCluster cluster;
    private GrpcServer grpc;
    private Peers peers;
    private LogShipper shipper;

    public ClusterNode(ServerConfig config, Clock clock, MessageStore localStore, UserStore localUsers) {
        this.config = config;
        this.clock = clock;
        this.store = new ReplicatingStore(localStore);
        this.users = new ZkUserStore(localUsers);
        this.authenticator = new ClusterAuthenticator(clock);
        this.replica = new ReplicaEndpoint(localStore);
        this.peerTls = PeerTls.of(config.security());
        this.events = new ClusterEventLog(config.node().id());
    }

    /** The message store the core broker must use. */
    public MessageStore store() {
        return store;
    }

    /** The user store shared through ZooKeeper. */
    public UserStore userStore() {
        return users;
    }

    public io.mom.core.auth.Authenticator authenticator() {
        return authenticator;
    }

    /** The broker to serve: routes each call to the destination's leader. */
    public ClusteredBroker broker(CoreBroker core) {
        if (broker == null) {
            broker = new ClusteredBroker(core, clock);
        }
        return broker;
    }

    /** Adds observers (metrics, logs) of the gRPC listener's calls and connections; call before {@link #join}. */
    public void observeGrpc(List<io.grpc.ServerInterceptor> interceptors, List<io.grpc.ServerTransportFilter> filters) {
        grpcInterceptors.addAll(interceptors);
        grpcFilters.addAll(filters);
    }

    /** Where the replication lag of the destinations this node leads is reported; call before joining. */
    public void observeReplication(io.mom.core.spi.BrokerEvents events) {
        this.replicationEvents = events;
    }

    /**
     * The fewest in-sync copies among the partitions this node leads (the replication factor when it leads
     * none), for the in-sync replicas gauge.
     */
    public int inSyncReplicas() {
        ZkCluster zk = cluster;
        if (zk == null) {
            return 1;
        }
        String me = zk.settings().nodeId();
        int fewest = Integer.MAX_VALUE;
        for (Placement p : zk.placements().placements().values()) {
            if (p.leader().equals(me)) {
                fewest = Math.min(fewest, p.inSync().size());
            }
        }
        return fewest == Integer.MAX_VALUE ? config.cluster().replicationFactor() : fewest;
    }

    /**
     * Starts the gRPC listener (TLS with optional client certificates when the node has a certificate:
     * {@link PeerTls}) and joins the cluster. {@code directory} is the node's user directory
     * (built over {@link #userStore()}); it is kept in step with changes other nodes make.
     */
    public void join(int restPort, Users directory) {
        ServerConfig.Node node = config.node();
        ServerConfig.Cluster c = config.cluster();
        GrpcServerBuilder grpcBuilder = GrpcServer.builder().broker(broker).authenticator(authenticator).users(directory)
                .bindAddress(node.bind()).port(config.grpc().port()).service(replica.definition())
                .interceptor(Forwarding.interceptor()).redirect(redirect());
        grpcInterceptors.forEach(grpcBuilder::interceptor);
        grpcFilters.forEach(grpcBuilder::transportFilter);
        peerTls.serve(grpcBuilder);
        grpc = grpcBuilder.build().start();
        String host = node.advertisedHost();
        ClusterSettings.Builder settings = ClusterSettings.builder().clusterName(c.name())
                .zkConnect(c.zkConnect().orElseThrow()).nodeId(node.id())
                .restAddress(host + ":" + restPort).grpcAddress(host + ":" + grpc.port())
                .sessionTimeout(c.zkSessionTimeout()).replicationFactor(c.replicationFactor())
                .minInSync(c.minInsync()).failoverGrace(c.failoverGrace());
        c.loadRedirectThreshold().ifPresent(settings::loadRedirectThreshold);
        ZkCluster zk = ZkCluster.start(settings.build(), clock);
        zk.membership().addListener(events);
        zk.placements().addListener(events);

        String jwtSecret = config.security().jwtSecret().orElseGet(() -> new String(
                zk.metadata().signingKey(ClusterNode::generateKey), StandardCharsets.UTF_8));
        byte[] clusterSecret = config.security().clusterSecret().map(s -> s.getBytes(StandardCharsets.UTF_8))
                .orElseGet(() -> PeerToken.derive(jwtSecret.getBytes(StandardCharsets.UTF_8)));
        PeerToken tokens = new PeerToken(clusterSecret, clock);
        peers = new Peers(tokens, peerTls);

        users.bind(zk.metadata());
        zk.metadata().addListener((kind, key, value) -> {
            if (kind == MetadataKind.USER) {
                directory.mirror(key, value.map(MetadataCodec::user));
            }
        });
        users.byName().forEach((name, record) -> directory.mirror(name, Optional.of(record)));

        authenticator.bind(new JwtAuthenticator(directory, users, jwtSecret, config.security().tokenTtl(), clock),
                zk.metadata(), tokens, peerTls);
        shipper = new LogShipper(zk, peers, store.local(), replicationEvents);
        store.bind(shipper);
        replica.bind(zk, tokens, peerTls);
        broker.bind(zk, peers);
        cluster = zk;
    }

    /**
     * Where to send new client streams and logins instead of this node (FR-22): the least-loaded live node
     * while this node's load is above {@code MOM_LOAD_REDIRECT_THRESHOLD}; never for a call another node
     * forwarded (a peer's stream must be served where it was sent), never without a threshold.
     */
    public Supplier<Optional<ClusterView.Node>> redirect() {
        return () -> {
            ZkCluster zk = cluster;
            if (zk == null || Forwarding.isForwarded()) {
                return Optional.empty();
            }
            return zk.view().redirectTarget();
        };
    }

    /**
     * Starts reporting this node's load to the cluster every {@link #LOAD_PERIOD}: the open push streams
     * of both listeners ({@code restStreams} for SSE plus gRPC {@code Subscribe}). Only changes are written
     * to ZooKeeper. Call after {@link #join}.
     */
    public void reportLoad(IntSupplier restStreams) {
        ZkCluster zk = cluster;
        loadReporter.scheduleWithFixedDelay(() -> {
            try {
                double load = restStreams.getAsInt() + grpc.openStreams();
                if (load != reportedLoad) {
                    zk.membership().updateLoad(load);
                    reportedLoad = load;
                }
            } catch (RuntimeException e) {
                log.debug("Load report of {} failed: {}", config.node().id(), e.toString());
            }
        }, 0, LOAD_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** After the core broker started: serve exactly what this node leads, and follow placement changes. */
    public void serve() {
        ZkCluster zk = cluster;
        String me = zk.settings().nodeId();
        CoreBroker core = broker.core();
        for (DestinationType type : DestinationType.values()) {
            for (DestinationInfo info : all(core, type)) {
                String base = LeaderRouter.baseOf(info.ref().name());
                boolean lead = zk.placements().placement(base, 0).map(p -> p.leader().equals(me)).orElse(false);
                if (!lead) {
                    core.release(info.ref().name());
                }
            }
        }
        zk.placements().addListener((id, previous, current) -> {
            if (id.partition() == 0) {
                submit(id.destination());
            }
        });
        zk.placements().placements().keySet().forEach(id -> {
            if (id.partition() == 0) {
                submit(id.destination());
            }
        });
    }

    private void submit(String base) {
        try {
            takeover.execute(() -> reconcile(base));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closing.
        }
    }

    /** Takes {@code base} over or gives it up, to match its current placement. */
    private void reconcile(String base) {
        ZkCluster zk = cluster;
        CoreBroker core = broker.core();
        if (!core.isRunning()) {
            return;
        }
        try {
            Optional<Placement> placement = zk.placements().placement(base, 0);
            if (placement.isPresent() && placement.get().leader().equals(zk.settings().nodeId())) {
                long epoch = placement.get().epoch();
                if (!core.adopt(base) && Names.isShard(base)) {
                    createShard(zk, core, base);
                }
                core.adopt(base + ".dlq");
                broker.adopted(base, epoch);
                log.info("event=leading destination={} epoch={}", base, epoch);
            } else {
                broker.released(base);
                boolean released = core.release(base);
                core.release(base + ".dlq");
                if (released) {
                    log.info("event=released destination={} leader={}", base,
                            placement.map(Placement::leader).orElse("(none)"));
                }
            }
        } catch (RuntimeException e) {
            log.warn("event=takeover_failed destination={} error={}", base, e.toString());
        }
    }

    /**
     * Creates a shard this node leads but has never held: a partition placed on this node whose
     * creation the declaring node did not get to (it failed or is still on its way).
     */
    private static void createShard(ZkCluster zk, CoreBroker core, String shard) {
        zk.metadata().get(MetadataKind.DESTINATION, Names.unsharded(shard)).map(MetadataCodec::destination)
                .ifPresent(r -> core.declareShard(r.owner(), new DestinationRef(r.type(), shard),
                        Shards.options(r.options())));
    }

    private static List<DestinationInfo> all(CoreBroker core, DestinationType type) {
        List<DestinationInfo> all = new ArrayList<>();
        String cursor = "";
        while (true) {
            Page<DestinationInfo> page = core.list(type, "", 1000, cursor);
            all.addAll(page.items());
            if (page.next().isEmpty()) {
                return all;
            }
            cursor = page.next().get();
        }
    }

    /** What {@code /v1/cluster} shows. */
    public ClusterStatus status() {
        return () -> {
            ZkCluster zk = cluster;
            if (zk == null) {
                return new ClusterStatus.Snapshot(List.of(), "", List.of());
            }
            List<ClusterStatus.Node> nodes = new ArrayList<>();
            Set<String> live = new TreeSet<>();
            zk.membership().members().forEach(m -> {
                live.add(m.nodeId());
                nodes.add(new ClusterStatus.Node(m.nodeId(), m.restAddress(), m.grpcAddress(), true, m.load()));
            });
            List<ClusterStatus.Placement> placements = new ArrayList<>();
            Set<String> missing = new TreeSet<>();
            for (Placement p : zk.placements().placements().values()) {
                String hosted = p.id().destination();
                placements.add(new ClusterStatus.Placement(Names.unsharded(hosted),
                        Names.isShard(hosted) ? Names.partitionOf(hosted) : p.id().partition(), p.leader(),
                        p.replicas(), p.epoch()));
                p.assigned().stream().filter(n -> !live.contains(n)).forEach(missing::add);
            }
            missing.forEach(n -> nodes.add(new ClusterStatus.Node(n, "", "", false, 0)));
            return new ClusterStatus.Snapshot(nodes, zk.controller().controllerId().orElse(""), placements);
        };
    }

    /** Ends this node's gRPC push streams opened with {@code token} (a logout through REST). */
    public void endGrpcStreamsOf(String token) {
        GrpcServer g = grpc;
        if (g != null) {
            g.endStreamsOf(token);
        }
    }

    /** The gRPC port actually bound (after {@link #join}). */
    public int grpcPort() {
        return grpc.port();
    }

    private static byte[] generateKey() {
        byte[] random = new byte[36];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random).getBytes(StandardCharsets.UTF_8);
    }

    /** Leaves the cluster gracefully (other nodes see it at once) and stops the gRPC listener. */
    @Override
    public void close() {
        loadReporter.shutdownNow();
        takeover.shutdownNow();
        if (shipper != null) {
            shipper.close();
        }
        if (grpc != null) {
            grpc.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (peers != null) {
            peers.close();
        }
        try {
            takeover.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
