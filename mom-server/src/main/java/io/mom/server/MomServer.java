package io.mom.server;

import com.codahale.metrics.MetricRegistry;
import io.mom.core.Broker;
import io.mom.core.Limits;
import io.mom.core.auth.Authenticator;
import io.mom.core.auth.PasswordHasher;
import io.mom.core.auth.Users;
import io.mom.core.internal.CoreBroker;
import io.mom.server.cluster.ClusterNode;
import io.mom.server.config.ServerConfig;
import io.mom.core.spi.BrokerEvents;
import io.mom.server.logging.GrpcCallLog;
import io.mom.server.logging.GrpcConnectionLog;
import io.mom.server.logging.LoggingBrokerEvents;
import io.mom.server.metrics.BrokerMetrics;
import io.mom.server.metrics.DestinationGauges;
import io.mom.server.metrics.GrpcMetrics;
import io.mom.server.metrics.HttpMetrics;
import io.mom.server.metrics.JvmMetrics;
import io.mom.server.metrics.PrometheusMetrics;
import io.mom.server.tls.PemFiles;
import io.mom.transport.grpc.GrpcServer;
import io.mom.transport.rest.RestConfig;
import io.mom.transport.rest.RestServer;
import io.mom.transport.rest.auth.JwtAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import javax.net.ssl.SSLContext;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The composition root of a standalone node: it opens the store, prepares users and tokens, builds the
 * broker, starts the REST and gRPC listeners and then the broker, by hand and in that order. {@code /healthz}
 * answers 503 until the broker has recovered its store and started. Both listeners share one
 * authenticator; a logout on either ends the token's push streams on both (REST streams at their next
 * heartbeat). In a cluster the gRPC listener is the cluster node's, which also serves the peers.
 *
 * <p>Lifecycle: {@link #start} returns a running server; {@link #close()} shuts down gracefully: new
 * requests are refused (REST and gRPC), push streams end, requests in progress may finish, then the
 * broker closes (ending waiting pulls and flushing the store) and the listeners stop, all within the configured
 * shutdown timeout. Idempotent; thread-safe.
 */
public final class MomServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MomServer.class);
    /** Part of the shutdown budget given to requests in progress while the broker still runs. */
    private static final Duration DRAIN = Duration.ofSeconds(2);

    private final ServerConfig config;
    private final Broker broker;
    private final RestServer rest;
    /** The gRPC listener of a single node; null in a cluster, where the cluster node has its own. */
    private final GrpcServer grpc;
    private final AutoCloseable storeResources;
    /** The node's cluster membership; null in single-node mode. */
    private final ClusterNode cluster;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MomServer(ServerConfig config, Broker broker, RestServer rest, GrpcServer grpc,
                      AutoCloseable storeResources, ClusterNode cluster) {
        this.config = config;
        this.broker = broker;
        this.rest = rest;
        this.grpc = grpc;
        this.storeResources = storeResources;
        this.cluster = cluster;
    }

    /**
     * Starts a node. A generated admin password is written to {@code console} once (and to
     * {@code <data dir>/admin-password}), never to the log.
     */
    public static MomServer start(ServerConfig config, PrintStream console) {
        long began = System.nanoTime();
        routeJulToSlf4j();
        ServerConfig.Node node = config.node();
        ServerConfig.Security security = config.security();
        DataDir dataDir = new DataDir(node.dataDir());
        SSLContext tls = security.tlsCert().isPresent()
                ? PemFiles.serverContext(security.tlsCert().get(), security.tlsKey().orElseThrow()) : null;
        Clock clock = Clock.systemUTC();

        MetricRegistry registry = JvmMetrics.register(new MetricRegistry());
        BrokerMetrics metrics = new BrokerMetrics(registry, config.observability().metricsMaxDestinations());
        HttpMetrics http = new HttpMetrics(registry);
        GrpcMetrics grpcMetrics = new GrpcMetrics(registry);
        BrokerEvents events = new CompositeBrokerEvents(List.of(metrics, new LoggingBrokerEvents()));
        Stores.Opened stores = Stores.open(config, events);
        Broker broker = null;
        RestServer rest = null;
        GrpcServer grpc = null;
        ClusterNode cluster = null;
        try {
            cluster = config.cluster().zkConnect().isPresent()
                    ? new ClusterNode(config, clock, stores.messages(), stores.users()) : null;
            if (cluster != null) {
                cluster.observeGrpc(List.of(grpcMetrics, new GrpcCallLog()), List.of(new GrpcConnectionLog()));
                metrics.inSyncReplicas(cluster::inSyncReplicas);
                cluster.observeReplication(metrics);
            }
            Users users = new Users(cluster != null ? cluster.userStore() : stores.users(), PasswordHasher.defaults(),
                    clock);
            LogoutFanout auth;
            if (cluster == null) {
                bootstrapAdmin(users, security, dataDir, console);
                auth = new LogoutFanout(new JwtAuthenticator(users, stores.users(),
                        dataDir.jwtSecret(security.jwtSecret()), security.tokenTtl(), clock));
            } else {
                auth = new LogoutFanout(cluster.authenticator());
                auth.onLogout(cluster::endGrpcStreamsOf);
            }

            ServerConfig.Limits l = config.limits();
            Limits limits = new Limits(l.maxPayloadBytes(), l.maxBatch(), l.maxHeaders(),
                    Limits.DEFAULTS.maxReceiveBytes());
            broker = Broker.builder().store(cluster != null ? cluster.store() : stores.messages()).events(events)
                    .clock(clock).limits(limits).memoryBudget(stores.memoryBudget()).nodeId(node.id()).build();
            // The gauges of /metrics describe what this node holds, so that summing the nodes counts each once.
            Broker local = broker;
            if (cluster != null) {
                broker = cluster.broker((CoreBroker) broker);
            }

            RestConfig restConfig = RestConfig.builder().bindAddress(node.bind()).port(config.rest().port())
                    .tls(tls).maxBodyBytes(l.maxBodyBytes()).limits(limits).heartbeat(config.rest().sseHeartbeat())
                    .build();
            RestServer.Builder restBuilder = RestServer.builder().broker(broker).authenticator(auth).users(users)
                    .nodeId(node.id())
                    .advertisedHost(node.advertisedHost())
                    .config(restConfig)
                    .metrics(new PrometheusMetrics(registry, metrics, http, grpcMetrics,
                            DestinationGauges.of(local, metrics)))
                    .stats(metrics).requestListener(http);
            if (cluster != null) {
                restBuilder.cluster(cluster.status()).redirect(cluster.redirect());
            }
            rest = restBuilder.build();
            if (cluster == null) {
                grpc = grpcServer(config, broker, auth, users, grpcMetrics);
                auth.onLogout(grpc::endStreamsOf);
            }
            // Listeners first, so that /healthz can say STARTING while the store is recovered.
            rest.start();
            if (grpc != null) {
                grpc.start();
            }
            if (cluster != null) {
                cluster.join(rest.port(), users);
                cluster.reportLoad(rest::openStreams);
                bootstrapAdmin(users, security, dataDir, console);
            }
            broker.start();
            if (cluster != null) {
                cluster.serve();
            }
        } catch (RuntimeException e) {
            if (grpc != null) {
                grpc.close();
            }
            if (cluster != null) {
                cluster.close();
            }
            if (rest != null) {
                rest.close();
            }
            if (broker != null) {
                broker.close(); // closes the message store too
            } else {
                stores.messages().close();
            }
            closeQuietly(stores.resources());
            throw e;
        }
        log.info("event=node_started node={} store={} millis={}", node.id(),
                config.store().kind().name().toLowerCase(), (System.nanoTime() - began) / 1_000_000);
        return new MomServer(config, broker, rest, grpc, stores.resources(), cluster);
    }

    /** The gRPC listener of a single node: same bind address, TLS files and limits as REST. */
    private static GrpcServer grpcServer(ServerConfig config, Broker broker, Authenticator auth, Users users,
                                         GrpcMetrics metrics) {
        ServerConfig.Security security = config.security();
        var b = GrpcServer.builder().broker(broker).authenticator(auth).users(users)
                .port(config.grpc().port()).bindAddress(config.node().bind())
                .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, Math.max(1024, config.limits().maxBodyBytes())))
                .interceptor(metrics).interceptor(new GrpcCallLog()).transportFilter(new GrpcConnectionLog())
                .shutdownGrace(Duration.ZERO); // close() drains through stopAccepting/awaitTermination first
        if (security.tlsCert().isPresent()) {
            b.tls(PemFiles.keyManagers(security.tlsCert().get(), security.tlsKey().orElseThrow()));
        }
        return b.build();
    }

    /** gRPC (and other libraries) log through java.util.logging: send that to SLF4J, once per JVM. */
    private static void routeJulToSlf4j() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    private static void bootstrapAdmin(Users users, ServerConfig.Security security, DataDir dataDir,
                                       PrintStream console) {
        Users.Bootstrap bootstrap = users.bootstrapAdmin(security.adminPassword());
        bootstrap.generatedPassword().ifPresent(password -> {
            var file = dataDir.writeAdminPassword(password);
            console.println("Generated password of user '" + Users.ADMIN + "': " + password
                    + "  (also in " + file + "; shown only once)");
        });
    }

    /** The REST base address, such as {@code http://127.0.0.1:8080}. */
    public String restUrl() {
        return rest.baseUrl();
    }

    public int restPort() {
        return rest.port();
    }

    /** The port the gRPC listener actually bound (the free one picked for port 0). */
    public int grpcPort() {
        return cluster != null ? cluster.grpcPort() : grpc.port();
    }

    public boolean isReady() {
        return broker.isRunning() && !closed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long began = System.nanoTime();
        long deadline = began + config.shutdownTimeout().toNanos();
        log.info("event=shutdown_started");
        rest.stopAccepting();
        if (grpc != null) {
            grpc.stopAccepting();
        }
        rest.awaitIdle(min(DRAIN, remaining(deadline)));
        broker.close();
        if (cluster != null) {
            cluster.close();
        }
        boolean idle = rest.awaitIdle(remaining(deadline));
        if (grpc != null) {
            idle &= grpc.awaitTermination(remaining(deadline));
            grpc.close();
        }
        rest.close();
        closeQuietly(storeResources);
        log.info("event=shutdown_complete clean={} millis={}", idle, (System.nanoTime() - began) / 1_000_000);
    }

    private static void closeQuietly(AutoCloseable resources) {
        try {
            resources.close();
        } catch (Exception e) {
            log.warn("event=store_close_failed error={}", e.toString());
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
