package io.mom.cluster;

import io.mom.core.testing.ManualTime;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The nodes of one test cluster on a shared ZooKeeper test server: each test gets its own cluster
 * name (so its own namespace), a manual clock for the grace period and 2-second sessions.
 */
final class TestNodes implements AutoCloseable {
    static final Duration SESSION = Duration.ofSeconds(2);
    static final Duration GRACE = Duration.ofMinutes(10);
    private static final AtomicInteger CLUSTERS = new AtomicInteger();

    final ManualTime clock = new ManualTime();
    private final TestingServer server;
    private final String clusterName = "test-" + CLUSTERS.incrementAndGet();
    private final Map<String, ZkCluster> nodes = new LinkedHashMap<>();
    private final Map<String, TcpProxy> proxies = new LinkedHashMap<>();
    private final List<CuratorFramework> clients = new ArrayList<>();
    private int minInSync = 1;

    TestNodes(TestingServer server) {
        this.server = server;
    }

    /**
     * A ZooKeeper server whose 200 ms tick lets 2 s sessions be negotiated and expire promptly
     * (expiry is checked once per tick).
     */
    static TestingServer newServer() throws Exception {
        return new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 200, -1), true);
    }

    TestNodes minInSync(int value) {
        this.minInSync = value;
        return this;
    }

    ClusterSettings settings(String nodeId) {
        return settings(nodeId, server.getConnectString());
    }

    private ClusterSettings settings(String nodeId, String zkConnect) {
        return ClusterSettings.builder().clusterName(clusterName).zkConnect(zkConnect).nodeId(nodeId)
                .restAddress("127.0.0.1:80" + nodeId.length()).grpcAddress(nodeId + ":9090")
                .sessionTimeout(SESSION).connectTimeout(Duration.ofSeconds(10))
                .replicationFactor(2).minInSync(minInSync).failoverGrace(GRACE).build();
    }

    /** Starts a node whose ZooKeeper connection goes through its own {@link TcpProxy}, so it can crash. */
    ZkCluster start(String nodeId) {
        try {
            TcpProxy proxy = new TcpProxy(server.getPort());
            ZkCluster node = ZkCluster.start(settings(nodeId, proxy.connectString()), clock);
            nodes.put(nodeId, node);
            proxies.put(nodeId, proxy);
            return node;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    List<ZkCluster> start(String... nodeIds) {
        List<ZkCluster> started = Arrays.stream(nodeIds).map(this::start).toList();
        awaitMembers(nodeIds);
        return started;
    }

    ZkCluster node(String nodeId) {
        return nodes.get(nodeId);
    }

    /** Leaves gracefully: the registration disappears at once. */
    void stop(String nodeId) {
        nodes.remove(nodeId).close();
        proxies.remove(nodeId).close();
    }

    /**
     * Crashes a node: its ZooKeeper connection is cut for good, as if the process died, so the server
     * expires its session one session timeout later. The node's objects are closed in the background
     * (they can no longer reach ZooKeeper, so this changes nothing there).
     */
    void crash(String nodeId) {
        ZkCluster node = nodes.remove(nodeId);
        proxies.remove(nodeId).cut();
        Thread closer = new Thread(node::close, "close-crashed-" + nodeId);
        closer.setDaemon(true);
        closer.start();
    }

    /** Waits until every running node sees exactly these live nodes. */
    void awaitMembers(String... nodeIds) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> nodes.values().forEach(node ->
                assertThat(node.membership().members()).extracting(Member::nodeId)
                        .containsExactlyInAnyOrder(nodeIds)));
    }

    /** Waits until exactly one running node is controller and returns it. */
    ZkCluster awaitController() {
        await().atMost(Duration.ofSeconds(15)).until(() ->
                nodes.values().stream().filter(n -> n.controller().isController()).count() == 1);
        return nodes.values().stream().filter(n -> n.controller().isController()).findFirst().orElseThrow();
    }

    /** A raw client on this cluster's namespace, closed with the nodes. */
    CuratorFramework rawClient() throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(server.getConnectString())
                .namespace("mom/" + clusterName).sessionTimeoutMs((int) SESSION.toMillis())
                .retryPolicy(new RetryOneTime(100)).build();
        client.start();
        clients.add(client);
        assertThat(client.blockUntilConnected(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return client;
    }

    @Override
    public void close() {
        new ArrayList<>(nodes.keySet()).forEach(this::stop);
        clients.forEach(CuratorFramework::close);
    }
}
