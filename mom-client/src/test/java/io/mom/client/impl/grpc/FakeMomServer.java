package io.mom.client.impl.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.mom.grpc.v1.AuthServiceGrpc;
import io.mom.grpc.v1.LoginRequest;
import io.mom.grpc.v1.LoginResponse;
import io.mom.grpc.v1.MessagingServiceGrpc;
import io.mom.grpc.v1.PublishResponse;
import io.mom.grpc.v1.PublishStreamRequest;
import io.mom.grpc.v1.PublishStreamResponse;
import io.mom.grpc.v1.RequestError;
import io.mom.grpc.v1.SubscribeRequest;
import io.mom.grpc.v1.SubscribeResponse;
import io.mom.grpc.v1.Subscribed;
import io.mom.grpc.v1.WhoAmIRequest;
import io.mom.grpc.v1.WhoAmIResponse;
import com.google.protobuf.Timestamp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the server with just enough of {@code mom.v1}: {@code Login} (user {@code alice},
 * password {@code pw}, token {@value #TOKEN}), {@code WhoAmI} (checks the bearer token) and a
 * {@code PublishStream} that holds its answers until {@link #answer(boolean)} lets them go, answering each
 * message with the id {@code id-<payload>} (or a request with a message {@code reject} with
 * {@code QUEUE_FULL}). Counts the publish requests read and the most unanswered at once.
 */
final class FakeMomServer implements AutoCloseable {
    static final String TOKEN = "token-1";
    private static final Context.Key<String> AUTHORIZATION = Context.key("authorization");
    private static final Metadata.Key<String> AUTHORIZATION_HEADER =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    final AtomicInteger received = new AtomicInteger();
    /** Subscribe streams accepted (answered with {@code subscribed}). */
    final AtomicInteger subscribed = new AtomicInteger();
    /** When set, every Subscribe is refused with UNAVAILABLE and this {@code mom-redirect} address. */
    volatile String redirectSubscribesTo;
    final AtomicInteger maxUnanswered = new AtomicInteger();
    private final List<Held> held = new ArrayList<>();
    private boolean answering;
    private int answered;
    private final Server server;

    private record Held(StreamObserver<PublishStreamResponse> out, PublishStreamRequest request) {
    }

    FakeMomServer(ServerCredentials credentials) throws IOException {
        ServerInterceptor headers = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata md,
                                                               ServerCallHandler<Q, R> next) {
                String value = md.get(AUTHORIZATION_HEADER);
                return Contexts.interceptCall(Context.current().withValue(AUTHORIZATION, value), call, md, next);
            }
        };
        this.server = NettyServerBuilder.forPort(0, credentials)
                .addService(ServerInterceptors.intercept(new Auth(), headers))
                .addService(ServerInterceptors.intercept(new Messaging(), headers))
                .build().start();
    }

    int port() {
        return server.getPort();
    }

    /** Answers the held requests and (when {@code from now on}) every later one at once. */
    void answer(boolean fromNowOn) {
        List<Held> now;
        synchronized (this) {
            answering = fromNowOn;
            now = new ArrayList<>(held);
            held.clear();
            answered += now.size();
        }
        now.forEach(FakeMomServer::reply);
    }

    /** Answers with one id per message, or QUEUE_FULL for a request holding a message "reject". */
    private static void reply(Held h) {
        PublishStreamRequest r = h.request();
        PublishStreamResponse.Builder answer = PublishStreamResponse.newBuilder().setCorrelationId(r.getCorrelationId());
        if (r.getMessagesList().stream().anyMatch(m -> m.getPayload().toStringUtf8().equals("reject"))) {
            answer.setError(RequestError.newBuilder().setCode("QUEUE_FULL").setMessage("full")
                    .setGrpcStatus(Status.Code.RESOURCE_EXHAUSTED.value()));
        } else {
            PublishResponse.Builder ids = PublishResponse.newBuilder();
            r.getMessagesList().forEach(m -> ids.addIds("id-" + m.getPayload().toStringUtf8()));
            answer.setPublished(ids);
        }
        synchronized (h.out()) {
            try {
                h.out().onNext(answer.build());
            } catch (StatusRuntimeException e) {
                // the client cancelled that stream: nobody to answer
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static boolean authorized() {
        return ("Bearer " + TOKEN).equals(AUTHORIZATION.get());
    }

    private final class Auth extends AuthServiceGrpc.AuthServiceImplBase {
        @Override
        public void login(LoginRequest request, StreamObserver<LoginResponse> out) {
            if (!request.getUsername().equals("alice") || !request.getPassword().equals("pw")) {
                out.onError(Status.UNAUTHENTICATED.asRuntimeException());
                return;
            }
            out.onNext(LoginResponse.newBuilder().setToken(TOKEN)
                    .setExpiresAt(Timestamp.newBuilder().setSeconds(4_000_000_000L)).build());
            out.onCompleted();
        }

        @Override
        public void whoAmI(WhoAmIRequest request, StreamObserver<WhoAmIResponse> out) {
            if (!authorized()) {
                out.onError(Status.UNAUTHENTICATED.asRuntimeException());
                return;
            }
            out.onNext(WhoAmIResponse.newBuilder().setUsername("alice").addRoles("user").build());
            out.onCompleted();
        }
    }

    private final class Messaging extends MessagingServiceGrpc.MessagingServiceImplBase {
        @Override
        public StreamObserver<SubscribeRequest> subscribe(StreamObserver<SubscribeResponse> out) {
            String target = redirectSubscribesTo;
            if (target != null) {
                Metadata trailers = new Metadata();
                trailers.put(GrpcErrors.REDIRECT, target);
                out.onError(Status.UNAVAILABLE.withDescription("node overloaded").asRuntimeException(trailers));
            }
            return new StreamObserver<>() {
                @Override
                public void onNext(SubscribeRequest request) {
                    if (target == null && request.hasStart() && authorized()) {
                        subscribed.incrementAndGet();
                        out.onNext(SubscribeResponse.newBuilder().setSubscribed(Subscribed.newBuilder().setConsumerId(1))
                                .build());
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            };
        }

        @Override
        public StreamObserver<PublishStreamRequest> publishStream(StreamObserver<PublishStreamResponse> out) {
            return new StreamObserver<>() {
                @Override
                public void onNext(PublishStreamRequest request) {
                    received.incrementAndGet();
                    Held h = new Held(out, request);
                    boolean now;
                    synchronized (FakeMomServer.this) {
                        now = answering;
                        if (now) {
                            answered++;
                        } else {
                            held.add(h);
                            maxUnanswered.accumulateAndGet(received.get() - answered, Math::max);
                        }
                    }
                    if (now) {
                        reply(h);
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    synchronized (out) {
                        out.onCompleted();
                    }
                }
            };
        }
    }
}
