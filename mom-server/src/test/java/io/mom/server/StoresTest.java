package io.mom.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import io.mom.core.spi.StoreException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which store the server opens, where, and what it says about it at start-up. */
class StoresTest {
    @TempDir
    Path dataDir;
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger storesLog = (Logger) LoggerFactory.getLogger(Stores.class);

    @BeforeEach
    void capture() {
        lines.start();
        storesLog.addAppender(lines);
    }

    @AfterEach
    void release() {
        storesLog.detachAppender(lines);
    }

    @Test
    void rocksDbIsTheDefaultAndLivesInTheStoreSubdirectoryOfTheDataDir() {
        try (MomServer server = Main.start(DurableSetup.args(dataDir).toArray(String[]::new), Map.of(), quiet())) {
            assertThat(server.isReady()).isTrue();
        }
        assertThat(dataDir.resolve(Stores.STORE_DIRECTORY).resolve("CURRENT")).isRegularFile();
        assertThat(lines.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(e.getFormattedMessage()).contains("store=rocksdb")
                    .contains(dataDir.resolve(Stores.STORE_DIRECTORY).toAbsolutePath().toString());
        });
        assertThat(lines.list).noneMatch(e -> e.getLevel() == Level.WARN);
    }

    @Test
    void theMemoryStoreWarnsAtStartUpThatNothingSurvivesARestart() {
        try (MomServer server = Main.start(DurableSetup.args(dataDir, "--store=memory").toArray(String[]::new),
                Map.of(), quiet())) {
            assertThat(server.isReady()).isTrue();
        }
        assertThat(lines.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("store=memory").contains("nothing survives a restart");
        });
        assertThat(Files.exists(dataDir.resolve(Stores.STORE_DIRECTORY))).isFalse();
    }

    @Test
    void aStoreInUseByAnotherServerIsRefusedNamingTheDirectory() {
        String[] args = DurableSetup.args(dataDir).toArray(String[]::new);
        try (MomServer first = Main.start(args, Map.of(), quiet())) {
            assertThatThrownBy(() -> Main.start(args, Map.of(), quiet()))
                    .hasMessageContaining(dataDir.resolve(Stores.STORE_DIRECTORY).toAbsolutePath().toString())
                    .hasMessageContaining("already in use");
            assertThat(first.isReady()).isTrue();
        }
    }

    @Test
    void anUnreachableMongoDbStopsTheStartNamingTheHostsButNotTheCredentials() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String[] args = DurableSetup.args(dataDir, "--store=mongo", "--node-id=n1",
                "--mongo-uri=mongodb://mom:hunter2@127.0.0.1:" + closedPort + "/?serverSelectionTimeoutMS=500")
                .toArray(String[]::new);
        assertThatThrownBy(() -> Main.start(args, Map.of(), quiet()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("MongoDB unreachable at 127.0.0.1:" + closedPort + "/mom_n1")
                .hasMessageNotContaining("hunter2");
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
