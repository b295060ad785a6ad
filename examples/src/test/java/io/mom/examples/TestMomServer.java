package io.mom.examples;

import io.mom.client.MomClient;
import io.mom.server.Main;
import io.mom.server.MomServer;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The real standalone server for end-to-end tests, started in-process as {@code java -jar mom-server.jar}
 * would start it: a free loopback port, a known {@code admin} password, short push-stream heartbeats,
 * and the memory store ({@link #start}) or RocksDB under the data directory ({@link #startDurable}).
 * {@link #restart()} stops it and starts a new one on the same port and data directory, which is what
 * clients see of a server restart (a memory store starts empty again, a durable one recovers).
 */
final class TestMomServer implements AutoCloseable {
    static final String ADMIN_PASSWORD = "admin-password";
    private static final String JWT_SECRET = "0123456789abcdef0123456789abcdef-e2e";

    private final Path dataDir;
    private final String store;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private MomServer server;
    private int port;

    private TestMomServer(Path dataDir, String store) {
        this.dataDir = dataDir;
        this.store = store;
        this.server = launch(0);
        this.port = server.restPort();
    }

    /** Starts a server keeping its files under {@code dataDir} (a test's temporary directory). */
    static TestMomServer start(Path dataDir) {
        return new TestMomServer(dataDir, "memory");
    }

    /** Starts a server with a RocksDB store under {@code dataDir}, so that a restart keeps every message. */
    static TestMomServer startDurable(Path dataDir) {
        return new TestMomServer(dataDir, "rocksdb");
    }

    private MomServer launch(int httpPort) {
        return Main.start(new String[]{
                "--http-port=" + httpPort, "--grpc-port=0", "--store=" + store, "--data-dir=" + dataDir,
                "--admin-password=" + ADMIN_PASSWORD, "--jwt-secret=" + JWT_SECRET, "--sse-heartbeat=500ms"},
                Map.of(), new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** A client logged in (on first use) as {@code user}. */
    MomClient client(String user, String password) {
        return MomClient.builder().url(url()).credentials(user, password).build();
    }

    /** Creates plain users, each with the password {@code <name>-pw}. */
    void createUsers(String... names) {
        try (MomClient admin = client("admin", ADMIN_PASSWORD)) {
            for (String name : names) {
                admin.createUser(name, name + "-pw", List.of());
            }
        }
    }

    /** Stops the server (ending every connection) and starts a fresh one on the same port. */
    synchronized void restart() {
        server.close();
        server = launch(port);
    }

    @Override
    public synchronized void close() {
        server.close();
    }
}
