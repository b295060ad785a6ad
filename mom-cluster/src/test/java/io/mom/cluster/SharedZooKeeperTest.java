package io.mom.cluster;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests that share one ZooKeeper server per class and start fresh nodes for each test.
 */
abstract class SharedZooKeeperTest {
    static TestingServer server;
    TestNodes cluster;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestNodes.newServer();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void newCluster() {
        cluster = new TestNodes(server);
    }

    @AfterEach
    void closeCluster() {
        cluster.close();
    }
}
