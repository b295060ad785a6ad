package io.mom.server.cluster;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.mom.client.MomClient;
import io.mom.client.Source;
import io.mom.grpc.v1.DestinationRef;
import io.mom.grpc.v1.DestinationType;
import io.mom.grpc.v1.MessagingServiceGrpc;
import io.mom.grpc.v1.SubscribeRequest;
import io.mom.grpc.v1.SubscribeResponse;
import io.mom.grpc.v1.SubscribeStart;
import io.mom.grpc.v1.SubscriptionRef;
import io.mom.server.MomServer;
import io.mom.transport.grpc.GrpcServer;
import io.mom.transport.rest.testing.ApiClient;
import io.mom.transport.rest.testing.HttpReply;
import io.mom.transport.rest.testing.SseEvents;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Load balancing (FR-22) on two in-process nodes with a real ZooKeeper: nodes report their open push
 * streams as load; with a threshold of 0.5, one open stream makes a node "overloaded", so its logins name
 * the other node as {@code preferredNode} and its new SSE streams answer {@code 307} to the other node,
 * which the Java client follows (with its token) and the login hint moves the client to; its gRPC
 * {@code Subscribe} fails {@code UNAVAILABLE} with a {@code mom-redirect} trailer; without a threshold
 * nothing is redirected.
 */
