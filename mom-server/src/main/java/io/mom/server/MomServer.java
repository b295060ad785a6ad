package io.mom.server;

import com.codahale.metrics.MetricRegistry;
import io.mom.core.Broker;
import io.mom.core.Limits;
import io.mom.core.auth.PasswordHasher;
import io.mom.core.auth.Users;
import io.mom.server.config.ServerConfig;
import io.mom.server.metrics.BrokerMetrics;
import io.mom.server.metrics.JvmMetrics;
import io.mom.server.metrics.PrometheusMetrics;
import io.mom.server.tls.PemFiles;
import io.mom.transport.rest.RestConfig;
import io.mom.transport.rest.RestServer;
import io.mom.transport.rest.auth.JwtAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The composition root of a standalone node: it opens the store, prepares users and tokens, builds the
 * broker, starts the REST listener and then the broker, by hand and in that order. {@code /healthz}
 * answers 503 until the broker has recovered its store and started.
 *
 * <p>Lifecycle: {@link #start} returns a running server; {@link #close()} shuts down gracefully: new
 * requests are refused, push streams end, requests in progress may finish, then the broker closes
 * (ending waiting pulls and flushing the store), the listener stops and the store is released, all within
 * the configured shutdown timeout. Idempotent; thread-safe.
 */
public final class MomServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MomServer.class);
    /** Part of the shutdown budget given to requests in progress while the broker still runs. */
    private static final Duration DRAIN = Duration.ofSeconds(2);

    private final ServerConfig config;
    private final Broker broker;
    private final RestServer rest;
    private final Stores.Opened stores;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MomServer(ServerConfig config, Broker broker, RestServer rest, Stores.Opened stores) {
        this.config = config;
        this.broker = broker;
        this.rest = rest;
        this.stores = stores;
    }

    /**
     * Starts a node. A generated admin password is written to {@code console} once (and to
     * {@code <data dir>/admin-password}), never to the log.
     */
    public static MomServer start(ServerConfig config, PrintStream console) {
        long began = System.nanoTime();
        ServerConfig.Node node = config.node();
        ServerConfig.Security security = config.security();
        DataDir dataDir = new DataDir(node.dataDir());
        SSLContext tls = security.tlsCert().isPresent()
                ? PemFiles.serverContext(security.tlsCert().get(), security.tlsKey().orElseThrow()) : null;
        Clock clock = Clock.systemUTC();

        MetricRegistry registry = JvmMetrics.register(new MetricRegistry());
        BrokerMetrics metrics = new BrokerMetrics(registry);
        Stores.Opened stores = Stores.open(config, metrics);
        Broker broker = null;
        RestServer rest = null;
        try {
            Users users = new Users(stores.users(), PasswordHasher.defaults(), clock);
            Users.Bootstrap bootstrap = users.bootstrapAdmin(security.adminPassword());
            bootstrap.generatedPassword().ifPresent(password -> {
                var file = dataDir.writeAdminPassword(password);
                console.println("Generated password of user '" + Users.ADMIN + "': " + password
                        + "  (also in " + file + "; shown only once)");
            });
            JwtAuthenticator auth = new JwtAuthenticator(users, stores.users(),
                    dataDir.jwtSecret(security.jwtSecret()), security.tokenTtl(), clock);

            ServerConfig.Limits l = config.limits();
            Limits limits = new Limits(l.maxPayloadBytes(), l.maxBatch(), l.maxHeaders(),
                    Limits.DEFAULTS.maxReceiveBytes());
            broker = Broker.builder().store(stores.messages()).events(metrics).clock(clock).limits(limits)
                    .memoryBudget(stores.memoryBudget()).nodeId(node.id()).build();

            RestConfig restConfig = RestConfig.builder().bindAddress(node.bind()).port(config.rest().port())
                    .tls(tls).maxBodyBytes(l.maxBodyBytes()).limits(limits).heartbeat(config.rest().sseHeartbeat())
                    .build();
            rest = RestServer.builder().broker(broker).authenticator(auth).users(users).nodeId(node.id())
                    .advertisedHost(node.advertisedHost())
                    .config(restConfig).metrics(new PrometheusMetrics(registry)).stats(metrics)
                    .requestListener(metrics).build();
            // Listeners first, so that /healthz can say STARTING while the store is recovered.
            rest.start();
            broker.start();
        } catch (RuntimeException e) {
            if (rest != null) {
                rest.close();
            }
            if (broker != null) {
                broker.close(); // closes the store too
            } else {
                stores.messages().close();
            }
            stores.close();
            throw e;
        }
        log.info("event=node_started node={} store={} millis={}", node.id(),
                config.store().kind().name().toLowerCase(), (System.nanoTime() - began) / 1_000_000);
        return new MomServer(config, broker, rest, stores);
    }

    /** The REST base address, such as {@code http://127.0.0.1:8080}. */
    public String restUrl() {
        return rest.baseUrl();
    }

    public int restPort() {
        return rest.port();
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
        rest.awaitIdle(min(DRAIN, remaining(deadline)));
        broker.close();
        boolean idle = rest.awaitIdle(remaining(deadline));
        rest.close();
        stores.close(); // after the listener: a request still in progress may read users until then
        log.info("event=shutdown_complete clean={} millis={}", idle, (System.nanoTime() - began) / 1_000_000);
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
