package io.mom.server.cluster;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.mom.transport.rest.testing.ApiClient;
import io.mom.transport.rest.testing.HttpReply;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Chaos: three nodes as child processes ({@code io.mom.server.Main} on this test's class path), a
 * producer publishing with acknowledgements and a consumer acking, both on a node that does not lead
 * the queue; the same pair runs on a queue with three partitions, which has a partition on every node. In turn the controller (which does not lead the queue), the queue's leader and its
 * replica are killed with
 * {@code kill -9} (and restarted, to be caught up), then the ZooKeeper server restarts. Every
 * acknowledged publish must be consumed at least once; the time from each fault to the first
 * successful publish after it is logged ({@code event=chaos_phase}) and must stay under 10 s.
 */
@Tag("slow")
class ChaosTest {
    private static final Logger log = LoggerFactory.getLogger(ChaosTest.class);
    private static final String CLUSTER = "chaos";
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final Duration PHASE = Duration.ofSeconds(2);
    private static final String SPREAD = "chaos-spread";

    @TempDir
    Path dirs;

    private TestingServer zkServer;
    private CuratorFramework zk;
    private final Map<String, Process> nodes = new LinkedHashMap<>();
    private final Map<String, ApiClient> apis = new ConcurrentHashMap<>();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    /** Successful publishes as {sent, done} in System.nanoTime(). */
    private final List<long[]> publishes = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile String clientNode;
    private final Set<String> failures = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;
    private String admin;

    @Test
    void everyAcknowledgedMessageIsConsumedThroughLeaderReplicaControllerAndZooKeeperFaults() throws Exception {
        zkServer = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 200, -1), true);
        zk = CuratorFrameworkFactory.builder().connectString(zkServer.getConnectString())
                .namespace("mom/" + CLUSTER).retryPolicy(new RetryOneTime(200)).build();
        zk.start();
        List<Thread> clients = new ArrayList<>();
        try {
            for (String id : List.of("n1", "n2", "n3")) {
                start(id);
            }
            admin = await().atMost(WAIT).ignoreExceptions().until(() -> api("n1").login("admin",
                    LocalCluster.ADMIN_PASSWORD), t -> t != null);
            // A first queue takes the first node (the controller), so the queue under test is led elsewhere.
            assertThat(api("n1").put("/v1/queues/warmup", admin, null).status()).isEqualTo(201);
            assertThat(api("n1").put("/v1/queues/chaos", admin, null).status()).isEqualTo(201);
            assertThat(api("n1").put("/v1/queues/" + SPREAD, admin, json("partitions", 3)).status()).isEqualTo(201);
            awaitInSync(2);
            clientNode = bystander();
            for (String queue : List.of("chaos", SPREAD)) {
                clients.add(started(new Thread(() -> produce(queue), queue + "-producer")));
                clients.add(started(new Thread(() -> consume(queue), queue + "-consumer")));
            }

            Map<String, Long> figures = new LinkedHashMap<>();
            String controller = api(clientNode).get("/v1/cluster", admin).obj().get("controller").getAsString();
            if (!controller.equals(placement().get("leader").getAsString())) {
                figures.put("controller", killAndRestart(controller));
            } else {
                log.info("event=chaos_phase fault=controller skipped=controller_leads_the_queue");
            }
            figures.put("leader", killAndRestart(placement().get("leader").getAsString()));
            figures.put("replica", killAndRestart(placement().getAsJsonArray("replicas").get(0).getAsString()));
            figures.put("zookeeper", restartZooKeeper());

            running = false;
            for (Thread t : clients) {
                t.join(30_000);
            }
            List<String> missing = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                drain("chaos");
                drain(SPREAD);
                missing.clear();
                acked.stream().filter(p -> !received.contains(p)).forEach(missing::add);
                return missing.isEmpty();
            });
            log.info("event=chaos_done acked={} received={} failover_ms={}", acked.size(), received.size(), figures);
            assertThat(missing).as("acknowledged but never consumed").isEmpty();
            assertThat(acked).hasSizeGreaterThan(20);
            assertThat(acked).anyMatch(p -> p.startsWith(SPREAD + ":"));
            figures.values().forEach(ms -> assertThat(ms).isLessThan(10_000));
        } finally {
            running = false;
            nodes.values().forEach(Process::destroyForcibly);
            zk.close();
            zkServer.close();
        }
    }

    /** Kills {@code victim} with SIGKILL, measures the first publish after it, restarts it and waits until it is in sync. */
    private long killAndRestart(String victim) throws Exception {
        if (victim.equals(clientNode)) {
            clientNode = nodes.keySet().stream().filter(n -> !n.equals(victim)
                    && !n.equals(placement().get("leader").getAsString())).findFirst().orElseThrow();
        }
        pause(PHASE);
        long killed = System.nanoTime();
        nodes.get(victim).destroyForcibly().waitFor();
        long ms = firstPublishAfter(killed);
        log.info("event=chaos_phase fault=kill-9 victim={} first_publish_after_ms={}", victim, ms);
        pause(PHASE);
        // Its id is free again once ZooKeeper expired the killed process's session.
        await().atMost(WAIT).until(() -> zk.checkExists().forPath("/nodes/" + victim) == null);
        start(victim);
        awaitInSync(2);
        clientNode = bystander();
        return ms;
    }

    private long restartZooKeeper() throws Exception {
        pause(PHASE);
        long restarted = System.nanoTime();
        zkServer.restart();
        long ms = firstPublishAfter(restarted);
        log.info("event=chaos_phase fault=zookeeper-restart first_publish_after_ms={}", ms);
        pause(PHASE);
        return ms;
    }

    /** Milliseconds from {@code since} to the completion of the first successful publish sent after it. */
    private long firstPublishAfter(long since) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            synchronized (publishes) {
                return publishes.stream().filter(p -> p[0] - since > 0).mapToLong(p -> (p[1] - since) / 1_000_000)
                        .min().orElse(-1);
            }
        }, ms -> ms >= 0);
    }

    private static Thread started(Thread t) {
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void produce(String queue) {
        int i = 0;
        while (running) {
            String payload = queue + ":" + i++;
            long sent = System.nanoTime();
            try {
                HttpReply reply = api(clientNode).post("/v1/queues/" + queue + "/messages", admin,
                        json("payload", payload));
                if (reply.status() != 201 && failures.add(reply.status() + " " + reply.body())) {
                    log.info("event=chaos_publish_failed node={} status={} body={}", clientNode, reply.status(),
                            reply.body());
                }
                if (reply.status() == 201) {
                    acked.add(payload);
                    if (queue.equals("chaos")) {
                        publishes.add(new long[] {sent, System.nanoTime()});
                    }
                }
            } catch (RuntimeException e) {
                log.debug("publish failed: {}", e.toString());
            }
        }
    }

    private void consume(String queue) {
        while (running) {
            drain(queue);
        }
    }

    private void drain(String queue) {
        try {
            HttpReply reply = api(clientNode).post("/v1/queues/" + queue + "/receive", admin,
                    json("max", 50, "waitMs", 200));
            if (reply.status() != 200) {
                return;
            }
            List<String> receipts = new ArrayList<>();
            for (JsonElement m : reply.array("messages")) {
                received.add(m.getAsJsonObject().get("payload").getAsString());
                receipts.add(m.getAsJsonObject().get("receipt").getAsString());
            }
            if (!receipts.isEmpty()) {
                api(clientNode).post("/v1/queues/" + queue + "/ack", admin,
                        "{\"receipts\":" + new Gson().toJson(receipts) + "}");
            }
        } catch (RuntimeException e) {
            log.debug("receive failed: {}", e.toString());
        }
    }

    private void start(String id) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.mom.server.Main");
        Map<String, String> env = pb.environment();
        env.put("MOM_ZK_CONNECT", zkServer.getConnectString());
        env.put("MOM_CLUSTER", CLUSTER);
        env.put("MOM_NODE_ID", id);
        env.put("MOM_HTTP_PORT", "0");
        env.put("MOM_GRPC_PORT", "0");
        env.put("MOM_STORE", "memory");
        env.put("MOM_DATA_DIR", dirs.resolve(id).toString());
        env.put("MOM_ADMIN_PASSWORD", LocalCluster.ADMIN_PASSWORD);
        env.put("MOM_ZK_SESSION_TIMEOUT", "3s");
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logDir().resolve(id + ".log").toFile()));
        apis.remove(id);
        nodes.put(id, pb.start());
        String rest = await().atMost(WAIT).ignoreExceptions().until(() -> restAddress(id), a -> a != null);
        apis.put(id, new ApiClient("http://" + rest));
        await().atMost(WAIT).ignoreExceptions().until(() -> api(id).get("/healthz", null).status() == 200);
    }

    /** Child logs stay after the test, under target/chaos-logs. */
    private static Path logDir() throws java.io.IOException {
        return java.nio.file.Files.createDirectories(Path.of("target", "chaos-logs"));
    }

    /** The REST address a node registered in ZooKeeper (it listens on a free port). */
    private String restAddress(String id) throws Exception {
        String data = new String(zk.getData().forPath("/nodes/" + id), StandardCharsets.UTF_8);
        for (String line : data.split("\n")) {
            if (line.startsWith("rest=")) {
                return line.substring(5);
            }
        }
        return null;
    }

    private ApiClient api(String id) {
        return apis.get(id);
    }

    private JsonObject placement() {
        return await().atMost(WAIT).ignoreExceptions().until(() -> FailoverTest.placementOf(api(clientNode == null
                ? "n1" : clientNode), admin, "chaos"), p -> p != null);
    }

    /** The node that neither leads nor replicates the queue. */
    private String bystander() {
        JsonObject p = placement();
        Set<String> holders = Set.of(p.get("leader").getAsString(), p.getAsJsonArray("replicas").get(0).getAsString());
        return nodes.keySet().stream().filter(n -> !holders.contains(n)).findFirst().orElseThrow();
    }

    /** Waits until the single-partition queue and every partition of the partitioned one have {@code copies} in sync. */
    private void awaitInSync(int copies) {
        for (String hosted : List.of("chaos", SPREAD + "~0", SPREAD + "~1", SPREAD + "~2")) {
            await().atMost(WAIT).ignoreExceptions().until(() -> InSyncTest.inSync(zk, hosted).size() == copies);
        }
    }

    private static void pause(Duration d) {
        // Lets producer and consumer run for a while; awaits a deadline rather than sleeping.
        long until = System.nanoTime() + d.toNanos();
        await().atMost(d.plusSeconds(1)).pollInterval(Duration.ofMillis(50)).until(() -> System.nanoTime() - until >= 0);
    }
}
