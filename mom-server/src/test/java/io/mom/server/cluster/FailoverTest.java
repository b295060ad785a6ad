package io.mom.server.cluster;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.mom.transport.rest.testing.ApiClient;
import io.mom.transport.rest.testing.HttpReply;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When the leader of a queue stops, its in-sync replica is promoted and serves the queue with every
 * acknowledged publish; deliveries that were not acked come back (at-least-once).
 */
@Tag("slow")
class FailoverTest {
    private static final Logger log = LoggerFactory.getLogger(FailoverTest.class);

    @TempDir
    Path dataDirs;

    @Test
    void aSurvivingNodeServesEveryAcknowledgedMessageAfterTheLeaderStops() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dataDirs, "failover-test", Map.of())) {
            List<String> nodes = List.of("n1", "n2", "n3");
            nodes.forEach(cluster::start);
            String admin = cluster.api("n1").login("admin", LocalCluster.ADMIN_PASSWORD);
            assertThat(cluster.api("n1").put("/v1/queues/jobs", admin, null).status()).isEqualTo(201);
            JsonObject placement = placementOf(cluster.api("n1"), admin, "jobs");
            String leader = placement.get("leader").getAsString();
            String replica = placement.getAsJsonArray("replicas").get(0).getAsString();
            String other = nodes.stream().filter(n -> !n.equals(leader) && !n.equals(replica)).findFirst().orElseThrow();

            List<String> published = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String from = nodes.get(i % 3);
                assertThat(cluster.api(from).post("/v1/queues/jobs/messages", admin, json("payload", "m" + i))
                        .status()).isEqualTo(201);
                published.add("m" + i);
            }
            HttpReply inFlight = cluster.api(other).post("/v1/queues/jobs/receive", admin, json("max", 5));
            assertThat(inFlight.array("messages")).hasSize(5);
            HttpReply acked = cluster.api(other).post("/v1/queues/jobs/receive", admin, json("max", 2));
            List<String> ackedPayloads = new ArrayList<>();
            List<String> receipts = new ArrayList<>();
            for (JsonElement m : acked.array("messages")) {
                ackedPayloads.add(m.getAsJsonObject().get("payload").getAsString());
                receipts.add(m.getAsJsonObject().get("receipt").getAsString());
            }
            assertThat(cluster.api(other).post("/v1/queues/jobs/ack", admin,
                    "{\"receipts\":" + new com.google.gson.Gson().toJson(receipts) + "}").obj()
                    .get("acked").getAsInt()).isEqualTo(2);

            long stopped = System.nanoTime();
            cluster.stop(leader);
            ApiClient survivor = cluster.api(other);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() ->
                    survivor.post("/v1/queues/jobs/messages", admin, json("payload", "after")).status() == 201);
            long millis = (System.nanoTime() - stopped) / 1_000_000;
            log.info("event=failover_measured first_publish_after_leader_stop_ms={}", millis);

            assertThat(placementOf(survivor, admin, "jobs").get("leader").getAsString()).isEqualTo(replica);
            assertThat(placementOf(survivor, admin, "jobs").get("epoch").getAsLong()).isEqualTo(2);
            List<String> expected = new ArrayList<>(published);
            expected.removeAll(ackedPayloads);
            expected.add("after");
            List<String> received = new ArrayList<>();
            HttpReply all = survivor.post("/v1/queues/jobs/receive", admin, json("max", 100, "waitMs", 1000));
            for (JsonElement m : all.array("messages")) {
                received.add(m.getAsJsonObject().get("payload").getAsString());
            }
            assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(millis).isLessThan(10_000);
        }
    }

    @Test
    void withThreeCopiesTheNewLeaderCopiesItsStateToTheOtherInSyncFollowerAndWritesGoOnWithTwoCopies()
            throws Exception {
        Map<String, String> threeCopies = Map.of("MOM_REPLICATION_FACTOR", "3", "MOM_MIN_INSYNC", "2");
        try (LocalCluster cluster = new LocalCluster(dataDirs, "term-copy-test", threeCopies);
             CuratorFramework zk = zkOf(cluster)) {
            List<String> nodes = List.of("n1", "n2", "n3");
            nodes.forEach(cluster::start);
            String admin = cluster.api("n1").login("admin", LocalCluster.ADMIN_PASSWORD);
            assertThat(cluster.api("n1").put("/v1/queues/tripled", admin, null).status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(30)).until(() -> InSyncTest.inSync(zk, "tripled").size() == 3);
            String leader = placementOf(cluster.api("n1"), admin, "tripled").get("leader").getAsString();
            List<String> survivors = nodes.stream().filter(n -> !n.equals(leader)).toList();
            List<String> published = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                assertThat(cluster.api(survivors.get(i % 2)).post("/v1/queues/tripled/messages", admin,
                        json("payload", "before-" + i)).status()).isEqualTo(201);
                published.add("before-" + i);
            }

            cluster.stop(leader);
            ApiClient survivor = cluster.api(survivors.get(0));
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    placementOf(survivor, admin, "tripled").get("epoch").getAsLong() == 2);
            // Two copies must take each write: the new leader's and the other follower's, after its term copy.
            await().atMost(Duration.ofSeconds(30)).until(() -> survivor.post("/v1/queues/tripled/messages", admin,
                    json("payload", "after-0")).status() == 201);
            published.add("after-0");
            for (int i = 1; i < 10; i++) {
                assertThat(cluster.api(survivors.get(i % 2)).post("/v1/queues/tripled/messages", admin,
                        json("payload", "after-" + i)).status()).isEqualTo(201);
                published.add("after-" + i);
            }
            assertThat(InSyncTest.inSync(zk, "tripled")).containsExactlyInAnyOrderElementsOf(survivors);

            List<String> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                HttpReply got = cluster.api(survivors.get(1)).post("/v1/queues/tripled/receive", admin,
                        json("max", 100, "waitMs", 200, "autoAck", true));
                got.array("messages").forEach(m -> received.add(m.getAsJsonObject().get("payload").getAsString()));
                return received.size() >= published.size();
            });
            assertThat(received).containsExactlyInAnyOrderElementsOf(published);
        }
    }

    private static CuratorFramework zkOf(LocalCluster cluster) {
        CuratorFramework zk = org.apache.curator.framework.CuratorFrameworkFactory.builder().connectString(cluster.zkConnect())
                .namespace("mom/term-copy-test").retryPolicy(new org.apache.curator.retry.RetryOneTime(200)).build();
        zk.start();
        return zk;
    }

    static JsonObject placementOf(ApiClient api, String token, String destination) {
        for (JsonElement p : api.get("/v1/cluster", token).obj().getAsJsonArray("placements")) {
            if (p.getAsJsonObject().get("destination").getAsString().equals(destination)) {
                return p.getAsJsonObject();
            }
        }
        throw new AssertionError("no placement of " + destination);
    }
}
