package io.mom.server;

import io.mom.transport.rest.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store that cannot be used stops the server with one clear line naming the directory and a non-zero exit
 * status; nothing in the directory is deleted or rewritten.
 */
class CorruptStoreTest {
    @TempDir
    Path dataDir;

    @Test
    void garbageInCurrentStopsTheServerWithAClearMessageAndChangesNothing() throws IOException {
        Path store = dataDir.resolve(Stores.STORE_DIRECTORY);
        try (MomServer server = Main.start(DurableSetup.args(dataDir).toArray(String[]::new), Map.of(), quiet())) {
            ApiClient api = new ApiClient(server.restUrl());
            String admin = api.login("admin", DurableSetup.ADMIN_PASSWORD);
            assertThat(api.put("/v1/queues/kept", admin, null).status()).isEqualTo(201);
            assertThat(api.post("/v1/queues/kept/messages", admin, json("payload", "x")).status()).isEqualTo(201);
        }
        Files.writeString(store.resolve("CURRENT"), "this is not a manifest name\n\u0000\u0001garbage");
        Map<String, byte[]> before = snapshot(store);

        try (ServerProcess server = ServerProcess.start(DurableSetup.args(dataDir), Map.of())) {
            int status = server.awaitExit();
            String output = server.output();
            assertThat(status).as(output).isNotZero();
            assertThat(output).as(output).containsPattern("mom-server: cannot start: .*" + java.util.regex.Pattern.quote(store.toAbsolutePath().toString()));
            assertThat(output).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception:");
        }
        assertThat(snapshot(store)).as("the store is left as it was").containsOnlyKeys(before.keySet())
                .allSatisfy((name, bytes) -> assertThat(bytes).as(name).isEqualTo(before.get(name)));
    }

    @Test
    void aStoreDirectoryOfAnotherApplicationIsRefusedAndLeftAlone() throws IOException {
        Path store = Files.createDirectories(dataDir.resolve(Stores.STORE_DIRECTORY));
        Files.writeString(store.resolve("notes.txt"), "not a MOM store");

        try (ServerProcess server = ServerProcess.start(DurableSetup.args(dataDir), Map.of())) {
            assertThat(server.awaitExit()).isNotZero();
            assertThat(server.output()).containsPattern("mom-server: cannot start: Refusing to use .*"
                    + java.util.regex.Pattern.quote(store.toAbsolutePath().toString()) + ": it is not a MOM store");
        }
        try (Stream<Path> files = Files.list(store)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
    }

    private static Map<String, byte[]> snapshot(Path dir) {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            all.filter(Files::isRegularFile).forEach(f -> {
                try {
                    files.put(dir.relativize(f).toString(), Files.readAllBytes(f));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
