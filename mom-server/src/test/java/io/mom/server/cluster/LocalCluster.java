package io.mom.server.cluster;

import io.mom.server.Main;
import io.mom.server.MomServer;
import io.mom.transport.rest.testing.ApiClient;
import org.apache.curator.test.TestingServer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test fixture: a ZooKeeper test server and MOM nodes in this JVM, each on free ports with its own
 * data directory, sharing one admin password. Not thread-safe; close it after the test.
 */
final class LocalCluster implements AutoCloseable {
    static final String ADMIN_PASSWORD = "admin-password-for-tests";

    private final TestingServer zk;
    private final Path dataDirs;
    private final String name;
    private final Map<String, String> extra;
    private final Map<String, MomServer> nodes = new LinkedHashMap<>();

    LocalCluster(Path dataDirs, String name, Map<String, String> extra) throws Exception {
        this.zk = new TestingServer(true);
        this.dataDirs = dataDirs;
        this.name = name;
        this.extra = extra;
    }

    String zkConnect() {
        return zk.getConnectString();
    }

    Map<String, String> env(String nodeId) {
        Map<String, String> env = new HashMap<>();
        env.put("MOM_ZK_CONNECT", zk.getConnectString());
        env.put("MOM_CLUSTER", name);
        env.put("MOM_NODE_ID", nodeId);
        env.put("MOM_HTTP_PORT", "0");
        env.put("MOM_GRPC_PORT", "0");
        env.put("MOM_STORE", "memory");
        env.put("MOM_DATA_DIR", dataDirs.resolve(nodeId).toString());
        env.put("MOM_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("MOM_ZK_SESSION_TIMEOUT", "4s");
        env.putAll(extra);
        return env;
    }

    MomServer start(String nodeId) {
        return start(nodeId, Map.of());
    }

    /** Starts a node with settings of its own (its certificate, say) on top of the cluster's. */
    MomServer start(String nodeId, Map<String, String> own) {
        Map<String, String> env = env(nodeId);
        env.putAll(own);
        MomServer server = Main.start(new String[0], env,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        nodes.put(nodeId, server);
        return server;
    }

    /** The gRPC URL of a running node. */
    String grpcUrl(String nodeId) {
        return "grpc://127.0.0.1:" + nodes.get(nodeId).grpcPort();
    }

    ApiClient api(String nodeId) {
        return new ApiClient(nodes.get(nodeId).restUrl());
    }

    void stop(String nodeId) {
        MomServer server = nodes.remove(nodeId);
        if (server != null) {
            server.close();
        }
    }

    @Override
    public void close() throws Exception {
        for (MomServer server : nodes.values()) {
            server.close();
        }
        nodes.clear();
        zk.close();
    }
}
