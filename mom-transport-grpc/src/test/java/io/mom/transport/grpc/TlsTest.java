package io.mom.transport.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.mom.core.Broker;
import io.mom.core.ErrorCode;
import io.mom.core.MomException;
import io.mom.grpc.v1.AuthServiceGrpc;
import io.mom.grpc.v1.LoginRequest;
import io.mom.grpc.v1.LoginResponse;
import io.mom.grpc.v1.WhoAmIRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.mom.transport.grpc.GrpcFixture.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** TLS with a self-signed certificate made by the JDK's keytool for this class. */
class TlsTest {
    @TempDir
    static Path dir;
    private static Path cert;
    private static Path key;
    private Broker broker;
    private GrpcServer server;
    private final FakeAuthenticator auth = new FakeAuthenticator().user(ALICE, "alice-pw");

    @BeforeAll
    static void selfSignedCertificate() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "mom", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        cert = pem(dir.resolve("cert.pem"), "CERTIFICATE", store.getCertificate("mom").getEncoded());
        key = pem(dir.resolve("key.pem"), "PRIVATE KEY", store.getKey("mom", "changeit".toCharArray()).getEncoded());
    }

    @BeforeEach
    void startBroker() {
        broker = Broker.builder().build().start();
    }

    private static Path pem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
        return file;
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
        broker.close();
    }

    private GrpcServer tlsServer() {
        return GrpcServer.builder().broker(broker).authenticator(auth).port(0).tls(cert, key).build().start();
    }

    @Test
    void aClientTrustingTheCertificateLogsInOverTls() throws IOException, InterruptedException {
        server = tlsServer();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port(),
                TlsChannelCredentials.newBuilder().trustManager(cert.toFile()).build()).build();
        try {
            LoginResponse login = AuthServiceGrpc.newBlockingStub(channel)
                    .login(LoginRequest.newBuilder().setUsername("alice").setPassword("alice-pw").build());
            String me = GrpcFixture.as(AuthServiceGrpc.newBlockingStub(channel), login.getToken())
                    .whoAmI(WhoAmIRequest.getDefaultInstance()).getUsername();
            assertThat(me).isEqualTo("alice");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPlaintextClientCannotTalkToATlsServer() throws InterruptedException {
        server = tlsServer();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                            .login(LoginRequest.newBuilder().setUsername("alice").setPassword("alice-pw").build()));
            assertThat(e).isNotNull();
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void optionalClientCertificatesAreVerifiedAndShownToCallsWhileClientsWithoutOneStillConnect() throws Exception {
        List<Boolean> certified = new CopyOnWriteArrayList<>();
        server = GrpcServer.builder().broker(broker).authenticator(auth).port(0).tls(cert, key)
                .optionalClientCertificates(trusting(cert)).interceptor(new ServerInterceptor() {
                    @Override
                    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                                      ServerCallHandler<Q, R> next) {
                        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
                        try {
                            certified.add(session.getPeerCertificates().length > 0);
                        } catch (SSLPeerUnverifiedException e) {
                            certified.add(false);
                        }
                        return next.startCall(call, headers);
                    }
                }).build().start();

        login(TlsChannelCredentials.newBuilder().trustManager(cert.toFile()).build());
        login(TlsChannelCredentials.newBuilder().keyManager(cert.toFile(), key.toFile()).trustManager(cert.toFile())
                .build());

        assertThat(certified).containsExactly(false, true);
    }

    @Test
    void clientCertificatesWithoutTlsAreRejectedWhenTheServerIsBuilt() throws Exception {
        MomException e = catchThrowableOfType(MomException.class, () -> GrpcServer.builder().broker(broker)
                .authenticator(auth).port(0).optionalClientCertificates(trusting(cert)).build());

        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    }

    private void login(ChannelCredentials credentials) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port(), credentials).build();
        try {
            assertThat(AuthServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .login(LoginRequest.newBuilder().setUsername("alice").setPassword("alice-pw").build())
                    .getToken()).isNotEmpty();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static TrustManager[] trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf.getTrustManagers();
    }

    @Test
    void anUnreadableKeyIsRejectedWhenTheServerIsBuilt() throws IOException, GeneralSecurityException {
        Path notAKey = Files.writeString(dir.resolve("bad.pem"), "not a key");

        MomException e = catchThrowableOfType(MomException.class,
                () -> GrpcServer.builder().broker(broker).authenticator(auth).port(0).tls(cert, notAKey).build());

        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    }
}
