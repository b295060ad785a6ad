package io.mom.server.observability;

import io.mom.server.Main;
import io.mom.server.MomServer;
import io.mom.transport.rest.testing.ApiClient;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A server started in this JVM on port 0 with a known admin password, and a client of it. */
final class RunningServer implements AutoCloseable {
    static final String ADMIN_PASSWORD = "admin-secret-Pw-4711";

    final MomServer server;
    final ApiClient api;

    private RunningServer(MomServer server) {
        this.server = server;
        this.api = new ApiClient(server.restUrl());
    }

    static RunningServer start(Path dataDir, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--http-port=0", "--data-dir=" + dataDir, "--store=memory",
                "--admin-password=" + ADMIN_PASSWORD));
        args.addAll(List.of(extraArgs));
        return new RunningServer(Main.start(args.toArray(String[]::new), Map.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    }

    String admin() {
        return api.login("admin", ADMIN_PASSWORD);
    }

    @Override
    public void close() {
        server.close();
    }
}
