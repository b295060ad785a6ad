package io.mom.transport.rest;

import io.mom.core.Broker;
import io.mom.core.DestinationInfo;
import io.mom.core.DestinationType;
import io.mom.core.Page;
import io.mom.core.auth.Authenticator;
import io.mom.core.auth.UserDirectory;
import io.mom.core.spi.ClusterView;
import io.mom.transport.rest.internal.http.Dispatcher;
import io.mom.transport.rest.internal.resources.Api;
import io.mom.transport.rest.internal.sse.Streams;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.handlers.GracefulShutdownHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The REST API of {@code API.md} on Undertow: JSON over HTTP(S), bearer tokens, SSE push streams.
 * Build it with {@link #builder()}, then {@link #start()}.
 *
 * <p>Lifecycle: {@link #start()} binds the listener and returns once it accepts connections (the real
 * port is then {@link #port()}); {@link #stopAccepting()} answers new requests with 503 and ends push
 * streams; {@link #awaitIdle(Duration)} waits for the requests in progress; {@link #close()} unbinds and
 * stops the IO threads. All are idempotent.
 *
 * <p>Threading: thread-safe. Requests run on Undertow worker threads; long polls and durable writes
 * release their thread while they wait; push streams are written by the IO threads.
 */
public final class RestServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RestServer.class);

    private enum State { NEW, RUNNING, DRAINING, CLOSED }

    private final RestConfig config;
    private final Streams streams = new Streams();
    private final GracefulShutdownHandler graceful;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private Undertow undertow;
    private volatile InetSocketAddress address;

    private RestServer(Builder b) {
        this.config = b.config;
        String advertised = b.advertisedHost;
        ClusterStatus cluster = b.cluster != null ? b.cluster
                : () -> singleNode(b.broker, b.nodeId, advertisedUrl(advertised));
        Api.Parts parts = new Api.Parts(b.broker, b.users, b.authenticator, streams, b.config, b.nodeId, b.ready,
                b.metrics, b.stats, cluster, b.redirect);
        Dispatcher dispatcher = new Dispatcher(Api.router(parts), b.authenticator, b.config.maxBodyBytes(),
                b.listener);
        this.graceful = new GracefulShutdownHandler(dispatcher);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds the listener; returns once connections are accepted. */
    public synchronized RestServer start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            return this;
        }
        Undertow.Builder b = Undertow.builder()
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, config.maxBodyBytes() * 2)
                .setServerOption(UndertowOptions.RECORD_REQUEST_START_TIME, false)
                .setHandler(graceful);
        if (config.tls().isPresent()) {
            b.addHttpsListener(config.port(), config.bindAddress(), config.tls().get());
        } else {
            b.addHttpListener(config.port(), config.bindAddress());
        }
        undertow = b.build();
        undertow.start();
        address = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        log.info("REST listening on {}", baseUrl());
        return this;
    }

    /** The bound port (the real one when configured with 0). */
    public int port() {
        return requireStarted().getPort();
    }

    /** {@code http(s)://<bind address>:<port>}. */
    public String baseUrl() {
        InetSocketAddress a = requireStarted();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return (config.tls().isPresent() ? "https" : "http") + "://" + host + ":" + a.getPort();
    }

    private InetSocketAddress requireStarted() {
        InetSocketAddress a = address;
        if (a == null) {
            throw new IllegalStateException("the REST server is not started");
        }
        return a;
    }

    /** Number of open push streams. */
    public int openStreams() {
        return streams.size();
    }

    /** Refuses new requests (503) and ends every push stream; requests in progress go on. */
    public void stopAccepting() {
        if (state.compareAndSet(State.RUNNING, State.DRAINING)) {
            graceful.shutdown();
            streams.closeAll();
        }
    }

    /** Waits up to {@code timeout} for the requests in progress; true if none is left. */
    public boolean awaitIdle(Duration timeout) {
        try {
            return graceful.awaitShutdown(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Unbinds and stops the IO and worker threads. */
    @Override
    public synchronized void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        streams.closeAll();
        if (undertow != null) {
            undertow.stop();
        }
    }

    /** The REST address other nodes and clients are told to use. */
    private String advertisedUrl(String host) {
        if (host == null) {
            return baseUrl();
        }
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return (config.tls().isPresent() ? "https" : "http") + "://" + h + ":" + port();
    }

    private static ClusterStatus.Snapshot singleNode(Broker broker, String nodeId, String restAddress) {
        List<ClusterStatus.Placement> placements = new ArrayList<>();
        for (DestinationType type : DestinationType.values()) {
            String cursor = "";
            while (true) {
                Page<DestinationInfo> page = broker.list(type, "", 1000, cursor);
                for (DestinationInfo d : page.items()) {
                    for (int p = 0; p < d.options().partitions(); p++) {
                        placements.add(new ClusterStatus.Placement(d.ref().name(), p, nodeId, List.of(), 0));
                    }
                }
                if (page.next().isEmpty()) {
                    break;
                }
                cursor = page.next().get();
            }
        }
        return new ClusterStatus.Snapshot(List.of(new ClusterStatus.Node(nodeId, restAddress, "", true, 0)), nodeId,
                placements);
    }

    /** Collects the parts of a {@link RestServer}. Not thread-safe. */
    public static final class Builder {
        private Broker broker;
        private Authenticator authenticator;
        private UserDirectory users;
        private RestConfig config = RestConfig.builder().build();
        private String nodeId = "local";
        private BooleanSupplier ready;
        private MetricsSource metrics = MetricsSource.NONE;
        private StatsSource stats = StatsSource.NONE;
        private ClusterStatus cluster;
        private RequestListener listener = RequestListener.NONE;
        private String advertisedHost;
        private Supplier<Optional<ClusterView.Node>> redirect = Optional::empty;

        private Builder() {
        }

        public Builder broker(Broker broker) {
            this.broker = Objects.requireNonNull(broker, "broker");
            return this;
        }

        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        public Builder users(UserDirectory users) {
            this.users = Objects.requireNonNull(users, "users");
            return this;
        }

        public Builder config(RestConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        public Builder nodeId(String nodeId) {
            this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
            return this;
        }

        /** When {@code /healthz} answers 200; default: when the broker is running. */
        public Builder readiness(BooleanSupplier ready) {
            this.ready = Objects.requireNonNull(ready, "ready");
            return this;
        }

        public Builder metrics(MetricsSource metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        public Builder stats(StatsSource stats) {
            this.stats = Objects.requireNonNull(stats, "stats");
            return this;
        }

        /** The cluster view of {@code /v1/cluster}; default: this node alone, leading everything. */
        public Builder cluster(ClusterStatus cluster) {
            this.cluster = Objects.requireNonNull(cluster, "cluster");
            return this;
        }

        /** Host shown as this node's REST address in the default cluster view; default: the bind address. */
        public Builder advertisedHost(String advertisedHost) {
            this.advertisedHost = Objects.requireNonNull(advertisedHost, "advertisedHost");
            return this;
        }

        /**
         * Load balancing (FR-22): where to send clients instead of this node, asked at each login (the
         * {@code preferredNode} hint) and each stream opening (a {@code 307}); default: never.
         */
        public Builder redirect(Supplier<Optional<ClusterView.Node>> redirect) {
            this.redirect = Objects.requireNonNull(redirect, "redirect");
            return this;
        }

        public Builder requestListener(RequestListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public RestServer build() {
            Objects.requireNonNull(broker, "broker");
            Objects.requireNonNull(authenticator, "authenticator");
            Objects.requireNonNull(users, "users");
            if (ready == null) {
                ready = broker::isRunning;
            }
            return new RestServer(this);
        }
    }
}