@Tag("slow")
class LoadBalancingTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dataDirs;

    @Test
    void anOverloadedNodeHintsLoginsAndRedirectsNewStreamsToTheLeastLoadedNode() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dataDirs, "lb-test", 
                Map.of("MOM_LOAD_REDIRECT_THRESHOLD", "0.5", "MOM_SSE_HEARTBEAT", "200ms"))) {
            MomServer server1 = cluster.start("n1");
            cluster.start("n2");
            ApiClient n1 = cluster.api("n1");
            ApiClient n2 = cluster.api("n2");
            String admin = n1.login("admin", LocalCluster.ADMIN_PASSWORD);
            await().atMost(WAIT).until(() -> loads(n1, admin).size() == 2);
            assertThat(loginReply(n1).has("preferredNode")).as("no hint while under the threshold").isFalse();
            assertThat(n1.put("/v1/queues/ballast", admin, null).status()).isEqualTo(201);
            assertThat(n1.put("/v1/queues/jobs", admin, null).status()).isEqualTo(201);
            String n2Rest = restAddress(n1, admin, "n2");

            try (SseEvents ballast = n1.stream("/v1/queues/ballast/stream", admin)) {
                assertThat(ballast.status()).isEqualTo(200);
                await().atMost(WAIT).until(() -> loads(n1, admin).get("n1") == 1.0);

                JsonObject hinted = loginReply(n1);
                assertThat(hinted.get("token").getAsString()).isNotEmpty();
                JsonObject preferred = hinted.getAsJsonObject("preferredNode");
                assertThat(preferred.get("id").getAsString()).isEqualTo("n2");
                assertThat(preferred.get("restAddress").getAsString()).isEqualTo(n2Rest);
                assertThat(preferred.get("grpcAddress").getAsString()).isNotEmpty();
                assertThat(loginReply(n2).has("preferredNode")).as("the least-loaded node gives no hint").isFalse();

                HttpReply redirect = n1.get("/v1/queues/jobs/stream?autoAck=true", admin);
                assertThat(redirect.status()).isEqualTo(307);
                assertThat(redirect.headers().firstValue("Location")).contains(
                        "http://" + n2Rest + "/v1/queues/jobs/stream?autoAck=true");
                assertThat(n1.get("/v1/queues/jobs", admin).status()).as("other calls are served").isEqualTo(200);

                StatusRuntimeException grpcRedirect = grpcSubscribeFailure(server1.grpcPort(), admin);
                assertThat(grpcRedirect.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(grpcRedirect.getTrailers().get(GrpcServer.REDIRECT_TRAILER))
                        .isEqualTo(preferred.get("grpcAddress").getAsString());

                // A client holding a token (no login) opens its stream on n1 and follows the 307 to n2.
                List<String> received = new CopyOnWriteArrayList<>();
                try (MomClient client = MomClient.builder().url(n1.baseUrl()).token(admin).build()) {
                    client.subscribe(Source.queue("jobs"), m -> {
                        received.add(m.text());
                        m.ack();
                    });
                    await().atMost(WAIT).until(() -> loads(n1, admin).get("n2") == 1.0);
                    assertThat(n1.post("/v1/queues/jobs/messages", admin, json("payload", "hello")).status())
                            .isEqualTo(201);
                    await().atMost(WAIT).until(() -> received.contains("hello"));
                }
                await().atMost(WAIT).until(() -> loads(n1, admin).get("n2") == 0.0);

                // Clients that log in on n1 now are told to use n2. With the hint followed, a later stream
                // opens on n2 even though n1 has recovered meanwhile; with it off, the client stays on n1.
                // The queue is led by n1, so a stream opened on n1 adds no load to n2.
                String queue = queueLedBy(n1, admin, "n1");
                try (MomClient follows = credentials(n1.baseUrl(), true);
                     MomClient stays = credentials(n1.baseUrl(), false)) {
                    follows.login();
                    stays.login();
                    ballast.close();
                    await().atMost(WAIT).until(() -> loads(n1, admin).get("n1") == 0.0);
                    follows.subscribe(Source.queue(queue), m -> m.ack());
                    await().atMost(WAIT).until(() -> loads(n1, admin).get("n2") == 1.0);
                    // n1 now carries the stream n2 forwards to it (load 1, as n2): no redirect at equal load.
                    await().atMost(WAIT).until(() -> loads(n1, admin).get("n1") == 1.0);
                    stays.subscribe(Source.queue(queue), m -> m.ack());
                    await().atMost(WAIT).until(() -> loads(n1, admin).get("n1") == 2.0);
                    assertThat(loads(n1, admin).get("n2")).isEqualTo(1.0);
                }
            }
        }
    }

    /** A new queue whose partition is led by {@code nodeId}. */
    private static String queueLedBy(ApiClient api, String token, String nodeId) {
        for (int i = 0; i < 20; i++) {
            String name = "led-" + i;
            assertThat(api.put("/v1/queues/" + name, token, null).status()).isEqualTo(201);
            for (JsonElement p : api.get("/v1/cluster", token).json().getAsJsonObject().getAsJsonArray("placements")) {
                JsonObject o = p.getAsJsonObject();
                if (o.get("destination").getAsString().equals(name) && o.get("leader").getAsString().equals(nodeId)) {
                    return name;
                }
            }
        }
        throw new AssertionError("no queue placed on " + nodeId);
    }

    @Test
    void withoutAThresholdNoNodeRedirects() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dataDirs, "lb-off", Map.of("MOM_SSE_HEARTBEAT", "200ms"))) {
            cluster.start("n1");
            cluster.start("n2");
            ApiClient n1 = cluster.api("n1");
            String admin = n1.login("admin", LocalCluster.ADMIN_PASSWORD);
            await().atMost(WAIT).until(() -> loads(n1, admin).size() == 2);
            assertThat(n1.put("/v1/queues/jobs", admin, null).status()).isEqualTo(201);
            try (SseEvents first = n1.stream("/v1/queues/jobs/stream", admin)) {
                assertThat(first.status()).isEqualTo(200);
                await().atMost(WAIT).until(() -> loads(n1, admin).get("n1") == 1.0);
                assertThat(loginReply(n1).has("preferredNode")).isFalse();
                try (SseEvents second = n1.stream("/v1/queues/jobs/stream", admin)) {
                    assertThat(second.status()).isEqualTo(200);
                }
            }
        }
    }

    /** Starts a gRPC {@code Subscribe} on the port and returns how it failed. */
    private static StatusRuntimeException grpcSubscribeFailure(int port, String token) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            Metadata bearer = new Metadata();
            bearer.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            CompletableFuture<Throwable> failed = new CompletableFuture<>();
            StreamObserver<SubscribeRequest> requests = MessagingServiceGrpc.newStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer))
                    .subscribe(new StreamObserver<SubscribeResponse>() {
                        @Override
                        public void onNext(SubscribeResponse value) {
                        }

                        @Override
                        public void onError(Throwable t) {
                            failed.complete(t);
                        }

                        @Override
                        public void onCompleted() {
                            failed.complete(new AssertionError("completed without error"));
                        }
                    });
            DestinationRef queue = DestinationRef.newBuilder().setType(DestinationType.DESTINATION_TYPE_QUEUE)
                    .setName("jobs").build();
            requests.onNext(SubscribeRequest.newBuilder().setStart(SubscribeStart.newBuilder()
                    .setSource(SubscriptionRef.newBuilder().setDestination(queue)).setInitialCredit(1)).build());
            Throwable t = failed.get(20, TimeUnit.SECONDS);
            assertThat(t).isInstanceOf(StatusRuntimeException.class);
            return (StatusRuntimeException) t;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static MomClient credentials(String url, boolean followHints) {
        return MomClient.builder().url(url).credentials("admin", LocalCluster.ADMIN_PASSWORD)
                .followLoadHints(followHints).build();
    }

    private static JsonObject loginReply(ApiClient api) {
        HttpReply r = api.post("/v1/auth/login", null,
                json("username", "admin", "password", LocalCluster.ADMIN_PASSWORD));
        assertThat(r.status()).isEqualTo(200);
        return r.json().getAsJsonObject();
    }

    /** Load of each alive node, as {@code /v1/cluster} shows it. */
    private static Map<String, Double> loads(ApiClient api, String token) {
        Map<String, Double> loads = new java.util.HashMap<>();
        for (JsonElement n : api.get("/v1/cluster", token).json().getAsJsonObject().getAsJsonArray("nodes")) {
            JsonObject o = n.getAsJsonObject();
            if (o.get("alive").getAsBoolean()) {
                loads.put(o.get("id").getAsString(), o.get("load").getAsDouble());
            }
        }
        return loads;
    }

    private static String restAddress(ApiClient api, String token, String nodeId) {
        for (JsonElement n : api.get("/v1/cluster", token).json().getAsJsonObject().getAsJsonArray("nodes")) {
            if (n.getAsJsonObject().get("id").getAsString().equals(nodeId)) {
                return n.getAsJsonObject().get("restAddress").getAsString();
            }
        }
        throw new AssertionError("no node " + nodeId);
    }
}
