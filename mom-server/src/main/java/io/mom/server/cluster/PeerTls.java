package io.mom.server.cluster;

import io.grpc.ChannelCredentials;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.TlsChannelCredentials;
import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import io.mom.server.config.ServerConfig;
import io.mom.server.tls.PemFiles;
import io.mom.transport.grpc.GrpcServerBuilder;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import java.nio.file.Path;

/**
 * Node-to-node TLS of a cluster node. When the node serves TLS ({@code MOM_TLS_CERT} and
 * {@code MOM_TLS_KEY}), peers authenticate each other with certificates (mutual TLS) in addition to the
 * cluster secret:
 * <ul>
 *   <li>the gRPC listener serves the node's certificate and asks every client for a certificate without
 *       requiring one, so applications still connect without one; a certificate a client does present
 *       must chain to a trusted certificate, or the handshake fails;</li>
 *   <li>peer channels present the node's own certificate as client certificate, verify the peer's chain
 *       against the trusted certificates and its host name against the peer's advertised address
 *       ({@code MOM_ADVERTISED_HOST} must be in each node's certificate SAN);</li>
 *   <li>a call that presents cluster credentials (a peer token: forwarded calls and replication) is
 *       refused with {@code UNAUTHENTICATED} ({@link ErrorCode#UNAUTHORIZED}) unless its connection
 *       presented a trusted client certificate ({@link #checkCaller()}, {@link #certified}).</li>
 * </ul>
 * Trusted are the certificates of {@code MOM_TLS_CA} or, when it is not set, those of the node's own
 * certificate file: that works when all nodes share one certificate, or when each node's file holds its
 * chain up to the CA that issued every node's certificate. Without TLS ({@link #off()}) peer channels are
 * plaintext and the cluster secret alone authenticates peers. Immutable and thread-safe.
 */
final class PeerTls {
    private static final Context.Key<Boolean> CERTIFIED = Context.key("mom-client-certified");

    /** Null when TLS is off. */
    private final KeyManager[] keys;
    private final TrustManager[] trust;

    private PeerTls(KeyManager[] keys, TrustManager[] trust) {
        this.keys = keys;
        this.trust = trust;
    }

    /** Plaintext peers, authenticated by the cluster secret only. */
    static PeerTls off() {
        return new PeerTls(null, null);
    }

    /** Mutual TLS when the node has a certificate and key, {@link #off()} otherwise. */
    static PeerTls of(ServerConfig.Security security) {
        if (security.tlsCert().isEmpty()) {
            return off();
        }
        Path cert = security.tlsCert().get();
        KeyManager[] keys = PemFiles.keyManagers(cert, security.tlsKey().orElseThrow());
        return new PeerTls(keys, PemFiles.trustManagers(security.tlsCa().orElse(cert)));
    }

    boolean enabled() {
        return keys != null;
    }

    /** Makes the listener serve TLS and verify the client certificates that are presented (when on). */
    GrpcServerBuilder serve(GrpcServerBuilder listener) {
        if (enabled()) {
            listener.tls(keys).optionalClientCertificates(trust).interceptor(interceptor());
        }
        return listener;
    }

    /** How peer channels connect: TLS with the node's certificate as client certificate, or plaintext. */
    ChannelCredentials channelCredentials() {
        if (!enabled()) {
            return InsecureChannelCredentials.create();
        }
        return TlsChannelCredentials.newBuilder().keyManager(keys).trustManager(trust).build();
    }

    /**
     * Refuses a call made with cluster credentials, run in a listener call's context, unless TLS is off or
     * the call's client presented a trusted certificate.
     */
    void checkCaller() {
        if (enabled() && !Boolean.TRUE.equals(CERTIFIED.get())) {
            throw refusal();
        }
    }

    /** Whether {@code call} may present cluster credentials: TLS is off, or its client has a trusted certificate. */
    boolean certified(ServerCall<?, ?> call) {
        return !enabled() || hasClientCertificate(call);
    }

    static MomException refusal() {
        return new MomException(ErrorCode.UNAUTHORIZED,
                "node-to-node calls need a client certificate trusted by this node");
    }

    /** Records, for {@link #checkCaller()}, whether each call's client presented a trusted certificate. */
    private static ServerInterceptor interceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                Context context = Context.current().withValue(CERTIFIED, hasClientCertificate(call));
                return Contexts.interceptCall(context, call, headers, next);
            }
        };
    }

    /**
     * True when the call's TLS session holds a client certificate chain. The listener asks for client
     * certificates with its trust managers, so a chain that is there was verified during the handshake.
     */
    private static boolean hasClientCertificate(ServerCall<?, ?> call) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session == null) {
            return false;
        }
        try {
            return session.getPeerCertificates().length > 0;
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }
}
