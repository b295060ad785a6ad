package io.mom.server.cluster;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.mom.client.Destination;
import io.mom.client.MomClient;
import io.mom.client.OutgoingMessage;
import io.mom.client.Source;
import io.mom.client.SubscribeOptions;
import io.mom.server.MomServer;
import io.mom.transport.rest.testing.ApiClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gRPC client on a node that does not lead its queue: its publishes travel to the leader on
 * forwarded publish streams, its push stream is relayed from the leader with read-ahead (a small
 * client prefetch, so deliveries wait on the relay for local credit), and its acks are forwarded,
 * merged while calls are out. Every message arrives once and is acked on the leader.
 */
@Tag("slow")
class RelayTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int MESSAGES = 600;

    @TempDir
    Path dataDirs;

    @Test
    void publishesAndAPushStreamThroughAnotherNodeDeliverEachMessageOnceAndAckItOnTheLeader() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dataDirs, "relay-test", Map.of())) {
            cluster.start("n1");
            MomServer relay = cluster.start("n2");
            ApiClient n1 = cluster.api("n1");
            String admin = n1.login("admin", LocalCluster.ADMIN_PASSWORD);
            await().atMost(WAIT).until(() -> n1.get("/v1/cluster", admin).json().getAsJsonObject()
                    .getAsJsonArray("nodes").size() == 2);
            String queue = queueLedBy(n1, admin, "n1");

            try (MomClient client = MomClient.builder().url("grpc://127.0.0.1:" + relay.grpcPort()).token(admin)
                    .build()) {
                List<CompletableFuture<String>> sent = new ArrayList<>();
                for (int i = 0; i < MESSAGES; i++) {
                    sent.add(client.publishAsync(Destination.queue(queue), OutgoingMessage.text("m-" + i)));
                }
                Set<String> ids = new HashSet<>();
                sent.forEach(f -> ids.add(f.join()));
                assertThat(ids).hasSize(MESSAGES);
                assertThat(depth(n1, admin, queue)).isEqualTo(MESSAGES);

                Set<String> received = ConcurrentHashMap.newKeySet();
                AtomicInteger deliveries = new AtomicInteger();
                client.subscribe(Source.queue(queue), m -> {
                    deliveries.incrementAndGet();
                    received.add(m.text());
                    m.ack();
                }, SubscribeOptions.builder().prefetch(10).build());

                await().atMost(WAIT).until(() -> received.size() == MESSAGES);
                await().atMost(WAIT).until(() -> depth(n1, admin, queue) == 0);
                assertThat(deliveries.get()).as("no delivery came twice").isEqualTo(MESSAGES);
            }
        }
    }

    private static long depth(ApiClient api, String token, String queue) {
        JsonObject info = api.get("/v1/queues/" + queue, token).obj();
        return info.get("depth").getAsLong();
    }

    /** A new queue whose partition is led by {@code nodeId}. */
    private static String queueLedBy(ApiClient api, String token, String nodeId) {
        for (int i = 0; i < 20; i++) {
            String name = "relayed-" + i;
            assertThat(api.put("/v1/queues/" + name, token, null).status()).isEqualTo(201);
            for (JsonElement p : api.get("/v1/cluster", token).json().getAsJsonObject().getAsJsonArray("placements")) {
                JsonObject o = p.getAsJsonObject();
                if (o.get("destination").getAsString().equals(name) && o.get("leader").getAsString().equals(nodeId)) {
                    return name;
                }
            }
        }
        throw new AssertionError("no queue led by " + nodeId);
    }
}
