package io.mom.transport.grpc;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.mom.core.Broker;
import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import io.mom.grpc.v1.AuthServiceGrpc;
import io.mom.grpc.v1.CloseReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The client-facing gRPC server of MOM: {@code mom.v1.AuthService}, {@code DestinationService} and
 * {@code MessagingService} over a {@link Broker}, {@code UserService} over a user directory when the
 * builder was given one, plus server reflection and the standard health service, on Netty (plaintext or
 * TLS).
 *
 * <h2>Lifecycle</h2>
 * {@link #builder()} configures it; {@link GrpcServerBuilder#build()} returns it unstarted.
 * {@link #start()} binds and returns once the port is listening; it is idempotent. {@link #close()}
 * (or {@link #stopAccepting()} then {@link #awaitTermination}, for a caller draining several listeners)
 * stops accepting calls, ends open {@code Subscribe} streams with a {@code closed} event
 * ({@code CLOSE_REASON_BROKER_STOPPED}), lets other calls finish for the shutdown grace period, then
 * cancels the rest and stops its executor if it created it; it is idempotent and final. The broker,
 * authenticator and user directory belong to the caller and are not closed.
 *
 * <h2>Threading</h2>
 * All methods are thread-safe. Service code runs on a fixed pool of named threads (or the executor
 * given to the builder) and never blocks on the broker: broker futures complete the calls.
 */
public final class GrpcServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);

    private enum State { NEW, RUNNING, STOPPED }

    private final GrpcServerBuilder config;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    /** Trailer of a redirected {@code Subscribe} (FR-22): the gRPC address ({@code host:port}) to use instead. */
    public static final io.grpc.Metadata.Key<String> REDIRECT_TRAILER =
            io.grpc.Metadata.Key.of("mom-redirect", io.grpc.Metadata.ASCII_STRING_MARSHALLER);

    private final OpenStreams streams = new OpenStreams();
    private final HealthStatusManager health = new HealthStatusManager();
    private final ExecutorService ownExecutor;
    private final Server server;
    private volatile int boundPort = -1;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final java.util.concurrent.ScheduledExecutorService tokenChecks =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mom-grpc-token-check");
                t.setDaemon(true);
                return t;
            });

    GrpcServer(GrpcServerBuilder config) {
        this.config = config;
        this.ownExecutor = config.executor == null ? NamedThreads.fixedPool("mom-grpc", config.threads) : null;
        this.server = buildServer();
    }

    public static GrpcServerBuilder builder() {
        return new GrpcServerBuilder();
    }

    private Server buildServer() {
        AuthInterceptor auth = new AuthInterceptor(config.authenticator,
                Set.of(AuthServiceGrpc.getLoginMethod().getFullMethodName()));
        NettyServerBuilder netty;
        try {
            netty = NettyServerBuilder.forAddress(new InetSocketAddress(config.bindAddress, config.port), credentials());
        } catch (IllegalArgumentException e) {
            // Netty parses the PEM files here and reports bad content this way.
            throw new MomException(ErrorCode.INVALID_REQUEST,
                    "cannot use the TLS certificate or key (PEM, PKCS#8 key expected): " + e.getMessage(), e);
        }
        netty
                .executor(config.executor != null ? config.executor : ownExecutor)
                .maxInboundMessageSize(config.maxInboundMessageSize)
                // clients detect dead connections with keepalive pings (the MOM client: a third of its
                // stream idle timeout, at least 10 s); allow them instead of answering GOAWAY
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .addService(ServerInterceptors.intercept(new AuthGrpcService(config.authenticator, streams), auth))
                .addService(ServerInterceptors.intercept(new DestinationGrpcService(config.broker), auth))
                .addService(ServerInterceptors.intercept(new MessagingGrpcService(config.broker, streams,
                        config.publishStreamMaxInFlight, config.subscribeBufferSize, config.redirect), auth))
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(health.getHealthService());
        if (config.users != null) {
            netty.addService(ServerInterceptors.intercept(new UserGrpcService(config.users, streams), auth));
        }
        config.extraServices.forEach(netty::addService);
        config.interceptors.forEach(netty::intercept);
        config.transportFilters.forEach(netty::addTransportFilter);
        return netty.build();
    }

    private ServerCredentials credentials() {
        if (config.tlsKeyManagers == null && config.tlsCert == null) {
            return InsecureServerCredentials.create();
        }
        TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder();
        if (config.tlsKeyManagers != null) {
            tls.keyManager(config.tlsKeyManagers);
        } else {
            try {
                tls.keyManager(config.tlsCert.toFile(), config.tlsKey.toFile());
            } catch (IOException | IllegalArgumentException e) {
                throw new MomException(ErrorCode.INVALID_REQUEST,
                        "cannot read the TLS certificate or key (PEM, PKCS#8 key expected): " + e.getMessage(), e);
            }
        }
        if (config.clientTrust != null) {
            tls.trustManager(config.clientTrust).clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL);
        }
        return tls.build();
    }

    /** Binds and starts serving; returns this server. Idempotent; a closed server cannot restart. */
    public GrpcServer start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            if (state.get() == State.STOPPED) {
                throw new MomException(ErrorCode.UNAVAILABLE, "gRPC server is closed");
            }
            return this;
        }
        try {
            server.start();
        } catch (IOException e) {
            state.set(State.STOPPED);
            shutdownExecutor();
            throw new MomException(ErrorCode.UNAVAILABLE,
                    "gRPC cannot listen on " + config.bindAddress + ":" + config.port + ": " + e.getMessage(), e);
        }
        boundPort = server.getPort();
        long every = config.tokenCheck.toMillis();
        tokenChecks.scheduleWithFixedDelay(this::endStreamsOfInvalidTokens, every, every, TimeUnit.MILLISECONDS);
        health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
        log.info("gRPC listening on {}:{}{}", config.bindAddress, port(), isTls() ? " (TLS)" : "");
        return this;
    }

    private boolean isTls() {
        return config.tlsCert != null || config.tlsKeyManagers != null;
    }

    /** The port actually bound (the free one picked for port 0). */
    public int port() {
        int port = boundPort;
        if (port < 0) {
            throw new IllegalStateException("gRPC server is not started");
        }
        return port;
    }

    /** The address actually bound. */
    public InetSocketAddress address() {
        return new InetSocketAddress(config.bindAddress, port());
    }

    public boolean isRunning() {
        return state.get() == State.RUNNING;
    }

    /**
     * Ends this server's {@code Subscribe} streams opened with {@code token} (with
     * {@code CLOSE_REASON_LOGGED_OUT}) and its {@code PublishStream}s, once their requests in progress
     * are answered; for the composition root to call when a token is revoked
     * elsewhere, e.g. by a REST logout.
     */
    public void endStreamsOf(String token) {
        streams.endAll(token, CloseReason.CLOSE_REASON_LOGGED_OUT);
    }

    private void endStreamsOfInvalidTokens() {
        try {
            streams.endInvalid(token -> {
                try {
                    config.authenticator.verify(token);
                    return true;
                } catch (MomException e) {
                    return e.code() != ErrorCode.UNAUTHORIZED;
                }
            }, CloseReason.CLOSE_REASON_LOGGED_OUT);
        } catch (RuntimeException e) {
            log.warn("event=grpc_token_check_failed error={}", e.toString());
        }
    }

    /** Number of open {@code Subscribe} streams. */
    public int openStreams() {
        return streams.subscriptions();
    }

    /**
     * The first half of {@link #close()}, for a composition root that drains several listeners at
     * once: refuses new calls, ends open {@code Subscribe} streams (with
     * {@code CLOSE_REASON_BROKER_STOPPED}) and stops reading {@code PublishStream}s, which end once the
     * requests they read are answered; other calls in progress go on. Idempotent; afterwards only
     * {@link #awaitTermination} and {@link #close()} are useful.
     */
    public void stopAccepting() {
        State previous = state.getAndSet(State.STOPPED);
        if (previous == State.RUNNING) {
            health.enterTerminalState();
            server.shutdown();
            streams.endEverything(CloseReason.CLOSE_REASON_BROKER_STOPPED);
        }
    }

    /**
     * Waits up to {@code timeout} for the calls in progress to finish after {@link #stopAccepting()};
     * returns whether they did.
     */
    public boolean awaitTermination(Duration timeout) {
        try {
            return server.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return server.isTerminated();
        }
    }

    /** Stops the server; see the class documentation. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean wasStarted = boundPort >= 0;
        stopAccepting();
        if (wasStarted) {
            if (!awaitTermination(config.shutdownGrace)) {
                server.shutdownNow();
                awaitTermination(Duration.ofSeconds(5));
            }
            log.info("gRPC server on {}:{} stopped", config.bindAddress, boundPort);
        }
        shutdownExecutor();
    }

    private void shutdownExecutor() {
        tokenChecks.shutdownNow();
        if (ownExecutor != null) {
            ownExecutor.shutdown();
        }
    }
}
