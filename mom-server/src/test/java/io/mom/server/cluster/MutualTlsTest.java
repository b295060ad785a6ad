package io.mom.server.cluster;

import com.google.protobuf.ByteString;
import com.google.gson.JsonObject;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.mom.core.ErrorCode;
import io.mom.core.Identity;
import io.mom.grpc.internal.v1.ReplicaServiceGrpc;
import io.mom.grpc.internal.v1.ReplicateRequest;
import io.mom.grpc.v1.AuthServiceGrpc;
import io.mom.grpc.v1.DeclareRequest;
import io.mom.grpc.v1.DestinationRef;
import io.mom.grpc.v1.DestinationServiceGrpc;
import io.mom.grpc.v1.DestinationType;
import io.mom.grpc.v1.LoginRequest;
import io.mom.grpc.v1.MessagingServiceGrpc;
import io.mom.grpc.v1.OutgoingMessage;
import io.mom.grpc.v1.PublishRequest;
import io.mom.grpc.v1.ReceiveRequest;
import io.mom.grpc.v1.ReceiveResponse;
import io.mom.grpc.v1.SubscriptionRef;
import io.mom.grpc.v1.WhoAmIRequest;
import io.mom.server.MomServer;
import io.mom.server.tls.CertificateAuthority;
import io.mom.server.tls.PemFiles;
import io.mom.server.tls.PresentsAnyway;
import io.mom.server.tls.SelfSigned;
import io.mom.transport.grpc.StatusMapping;
import io.mom.transport.rest.testing.ApiClient;
import io.mom.transport.rest.testing.HttpReply;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.X509ExtendedKeyManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.mom.transport.rest.testing.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A two-node cluster with TLS on: nodes forward and replicate to each other over mutual TLS (each with
 * its own certificate from one CA, {@code MOM_TLS_CA}); cluster credentials without a trusted client
 * certificate are refused; applications still use both APIs without a client certificate.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MutualTlsTest {
    private static final String SECRET = "the-cluster-secret-of-the-mtls-test";
    private static final List<String> NODES = List.of("n1", "n2");

    @TempDir
    static Path dataDirs;
    @TempDir
    static Path certs;
    private CertificateAuthority ca;
    private final Map<String, CertificateAuthority.Issued> issued = new LinkedHashMap<>();
    private LocalCluster cluster;
    private final Map<String, MomServer> servers = new LinkedHashMap<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private String admin;

    @BeforeAll
    void startCluster() throws Exception {
        ca = CertificateAuthority.create(certs, "mom-test");
        cluster = new LocalCluster(dataDirs, "mtls-test", Map.of("MOM_TLS_CA", ca.cert.toString(),
                "MOM_CLUSTER_SECRET", SECRET, "MOM_MIN_INSYNC", "2"));
        for (String node : NODES) {
            CertificateAuthority.Issued cert = ca.issue(node);
            issued.put(node, cert);
            servers.put(node, cluster.start(node, Map.of("MOM_TLS_CERT", cert.cert().toString(),
                    "MOM_TLS_KEY", cert.key().toString())));
        }
        admin = rest("n1").login("admin", LocalCluster.ADMIN_PASSWORD);
    }

    @AfterAll
    void stopCluster() throws Exception {
        cluster.close();
    }

    @AfterEach
    void closeChannels() throws InterruptedException {
        for (ManagedChannel c : channels) {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        channels.clear();
    }

    private ApiClient rest(String node) {
        return new ApiClient(servers.get(node).restUrl(), PemFiles.trustingContext(ca.cert));
    }

    @Test
    void aQueueDeclaredOnOneNodeIsUsedThroughTheOtherAndEveryPublishIsReplicatedOverMutualTls() throws Exception {
        assertThat(rest("n1").baseUrl()).startsWith("https://");
        assertThat(rest("n1").put("/v1/queues/orders", admin, null).status()).isEqualTo(201);
        JsonObject placement = FailoverTest.placementOf(rest("n1"), admin, "orders");
        String leader = placement.get("leader").getAsString();
        String other = NODES.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();

        // Forwarded to the leader; acknowledged only once both copies (MOM_MIN_INSYNC=2) have it.
        for (int i = 0; i < 3; i++) {
            HttpReply reply = rest(other).post("/v1/queues/orders/messages", admin, json("payload", "m" + i));
            assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        }
        try (CuratorFramework zk = CuratorFrameworkFactory.builder().connectString(cluster.zkConnect())
                .namespace("mom/mtls-test").retryPolicy(new RetryOneTime(100)).build()) {
            zk.start();
            assertThat(InSyncTest.inSync(zk, "orders")).containsExactlyInAnyOrderElementsOf(NODES);
        }
        HttpReply received = rest(other).post("/v1/queues/orders/receive", admin,
                json("max", 10, "autoAck", true));
        assertThat(received.status()).as(received.body()).isEqualTo(200);
        List<String> payloads = new ArrayList<>();
        received.array("messages").forEach(m -> payloads.add(m.getAsJsonObject().get("payload").getAsString()));
        assertThat(payloads).containsExactly("m0", "m1", "m2");
    }

    @Test
    void clusterCredentialsWithoutAClientCertificateAreRefusedUnauthenticated() {
        String peerToken = tokens(SECRET).issue(Identity.admin("$node-intruder"));
        ManagedChannel noCertificate = channel("n1", TlsChannelCredentials.newBuilder()
                .trustManager(PemFiles.trustManagers(ca.cert)).build());

        assertRefused(() -> replicate(noCertificate, peerToken));
        assertRefused(() -> whoAmIForwarded(noCertificate, peerToken));
    }

    @Test
    void aNodeCertificateWithTheClusterSecretIsAcceptedAndTheSecretIsStillChecked() throws Exception {
        CertificateAuthority.Issued n2 = issued.get("n2");
        ManagedChannel withCertificate = channel("n1", TlsChannelCredentials.newBuilder()
                .keyManager(n2.cert().toFile(), n2.key().toFile())
                .trustManager(PemFiles.trustManagers(ca.cert)).build());

        assertThat(whoAmIForwarded(withCertificate, tokens(SECRET).issue(Identity.admin("carol"))))
                .isEqualTo("carol");
        StatusRuntimeException replicated = catchThrowableOfType(StatusRuntimeException.class,
                () -> replicate(withCertificate, tokens(SECRET).issue(Identity.admin("$node-n2"))));
        if (replicated != null) {
            assertThat(replicated.getStatus().getCode()).isNotEqualTo(Status.Code.UNAUTHENTICATED);
        }

        String forged = tokens("another-secret-of-enough-length").issue(Identity.admin("carol"));
        assertRefused(() -> whoAmIForwarded(withCertificate, forged));
        StatusRuntimeException replicaRefusal = catchThrowableOfType(StatusRuntimeException.class,
                () -> replicate(withCertificate, forged));
        assertThat(replicaRefusal.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void aClientCertificateFromAnotherIssuerEndsTheHandshake(@TempDir Path elsewhere) throws Exception {
        SelfSigned rogue = SelfSigned.create(elsewhere, SelfSigned.KeyFormat.PKCS8);
        X509ExtendedKeyManager keys = (X509ExtendedKeyManager) PemFiles.keyManagers(rogue.cert, rogue.key)[0];
        ManagedChannel channel = channel("n1", TlsChannelCredentials.newBuilder()
                .keyManager(new PresentsAnyway(keys)).trustManager(PemFiles.trustManagers(ca.cert)).build());

        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> whoAmIForwarded(channel, tokens(SECRET).issue(Identity.admin("carol"))));
        assertThat(refused).isNotNull();
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void anApplicationWithoutAClientCertificateUsesTheGrpcApiOverTls() {
        ManagedChannel app = channel("n2", TlsChannelCredentials.newBuilder()
                .trustManager(PemFiles.trustManagers(ca.cert)).build());
        String token = AuthServiceGrpc.newBlockingStub(app).withDeadlineAfter(30, TimeUnit.SECONDS)
                .login(LoginRequest.newBuilder().setUsername("admin").setPassword(LocalCluster.ADMIN_PASSWORD).build())
                .getToken();
        DestinationRef jobs = DestinationRef.newBuilder().setType(DestinationType.DESTINATION_TYPE_QUEUE)
                .setName("app-jobs").build();
        bearer(DestinationServiceGrpc.newBlockingStub(app), token)
                .declare(DeclareRequest.newBuilder().setDestination(jobs).build());
        bearer(MessagingServiceGrpc.newBlockingStub(app), token).publish(PublishRequest.newBuilder()
                .setDestination(jobs).addMessages(OutgoingMessage.newBuilder()
                        .setPayload(ByteString.copyFromUtf8("from an app"))).build());

        ReceiveResponse received = bearer(MessagingServiceGrpc.newBlockingStub(app), token).receive(
                ReceiveRequest.newBuilder().setSource(SubscriptionRef.newBuilder().setDestination(jobs))
                        .setMax(1).setAutoAck(true).build());
        assertThat(received.getMessagesList()).hasSize(1);
        assertThat(received.getMessages(0).getPayload().toStringUtf8()).isEqualTo("from an app");
    }

    @Test
    void withoutACaBundleNodesSharingOneCertificateTrustEachOther(@TempDir Path elsewhere) throws Exception {
        SelfSigned shared = SelfSigned.create(elsewhere, SelfSigned.KeyFormat.PKCS8);
        try (LocalCluster pair = new LocalCluster(elsewhere.resolve("data"), "shared-cert-test",
                Map.of("MOM_TLS_CERT", shared.cert.toString(), "MOM_TLS_KEY", shared.key.toString()))) {
            Map<String, ApiClient> apis = new LinkedHashMap<>();
            for (String node : NODES) {
                apis.put(node, new ApiClient(pair.start(node).restUrl(), PemFiles.trustingContext(shared.cert)));
            }
            String token = apis.get("n1").login("admin", LocalCluster.ADMIN_PASSWORD);
            assertThat(apis.get("n1").put("/v1/queues/shared", token, null).status()).isEqualTo(201);
            String leader = FailoverTest.placementOf(apis.get("n1"), token, "shared").get("leader").getAsString();
            ApiClient other = apis.get(NODES.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow());

            HttpReply published = other.post("/v1/queues/shared/messages", token, json("payload", "hello"));
            assertThat(published.status()).as(published.body()).isEqualTo(201);
            HttpReply received = other.post("/v1/queues/shared/receive", token, json("max", 1, "autoAck", true));
            assertThat(received.array("messages").get(0).getAsJsonObject().get("payload").getAsString())
                    .isEqualTo("hello");
        }
    }

    private static PeerToken tokens(String secret) {
        return new PeerToken(secret.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
    }

    private ManagedChannel channel(String node, ChannelCredentials credentials) {
        ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", servers.get(node).grpcPort(), credentials)
                .build();
        channels.add(c);
        return c;
    }

    /** A call to the replication service as a peer makes it, with {@code token} in {@code x-mom-peer}. */
    private static void replicate(ManagedChannel channel, String token) {
        Metadata headers = new Metadata();
        headers.put(LogShipper.PEER_HEADER, token);
        ReplicaServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .replicate(ReplicateRequest.newBuilder().setDestination("probe").setEpoch(1).setSequence(1)
                        .setLeader("n2").setOps(ByteString.copyFrom(LogOpCodec.encode(List.of()))).build());
    }

    /** A forwarded call as a peer makes it: the peer token as bearer, and the forwarded mark. */
    private static String whoAmIForwarded(ManagedChannel channel, String token) {
        Metadata headers = new Metadata();
        headers.put(Forwarding.HEADER, "1");
        return bearer(AuthServiceGrpc.newBlockingStub(channel), token)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .whoAmI(WhoAmIRequest.getDefaultInstance()).getUsername();
    }

    private static <S extends AbstractStub<S>> S bearer(S stub, String token) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static void assertRefused(Runnable call) {
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(refused).as("the call must be refused").isNotNull();
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(StatusMapping.errorCodeOf(refused)).contains(ErrorCode.UNAUTHORIZED);
    }
}
