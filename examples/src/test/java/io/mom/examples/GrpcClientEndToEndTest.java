package io.mom.examples;

import io.mom.client.CloseReason;
import io.mom.client.Destination;
import io.mom.client.Message;
import io.mom.client.MomClient;
import io.mom.client.MomClientException;
import io.mom.client.OutgoingMessage;
import io.mom.client.ReceiveOptions;
import io.mom.client.Source;
import io.mom.client.Subscription;
import io.mom.client.UnauthorizedException;
import io.mom.client.UnavailableException;
import io.mom.client.UserInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every client test of {@link ClientEndToEndTest} again over gRPC, plus what only gRPC does differently. */
class GrpcClientEndToEndTest extends ClientEndToEndTest {

    @Override
    String url() {
        return server.grpcUrl();
    }

    /**
     * User management over gRPC (the inherited test runs it like REST); a password change revokes the
     * tokens issued before it, and ends the user's gRPC push streams at once.
     */
    @Test
    void aPasswordChangeRevokesTheOldTokenAndEndsTheUsersPushStreams() {
        admin.createUser("carol", "carol-pw", List.of());
        assertThat(admin.listUsers()).contains(new UserInfo("carol", List.of("user")));
        admin.declare(Destination.queue("inbox"));
        try (MomClient carol = client("carol", "carol-pw")) {
            String oldToken = carol.login().token();
            Subscription sub = carol.subscribe(Source.queue("inbox"), m -> { });

            carol.changePassword("carol", "carol-pw2");

            try (MomClient withOldToken = MomClient.builder().url(url()).token(oldToken).build()) {
                assertThatThrownBy(withOldToken::me).isInstanceOf(UnauthorizedException.class);
            }
            // the stream ends at once; reconnecting needs a login with the old password, which fails
            assertThat(sub.whenClosed()).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(CloseReason.FAILED);
            assertThat(sub.failure()).containsInstanceOf(UnauthorizedException.class);
        }
        try (MomClient carol = client("carol", "carol-pw2")) {
            assertThat(carol.me().username()).isEqualTo("carol");
            admin.deleteUser("carol");
            assertThatThrownBy(carol::me).isInstanceOf(UnauthorizedException.class);
        }
        assertThat(admin.listUsers()).extracting(UserInfo::username).doesNotContain("carol");
    }

    @Test
    void manyAsynchronousPublishesShareOneStreamAndAllArrive() {
        Destination q = Destination.queue("stream");
        alice.declare(q);
        List<CompletableFuture<String>> sent = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            sent.add(alice.publishAsync(q, OutgoingMessage.text("m" + i)));
        }
        Set<String> ids = new HashSet<>();
        sent.forEach(f -> ids.add(f.join()));
        assertThat(ids).hasSize(3000);
        Set<String> got = new HashSet<>();
        while (got.size() < 3000) {
            List<Message> batch = alice.receive(Source.queue("stream"), ReceiveOptions.of(1000, Duration.ofSeconds(5)).autoAck());
            assertThat(batch).as("messages left to receive").isNotEmpty();
            batch.forEach(m -> got.add(m.id()));
        }
        assertThat(got).isEqualTo(ids);
    }

    @Test
    void aBadTokenIsUnauthorizedAndAnUnreachableServerIsUnavailable() {
        try (MomClient forged = MomClient.builder().url(url()).token("not-a-token").build()) {
            assertThatThrownBy(forged::me).isInstanceOfSatisfying(UnauthorizedException.class,
                    e -> assertThat(e.status()).isEqualTo(401));
            assertThatThrownBy(() -> forged.publish(Destination.queue("x"), "hi"))
                    .isInstanceOf(UnauthorizedException.class);
        }
        int port = Integer.parseInt(url().substring(url().lastIndexOf(':') + 1));
        server.close();
        try (MomClient nobody = MomClient.builder().url("grpc://127.0.0.1:" + port).credentials("a", "b").build()) {
            assertThatThrownBy(nobody::me).isInstanceOfSatisfying(UnavailableException.class,
                    e -> assertThat(e.status()).isEqualTo(MomClientException.NO_STATUS));
        }
        server = TestMomServer.start(dataDir.resolve("again")); // for stop()
    }
}
