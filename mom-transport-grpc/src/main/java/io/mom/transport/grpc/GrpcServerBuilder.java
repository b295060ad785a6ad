package io.mom.transport.grpc;

import io.mom.core.Broker;
import io.mom.core.MomException;
import io.mom.core.auth.Authenticator;
import io.mom.core.auth.UserDirectory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * Configures a {@link GrpcServer}. Defaults: port 9090 on {@code 127.0.0.1}, plaintext, a fixed pool of
 * {@code max(4, 2 × processors)} threads, 16 MiB inbound messages (the REST request limit), 256
 * requests in flight per {@code PublishStream}, 64 buffered deliveries per {@code Subscribe}, 5 s
 * shutdown grace. Not thread-safe; {@link #build()} validates.
 */
public final class GrpcServerBuilder {
    Broker broker;
    Authenticator authenticator;
    UserDirectory users;
    int port = 9090;
    String bindAddress = "127.0.0.1";
    Path tlsCert;
    Path tlsKey;
    KeyManager[] tlsKeyManagers;
    TrustManager[] clientTrust;
    Executor executor;
    int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    int maxInboundMessageSize = 16 << 20;
    int publishStreamMaxInFlight = 256;
    int subscribeBufferSize = 64;
    Duration shutdownGrace = Duration.ofSeconds(5);
    Duration tokenCheck = Duration.ofSeconds(15);
    java.util.function.Supplier<java.util.Optional<io.mom.core.spi.ClusterView.Node>> redirect =
            java.util.Optional::empty;
    final java.util.List<io.grpc.ServerServiceDefinition> extraServices = new java.util.ArrayList<>();
    final java.util.List<io.grpc.ServerInterceptor> interceptors = new java.util.ArrayList<>();
    final java.util.List<io.grpc.ServerTransportFilter> transportFilters = new java.util.ArrayList<>();

    GrpcServerBuilder() {
    }

    /** The broker to serve (required; not closed by the server). */
    public GrpcServerBuilder broker(Broker broker) {
        this.broker = Objects.requireNonNull(broker, "broker");
        return this;
    }

    /** Checks tokens and logs users in (required). */
    public GrpcServerBuilder authenticator(Authenticator authenticator) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        return this;
    }

    /**
     * Serves {@code mom.v1.UserService} over this user directory, the one the REST API administers (in a
     * cluster, the cluster-wide one). Optional: without it the service is not offered and its methods
     * answer {@code UNIMPLEMENTED}.
     */
    public GrpcServerBuilder users(UserDirectory users) {
        this.users = Objects.requireNonNull(users, "users");
        return this;
    }

    /** TCP port; 0 picks a free one ({@link GrpcServer#port()} tells which). */
    public GrpcServerBuilder port(int port) {
        this.port = port;
        return this;
    }

    /** Listen address (host name or IP literal). */
    public GrpcServerBuilder bindAddress(String bindAddress) {
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        return this;
    }

    /** Serves TLS with this PEM certificate chain and PEM PKCS#8 private key. */
    public GrpcServerBuilder tls(Path certificateChain, Path privateKey) {
        this.tlsCert = Objects.requireNonNull(certificateChain, "certificateChain");
        this.tlsKey = Objects.requireNonNull(privateKey, "privateKey");
        this.tlsKeyManagers = null;
        return this;
    }

    /**
     * Serves TLS with key material the caller has already loaded (for key formats Netty cannot read
     * from a file, such as PKCS#1 or SEC1 PEM keys). Replaces {@link #tls(Path, Path)}.
     */
    public GrpcServerBuilder tls(KeyManager... keyManagers) {
        if (keyManagers.length == 0) {
            throw MomException.invalid("TLS needs at least one key manager");
        }
        this.tlsKeyManagers = keyManagers.clone();
        this.tlsCert = null;
        this.tlsKey = null;
        return this;
    }

    /**
     * With TLS: asks every client for a certificate without requiring one, and verifies a certificate a
     * client does present against these trust managers (the handshake fails if it is not trusted). A call
     * can then tell from its {@code io.grpc.Grpc.TRANSPORT_ATTR_SSL_SESSION} whether its client proved an
     * identity; clients without a certificate connect as before. Needs {@link #tls}.
     */
    public GrpcServerBuilder optionalClientCertificates(TrustManager... trustManagers) {
        if (trustManagers.length == 0) {
            throw MomException.invalid("client certificates need at least one trust manager");
        }
        this.clientTrust = trustManagers.clone();
        return this;
    }

    /** Runs service code on this executor (owned by the caller) instead of the server's own pool. */
    public GrpcServerBuilder executor(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /** Size of the server's own thread pool. */
    public GrpcServerBuilder threads(int threads) {
        this.threads = threads;
        return this;
    }

    /** Largest request message in bytes; larger ones are refused with RESOURCE_EXHAUSTED. */
    public GrpcServerBuilder maxInboundMessageSize(int bytes) {
        this.maxInboundMessageSize = bytes;
        return this;
    }

    /** Most requests of one {@code PublishStream} read but not yet answered. */
    public GrpcServerBuilder publishStreamMaxInFlight(int requests) {
        this.publishStreamMaxInFlight = requests;
        return this;
    }

    /** Most deliveries one {@code Subscribe} stream holds for a client that does not read. */
    public GrpcServerBuilder subscribeBufferSize(int deliveries) {
        this.subscribeBufferSize = deliveries;
        return this;
    }

    /** How long {@link GrpcServer#close()} lets calls finish before cancelling them. */
    /**
     * How often the tokens of open streams are checked again (default 15 s, like the REST push
     * streams' heartbeat): a stream whose token expired or was revoked anywhere ends with
     * {@code CLOSE_REASON_LOGGED_OUT}.
     */
    public GrpcServerBuilder tokenCheck(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("tokenCheck must be positive");
        }
        this.tokenCheck = interval;
        return this;
    }

    public GrpcServerBuilder shutdownGrace(Duration grace) {
        this.shutdownGrace = Objects.requireNonNull(grace, "grace");
        return this;
    }

    /**
     * Serves one more service beside the client-facing ones (a cluster's node-to-node service, say).
     * It gets no token check: it authenticates its callers itself.
     */
    public GrpcServerBuilder service(io.grpc.ServerServiceDefinition service) {
        this.extraServices.add(Objects.requireNonNull(service, "service"));
        return this;
    }

    /**
     * Load balancing (FR-22): where to send new {@code Subscribe} streams instead of this node, asked at
     * each start; when present, the call fails with {@code UNAVAILABLE} and a {@code mom-redirect}
     * trailer holding that node's gRPC address. Default: never.
     */
    public GrpcServerBuilder redirect(
            java.util.function.Supplier<java.util.Optional<io.mom.core.spi.ClusterView.Node>> redirect) {
        this.redirect = Objects.requireNonNull(redirect, "redirect");
        return this;
    }

    /** Runs this interceptor around every call of every service, outside the token check. */
    public GrpcServerBuilder interceptor(io.grpc.ServerInterceptor interceptor) {
        this.interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
        return this;
    }

    /** Tells this filter of every client connection (transport) opened and closed, for logs. */
    public GrpcServerBuilder transportFilter(io.grpc.ServerTransportFilter filter) {
        this.transportFilters.add(Objects.requireNonNull(filter, "filter"));
        return this;
    }

    /** Validates the settings and returns an unstarted server. */
    public GrpcServer build() {
        if (broker == null || authenticator == null) {
            throw MomException.invalid("a gRPC server needs a broker and an authenticator");
        }
        if (port < 0 || port > 65_535) {
            throw MomException.invalid("grpc port must be between 0 and 65535");
        }
        if (threads < 1 || maxInboundMessageSize < 1024 || publishStreamMaxInFlight < 1 || subscribeBufferSize < 1) {
            throw MomException.invalid("grpc threads, message size, in-flight and buffer limits must be positive");
        }
        if (shutdownGrace.isNegative()) {
            throw MomException.invalid("grpc shutdown grace must not be negative");
        }
        if (clientTrust != null && tlsCert == null && tlsKeyManagers == null) {
            throw MomException.invalid("client certificates need TLS");
        }
        if (tlsCert != null && (!Files.isReadable(tlsCert) || !Files.isReadable(tlsKey))) {
            throw MomException.invalid("TLS certificate and key files must be readable");
        }
        return new GrpcServer(this);
    }
}
