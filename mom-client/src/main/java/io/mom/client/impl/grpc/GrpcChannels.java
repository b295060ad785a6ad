package io.mom.client.impl.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolConfig;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolNames;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.grpc.netty.shaded.io.netty.handler.ssl.JdkSslContext;
import io.mom.client.ClientOptions;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * Opens the channel of a {@code grpc://host:port} (plaintext) or {@code grpcs://host:port} (TLS) URL
 * and carries each call's bearer token, given as the call option {@link #TOKEN}, in the
 * {@code authorization} header. The port defaults to 9090. Stateless.
 */
final class GrpcChannels {
    /** Default port of a gRPC URL without one. */
    static final int DEFAULT_PORT = 9090;
    /** The token a call is made with; absent for {@code Login}. */
    static final CallOptions.Key<String> TOKEN = CallOptions.Key.create("mom-bearer-token");
    /** Largest message the client accepts: a receive answers up to 16 MiB of payload plus framing. */
    static final int MAX_INBOUND_BYTES = 32 << 20;

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private GrpcChannels() {
    }

    /** The channel of the options' URL. */
    static ManagedChannel open(ClientOptions options) {
        URI url = options.url();
        return open(options, url.getHost(), url.getPort() < 0 ? DEFAULT_PORT : url.getPort());
    }

    /**
     * A channel to another node, {@code host:port} as a server names it (a {@code mom-redirect} trailer),
     * with the same security and settings as the options' URL.
     */
    static ManagedChannel open(ClientOptions options, String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not a host:port address: " + address);
        }
        return open(options, address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    }

    private static ManagedChannel open(ClientOptions options, String hostName, int port) {
        URI url = options.url();
        String host = hostName;
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(host, port)
                .maxInboundMessageSize(MAX_INBOUND_BYTES)
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis(options.connectTimeout()))
                // a connection that died without being closed fails its streams within the idle timeout
                .keepAliveTime(keepAlive(options), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(keepAlive(options), TimeUnit.MILLISECONDS)
                .intercept(new BearerToken())
                .userAgent("mom-client");
        if ("grpcs".equals(url.getScheme().toLowerCase(Locale.ROOT))) {
            if (options.sslContext().isPresent()) {
                b.sslContext(jdkContext(options.sslContext().get()));
            } else {
                b.useTransportSecurity();
            }
        } else {
            b.usePlaintext();
        }
        return b.build();
    }

    /** The application's SSL context, with the ALPN "h2" negotiation gRPC needs. */
    private static JdkSslContext jdkContext(SSLContext context) {
        ApplicationProtocolConfig alpn = new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2);
        return new JdkSslContext(context, true, null, IdentityCipherSuiteFilter.INSTANCE, alpn, ClientAuth.NONE,
                null, false);
    }

    /**
     * Call options for a long-lived stream made with {@code token}: its callbacks run on the transport
     * thread (no hand-off per message), so they must only queue events and pass completions of
     * application-visible futures to another executor.
     */
    static CallOptions stream(String token) {
        return call(token, null).withExecutor(Runnable::run);
    }

    /** Call options for a call made with {@code token} (null for none) and a deadline. */
    static CallOptions call(String token, Duration deadline) {
        CallOptions o = token == null ? CallOptions.DEFAULT : CallOptions.DEFAULT.withOption(TOKEN, token);
        return deadline == null ? o : o.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A third of the stream idle timeout, at least the 10 s the server permits. */
    private static long keepAlive(ClientOptions options) {
        return Math.max(10_000, options.streamIdleTimeout().toMillis() / 3);
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    /** Adds {@code authorization: Bearer <token>} from the call option {@link #TOKEN}. */
    private static final class BearerToken implements ClientInterceptor {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions callOptions, Channel next) {
            String token = callOptions.getOption(TOKEN);
            ClientCall<Q, R> call = next.newCall(method, callOptions);
            if (token == null) {
                return call;
            }
            return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
                @Override
                public void start(Listener<R> responseListener, Metadata headers) {
                    headers.put(AUTHORIZATION, "Bearer " + token);
                    super.start(responseListener, headers);
                }
            };
        }
    }
}
