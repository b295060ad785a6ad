package io.mom.server.logging;

import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.mom.transport.grpc.StatusMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Logs gRPC calls: {@code event=stream_opened} / {@code event=stream_closed} (with status and lifetime) for
 * every streaming call (publish streams, subscriptions), and {@code event=grpc_call_failed} with the gRPC
 * status and the MOM error code for every unary call that fails. Successful unary calls are not logged (the
 * request metrics count them). Never a token, a password or a payload: only method names, codes and
 * addresses. Thread-safe and stateless.
 */
public final class GrpcCallLog implements ServerInterceptor {
    private static final Logger log = LoggerFactory.getLogger(GrpcCallLog.class);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        MethodDescriptor<Q, R> method = call.getMethodDescriptor();
        boolean streaming = method.getType() != MethodDescriptor.MethodType.UNARY;
        String name = method.getFullMethodName();
        String remote = address(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        long opened = System.nanoTime();
        if (streaming) {
            log.info("event=stream_opened transport=grpc method={} remote={}", name, remote);
        }
        ServerCall<Q, R> observed = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                String code = trailers.get(StatusMapping.ERROR_CODE_KEY);
                long ms = (System.nanoTime() - opened) / 1_000_000;
                if (streaming) {
                    log.info("event=stream_closed transport=grpc method={} remote={} status={} code={} ms={}",
                            name, remote, status.getCode(), code == null ? "-" : code, ms);
                } else if (!status.isOk()) {
                    log.info("event=grpc_call_failed method={} remote={} status={} code={} ms={}", name, remote,
                            status.getCode(), code == null ? "-" : code, ms);
                }
                super.close(status, trailers);
            }
        };
        return next.startCall(observed, headers);
    }

    static String address(SocketAddress address) {
        if (address instanceof InetSocketAddress) {
            InetSocketAddress a = (InetSocketAddress) address;
            return (a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress()) + ":" + a.getPort();
        }
        return address == null ? "-" : address.toString();
    }
}
