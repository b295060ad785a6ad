package io.mom.store.mongo;

import io.mom.core.ErrorCode;
import io.mom.core.spi.StoreException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A server that does not answer shows up as a {@link StoreException} within the server selection timeout. */
class UnreachableMongoTest {
    private static final Duration SELECTION_TIMEOUT = Duration.ofMillis(300);
    private MongoStoreSettings settings;

    @BeforeEach
    void pickAPortNobodyListensOn() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        settings = MongoStoreSettings.builder("mongodb://user:secret@127.0.0.1:" + port, "mom_n1")
                .serverSelectionTimeout(SELECTION_TIMEOUT).build();
    }

    @Test
    void recoveryFailsQuicklyWithAStoreExceptionNamingTheServerButNotTheCredentials() {
        try (MongoMessageStore store = MongoMessageStore.open(settings)) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> store.recover(new TestData.Recovered()))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                    .hasMessageContaining("unreachable")
                    .hasMessageContaining(settings.hosts())
                    .hasMessageNotContaining("secret");
            // Generous bound: the point is "the selection timeout, not the driver's 30 s default".
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void writesAndReadsFailWithStoreExceptions() {
        try (MongoMessageStore store = MongoMessageStore.open(settings)) {
            CompletableFuture<Void> written = store.write(List.of(TestData.queue("q")));

            assertThatThrownBy(() -> written.get(15, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(StoreException.class).hasMessageContaining("unreachable");
            assertThatThrownBy(() -> store.readPayload("q", 0, 1)).isInstanceOf(StoreException.class);
        }
    }

    @Test
    void userStoreCallsFailWithStoreExceptions() {
        try (MongoUserStore users = MongoUserStore.open(settings)) {
            assertThatThrownBy(users::users).isInstanceOf(StoreException.class).hasMessageContaining("unreachable");
            assertThatThrownBy(() -> users.putSetting("k", "v")).isInstanceOf(StoreException.class);
        }
    }
}
