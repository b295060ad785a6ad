package io.mom.server.cluster;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.mom.transport.rest.testing.ApiClient;
import io.mom.transport.rest.testing.HttpReply;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * In-sync management and catch-up: a live follower that cannot take a batch leaves the in-sync set
 * and writes go on; once reachable again it receives the destination's full state, is back in sync,
 * and can take over with everything that was acknowledged meanwhile.
 */
@Tag("slow")
class InSyncTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dataDirs;

    @Test
    void anUnreachableFollowerIsDroppedThenCaughtUpAndCanTakeOver() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dataDirs, "insync-test", Map.of());
             CuratorFramework zk = CuratorFrameworkFactory.builder().connectString(cluster.zkConnect())
                     .namespace("mom/insync-test").retryPolicy(new RetryOneTime(100)).build()) {
            List<String> nodes = List.of("n1", "n2", "n3");
            nodes.forEach(cluster::start);
            zk.start();
            String admin = cluster.api("n1").login("admin", LocalCluster.ADMIN_PASSWORD);
            assertThat(cluster.api("n1").put("/v1/queues/jobs", admin, null).status()).isEqualTo(201);
            JsonObject placement = FailoverTest.placementOf(cluster.api("n1"), admin, "jobs");
            String leader = placement.get("leader").getAsString();
            String follower = placement.getAsJsonArray("replicas").get(0).getAsString();
            String other = nodes.stream().filter(n -> !n.equals(leader) && !n.equals(follower)).findFirst().orElseThrow();
            assertThat(inSync(zk, "jobs")).containsExactlyInAnyOrder(leader, follower);
            List<String> published = new ArrayList<>();
            publish(cluster.api(other), admin, published, 0, 5);

            // The follower stays a live member but its replication endpoint cannot be reached.
            String nodePath = "/nodes/" + follower;
            byte[] registered = zk.getData().forPath(nodePath);
            zk.setData().forPath(nodePath, withGrpc(registered, "127.0.0.1:1"));
            publish(cluster.api(other), admin, published, 5, 10);
            assertThat(inSync(zk, "jobs")).containsExactly(leader);

            zk.setData().forPath(nodePath, registered);
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(inSync(zk, "jobs")).containsExactlyInAnyOrder(leader, follower));
            publish(cluster.api(other), admin, published, 10, 12);

            cluster.stop(leader);
            ApiClient survivor = cluster.api(other);
            await().atMost(WAIT).until(() -> FailoverTest.placementOf(survivor, admin, "jobs").get("leader")
                    .getAsString().equals(follower));
            assertThat(receiveAll(survivor, admin)).containsExactlyInAnyOrderElementsOf(published);
        }
    }

    static void publish(ApiClient api, String token, List<String> published, int from, int to) {
        for (int i = from; i < to; i++) {
            HttpReply reply = api.post("/v1/queues/jobs/messages", token, json("payload", "m" + i));
            assertThat(reply.status()).as("publish m%d: %s", i, reply.body()).isEqualTo(201);
            published.add("m" + i);
        }
    }

    static List<String> receiveAll(ApiClient api, String token) {
        List<String> received = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            HttpReply reply = api.post("/v1/queues/jobs/receive", token, json("max", 100, "waitMs", 200));
            if (reply.status() != 200) {
                return false;
            }
            for (JsonElement m : reply.array("messages")) {
                received.add(m.getAsJsonObject().get("payload").getAsString());
            }
            return reply.array("messages").size() == 0 && !received.isEmpty();
        });
        return received;
    }

    /** The in-sync set of a destination's placement, read from ZooKeeper. */
    static Set<String> inSync(CuratorFramework zk, String destination) throws Exception {
        String data = new String(zk.getData().forPath("/placements/"
                + java.net.URLEncoder.encode(destination, StandardCharsets.UTF_8) + "/0"), StandardCharsets.UTF_8);
        for (String line : data.split("\n")) {
            if (line.startsWith("insync=")) {
                return new TreeSet<>(Arrays.asList(line.substring("insync=".length()).split(",")));
            }
        }
        throw new AssertionError("no in-sync set in " + data);
    }

    private static byte[] withGrpc(byte[] registered, String address) {
        StringBuilder out = new StringBuilder();
        for (String line : new String(registered, StandardCharsets.UTF_8).split("\n")) {
            out.append(line.startsWith("grpc=") ? "grpc=" + address : line).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
