package io.mom.server.metrics;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per-RPC metrics of the gRPC listener: a timer per method (the call's lifetime: one request for unary
 * calls, the whole stream for streaming ones) and a count per method and status code. Methods are the
 * services' own ({@code mom.v1.MessagingService/Publish}), so the series are as few as the RPCs.
 *
 * <p>Thread-safe and non-blocking.
 */
public final class GrpcMetrics implements ServerInterceptor {
    private final MetricFamily<SummedTimer> latency;
    private final MetricFamily<Meter> calls;

    public GrpcMetrics(MetricRegistry registry) {
        latency = new MetricFamily<>(registry, "mom_grpc_call_duration_seconds",
                "Lifetime of a gRPC call (a stream's whole life for streaming calls), per method",
                MetricFamily.Kind.SUMMARY, List.of("method"), SummedTimer::new);
        calls = new MetricFamily<>(registry, "mom_grpc_calls", "gRPC calls per method and status code",
                MetricFamily.Kind.COUNTER, List.of("method", "code"), Meter::new);
    }

    List<MetricFamily<?>> families() {
        return List.of(latency, calls);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        long began = System.nanoTime();
        ServerCall<Q, R> timed = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                latency.get(method).update(System.nanoTime() - began, TimeUnit.NANOSECONDS);
                calls.get(method, status.getCode().name()).mark();
                super.close(status, trailers);
            }
        };
        return next.startCall(timed, headers);
    }
}
