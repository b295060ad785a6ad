package io.mom.client.impl.grpc;

import io.grpc.InsecureServerCredentials;
import io.grpc.TlsServerCredentials;
import io.mom.client.Destination;
import io.mom.client.MomClient;
import io.mom.client.MomClientException;
import io.mom.client.OutgoingMessage;
import io.mom.client.QueueFullException;
import io.mom.client.Source;
import io.mom.client.Subscription;
import io.mom.client.UnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The gRPC transport against a stand-in server: TLS with the application's context, the publish window,
 * timeouts, methods the server does not offer.
 */
class GrpcTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void grpcsUsesTheApplicationsSslContextAndSendsTheTokenOfTheLogin(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "mom", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).as(output).isTrue();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        Path cert = pem(dir.resolve("cert.pem"), "CERTIFICATE", keys.getCertificate("mom").getEncoded());
        Path key = pem(dir.resolve("key.pem"), "PRIVATE KEY", keys.getKey("mom", "changeit".toCharArray()).getEncoded());
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("mom", keys.getCertificate("mom"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);

        try (FakeMomServer server = new FakeMomServer(TlsServerCredentials.create(cert.toFile(), key.toFile()));
             MomClient client = MomClient.builder().url("grpcs://127.0.0.1:" + server.port())
                     .credentials("alice", "pw").sslContext(tls).build()) {
            assertThat(client.me().username()).isEqualTo("alice");
        }
    }

    private static Path pem(Path file, String type, byte[] der) throws java.io.IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    }

    @Test
    void publishesBeyondTheWindowWaitInTheClientAndGoOutCoalescedWhenAnswersFreeIt() throws Exception {
        int total = 3000;
        try (FakeMomServer server = new FakeMomServer(InsecureServerCredentials.create());
             MomClient client = MomClient.builder().url("grpc://127.0.0.1:" + server.port())
                     .credentials("alice", "pw").build()) {
            List<CompletableFuture<String>> sent = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                sent.add(client.publishAsync(Destination.queue("q"), OutgoingMessage.text("m" + i)));
            }
            await().atMost(WAIT).until(() -> server.received.get() == PublishPipeline.MAX_IN_FLIGHT);
            // A round trip on the same connection: requests sent before it have been read by now.
            client.me();
            assertThat(server.received).hasValue(PublishPipeline.MAX_IN_FLIGHT);
            assertThat(sent).noneMatch(CompletableFuture::isDone);

            server.answer(true);

            for (int i = 0; i < total; i++) {
                assertThat(sent.get(i)).succeedsWithin(WAIT).isEqualTo("id-m" + i);
            }
            assertThat(server.maxUnanswered.get()).isEqualTo(PublishPipeline.MAX_IN_FLIGHT);
            assertThat(server.received.get()).as("requests for %d publishes", total)
                    .isLessThan(total / 10);
        }
    }

    @Test
    void aCoalescedRequestRefusedAsAWholeIsRetriedOnePublishAtATime() throws Exception {
        try (FakeMomServer server = new FakeMomServer(InsecureServerCredentials.create());
             MomClient client = MomClient.builder().url("grpc://127.0.0.1:" + server.port())
                     .credentials("alice", "pw").build()) {
            List<CompletableFuture<String>> sent = new ArrayList<>();
            int rejected = PublishPipeline.MAX_IN_FLIGHT + 2;
            for (int i = 0; i < PublishPipeline.MAX_IN_FLIGHT + 4; i++) {
                sent.add(client.publishAsync(Destination.queue("q"), OutgoingMessage.text(i == rejected ? "reject" : "m" + i)));
            }
            await().atMost(WAIT).until(() -> server.received.get() == PublishPipeline.MAX_IN_FLIGHT);

            server.answer(true);

            for (int i = 0; i < sent.size(); i++) {
                if (i == rejected) {
                    assertThat(sent.get(i)).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                            .withCauseInstanceOf(QueueFullException.class);
                } else {
                    assertThat(sent.get(i)).succeedsWithin(WAIT).isEqualTo("id-m" + i);
                }
            }
            assertThat(server.received.get()).as("16 alone, 1 coalesced, then 4 alone again")
                    .isEqualTo(PublishPipeline.MAX_IN_FLIGHT + 5);
        }
    }

    @Test
    void aPushStreamRefusedByALoadedNodeIsOpenedOnTheNodeItNames() throws Exception {
        try (FakeMomServer loaded = new FakeMomServer(InsecureServerCredentials.create());
             FakeMomServer other = new FakeMomServer(InsecureServerCredentials.create());
             MomClient client = MomClient.builder().url("grpc://127.0.0.1:" + loaded.port())
                     .credentials("alice", "pw").build()) {
            loaded.redirectSubscribesTo = "127.0.0.1:" + other.port();

            Subscription sub = client.subscribe(Source.queue("q"), m -> { });

            assertThat(sub.isConnected()).isTrue();
            assertThat(other.subscribed).hasValue(1);
            assertThat(loaded.subscribed).hasValue(0);
        }
    }

    @Test
    void aMethodTheServerDoesNotOfferFailsAsUnsupported() throws Exception {
        try (FakeMomServer server = new FakeMomServer(InsecureServerCredentials.create());
             MomClient client = MomClient.builder().url("grpc://127.0.0.1:" + server.port())
                     .credentials("alice", "pw").build()) {
            assertThatThrownBy(client::listUsers).as("the stand-in has no UserService")
                    .isInstanceOfSatisfying(MomClientException.class, e -> {
                        assertThat(e.code()).isEqualTo(GrpcTransport.UNSUPPORTED);
                        assertThat(e.status()).isEqualTo(501);
                    });
        }
    }

    @Test
    void aPublishWithoutAnswerFailsAsUnavailableAfterTheRequestTimeout() throws Exception {
        try (FakeMomServer server = new FakeMomServer(InsecureServerCredentials.create());
             MomClient client = MomClient.builder().url("grpc://127.0.0.1:" + server.port())
                     .credentials("alice", "pw").requestTimeout(Duration.ofMillis(500)).build()) {
            CompletableFuture<String> lost = client.publishAsync(Destination.queue("q"), OutgoingMessage.text("m"));
            assertThat(lost).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(UnavailableException.class);

            server.answer(true);
            assertThat(client.publishAsync(Destination.queue("q"), OutgoingMessage.text("next")))
                    .as("the next publish opens a new stream").succeedsWithin(WAIT);
        }
    }
}
